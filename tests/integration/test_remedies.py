"""Remedies on paper follow the law: each route's steps, their dates and the articles they rest on.

One test (or more) per error of the 2026-12-03 review (issue 12) and per period added then. Notices are
built from registered visits in a real SQLite file, as an officer would print them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reception.deadlines import WorkCalendar, compute_due, load_periods
from reception.guides import GuideLibrary
from reception.remedies import Citation, RemedyBook
from reception.vocab import TOPICS

BOOK = RemedyBook()
PERIODS = load_periods()
# A sentence that states a time limit: a number of days, months, years or hours.
PERIOD_RE = re.compile(r"\d+\s*(?:个工作日|日|天|个月|年|小时)")
CITATION_RE = re.compile(
    r"《([^》]+)》((?:第[零一二三四五六七八九十百千]+条[^；）《]*)(?:、第[零一二三四五六七八九十百千]+条[^；）《]*)*)"
)


def _article_numbers(labels: str) -> list[int]:
    from reception.lawlib.numerals import parse_chinese_number

    return [parse_chinese_number(n) for n in re.findall(r"第([零一二三四五六七八九十百千]+)条", labels)]


@pytest.fixture
def notice(services, make_input):  # noqa: ANN001, ANN201
    """Register a matter with topic/route and return the notice's text as printed (sentences + citations)."""

    def build(topic: str, route: str, case: str | None = None, decision: dt.date | None = None, **kw):  # noqa: ANN003, ANN202
        saved = services.visits.register(
            make_input(matter_type="申诉求决", topic=topic, route=route, visited_at=dt.datetime(2026, 11, 20, 9, 30))
        )
        content = services.handouts().notice_content(
            saved.visit_id, issued_on=dt.date(2026, 11, 20), decision_date=decision, remedy_case=case, **kw
        )
        lines = [f"{a}（{c}）" if c else a for a, c in zip(content.actions, content.action_citations, strict=True)]
        return content, content.route_plain + "（" + content.route_plain_cited + "）\n" + "\n".join(lines)

    return build


# ---- the data itself ----------------------------------------------------------------------------------


def test_every_article_a_remedy_rests_on_is_in_force(services):  # noqa: ANN001
    for where, citation in BOOK.all_citations():
        article = services.laws.article(citation.law, citation.number)
        assert article is not None, f"{where}: {citation.law} 第{citation.number}条 missing or not in force"
        assert article.status == "现行有效", where


def test_every_step_is_used_and_every_period_is_reachable():
    used = {s for c in BOOK.cases.values() for s in c.steps}
    guides = GuideLibrary(BOOK)
    assert used, "cases name steps"
    petitioner_periods = {p.id for p in PERIODS.values() if p.party == "petitioner"}
    assert petitioner_periods <= {s.period for s in BOOK.steps.values()}
    assert guides.topics() == list(TOPICS)


def test_a_bad_citation_in_the_book_is_refused():
    with pytest.raises(ValueError):
        Citation.parse("劳动争议调解仲裁法第五条")
    bad = '[[steps]]\nid = "x"\nperiod = "no_such_period"\naction = "a"\n'
    with pytest.raises(ValueError):
        RemedyBook(PERIODS, bad)


@pytest.mark.parametrize("topic", TOPICS)
def test_guide_sentences_about_time_limits_carry_their_article(topic, services):  # noqa: ANN001
    guide = GuideLibrary(BOOK).get(topic)
    # The short key points (a line of a few words, printed under the summary) are exempt: each repeats a
    # time limit that the sections below state with its article.
    lines = [("summary", guide.summary)] + [("myths", m.truth) for m in guide.myths]
    lines += [
        (key, line) for key in ("rights", "duties", "where", "time_limits", "materials") for line in guide.section(key)
    ]
    for key, line in lines:
        if True:
            if not PERIOD_RE.search(line):
                continue
            cited = CITATION_RE.findall(line)
            assert cited, f"{topic}/{key}: a time limit without its article: {line}"
            for law, labels in cited:
                for number in _article_numbers(labels):
                    article = services.laws.article(law, number)
                    assert article is not None and article.status == "现行有效", f"{topic}: {law} {number}"


