"""Several settings saved as one: the office, the kiosk, a new exit PIN and holiday schedules are all checked
by SettingsService's own rules before any of them is written, so one bad field leaves everything as it was.

Also the day-list syntax of `reception holidays set` (2027-01-01,2027-10-01..2027-10-07), for the settings
screen to read and write the same text an administrator would type on the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reception.deadlines import HolidaySchedule
from reception.errors import ValidationError
from reception.settings import KioskSettings, OfficeSettings, SettingsService


def parse_days(spec: str) -> set[dt.date]:
    """'2027-01-01,2027-02-10..2027-02-16' (commas, Chinese commas or new lines between parts) as dates;
    ValueError names the part that is wrong."""
    days: set[dt.date] = set()
    for part in filter(None, (p.strip() for p in spec.replace("，", ",").replace("\n", ",").split(","))):
        try:
            if ".." in part:
                first, last = (dt.date.fromisoformat(x.strip()) for x in part.split(".."))
                if last < first:
                    raise ValueError(part)
                days |= {first + dt.timedelta(n) for n in range((last - first).days + 1)}
            else:
                days.add(dt.date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"日期格式应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD：{part}") from None
    return days


def format_days(days: set[dt.date] | frozenset[dt.date]) -> str:
    """Days as parse_days reads them, runs of consecutive days as one range."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}" for run in runs
    )


@dataclass
class SettingsChange:
    """What a settings screen asks to save; None (or empty) leaves that part as it is."""

    office: OfficeSettings | None = None
    kiosk: KioskSettings | None = None
    pin: str = ""  # a new kiosk exit PIN
    holidays: list[HolidaySchedule] = field(default_factory=list)


class _Rehearsal(SettingsService):
    """The real service's checks with writes kept in `staged` instead of the database; reads see them, so a
    new PIN is checked on top of the kiosk settings saved beside it."""

    def __init__(self, real: SettingsService):
        super().__init__(real._db, None, real.access)  # noqa: SLF001 - same database, same account
        self.staged: dict[str, str] = {}

    def _get(self, key: str) -> str | None:
        return self.staged[key] if key in self.staged else super()._get(key)

    def _put(self, key: str, value: str) -> None:
        self.access.require("settings")
        self.staged[key] = value


def holiday_key(year: int) -> str:
    """The error key of a year's schedule in the ValidationError of save_together."""
    return f"holidays.{year}"


def save_together(settings: SettingsService, change: SettingsChange, *, dry_run: bool = False) -> list[str]:
    """Check every part, then write the parts that changed; returns the keys written (with dry_run, the keys
    that would be, and nothing is written).

    Raises ValidationError with every problem ({field: message}; a year's schedule under holiday_key(year))
    and writes nothing when any part is refused; PermissionDeniedError without the settings right."""
    rehearsal = _Rehearsal(settings)
    errors: dict[str, str] = {}
    steps = []
    if change.office is not None:
        steps.append(lambda: rehearsal.save_office(change.office))
    if change.kiosk is not None:
        steps.append(lambda: rehearsal.save_kiosk(change.kiosk))
    if change.pin:
        steps.append(lambda: rehearsal.set_kiosk_pin(change.pin))
    for step in steps:
        try:
            step()
        except ValidationError as exc:
            errors.update(exc.errors)
    for schedule in change.holidays:
        try:
            rehearsal.save_holiday_schedule(schedule)
        except ValidationError as exc:
            errors[holiday_key(schedule.year)] = f"{schedule.year}年：" + "；".join(exc.errors.values())
    if errors:
        raise ValidationError(errors)
    # An unchanged part is not rewritten (nor audited).
    changed = {key: value for key, value in rehearsal.staged.items() if settings._get(key) != value}  # noqa: SLF001
    if not dry_run:
        for key, value in changed.items():
            settings._put(key, value)  # noqa: SLF001 - the value the service's own save_* produced
    return list(changed)
