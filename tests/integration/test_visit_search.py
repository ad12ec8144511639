"""Searching and filtering the visit list on a real SQLite file: equivalent words, classification names,
filters by type, topic, route and status, and the substring fallback used on databases without FTS5."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

import reception.visits as visits_module
from db.models import Matter, Visit
from db.search import substring_condition
from db.textsearch import match_expression
from reception.visits import VisitQuery, search_terms

pytestmark = pytest.mark.both_backends


def _found(visit_service, **query) -> set[int]:  # noqa: ANN001, ANN003
    rows, _ = visit_service.list_page(VisitQuery(**query))
    return {row.visit_id for row in rows}


@pytest.fixture
def wage_and_land(visit_service, make_input):  # noqa: ANN001, ANN201
    """A wage case told in the law's words, one told in everyday words, and an unrelated land case."""
    legal = visit_service.register(
        make_input(summary="用工单位拖欠工资三个月", involved_unit="", matter_type="申诉求决", topic="劳动就业")
    )
    everyday = visit_service.register(
        make_input(
            name="李建国",
            id_number="",
            phone="",
            summary="老家的老板欠薪不给",
            involved_unit="",
            visited_at=dt.datetime(2026, 11, 20, 10, 0),
            matter_type="申诉求决",
            topic="劳动就业",
            route="仲裁",
        )
    )
    land = visit_service.register(
        make_input(
            name="赵玉兰",
            id_number="",
            phone="",
            summary="村里征收土地，补偿款至今未发",
            involved_unit="镇政府",
            visited_at=dt.datetime(2026, 11, 20, 11, 0),
            matter_type="检举控告",
            topic="征地拆迁",
            route="行政程序",
        )
    )
    return legal.visit_id, everyday.visit_id, land.visit_id


@pytest.fixture(params=["sparse", "dense"])
def query_plan(request, monkeypatch):  # noqa: ANN001, ANN201
    """Run a test under both phrasings of a condition on matters (chosen by how many matters match)."""
    if request.param == "dense":
        monkeypatch.setattr(visits_module, "_DENSE_MATTERS", 1)
    return request.param


def test_everyday_word_finds_the_laws_word(visit_service, wage_and_land):  # noqa: ANN001
    legal, everyday, _land = wage_and_land
    # 欠薪 → 拖欠工资 (thesaurus direction) and 拖欠工资 → 欠薪 (the way back).
    assert _found(visit_service, text="欠薪") == {legal, everyday}
    assert _found(visit_service, text="拖欠工资") == {legal, everyday}


def test_every_term_must_match_one_of_its_equivalents(visit_service, wage_and_land):  # noqa: ANN001
    legal, everyday, _land = wage_and_land
    # No visit says both 拖欠工资 and 老板; the everyday one says 欠薪 and 老板. 老板 → 用人单位/经营者,
    # which the law-worded one (用工单位) does not say either.
    assert _found(visit_service, text="拖欠工资 老板") == {everyday}
    assert _found(visit_service, text="拖欠工资，三个月") == {legal}
    assert _found(visit_service, text="欠薪 征收") == set()


def test_expansion_is_one_step_and_plain_words_stay_literal(visit_service, wage_and_land):  # noqa: ANN001
    legal, _everyday, land = wage_and_land
    assert _found(visit_service, text="补偿款") == {land}
    assert _found(visit_service, text="工钱") == {legal}
    # 工资 stands for 工钱, 薪水 …, but not for 欠薪 (that only stands for 拖欠工资).
    assert _found(visit_service, text="工资") == {legal}


def test_classification_name_finds_classified_visits(visit_service, wage_and_land, query_plan):  # noqa: ANN001
    legal, everyday, land = wage_and_land
    # Neither summary contains these names; the visits are found by how they were classified.
    assert _found(visit_service, text="劳动就业") == {legal, everyday}
    assert _found(visit_service, text="检举控告") == {land}
    assert _found(visit_service, text="仲裁") == {everyday}
    assert _found(visit_service, text="已登记") == {legal, everyday, land}
    assert _found(visit_service, text="已办结") == set()