# ---- errors of the review, most harmful first -----------------------------------------------------------


def test_1_a_crime_victim_is_told_to_ask_for_a_protest_within_5_days_not_to_appeal(notice):  # noqa: ANN001
    content, text = notice("涉法涉诉", "涉法涉诉", case="criminal_victim", decision=dt.date(2026, 11, 16))
    assert content.remedy_case == "刑事案件（被害人，不服判决）"
    assert "被害人不能对刑事判决提出上诉" in text
    # Received the judgment on 11-16: five days → 11-21, a Saturday → Monday 11-23.
    assert "可于2026年11月23日前请求人民检察院提出抗诉" in text
    assert "《刑事诉讼法》第二百二十九条" in text
    assert "被告人、自诉人和他们的法定代理人" not in text
    guide = GuideLibrary(BOOK).get("涉法涉诉")
    rights = "".join(guide.section("rights"))
    assert "刑事案件只有被告人、自诉人和他们的法定代理人可以上诉" in rights
    assert all("你有权上诉" not in line for line in guide.section("rights"))


def test_1b_a_defendant_gets_the_ten_day_appeal(notice):  # noqa: ANN001
    _content, text = notice("涉法涉诉", "涉法涉诉", case="criminal_defendant", decision=dt.date(2026, 11, 16))
    assert "可于2026年11月26日前向上一级人民法院上诉" in text  # 11-16 + 10
    assert "《刑事诉讼法》第二百三十条、第二百二十七条" in text


def test_2_non_prosecution_goes_to_the_procuratorate_above_within_7_days(notice):  # noqa: ANN001
    _content, text = notice("涉法涉诉", "涉法涉诉", case="criminal_victim_no_case")
    assert "可以自收到不起诉决定书之日起7日内向上一级人民检察院申诉" in text
    assert "直接向人民法院起诉" in text and "《刑事诉讼法》第一百八十条" in text
    for topic in TOPICS:
        for line in GuideLibrary(BOOK).get(topic).section("where"):
            assert not ("不起诉" in line and "向公安机关申请复议" in line), line


def test_3_labour_mediation_leads_to_arbitration_within_a_year_not_to_court_in_three(notice):  # noqa: ANN001
    content, text = notice("劳动就业", "调解")
    assert "家庭、邻里" not in text
    assert "调解不成的，要申请劳动仲裁" in content.route_plain
    assert "可于2027年11月22日（估算）前向劳动人事争议仲裁委员会申请仲裁" in text  # 2027-11-20: a Saturday
    assert "3年" not in text and "诉讼时效" not in text
    assert "《劳动争议调解仲裁法》第二十七条、第五条" in text


def test_4_retrial_six_months_and_procuratorate_only_after_retrial(notice):  # noqa: ANN001
    _content, text = notice("婚姻家庭与民间纠纷", "涉法涉诉", case="civil_case", decision=dt.date(2026, 11, 10))
    assert "可于2026年11月25日前向上一级人民法院提起上诉" in text  # served 11-10 + 15
    # The day a judgment takes effect is not the day it was served: printed as the rule, never a guessed date.
    assert "可以自判决、裁定发生法律效力之日起6个月内向上一级人民法院申请再审" in text
    assert "只有法院驳回再审申请、逾期未对再审申请作出裁定，或者再审判决、裁定有明显错误的" in text
    assert "只能申请一次" in text and "《民事诉讼法》第二百二十条" in text


