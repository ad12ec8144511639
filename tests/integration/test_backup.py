"""Backups taken online and checked, rotated; restore refuses a bad file and keeps the current one aside."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reception.backup import BackupError, backup, check_file, restore


def _visits(db_url: str) -> int:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT COUNT(*) FROM visits").fetchone()[0]


def test_backup_then_restore_brings_back_that_moment(services, db_url, make_input, tmp_path):  # noqa: ANN001
    services.visits.register(make_input())
    taken = backup(db_url, tmp_path / "backups")
    assert check_file(taken.path) == "" and taken.path.name.startswith("reception-")
    services.visits.register(make_input(summary="第二次来访"))
    services.close()
    aside = restore(db_url, taken.path)
    assert _visits(db_url) == 1
    assert check_file(aside) == "" and _visits(f"sqlite:///{aside}") == 2


def test_a_bad_file_is_refused_and_nothing_changes(services, db_url, make_input, tmp_path):  # noqa: ANN001
    services.visits.register(make_input())
    services.close()
    junk = tmp_path / "reception-junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = Path(db_url.removeprefix("sqlite:///")).read_bytes()
    for bad in (junk, other):
        with pytest.raises(BackupError, match="没有任何改动"):
            restore(db_url, bad)
    assert Path(db_url.removeprefix("sqlite:///")).read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_old_backups_are_rotated(db_url, tmp_path):  # noqa: ANN001
    folder = tmp_path / "b"
    for minute in range(5):
        result = backup(db_url, folder, keep=3, now=dt.datetime(2026, 12, 3, 10, minute))
    assert len(list(folder.glob("reception-*.sqlite3"))) == 3
    assert result.path.name == "reception-20261203-100400.sqlite3" and len(result.removed) == 1


def test_a_backup_killed_half_way_leaves_the_database_sound_and_no_finished_backup(db_url, tmp_path):  # noqa: ANN001
    """A big database, backed up in a separate process killed with SIGKILL in the middle of the copy."""
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE ballast (x BLOB)")
        connection.executemany("INSERT INTO ballast VALUES (randomblob(4096))", [()] * 60_000)
    folder = tmp_path / "killed"
    code = f"from pathlib import Path; from reception.backup import backup; backup({db_url!r}, Path({str(folder)!r}))"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2])
    deadline = time.monotonic() + 30
    while not list(folder.glob("*.partial")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    process.kill()
    process.wait()
    assert check_file(Path(path)) == ""
    assert not list(folder.glob("reception-*.sqlite3")), "only a .partial file may be left"


def test_backup_and_restore_commands(db_url, tmp_path, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    assert main(["--db", db_url, "backup", "--to", str(tmp_path)]) == 0
    made = next(tmp_path.glob("reception-*.sqlite3"))
    assert main(["--db", db_url, "restore", str(made)]) == 0
    assert "校验通过" in capsys.readouterr().out
    assert main(["--db", db_url, "restore", str(made), "--yes"]) == 0
    assert main(["--db", db_url, "audit", "list", "--action", "restore"]) == 0
    assert made.name in capsys.readouterr().out


def test_a_scheduled_backup_runs_once_a_day(db_url, tmp_path):  # noqa: ANN001
    import os

    from reception.backup import backup_if_due

    folder = tmp_path / "daily"
    first = backup_if_due(db_url, folder)
    assert first is not None and first.path.exists()
    assert backup_if_due(db_url, folder) is None, "a backup younger than a day is enough"
    day_old = first.path.stat().st_mtime - 25 * 3600
    os.utime(first.path, (day_old, day_old))
    assert backup_if_due(db_url, folder, keep=14) is not None
