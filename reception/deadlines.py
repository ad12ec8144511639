"""Statutory deadlines as data, computed with China's legal holidays and make-up working days (调休).

The periods come from resources/deadlines.toml. Days, months and years follow 民法典第二百零一条至第二百零三条
and 民事诉讼法第八十五条: the starting day is not counted; a month or year ends on the corresponding day (or
the last day of a shorter month); a last day on a statutory holiday or rest day moves to the next working day.
Holidays come from chinesecalendar; for a year it does not know, an admin-entered schedule is used, and
without one the date is computed on weekends alone and marked as an estimate.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field

from resources import read_text

UNITS = ("日", "工作日", "月", "年")
START_EVENTS = ("received", "accepted", "answer", "known", "document")


@dataclass(frozen=True)
class Period:
    id: str
    name: str
    description: str
    law: str
    article: int
    length: int
    unit: str
    starts: str
    party: str  # petitioner: what the person may do by then; office: what the office must do by then
    extension: int = 0
    start_event: str = "received"  # received | accepted | answer | known | document (see deadlines.toml)

    @property
    def length_text(self) -> str:
        unit = {"日": "日", "工作日": "个工作日", "月": "个月", "年": "年"}[self.unit]
        return f"{self.length}{unit}"


@dataclass(frozen=True)
class HolidaySchedule:
    """One year's official schedule entered by an admin: days off and make-up working days."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Deadline:
    period: Period
    start: dt.date
    due: dt.date
    estimated: bool  # True when a year in the computation had no known holiday schedule
    moved_from: dt.date | None = None  # the nominal last day when it fell on a rest day

    @property
    def due_text(self) -> str:
        text = f"{self.due.year}年{self.due.month}月{self.due.day}日"
        return text + ("（估算）" if self.estimated else "")


def load_periods() -> dict[str, Period]:
    data = tomllib.loads(read_text("deadlines.toml"))
    periods = {}
    for raw in data["periods"]:
        if raw["unit"] not in UNITS:
            raise ValueError(f"unknown unit {raw['unit']} in period {raw['id']}")
        if raw.get("start_event", "received") not in START_EVENTS:
            raise ValueError(f"unknown start_event {raw['start_event']} in period {raw['id']}")
        periods[raw["id"]] = Period(
            id=raw["id"],
            name=raw["name"],
            description=raw.get("description", ""),
            law=raw["law"],
            article=int(raw["article"]),
            length=int(raw["length"]),
            unit=raw["unit"],
            starts=raw["starts"],
            party=raw.get("party", "petitioner"),
            extension=int(raw.get("extension", 0)),
            start_event=raw.get("start_event", "received"),
        )
    return periods


class WorkCalendar:
    """Answers "is this a working day?" and remembers whether any answer was a guess."""

    def __init__(self, schedules: dict[int, HolidaySchedule] | None = None):
        self._schedules = dict(schedules or {})

    def add_schedule(self, schedule: HolidaySchedule) -> None:
        self._schedules[schedule.year] = schedule

    def knows(self, year: int) -> bool:
        if year in self._schedules:
            return True
        return _chinese_calendar_knows(year)

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(working day?, estimated?)."""
        schedule = self._schedules.get(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True, False
            if day in schedule.holidays:
                return False, False
            return day.weekday() < 5, False
        if _chinese_calendar_knows(day.year):
            import chinese_calendar

            return chinese_calendar.is_workday(day), False
        return day.weekday() < 5, True


def _chinese_calendar_knows(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def compute_due(period: Period, start: dt.date, work_calendar: WorkCalendar, *, extended: bool = False) -> Deadline:
    """The last day of period started by an event on `start` (the starting day itself is not counted)."""
    length = period.length + (period.extension if extended else 0)
    estimated = False
    if period.unit == "工作日":
        day, counted = start, 0
        while counted < length:
            day += dt.timedelta(days=1)
            working, guessed = work_calendar.is_workday(day)
            estimated |= guessed
            counted += working
        return Deadline(period, start, day, estimated)
    if period.unit == "日":
        nominal = start + dt.timedelta(days=length)
    elif period.unit == "月":
        nominal = add_months(start, length)
    else:
        nominal = add_months(start, 12 * length)
    due = nominal
    while True:
        working, guessed = work_calendar.is_workday(due)
        estimated |= guessed
        if working:
            break
        due += dt.timedelta(days=1)
    return Deadline(period, start, due, estimated, nominal if due != nominal else None)


class DeadlineService:
    """Computes deadlines with the holiday schedules an admin entered (kept in the settings table)."""

    def __init__(self, load_schedules: Callable[[], dict[int, HolidaySchedule]] | None = None):
        self.periods = load_periods()
        self._load_schedules = load_schedules or dict

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self._load_schedules())

    def due(self, period_id: str, start: dt.date, *, extended: bool = False) -> Deadline:
        return compute_due(self.periods[period_id], start, self.calendar(), extended=extended)
