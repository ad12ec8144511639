"""Several desks on one database at once: 8 processes register 500 visits each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from reception.services import Services
from tests.conftest import ADMIN_PASSWORD, ADMIN_USER

pytestmark = [pytest.mark.both_backends, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROCESSES, VISITS_EACH = 8, 500

DESK = textwrap.dedent(
    """
    import datetime as dt, json, sys
    from reception.services import Services
    from reception.visits import VisitInput
    from tests.conftest import valid_id
    url, desk, count, user, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    services = Services.open(url)
    services.accounts.login(user, password)
    saved = []
    for n in range(count):
        # Every tenth visitor is the same person at every desk: found, never created twice.
        shared = n % 10 == 0
        number = valid_id("19700101", "999") if shared else valid_id("19800101", f"{n % 1000:03d}", f"{110101 + desk}")
        visit = services.visits.register(VisitInput(
            name="常来的人" if shared else f"窗口{desk}来访人{n}", id_number=number,
            visited_at=dt.datetime(2026, 11, 2 + desk, 8, 0) + dt.timedelta(minutes=n),
            summary=f"窗口{desk}的第{n}次登记", officer=f"窗口{desk}"))
        saved.append([visit.visit_no, visit.query_code])
    print(json.dumps(saved))
    services.close()
    """
)


def test_eight_desks_register_at_once_without_losing_or_doubling_anything(db_url):  # noqa: ANN001
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", DESK, db_url, str(k), str(VISITS_EACH), ADMIN_USER, ADMIN_PASSWORD],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=PROJECT_ROOT,
        )  # fmt: skip
        for k in range(PROCESSES)
    ]
    outputs = [desk.communicate(timeout=600) for desk in desks]
    for desk, (_out, err) in zip(desks, outputs, strict=True):
        assert desk.returncode == 0, err[-2000:]
    returned = [tuple(pair) for out, _err in outputs for pair in json.loads(out)]
    assert len(returned) == PROCESSES * VISITS_EACH
    assert len({no for no, _ in returned}) == len(returned) and len({code for _, code in returned}) == len(returned)
    services = Services.open(db_url)
    try:
        with services.database.engine.connect() as connection:
            stored = connection.execute(text("SELECT visit_no, query_code FROM visits")).all()
            people = connection.execute(text("SELECT COUNT(*) FROM petitioners")).scalar()
            registered = connection.execute(
                text("SELECT COUNT(*) FROM matter_events WHERE kind = 'registered'")
            ).scalar()
        assert sorted(stored) == sorted(returned)  # nothing lost, nothing extra
        # 450 different people per desk, and the one who went to every desk.
        assert people == PROCESSES * (VISITS_EACH - VISITS_EACH // 10) + 1
        assert registered == len(returned)
        services.accounts.login(ADMIN_USER, ADMIN_PASSWORD)
        assert services.audit.verify().ok  # every desk appended to one unbroken chain
    finally:
        services.close()
