"""Registering and finding visits on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from db.models import Matter, MatterEvent, Petitioner, Visit
from reception.errors import ValidationError
from reception.visits import RepresentativeInput, VisitQuery
from tests.conftest import valid_id

pytestmark = pytest.mark.both_backends


def test_register_and_find_by_every_key(visit_service, make_input):
    saved = visit_service.register(make_input())
    assert saved.visit_no == "XF20261120000001"
    assert len(saved.query_code) == 8
    for query in ("王秀英", "王", valid_id(), "13800138000", "138 0013 8000", "包工头", "工资一分"):
        rows, _ = visit_service.list_page(VisitQuery(text=query))
        assert [r.visit_id for r in rows] == [saved.visit_id], query
    rows, _ = visit_service.list_page(VisitQuery(text="拆迁"))
    assert rows == []


def test_list_and_detail_mask_numbers_until_asked_and_the_asking_is_audited(services, make_input):
    visit_service = services.visits
    saved = visit_service.register(make_input())
    row = visit_service.list_page(VisitQuery())[0][0]
    assert row.id_masked == "110105********" + valid_id()[-4:]
    assert row.phone_masked == "138****8000"
    detail = visit_service.get_detail(saved.visit_id)
    assert detail.id_number == "110105********" + valid_id()[-4:]
    assert not detail.id_revealed
    assert [e.kind for e in detail.history] == ["registered"]
    assert not services.audit.browse(action="view_id")
    revealed = visit_service.get_detail(saved.visit_id, reveal_id=True)
    assert revealed.id_number == valid_id()
    [entry] = services.audit.browse(action="view_id")
    assert (entry.actor, entry.target) == ("李管理", saved.visit_no)


def test_invalid_input_saves_nothing(visit_service, make_input, database):
    with pytest.raises(ValidationError) as info:
        visit_service.register(make_input(id_number="110105198001011231", phone="12", summary=" "))
    assert set(info.value.errors) == {"id_number", "phone", "summary"}
    with database.unit_of_work() as uow:
        for model in (Petitioner, Visit, Matter, MatterEvent):
            assert uow.session.scalar(select(func.count()).select_from(model)) == 0


def test_anonymous_visit_is_marked(visit_service, make_input):
    saved = visit_service.register(make_input(name="", id_number="", phone=""))
    detail = visit_service.get_detail(saved.visit_id)
    assert detail.is_anonymous
    assert detail.name == "匿名来访人"


def test_emoji_and_control_characters_round_trip(visit_service, make_input):
    summary = "他们说😡“再来就抓你”\t\n第二行\x0b有竖向制表符"
    saved = visit_service.register(make_input(summary=summary))
    assert visit_service.get_detail(saved.visit_id).summary == summary


def test_group_visit_limits_representatives(visit_service, make_input):
    reps = [RepresentativeInput(f"代表{i}", "", "") for i in range(6)]
    with pytest.raises(ValidationError) as info:
        visit_service.register(make_input(headcount=30, representatives=reps))
    assert "不超过5人" in info.value.errors["representatives"]
    saved = visit_service.register(make_input(headcount=30, representatives=reps[:5]))
    assert len(visit_service.get_detail(saved.visit_id).representatives) == 5


def test_repeat_visits_are_counted_by_id_or_phone(visit_service, make_input):
    first = visit_service.register(make_input(explanation="已告知可申请劳动仲裁，时效一年"))
    visit_service.register(make_input(visited_at=dt.datetime(2026, 11, 21, 10, 0), id_number="", name="王秀英"))
    info = visit_service.earlier_visits(id_number=valid_id())
    assert info.count == 1
    assert info.visits[0].visit_id == first.visit_id
    assert "劳动仲裁" in info.visits[0].explanation
    by_phone = visit_service.earlier_visits(phone="13800138000")
    assert by_phone.count == 2
    assert not visit_service.earlier_visits(id_number="1101051980").searched


def test_same_person_is_one_petitioner(visit_service, make_input, database):
    visit_service.register(make_input())
    visit_service.register(make_input(phone="13900139000"))
    with database.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Petitioner)) == 1


def test_keyset_paging_and_sorting(visit_service, make_input):
    for day in range(1, 13):
        visit_service.register(
            make_input(visited_at=dt.datetime(2026, 10, day, 9), id_number="", name=f"来访人{day:02d}")
        )
    seen = []
    cursor = None
    while True:
        rows, cursor = visit_service.list_page(VisitQuery(), cursor, limit=5)
        seen.extend(r.visited_at.day for r in rows)
        if cursor is None:
            break
    assert seen == list(range(12, 0, -1))
    rows, _ = visit_service.list_page(VisitQuery(sort_key="name", descending=False), limit=3)
    assert [r.name for r in rows] == ["来访人01", "来访人02", "来访人03"]
    rows, _ = visit_service.list_page(VisitQuery(date_from=dt.date(2026, 10, 3), date_to=dt.date(2026, 10, 4)))
    assert sorted(r.visited_at.day for r in rows) == [3, 4]


def test_history_is_append_only(visit_service, make_input, database):
    visit_service.register(make_input())
    with database.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("UPDATE matter_events SET detail = 'changed'"))
    with database.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM matter_events"))


def test_saving_again_with_the_same_query_code_returns_the_first_save(visit_service, make_input):
    """A desk that lost the connection after its save reached the server saves again: one visit, not two."""
    from reception.visits import new_query_code

    code = new_query_code()
    first = visit_service.register(make_input(query_code=code))
    again = visit_service.register(make_input(query_code=code))
    assert again == first and visit_service.count_visits() == 1
    with pytest.raises(ValidationError) as bad:
        visit_service.register(make_input(query_code="0OIL0OIL"))
    assert set(bad.value.errors) == {"query_code"}


@pytest.mark.parametrize("descending", [False, True])
def test_paging_by_name_shows_every_visit_once_in_name_order(visit_service, make_input, descending):
    """Namesakes, and people with several visits: pages of 4 by name meet each visit exactly once."""
    expected = []
    for n, name in enumerate(["张三", "李四", "张三", "王五", "李四"]):
        number = valid_id("19800101", f"{n:03d}")
        for visit in range(3):
            saved = visit_service.register(
                make_input(name=name, id_number=number, visited_at=dt.datetime(2026, 10, 1 + visit, 9, n))
            )
            expected.append((name, saved.visit_id))
    seen, cursor = [], None
    while True:
        rows, cursor = visit_service.list_page(VisitQuery(sort_key="name", descending=descending), cursor, limit=4)
        seen.extend((r.name, r.visit_id) for r in rows)
        if cursor is None:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    names = [name for name, _ in seen]
    assert names == sorted(names, reverse=descending)
