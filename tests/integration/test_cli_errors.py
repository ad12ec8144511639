"""The `reception` command with failures a user can act on: a Chinese message and exit code 2, no traceback.

Also the command-line parts that used to print nothing or accept only internal numbers, the office settings
commands, and the split between `reception` (scripts) and `reception-desk` (the window).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from reception.cli import main
from reception.services import Services
from reception.settings import OfficeSettings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m reception ARGS` in a child process, with this test's data folder and environment."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "reception", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=PROJECT_ROOT,
        timeout=timeout,
    )


def assert_user_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def log_text() -> str:
    path = Path(os.environ["RECEPTION_DATA_DIR"]) / "logs" / "reception.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


# ---- the database ----------------------------------------------------------------------------------


def test_mistyped_db_path_is_refused_not_created(tmp_path):
    missing = tmp_path / "typo" / "reception.sqlite3"

    result = run_cli("--db", sqlite_url(missing), "laws")

    assert_user_failure(result, "找不到数据库文件", str(missing), "db upgrade")
    assert not missing.exists()
    assert not missing.parent.exists()


def test_new_database_only_where_asked_for(tmp_path):
    # The default database on first start, `db upgrade`, and --create make one; nothing else does.
    assert run_cli("holidays", "list").returncode == 0
    assert (tmp_path / "data" / "reception.sqlite3").is_file()

    upgraded = tmp_path / "new" / "upgraded.sqlite3"
    assert run_cli("--db", sqlite_url(upgraded), "db", "upgrade").returncode == 0
    assert upgraded.is_file()
    assert run_cli("--db", sqlite_url(upgraded), "holidays", "list").returncode == 0

    created = tmp_path / "created.sqlite3"
    result = run_cli("--db", sqlite_url(created), "--create", "holidays", "list")
    assert result.returncode == 0, result.stderr
    assert created.is_file()


def test_read_only_database_is_explained_and_logged(tmp_path, db_url, cli_admin):
    path = Path(db_url.removeprefix("sqlite:///"))
    read_only = f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"

    result = run_cli("--db", read_only, "holidays", "set", "2031", "--off", "2031-01-01")

    assert_user_failure(result, "无法写入数据库", str(path), "只读", "权限")
    assert "readonly database" in log_text()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM settings WHERE key LIKE 'holidays.%'").fetchone() == (0,)
    # The SQLite URI form must not leave a folder called "file:" behind.
    assert not (PROJECT_ROOT / "file:").exists()


def test_unparsable_address_suggests_the_url(tmp_path, db_url):
    path = Path(db_url.removeprefix("sqlite:///"))

    result = run_cli("--db", str(path), "laws")

    assert_user_failure(result, "数据库地址无法识别", str(path), sqlite_url(path))
    assert "ArgumentError" not in result.stderr


def test_file_that_is_not_a_database_is_left_alone(tmp_path):
    other = tmp_path / "notes.sqlite3"
    other.write_text("这不是数据库，是一份笔记。\n" * 20, encoding="utf-8")
    before = other.read_bytes()

    result = run_cli("--db", sqlite_url(other), "laws")

    assert_user_failure(result, "不是本系统的数据库", str(other))
    assert other.read_bytes() == before


def test_database_error_for_the_desk(tmp_path):
    # The desk opens the database through Services.open and shows database_error's message in a dialog.
    from reception.errors import DatabaseUnavailable, database_error

    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(OperationalError) as raised:
        Services.open(sqlite_url(folder))

    error = database_error(raised.value, sqlite_url(folder))

    assert isinstance(error, DatabaseUnavailable)
    assert error.location == str(folder)
    assert "文件夹" in error.cause and "reception.sqlite3" in error.action
    assert database_error(ValueError("a bug"), sqlite_url(folder)) is None


def test_output_piped_to_head_prints_no_broken_pipe(db_url):
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    child = subprocess.Popen(
        [sys.executable, "-m", "reception", "--db", db_url, "laws", "--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROJECT_ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    # A reader that has gone before the first line arrives, as `| head -0` or a closed pager.
    child.stdout.close()
    stderr = child.stderr.read().decode("utf-8", "replace")
    child.wait(timeout=120)

    assert "BrokenPipeError" not in stderr
    assert "Traceback" not in stderr
    assert stderr == ""


# ---- commands that printed nothing or too little ---------------------------------------------------


def test_empty_description_asks_for_one():
    result = run_cli("match", "")

    assert_user_failure(result, "请输入要分析的描述")


def test_holidays_list_says_when_nothing_is_entered(db_url, capsys):
    assert main(["--db", db_url, "holidays", "list"]) == 0

    out = capsys.readouterr().out
    assert "尚未录入任何年份的放假安排" in out
    assert "reception holidays set" in out


def test_unknown_topic_lists_the_topics(db_url, tmp_path, capsys):
    out = tmp_path / "guide.pdf"

    assert main(["--db", db_url, "handout", "guide", "--topic", "欠薪", "--out", str(out)]) == 2

    err = capsys.readouterr().err
    assert "欠薪" in err
    assert "劳动就业" in err and "信访程序" in err
    assert not out.exists()


@pytest.fixture
def registered(services, make_input):  # noqa: ANN001, ANN201
    services.settings.save_office(
        OfficeSettings(office_name="测试市信访局", address="测试路1号", phone="0571-12345678")
    )
    return services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 20, 9, 30)))


def test_handout_takes_the_visit_number_staff_see(db_url, registered, tmp_path, capsys, cli_admin):
    out = tmp_path / "receipt.pdf"

    code = main(["--db", db_url, "handout", "receipt", "--visit", registered.visit_no.lower(), "--out", str(out)])

    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["--db", db_url, "handout", "receipt", "--visit", str(registered.visit_id), "--out", str(out)]) == 0

    unknown = "XF20261120999999"
    assert main(["--db", db_url, "handout", "receipt", "--visit", unknown, "--out", str(out)]) == 2
    assert f"找不到登记编号为 {unknown} 的来访记录" in capsys.readouterr().err


# ---- office settings --------------------------------------------------------------------------------


def test_settings_get_and_set(db_url, capsys, cli_admin):
    assert main(["--db", db_url, "settings", "set", "机关名称", "测试市信访局"]) == 0
    assert "已保存 机关名称：测试市信访局" in capsys.readouterr().out

    assert main(["--db", db_url, "settings", "get", "office_name"]) == 0
    assert capsys.readouterr().out == "测试市信访局\n"

    assert main(["--db", db_url, "settings", "get"]) == 0
    listing = capsys.readouterr().out
    for label in OfficeSettings.LABELS.values():
        assert label in listing

    services = Services.open(db_url)
    try:
        assert services.settings.office().office_name == "测试市信访局"
    finally:
        services.close()


def test_settings_errors_are_in_chinese(db_url, capsys):
    assert main(["--db", db_url, "settings", "set", "guide_base_url", "ftp://example.org"]) == 2
    assert "普法指南网址：网址应以 http:// 或 https:// 开头" in capsys.readouterr().err

    assert main(["--db", db_url, "settings", "set", "no_such_key", "1"]) == 2
    err = capsys.readouterr().err
    assert "没有名为“no_such_key”的设置" in err and "office_name 机关名称" in err


def test_setting_one_field_is_not_blocked_by_another(tmp_path, capsys, cli_admin):
    # A new install has no office name yet; the phone number can still be entered first.
    new = sqlite_url(tmp_path / "new.sqlite3")
    assert main(["--db", new, "db", "upgrade"]) == 0
    assert main(["--db", new, "accounts", "init", "--username", "admin", "--name", "李管理"]) == 0
    capsys.readouterr()
    assert main(["--db", new, "settings", "set", "phone", "0571-12345678"]) == 0
    out = capsys.readouterr().out
    assert "已保存 联系电话：0571-12345678" in out
    assert "注意：机关名称" in out


# ---- `reception` and `reception-desk` ---------------------------------------------------------------


def test_reception_without_command_prints_help_and_names_the_desk():
    probe = (
        "import sys\nfrom reception.cli import main\ncode = main([])\nprint('Qt loaded:', 'PySide6' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("`reception` without a command must not start the window")

    assert result.returncode == 0, result.stderr
    assert "usage: reception" in result.stdout
    assert "reception-desk" in result.stdout
    assert "Qt loaded: False" in result.stdout


def test_desk_has_its_own_command():
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["reception-desk"] == "ui.desk.app:main"
    assert scripts["reception"] == "reception.cli:main"
    from ui.desk.app import main as desk_main

    assert callable(desk_main)


def test_handout_with_placeholder_office_details_needs_the_flag(tmp_path, make_input, capsys, cli_admin):  # noqa: ANN001
    url = sqlite_url(tmp_path / "new.sqlite3")
    services = Services.open(url)
    services.accounts.create_first_admin("admin", "李管理", "Admin2026x")
    saved = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 20, 9, 30)))
    services.close()
    out = tmp_path / "receipt.pdf"
    args = ["--db", url, "handout", "receipt", "--visit", saved.visit_no, "--out", str(out)]
    assert main(args) == 2
    assert "本单位信息尚未设置" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--allow-placeholders"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_kiosk_settings_from_the_command_line(db_url, capsys, monkeypatch, cli_admin):  # noqa: ANN001
    import io

    from reception.cli import main
    from reception.services import Services

    monkeypatch.setattr("sys.stdin", io.StringIO("864209\n"))
    assert main(["--db", db_url, "kiosk", "--idle", "120", "--name", "一楼大厅", "--set-pin"]) == 0
    assert "已设置触摸屏退出密码" in capsys.readouterr().out
    services = Services.open(db_url)
    try:
        kiosk = services.settings.kiosk()
        assert (kiosk.idle_seconds, kiosk.terminal_name) == (120, "一楼大厅")
        assert services.settings.kiosk_pin_matches("864209")
    finally:
        services.close()
    assert main(["--db", db_url, "kiosk", "--idle", "3"]) == 2
    assert "20到900" in capsys.readouterr().err


def test_kiosk_module_starts_with_help():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "ui.kiosk", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--window" in out.stdout