def test_name_that_is_topic_and_route_matches_either(visit_service, make_input, query_plan):  # noqa: ANN001
    as_topic = visit_service.register(make_input(summary="判决生效后对方不履行", topic="涉法涉诉"))
    as_route = visit_service.register(
        make_input(summary="邻居借钱不还", topic="婚姻家庭与民间纠纷", route="涉法涉诉", id_number="", name="周强")
    )
    visit_service.register(make_input(summary="路灯坏了", topic="城乡建设与住房", id_number="", name="吴敏"))
    assert _found(visit_service, text="涉法涉诉") == {as_topic.visit_id, as_route.visit_id}


def test_filters_narrow_the_list(visit_service, wage_and_land, query_plan):  # noqa: ANN001
    legal, everyday, land = wage_and_land
    assert _found(visit_service) == {legal, everyday, land}
    assert _found(visit_service, matter_type="申诉求决") == {legal, everyday}
    assert _found(visit_service, matter_type="检举控告") == {land}
    assert _found(visit_service, topic="劳动就业") == {legal, everyday}
    assert _found(visit_service, topic="教育") == set()
    assert _found(visit_service, route="仲裁") == {everyday}
    assert _found(visit_service, topic="劳动就业", route="行政程序") == set()
    assert _found(visit_service, topic="劳动就业", text="三个月") == {legal}
    assert _found(visit_service, topic="征地拆迁", text="欠薪") == set()


def test_status_filter(visit_service, wage_and_land, database, query_plan):  # noqa: ANN001
    legal, everyday, land = wage_and_land
    # No service changes a status yet; later workflow steps will write it like this.
    with database.unit_of_work() as uow:
        matter_id = uow.session.scalar(select(Visit.matter_id).where(Visit.id == land))
        uow.session.execute(update(Matter).where(Matter.id == matter_id).values(status="已办结"))
        uow.commit()
    assert _found(visit_service, status="已办结") == {land}
    assert _found(visit_service, status="已登记") == {legal, everyday}
    assert _found(visit_service, text="已办结") == {land}


def test_filters_page_through_the_whole_result(visit_service, make_input, query_plan):  # noqa: ANN001
    wanted = set()
    for hour in range(8, 20):
        saved = visit_service.register(
            make_input(
                id_number="",
                name=f"来访人{hour}",
                visited_at=dt.datetime(2026, 11, 19, hour),
                topic="教育" if hour % 2 else "医疗卫生",
            )
        )
        if hour % 2:
            wanted.add(saved.visit_id)
    seen, cursor = [], None
    while True:
        rows, cursor = visit_service.list_page(VisitQuery(topic="教育"), cursor, limit=4)
        seen += [row.visit_id for row in rows]
        if cursor is None:
            break
    assert sorted(seen, reverse=True) == seen
    assert set(seen) == wanted


def test_substring_fallback_finds_the_same_visits(visit_service, wage_and_land, database):  # noqa: ANN001
    """The path taken on databases without FTS5, run here on SQLite so it is exercised at all."""
    legal, everyday, land = wage_and_land

    def found(text: str) -> set[int]:
        condition = substring_condition(search_terms(text))
        assert condition is not None
        with database.unit_of_work() as uow:
            return set(uow.session.scalars(select(Visit.id).where(condition)))

    assert found("欠薪") == {legal, everyday}
    assert found("欠薪 老板") == {everyday}
    assert found("镇政府") == {land}
    # A % typed into a term is a character to find, not a wildcard matching every row.
    with database.unit_of_work() as uow:
        assert list(uow.session.scalars(select(Visit.id).where(substring_condition([("%",)])))) == []
    assert substring_condition(search_terms("，。")) is None


def test_match_expression_ors_equivalents_and_ands_terms():
    assert match_expression([("欠薪", "拖欠工资")]) == '("欠薪" OR "拖欠 欠工 工资")'
    assert match_expression([("房",), ("abc",)]) == '"房"* AND "abc"*'
    assert match_expression([("，",)]) is None


def test_search_terms_expand_both_ways():
    (wage,) = search_terms("欠薪")
    assert wage[0] == "欠薪" and "拖欠工资" in wage
    (back,) = search_terms("拖欠工资")
    assert back[0] == "拖欠工资" and {"欠薪", "讨薪", "不发工资"} <= set(back)
    assert search_terms("三个月") == [("三个月",)]
