"""Statutory deadlines over China's public holidays, make-up working days (调休) and year ends."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.deadlines import HolidaySchedule, WorkCalendar, compute_due, load_periods

D = dt.date
PERIODS = load_periods()


def due(period_id: str, start: dt.date, calendar: WorkCalendar | None = None, **options):  # noqa: ANN003, ANN201
    return compute_due(PERIODS[period_id], start, calendar or WorkCalendar(), **options)


def test_sixty_days_ending_in_national_day_move_to_the_first_working_day_after():
    # 2026-08-04 + 60 days = Saturday 2026-10-03, inside the National Day break (10-01 … 10-07).
    deadline = due("admin_reconsideration", D(2026, 8, 4))
    assert deadline.moved_from == D(2026, 10, 3)
    assert deadline.due == D(2026, 10, 8)
    assert not deadline.estimated


def test_a_day_period_ending_on_an_ordinary_weekend_moves_to_monday():
    deadline = due("petition_acceptance", D(2026, 6, 5))  # + 15 = Saturday 2026-06-20
    assert deadline.due == D(2026, 6, 22)


def test_fifteen_days_ending_in_spring_festival_2025():
    deadline = due("petition_acceptance", D(2025, 1, 14))  # + 15 = 2025-01-29, 春节
    assert deadline.due == D(2025, 2, 5)


def test_working_days_count_spring_festival_make_up_saturdays():
    # 2026 春节: 02-15 … 02-23 off; Saturdays 02-14 and 02-28 are working days.
    deadline = due("gov_info_reply", D(2026, 2, 6))
    working = [D(2026, 2, d) for d in (9, 10, 11, 12, 13, 14, 24, 25, 26, 27, 28)]
    working += [D(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12)]
    assert len(working) == 20
    assert deadline.due == working[-1] == D(2026, 3, 12)
    # Without the make-up Saturdays it would be two working days later.
    plain = WorkCalendar({2026: HolidaySchedule(2026, frozenset(D(2026, 2, d) for d in range(15, 24)))})
    assert due("gov_info_reply", D(2026, 2, 6), plain).due == D(2026, 3, 16)


def test_extension_adds_the_statutory_extra_time():
    normal = due("petition_handling", D(2026, 3, 2))
    extended = due("petition_handling", D(2026, 3, 2), extended=True)
    assert normal.due == D(2026, 5, 6)  # + 60 = Friday 2026-05-01, Labour Day break to 05-05
    assert extended.due == D(2026, 5, 31) + dt.timedelta(days=1)  # + 90 = Sunday 05-31 → Monday 06-01


def test_month_periods_end_on_the_last_day_of_a_shorter_month():
    deadline = due("admin_litigation", D(2026, 8, 31))
    # 6 months after 08-31 is 2027-02-28 (a Sunday): moved to Monday, and 2027 is not yet known.
    assert deadline.moved_from == D(2027, 2, 28)
    assert deadline.due == D(2027, 3, 1)
    assert deadline.estimated


def test_year_end_crossing_into_an_unknown_year_is_an_estimate_and_says_so():
    deadline = due("admin_reconsideration", D(2026, 11, 22))
    assert deadline.due == D(2027, 1, 21)
    assert deadline.estimated
    assert deadline.due_text == "2027年1月21日（估算）"


def test_year_periods_and_the_new_year_holiday():
    # One year from 2025-01-01 is 2026-01-01, New Year's Day (off to 01-03); 01-04 is a make-up Sunday.
    deadline = due("labor_arbitration", D(2025, 1, 1))
    assert deadline.due == D(2026, 1, 4)
    assert not deadline.estimated


def test_an_admin_entered_schedule_replaces_the_estimate():
    schedule = HolidaySchedule(
        2027,
        holidays=frozenset({D(2027, 1, 1), D(2027, 1, 21), D(2027, 1, 22)}),
        workdays=frozenset({D(2027, 1, 24)}),
    )
    deadline = due("admin_reconsideration", D(2026, 11, 22), WorkCalendar({2027: schedule}))
    assert not deadline.estimated
    # 01-21 and 01-22 off, 01-23 Saturday, 01-24 a make-up working Sunday.
    assert deadline.due == D(2027, 1, 24)


@pytest.mark.parametrize("period_id", sorted(PERIODS))
def test_every_period_names_an_article_that_states_its_length(period_id, services):  # noqa: ANN001
    from reception.lawlib.numerals import to_chinese_number

    period = PERIODS[period_id]
    article = services.laws.article(period.law, period.article)
    assert article is not None, f"{period.law} 第{period.article}条 is not in the library"
    spoken = {"日": "日", "工作日": "个工作日", "月": "个月", "年": "年"}[period.unit]
    numerals = {str(period.length), to_chinese_number(period.length)}
    if period.length == 2:
        numerals.add("两")
    assert any(f"{n}{spoken}" in article.text for n in numerals), article.text