def test_5_subsistence_refusal_review_first_then_15_days_to_court(notice):  # noqa: ANN001
    content, text = notice("社会救助", "行政程序", decision=dt.date(2026, 10, 20))
    assert content.remedy_case == "须先申请行政复议（复议前置）"
    assert "直接起诉的，法院不会受理" in text
    assert "可于2026年12月21日前申请行政复议" in text  # 10-20 + 60 = 12-19, a Saturday
    assert "可以自收到复议决定书之日起15日内向人民法院提起行政诉讼" in text
    assert "《行政诉讼法》第四十五条" in text
    assert "6个月" not in text and "直接起诉的，可于" not in text


def test_5b_a_duty_not_performed_goes_to_review_first(notice):  # noqa: ANN001
    _content, text = notice("城乡建设与住房", "依法履职")
    assert "应当先申请行政复议，对复议决定不服的，才能向人民法院起诉" in text
    assert "《行政复议法》第二十三条第一款第三项" in text


def test_5c_guides_no_longer_offer_a_direct_lawsuit_where_review_comes_first():
    guides = GuideLibrary(BOOK)
    assert "必须先申请行政复议" in guides.get("政务公开与行政行为").summary
    social = "".join(guides.get("社会保障").section("rights"))
    assert "该发的待遇不发的，要先申请行政复议" in social
    aid = "".join(guides.get("社会救助").section("rights"))
    assert "要先申请行政复议" in aid


def test_6_land_contract_disputes_two_years_and_a_direct_lawsuit(notice):  # noqa: ANN001
    content, text = notice("农村农业", "仲裁")
    assert content.remedy_case == "农村土地承包经营纠纷"
    assert "可于2028年11月20日（估算）前向农村土地承包仲裁委员会申请仲裁" in text
    assert "也可以不经仲裁，直接向人民法院起诉" in text
    assert "劳动" not in text


def test_7_awards_can_be_challenged_and_arbitration_is_free(notice):  # noqa: ANN001
    _content, labour = notice("劳动就业", "仲裁")
    assert "可以自收到仲裁裁决书之日起15日内向人民法院起诉" in labour and "劳动争议仲裁不收费" in labour
    _content, land = notice("农村农业", "仲裁", decision=dt.date(2026, 11, 10))
    # The date entered is when the person learnt of the harm, not an award: the award limit stays a rule.
    assert "可以自收到裁决书之日起30日内向人民法院起诉" in land
    assert "农村土地承包经营纠纷仲裁不收费" in land


def test_8_village_distribution_of_compensation(notice):  # noqa: ANN001
    content, text = notice("征地拆迁", "仲裁", case="collective_org_case")
    assert "《农村集体经济组织法》第五十六条" in content.route_plain_cited
    assert "可于2027年11月22日（估算）前请求人民法院撤销该决定" in text
    assert "自决定作出之日起超过5年的，不能再请求撤销" in text
    where = "".join(GuideLibrary(BOOK).get("征地拆迁").section("where"))
    assert "《农村集体经济组织法》第五十六条" in where


def test_9_judicial_confirmation_within_30_days(notice):  # noqa: ANN001
    _content, text = notice("婚姻家庭与民间纠纷", "调解")
    assert "可以自调解协议生效之日起30日内由双方共同向人民法院申请司法确认" in text
    assert "《人民调解法》第三十三条" in text


def test_10_petition_review_goes_up_a_level_and_ends_after_recheck(notice):  # noqa: ANN001
    _content, text = notice("信访程序", "信访程序")
    assert "请求原办理机关、单位的上一级机关、单位复查" in text
    assert "向复查机关、单位的上一级机关、单位请求复核" in text
    assert "以同一事实和理由提出投诉请求的，各级机关、单位不再受理" in text
    assert "《信访工作条例》第二十三条" in text
    from reception.matching.guide import load_guide

    petition = load_guide().topic("信访程序")
    assert ("信访工作条例", 23) in {(k.law, k.number) for k in petition.key_articles}
    assert ("信访工作条例", 24) not in {(k.law, k.number) for k in petition.key_articles}


