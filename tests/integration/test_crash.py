"""A saved visit survives the process being killed right after the save returns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import text

from reception.services import Services
from reception.visits import VisitQuery

PROJECT_ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys, time
    from reception.services import Services
    from reception.visits import VisitInput
    services = Services.open(sys.argv[1])
    services.accounts.create_first_admin("admin", "值班员", "Admin2026x")
    saved = services.visits.register(VisitInput(
        name="崩溃测试", visited_at=dt.datetime(2026, 11, 20, 9, 0), officer="值班员",
        summary="保存后立即被强制结束的来访", phone="13900001111"))
    print(saved.visit_id, flush=True)
    # Keep writing load on the database while the parent kills us.
    while True:
        time.sleep(0.01)
    """
)


def test_visit_survives_sigkill(tmp_path):
    url = f"sqlite:///{(tmp_path / 'crash.sqlite3').as_posix()}"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url], stdout=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT
    )
    assert child.stdout is not None
    visit_id = int(child.stdout.readline())
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    services = Services.open(url)
    services.accounts.login("admin", "Admin2026x")
    try:
        with services.database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        rows, _ = services.visits.list_page(VisitQuery(text="崩溃测试"))
        assert [r.visit_id for r in rows] == [visit_id]
    finally:
        services.close()


def test_a_ledger_import_killed_half_way_keeps_whole_batches_only(tmp_path):
    """SIGKILL while a 3,000-row ledger is being imported in batches of 500: the database opens, passes
    integrity_check, and holds whole batches — every visit with its import record, never part of a batch."""
    import csv
    import sqlite3
    import time

    from tests.conftest import valid_id

    ledger = tmp_path / "ledger.csv"
    with open(ledger, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["登记日期", "姓名", "身份证号", "诉求摘要"])
        for n in range(3000):
            writer.writerow(
                [
                    f"2026-0{1 + n % 9}-1{n % 9}",
                    f"来访人{n}",
                    valid_id("19800101", f"{n % 1000:03d}") if n < 1000 else "",
                    f"第{n}行的诉求",
                ]
            )
    db = tmp_path / "import.sqlite3"
    url = f"sqlite:///{db.as_posix()}"
    services = Services.open(url)
    services.accounts.create_first_admin("admin", "导入员", "Admin2026x")
    services.close()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), RECEPTION_USER="admin", RECEPTION_PASSWORD="Admin2026x")
    child = subprocess.Popen(
        [sys.executable, "-m", "reception", "--db", url, "import-visits", str(ledger)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=PROJECT_ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        with sqlite3.connect(db) as connection:
            if connection.execute("SELECT COUNT(*) FROM visits").fetchone()[0] >= 500:
                break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        visits = connection.execute("SELECT COUNT(*) FROM visits").fetchone()[0]
        imported = connection.execute("SELECT COUNT(*) FROM imported_rows").fetchone()[0]
        events = connection.execute("SELECT COUNT(*) FROM matter_events WHERE kind = 'registered'").fetchone()[0]
    assert visits == imported == events
    # The import really ran and was really cut off (a refused import would leave nothing to check).
    assert child.returncode == -signal.SIGKILL and visits >= 500
    assert visits % 500 == 0 or visits == 3000


LAW_CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from reception.lawlib.lawfile import LawVersionData
    from reception.lawlib.parser import ParsedArticle
    from reception.services import Services
    services = Services.open(sys.argv[1])
    services.accounts.login("admin", "Admin2026x")
    articles = [
        ParsedArticle(n, 0, [f"第{n}条的条文内容，用于测试导入被中断时数据库的状态。" * 40], n, "第一章 总则")
        for n in range(1, int(sys.argv[2]) + 1)
    ]
    law = LawVersionData(
        title="中华人民共和国导入中断测试法", short_title="导入中断测试法", status="现行有效", coverage="full",
        articles=articles, effective=dt.date(2026, 1, 1), source="test",
    )
    print("storing", flush=True)
    services.laws.store_imported(law)
    print("done", flush=True)
    """
)


def test_a_law_import_killed_half_way_leaves_all_or_nothing(tmp_path):  # noqa: ANN001
    """SIGKILL while a very long law is being stored: the database opens, passes integrity_check, and holds
    the law with every article or not at all."""
    import time

    db = tmp_path / "laws.sqlite3"
    url = f"sqlite:///{db.as_posix()}"
    services = Services.open(url)
    services.accounts.create_first_admin("admin", "李管理", "Admin2026x")
    services.close()
    count = 9_000
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", LAW_CHILD, url, str(count)], stdout=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "storing"
    wal = Path(str(db) + "-wal")
    deadline = time.monotonic() + 60
    # Killed once the transaction has started spilling pages into the WAL: half-way through, not before.
    while time.monotonic() < deadline and child.poll() is None and (not wal.exists() or wal.stat().st_size < 4_000_000):
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be interrupted"
    services = Services.open(url)
    try:
        with services.database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            stored = connection.execute(
                text(
                    "SELECT COUNT(a.id) FROM law_versions v JOIN law_articles a ON a.law_version_id = v.id "
                    "WHERE v.short_title = '导入中断测试法'"
                )
            ).scalar()
        assert stored in (0, count)
    finally:
        services.close()
