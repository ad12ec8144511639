"""The kiosk's content: the case library, the guided questions, 信访须知, search, usage counts, the PIN."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from reception.vocab import TOPICS

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def content(db_url):  # noqa: ANN001, ANN201
    from reception.content import ContentService

    service = ContentService.open(db_url)
    yield service
    service.close()


def _answers(topic: str, party: str = "", paper: str = "none", want: str = "money", date: dt.date | None = None):  # noqa: ANN202
    from reception.guided import Answers

    return Answers(topic, party, paper, want, date)


# ---- 以案释法 ---------------------------------------------------------------------------------------


def test_case_library_has_at_least_three_cases_per_topic_and_sixty_in_all(content):  # noqa: ANN001
    cases = content.cases.all()
    per_topic = Counter(c.topic for c in cases)
    assert len(cases) >= 60
    assert {t: per_topic[t] for t in TOPICS if per_topic[t] < 3} == {}
    assert len({c.id for c in cases}) == len(cases)


def test_every_case_cites_articles_in_force(content):  # noqa: ANN001
    missing = [
        (case.id, c.law, c.number)
        for case in content.cases.all()
        for c in case.articles
        if content.article(c.law, c.number) is None
    ]
    assert missing == []


def test_cases_hold_no_personal_data_and_use_aliases(content):  # noqa: ANN001
    id_number = re.compile(r"\d{17}[\dXx]")
    phone = re.compile(r"1[3-9]\d{9}")
    for case in content.cases.all():
        text = case.searchable()
        assert not id_number.search(text) and not phone.search(text), case.id
        assert "某" in case.facts, f"{case.id}: people and places are named 张某, 某县"


def test_case_pages_and_sheets_say_they_are_written_for_teaching(content):  # noqa: ANN001
    from reception.cases import TEACHING_LABEL
    from reception.pages import PageBuilder

    case = content.cases.all()[0]
    assert TEACHING_LABEL in PageBuilder(content).case(case.id).body
    assert TEACHING_LABEL in content.case_sheet(case).lead
    assert "案例为根据常见情形编写" in TEACHING_LABEL


def test_guides_print_cases_from_the_library(content):  # noqa: ANN001
    guide = content.guide_content("劳动就业")
    titles = {c.title for c in content.cases.for_topic("劳动就业")}
    assert guide.cases and {c["title"] for c in guide.cases} <= titles
    assert all(c["cited"] for c in guide.cases)


# ---- guided questions ------------------------------------------------------------------------------


def test_every_combination_of_answers_leads_to_a_case_offered_for_its_topic(content):  # noqa: ANN001
    questions = content.questions
    keys = {q.key: [o.key for o in q.options] for q in questions.questions}
    for topic, party, paper, want in itertools.product(TOPICS, keys["party"], keys["paper"], keys["want"]):
        case = questions.choose(_answers(topic, party, paper, want))
        assert case.offered_for(topic), (topic, party, paper, want, case.id)


@pytest.mark.parametrize(
    ("answers", "case_id"),
    [
        (("劳动就业", "employer", "none", "money"), "labor_arbitration_case"),
        (("劳动就业", "employer", "award", "change"), "labor_arbitration_case"),
        (("社会救助", "government", "decision", "change"), "admin_review_first"),
        (("征地拆迁", "government", "decision", "change"), "admin_choice"),
        (("涉法涉诉", "court", "no_case", "act"), "criminal_victim_no_case"),
        (("婚姻家庭与民间纠纷", "person", "judgment", "change"), "civil_case"),
        (("婚姻家庭与民间纠纷", "person", "none", "money"), "civil_mediation"),
        (("农村农业", "village", "none", "money"), "land_arbitration_case"),
        (("纪检监察", "official", "none", "report"), "discipline_report"),
        (("城乡建设与住房", "government", "none", "suggest"), "suggestion"),
        (("信访程序", "government", "petition_answer", "change"), "petition_process"),
        (("消费维权", "business", "award", "money"), "legal_aid_case"),
    ],
)
def test_answers_choose_the_lawful_route(content, answers, case_id):  # noqa: ANN001
    assert content.questions.choose(_answers(*answers)).id == case_id


def test_labour_result_dates_the_one_year_arbitration_limit_from_the_day_given(content):  # noqa: ANN001
    from reception.deadlines import compute_due

    known = dt.date(2026, 11, 20)
    result = content.guided_result(_answers("劳动就业", "employer", date=known), TODAY)
    due = compute_due(content.deadlines.periods["labor_arbitration"], known, content.deadlines.calendar())
    dated = [s for s in result.steps if s.deadline is not None]
    assert dated and dated[0].deadline.due == due.due
    assert f"{due.due.year}年{due.due.month}月{due.due.day}日" in dated[0].text
    assert all(s.citations for s in result.steps), "every step shows the article it rests on"
    assert result.path == "r/labor_arbitration_case/laodongjiuye"


def test_review_first_result_says_review_comes_first_and_dates_it(content):  # noqa: ANN001
    received = dt.date(2026, 11, 2)
    result = content.guided_result(_answers("社会救助", "government", "decision", "change", received), TODAY)
    assert result.case.id == "admin_review_first"
    text = "".join(s.text for s in result.steps)
    assert "先申请行政复议" in text or "复议前置" in text or "应当先" in text
    review = next(s for s in result.steps if s.deadline is not None)
    assert review.deadline.start == received


def test_without_a_date_every_period_is_a_rule_not_a_guess(content):  # noqa: ANN001
    result = content.guided_result(_answers("劳动就业", "employer"), TODAY)
    assert not result.dated
    assert all(s.deadline is None for s in result.steps)
    assert any("1年" in s.text for s in result.steps)


def test_a_date_after_today_is_refused(content):  # noqa: ANN001
    from reception.guided import GuidedError

    with pytest.raises(GuidedError, match="不能晚于今天"):
        content.guided_result(_answers("劳动就业", "employer", date=TODAY + dt.timedelta(days=1)), TODAY)


def test_legal_aid_precheck_says_when_no_means_test_is_needed(content):  # noqa: ANN001
    labour = content.guided_result(_answers("劳动就业", "employer"), TODAY).legal_aid
    assert any("免予核查经济困难状况" in line.text and "第四十二条" in line.cited for line in labour.lines)
    family = content.guided_result(_answers("婚姻家庭与民间纠纷", "person"), TODAY).legal_aid
    assert any("不受经济困难条件的限制" in line.text and "第三十二条" in line.cited for line in family.lines)
    assert "省、自治区、直辖市" in labour.threshold


def test_the_office_sets_its_local_means_standard(content, services):  # noqa: ANN001
    from dataclasses import replace

    from reception.accounts import PermissionDeniedError

    # The kiosk reads the office's settings and cannot change them; the desk's administrator can.
    with pytest.raises(PermissionDeniedError):
        content.settings.save_kiosk(replace(content.settings.kiosk(), legal_aid_threshold="任意"))
    settings = services.settings
    settings.save_kiosk(replace(settings.kiosk(), legal_aid_threshold="家庭人均月收入低于当地低保标准2倍"))
    result = content.guided_result(_answers("劳动就业", "employer"), TODAY)
    assert result.legal_aid.threshold == "家庭人均月收入低于当地低保标准2倍"


def test_every_article_the_kiosk_cites_is_in_force(content):  # noqa: ANN001
    from reception.guided import LegalAidRules
    from reception.remedies import Citation

    _title, _intro, sections = content.petition_notice
    cited = [c for s in sections for line in s.lines for c in line.citations]
    for message in content.attract_messages(TODAY):
        assert message.text
    rules = LegalAidRules()
    cited += [c for _t, _w, line in rules.entries for c in line.citations] + list(rules.always.citations)
    import tomllib

    from resources import read_text

    for raw in tomllib.loads(read_text("kiosk", "messages.toml"))["messages"]:
        cited += [Citation.parse(b) for b in raw.get("basis", [])]
    missing = sorted({(c.law, c.number) for c in cited if content.article(c.law, c.number) is None})
    assert missing == []


def test_petition_notice_has_the_sections_the_hall_needs(content):  # noqa: ANN001
    title, _intro, sections = content.petition_notice
    assert title == "信访须知"
    keys = [s.key for s in sections]
    assert keys[:5] == ["channels", "level_and_place", "after_registration", "prohibited", "legal_routes"]
    prohibited = next(s for s in sections if s.key == "prohibited")
    assert len(prohibited.lines) >= 6
    assert all(line.citations for s in sections for line in s.lines)


def test_attract_messages_put_the_day_first(content):  # noqa: ANN001
    assert "宪法" in content.attract_messages(dt.date(2026, 12, 4))[0].text
    assert "安全" in content.attract_messages(dt.date(2027, 4, 15))[0].text


# ---- search ---------------------------------------------------------------------------------------


def test_pinyin_initials_offer_the_word(content):  # noqa: ANN001
    assert content.candidates("qx")[0] == "欠薪"
    assert "低保" in content.candidates("dibao")
    results = content.search("qx")
    assert results.searched == "欠薪"
    assert results.topics[0] == "劳动就业"
    assert results.guides[0].topic == "劳动就业"


def test_a_sentence_goes_through_the_desk_matcher(content):  # noqa: ANN001
    results = content.search("老板不给工钱")
    assert results.topics[0] == "劳动就业"
    assert results.cases and results.articles


def test_search_finds_nothing_for_nothing(content):  # noqa: ANN001
    assert content.search("").empty
    assert content.search("zzzzqqq").empty


def test_kiosk_probe_queries_land_on_their_topic(content):  # noqa: ANN001
    """100 queries written by someone who saw no project data: the first topic shown is right for most."""
    lines = (
        (Path(__file__).resolve().parents[1] / "data" / "kiosk_probe.jsonl").read_text(encoding="utf-8").splitlines()
    )
    probes = [json.loads(line) for line in lines if line.strip()]
    hits = sum(1 for p in probes if (content.search(p["q"]).topics or ("",))[0] == p["topic"])
    assert len(probes) == 100
    assert hits / len(probes) >= 0.75


# ---- usage, PIN ----------------------------------------------------------------------------------


def test_usage_counts_are_anonymous_and_counted(content):  # noqa: ANN001
    from db.models import KioskUsage

    content.record("page", "劳动就业", "guide")
    content.record("rating", "劳动就业", "满意")
    content.record("print", "劳动就业", "result")
    counts = content.usage_counts(dt.date.today(), dt.date.today())
    assert counts["page"] == 1 and counts["rating:满意"] == 1 and counts["print"] == 1
    columns = {c.name for c in KioskUsage.__table__.columns}
    assert columns == {"id", "day", "hour", "terminal", "kind", "topic", "item"}
    with pytest.raises(ValueError):
        content.record("name", "", "张三")


def test_exit_pin_is_stored_only_as_a_scrypt_hash(content, services):  # noqa: ANN001
    from reception.errors import ValidationError

    settings = services.settings
    with pytest.raises(ValidationError):
        settings.set_kiosk_pin("12ab")
    settings.set_kiosk_pin("246810")
    stored = settings.kiosk().pin_hash
    assert stored.startswith("scrypt$") and "246810" not in stored
    assert settings.kiosk_pin_matches("246810")
    assert not settings.kiosk_pin_matches("246811")


def test_idle_time_is_checked(content):  # noqa: ANN001
    from dataclasses import replace

    from reception.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        content.settings.save_kiosk(replace(content.settings.kiosk(), idle_seconds=5))
    assert "idle_seconds" in caught.value.errors
