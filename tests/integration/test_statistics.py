"""Statistics checked against a ledger counted by hand, with the edge cases that make counting hard."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import valid_id

pytestmark = pytest.mark.both_backends

WANG = valid_id("19600101", "111")
LI = valid_id("19700202", "222")


@pytest.fixture
def ledger(services, make_input):  # noqa: ANN001, ANN201
    """Hand-counted, for 2026:
    - 王 (ID) came 2025-12-20 (last year), 2026-01-05 and 2026-03-01 about one matter: 2026 visits 2, both repeats.
    - 李 (ID) came 2026-02-10 with a new matter, and 2026-02-11 about another: no repeat (two matters).
    - 张 gave only a phone number, came 2026-04-01 and 2026-04-20 about one matter: 1 repeat.
    - two anonymous visitors 2026-05-05 (no name, no ID): 2 visits, 2 people, no repeat.
    - a group of 8 on 2026-06-01 (赵 with ID): a group visit.
    In 2026: visits 9, people 6, group visits 1, repeat visits 3.
    Acceptance: 李's first matter accepted on day 3 (in time), 李's second accepted on day 20 (late),
    王's matter decided in 2025 (not counted in 2026). 张's matter never decided, due long past: counts as due,
    not in time. Anonymous and group matters undecided and due past too.
    Answers: 李's first matter answered within 60 days; 李's second answered after an extension, inside it.
    """
    visits = services.visits
    follow = services.followup
    register = lambda **kw: visits.register(make_input(**kw))  # noqa: E731
    w1 = register(id_number=WANG, name="王某", visited_at=dt.datetime(2025, 12, 20, 9), topic="劳动就业")
    follow.change(w1.matter_id, "accept", actor="刘", on=dt.date(2025, 12, 22))
    register(id_number=WANG, name="王某", visited_at=dt.datetime(2026, 1, 5, 9), matter_id=w1.matter_id)
    register(id_number=WANG, name="王某", visited_at=dt.datetime(2026, 3, 1, 9), matter_id=w1.matter_id)
    l1 = register(id_number=LI, name="李某", visited_at=dt.datetime(2026, 2, 10, 9), topic="社会保障")
    l2 = register(id_number=LI, name="李某", visited_at=dt.datetime(2026, 2, 11, 9), topic="社会保障")
    follow.change(l1.matter_id, "accept", actor="刘", on=dt.date(2026, 2, 13))
    follow.change(l1.matter_id, "answer", actor="刘", on=dt.date(2026, 3, 20))
    follow.change(l2.matter_id, "accept", actor="刘", on=dt.date(2026, 3, 3))
    follow.change(l2.matter_id, "start", actor="刘", on=dt.date(2026, 3, 3))
    follow.change(l2.matter_id, "extend", actor="王科长", on=dt.date(2026, 4, 20), days=30, reason="复杂")
    follow.change(l2.matter_id, "answer", actor="刘", on=dt.date(2026, 5, 20))
    z1 = register(id_number="", name="张某", phone="13900139000", visited_at=dt.datetime(2026, 4, 1, 9))
    register(
        id_number="", name="张某", phone="13900139000", visited_at=dt.datetime(2026, 4, 20, 9), matter_id=z1.matter_id
    )
    register(id_number="", name="", phone="", visited_at=dt.datetime(2026, 5, 5, 9))
    register(id_number="", name="", phone="", visited_at=dt.datetime(2026, 5, 5, 10))
    register(id_number=valid_id("19800303", "333"), name="赵某", visited_at=dt.datetime(2026, 6, 1, 9), headcount=8)
    return {"l1": l1, "l2": l2}


def test_figures_match_the_hand_count(services, ledger):  # noqa: ANN001
    stats = services.statistics(today=dt.date(2026, 12, 31))
    report = stats.report(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    t = report.total
    assert (t.visits, t.people, t.group_visits, t.repeat_visits, t.repeat_people) == (9, 6, 1, 3, 2)
    assert t.repeat_rate == pytest.approx(3 / 9)
    # Registered in 2026: 李×2, 张, 2 anonymous, 赵 = 6 matters, all decided or past due; 1 decided in time.
    assert (t.acceptance_due, t.accepted_in_time) == (6, 1)
    assert (t.answered, t.answered_in_time) == (2, 2)
    last = report.total_last_year
    assert (last.visits, last.repeat_visits, last.acceptance_due, last.accepted_in_time) == (1, 0, 1, 1)


def test_a_matter_spanning_years_counts_its_visits_where_they_fall(services, ledger):  # noqa: ANN001
    stats = services.statistics(today=dt.date(2026, 12, 31))
    january = stats.report(dt.date(2026, 1, 1), dt.date(2026, 1, 31)).total
    assert (january.visits, january.repeat_visits) == (1, 1), "王's 2026 visit repeats his 2025 one"


def test_grouped_by_topic_and_month(services, ledger):  # noqa: ANN001
    stats = services.statistics(today=dt.date(2026, 12, 31))
    by_topic = dict(stats.report(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "topic").groups)
    assert by_topic["劳动就业"].visits == 2 and by_topic["社会保障"].visits == 2
    assert by_topic["（未分类）"].visits == 5
    by_month = dict(stats.report(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "month").groups)
    assert by_month["2026-05"].visits == 2 and by_month["2026-02"].visits == 2
    assert sum(f.visits for f in by_month.values()) == 9


def test_explanations_handouts_and_kiosk_are_counted(services, ledger, clock_free_explanations):  # noqa: ANN001
    from reception.content import ContentService

    stats = services.statistics(today=dt.date(2026, 12, 31))
    today = dt.date.today()
    content = ContentService(services.database, services.laws, services.settings)
    content.record("page", "劳动就业", "guide")
    content.record("rating", "劳动就业", "满意")
    content.record("rating", "劳动就业", "不满意")
    figures = stats.report(today, today).total
    assert (figures.kiosk_pages, figures.ratings, figures.satisfied) == (1, 2, 1)
    assert figures.satisfaction == 0.5
    assert (figures.explanations, figures.lawyer_participations) == clock_free_explanations


@pytest.fixture
def clock_free_explanations(services, ledger):  # noqa: ANN001, ANN201
    from reception.explanations import ExplanationInput

    lawyer = services.explanations.add_lawyer("周律师", "某律所", "13201200010019999", [1])
    services.explanations.save(ledger["l1"].visit_id, ExplanationInput(officer="刘", lawyer_id=lawyer))
    services.explanations.save(ledger["l2"].visit_id, ExplanationInput(officer="刘"))
    return (2, 1)


def test_stats_command_prints_json_and_exports(tmp_path, db_url, services, ledger, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    assert main(["--db", db_url, "stats", "--from", "2026-01-01", "--to", "2026-12-31", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"]["visits"] == 9 and payload["last_year"]["visits"] == 1
    target = tmp_path / "stats.csv"
    assert (
        main(
            [
                "--db",
                db_url,
                "stats",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--by",
                "topic",
                "--csv",
                str(target),
            ]
        )
        == 0
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "来访批次" in raw.decode("utf-8-sig")
    xlsx = tmp_path / "stats.xlsx"
    assert main(["--db", db_url, "stats", "--from", "2026-01-01", "--to", "2026-12-31", "--xlsx", str(xlsx)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["B2"].value == "来访批次" and sheet["B3"].value == 9
    assert main(["--db", db_url, "stats", "--from", "2026-13-01", "--to", "2026-12-31"]) == 2
