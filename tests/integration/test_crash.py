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
    try:
        with services.database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        rows, _ = services.visits.list_page(VisitQuery(text="崩溃测试"))
        assert [r.visit_id for r in rows] == [visit_id]
    finally:
        services.close()