def test_11_work_injury_claim_after_one_year_is_said():
    guide = GuideLibrary(BOOK).get("社会保障")
    myths = " ".join(m.truth for m in guide.myths)
    assert "超过1年，一般就不能再申请工伤认定了" in myths and "第十七条第二款" in myths
    assert any("超过1年才申请的，可能不再受理" in line for line in guide.section("time_limits"))


def test_12_punitive_damages_and_optional_mediation():
    guides = GuideLibrary(BOOK)
    assert "明知有问题还卖的经营者" in guides.get("食品药品安全").summary
    family = guides.get("婚姻家庭与民间纠纷")
    assert "也可以不经调解直接到法院起诉" in family.summary
    assert any("《老年人权益保障法》第七十五条" in line for line in family.section("time_limits"))


# ---- what was missing on paper ----------------------------------------------------------------------------


def test_missing_warnings_are_now_on_the_notices(notice):  # noqa: ANN001
    _c, admin = notice("政务公开与行政行为", "行政程序")
    assert "信访不会使行政复议、行政诉讼的期限停止计算" in admin
    assert "最长不超过1年" in admin and "《行政复议法》第二十条第三款" in admin
    _c, aid = notice("法律援助", "法律援助")
    assert "申请法律援助不会使仲裁、起诉、复议等期限停止计算" in aid
    _c, labour = notice("劳动就业", "仲裁")
    assert "向劳动保障监察等有关部门投诉请求救济" in labour and "仲裁时效中断" in labour
    assert "劳动保障行政部门不再查处" in labour and "《劳动保障监察条例》第二十条" in labour
    _c, victim = notice("涉法涉诉", "涉法涉诉", case="criminal_victim_no_case")
    assert "作为自诉人直接向人民法院起诉" in victim and "《刑事诉讼法》第二百一十条第三项" in victim


def test_a_case_that_does_not_fit_the_route_is_refused(notice):  # noqa: ANN001
    from reception.errors import ValidationError

    with pytest.raises(ValidationError):
        notice("劳动就业", "仲裁", case="criminal_victim")


# ---- the new periods, computed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_id", "start", "due"),
    [
        ("work_injury_claim", dt.date(2026, 3, 2), dt.date(2027, 3, 2)),
        ("land_arbitration", dt.date(2026, 3, 2), dt.date(2028, 3, 2)),
        ("labor_award_suit", dt.date(2026, 11, 2), dt.date(2026, 11, 17)),
        ("land_award_suit", dt.date(2026, 11, 2), dt.date(2026, 12, 2)),
        ("civil_appeal", dt.date(2026, 11, 2), dt.date(2026, 11, 17)),
        ("admin_appeal", dt.date(2026, 11, 2), dt.date(2026, 11, 17)),
        ("criminal_appeal", dt.date(2026, 11, 2), dt.date(2026, 11, 12)),
        ("victim_protest_request", dt.date(2026, 11, 2), dt.date(2026, 11, 9)),  # 11-07 is a Saturday
        ("non_prosecution_complaint", dt.date(2026, 11, 2), dt.date(2026, 11, 9)),
        ("civil_retrial", dt.date(2026, 8, 31), dt.date(2027, 3, 1)),  # 02-28 is a Sunday
        ("enforcement", dt.date(2026, 11, 2), dt.date(2028, 11, 2)),
        ("judicial_confirmation", dt.date(2026, 11, 2), dt.date(2026, 12, 2)),
        ("admin_suit_after_review", dt.date(2026, 11, 2), dt.date(2026, 11, 17)),
        ("collective_decision_revoke", dt.date(2026, 11, 2), dt.date(2027, 11, 2)),
    ],
)
def test_new_periods(period_id, start, due):  # noqa: ANN001
    assert compute_due(PERIODS[period_id], start, WorkCalendar()).due == due


def test_the_legal_review_document_is_up_to_date(services):  # noqa: ANN001
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "build_legal_review.py"
    spec = importlib.util.spec_from_file_location("build_legal_review", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.render(services.laws), "run docs/build_legal_review.py"
