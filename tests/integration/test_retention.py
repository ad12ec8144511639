"""Retention: personal fields of long-closed matters anonymised; statistics the same afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.retention import ANONYMISED
from reception.visits import VisitQuery
from tests.conftest import valid_id

pytestmark = pytest.mark.both_backends

OLD_ID = valid_id("19500101", "901")


def _seed(services, make_input):  # noqa: ANN001, ANN202
    old = services.visits.register(
        make_input(
            id_number=OLD_ID,
            name="欧阳某",
            phone="13700000009",
            summary="欧阳某反映2019年工地欠薪",
            visited_at=dt.datetime(2019, 5, 6, 9),
            topic="劳动就业",
        )
    )
    services.followup.change(old.matter_id, "reject", actor="刘", on=dt.date(2019, 5, 8), reason="已告知申请仲裁")
    services.followup.change(old.matter_id, "close", actor="刘", on=dt.date(2019, 5, 9))
    still_open = services.visits.register(
        make_input(
            id_number=valid_id("19550101", "902"),
            name="司马某",
            visited_at=dt.datetime(2019, 6, 1, 9),
            topic="社会保障",
        )
    )
    recent = services.visits.register(make_input(id_number=valid_id("19600101", "903"), name="诸葛某", topic="教育"))
    return old, still_open, recent


def test_dry_run_then_purge_keeps_the_statistics(services, make_input):  # noqa: ANN001
    old, still_open, recent = _seed(services, make_input)
    stats = services.statistics(today=dt.date(2026, 12, 3))
    before = stats.report(dt.date(2019, 1, 1), dt.date(2019, 12, 31), "topic")
    retention = services.retention(today=dt.date(2026, 12, 3))
    plan = retention.plan(5)
    assert (plan.people, plan.visits) == (1, 1), "only the person whose matters are all closed"
    retention.purge(5, actor="王科长")
    after = stats.report(dt.date(2019, 1, 1), dt.date(2019, 12, 31), "topic")
    assert after.total.as_dict() == before.total.as_dict()
    assert dict(after.groups).keys() == dict(before.groups).keys()
    detail = services.visits.get_detail(old.visit_id)
    assert detail.name == ANONYMISED and OLD_ID not in str(detail) and "欧阳" not in detail.summary
    assert services.visits.get_detail(still_open.visit_id).name == "司马某"
    assert services.visits.get_detail(recent.visit_id).name == "诸葛某"
    assert services.visits.list_page(VisitQuery(text="欧阳某"))[0] == []
    assert services.visits.earlier_visits(id_number=OLD_ID).count == 0
    assert services.audit.browse(action="edit")[0].actor == "王科长"
    assert services.audit.verify().ok
    assert retention.plan(5).people == 0, "a second run finds nothing left"


def test_purge_command_is_a_dry_run_without_yes(db_url, services, make_input, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    _seed(services, make_input)
    assert main(["--db", db_url, "purge", "--years", "5"]) == 0
    assert "试运行" in capsys.readouterr().out
    assert services.visits.get_detail(1).name == "欧阳某"
    assert main(["--db", db_url, "purge", "--years", "5", "--yes", "--by", "王科长"]) == 0
    assert "已匿名化 1 人" in capsys.readouterr().out
