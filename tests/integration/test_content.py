"""The shipped content agrees with the law library: guides, routes, deadlines and the list of missing laws."""

from __future__ import annotations

import tomllib

import pytest

from reception.deadlines import load_periods
from reception.guides import GuideLibrary
from reception.remedies import RemedyBook
from reception.vocab import ROUTES, TOPICS
from resources import read_text

GUIDES = GuideLibrary()


def test_there_is_a_guide_for_every_topic():
    assert GUIDES.topics() == list(TOPICS)


@pytest.mark.parametrize("topic", TOPICS)
def test_guide_is_complete_and_cites_only_articles_in_force(topic, services):  # noqa: ANN001
    guide = GUIDES.get(topic)
    for key in ("rights", "duties", "where", "time_limits", "materials"):
        assert guide.section(key), f"{topic}: {key} is empty"
    assert guide.myths and guide.short
    assert 2 <= len(guide.articles)
    in_force = 0
    for cited in guide.articles:
        article = services.laws.article(cited.law, cited.number, cited.suffix)
        if article is None:
            # Only a law held in a replaced or unverified version may be missing; the printed guide then
            # says its text in force must be imported instead of citing it.
            assert services.laws.not_in_force_notice(cited.law), f"{topic}: {cited.law} 第{cited.number}条"
        else:
            assert article.status == "现行有效"
            in_force += 1
        assert cited.point
    assert in_force >= 1, topic


def test_every_route_has_a_remedy_case_for_every_topic_it_is_offered_for():
    from reception.matching.guide import load_guide

    book = RemedyBook(load_periods())
    for topic in load_guide().topics:
        for route in topic.routes:
            assert book.default_case(route, topic.name), (route, topic.name)
    assert {c.route for c in book.cases.values()} == set(ROUTES)


def test_library_status_lists_the_laws_whose_text_in_force_is_missing(services):  # noqa: ANN001
    missing = {m.short_title for m in services.laws.missing_laws()}
    assert {"治安管理处罚法", "食品安全法"} <= missing
    data = tomllib.loads(read_text("laws", "gaps.toml"))
    assert all(entry["reason"].strip() for entry in data["missing"])
    # An outdated text is history: nothing shipped may present it as the law in force.
    in_force = {v.short_title for v in services.laws.versions() if v.in_force}
    assert not {"治安管理处罚法", "食品安全法", "信访条例"} & in_force


def test_a_guide_citing_a_replaced_law_says_so_on_paper(services):  # noqa: ANN001
    content = services.handouts().guide_content("生态环境")
    assert content.law_notices and all("现行文本须导入" in n for n in content.law_notices)
    assert all(a.short_title != "环境保护法" for a in content.citations)
