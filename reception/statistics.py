"""Figures for a period, counted by the database (SQL aggregates, the same on SQLite and PostgreSQL).

What each figure counts is DEFINITIONS below, the text the yearly report prints in its appendix. Merged
matters (已并入) are left out of matter figures; their visits count under the matter they joined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

from sqlalchemy import and_, case, exists, extract, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from db.models import Explanation, Handout, KioskUsage, Matter, Visit
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog

# How each figure is counted, in the words of the yearly report's appendix.
DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("来访批次", "当年登记的来访次数（一次来访登记一批次，集体访计一批次）。"),
    ("来访人数", "当年来访涉及的不同信访人；未提供身份信息的匿名来访每次计一人。"),
    ("集体访", "来访人数为5人以上的来访批次。"),
    ("重复访", "所属事项此前已有来访登记的来访批次；重复访率＝重复访÷来访批次；重复访人数为有重复访的信访人数。"),
    ("释法次数", "当年形成的释法记录条数；律师参与指有值班律师参与的释法记录。"),
    ("出具文书", "当年出具（打印、保存、重印）的告知书、回执和普法指南份数。"),
    ("触摸屏使用", "大厅触摸屏的浏览、搜索、“我该怎么办”结果、打印和扫码次数，不含任何个人信息。"),
    ("满意率", "触摸屏评价中“满意”和“基本满意”所占比例。"),
    (
        "及时受理率",
        "当年登记的事项中，已作出受理、不予受理、转送或导入法定途径决定，或已过15日告知期限的事项为分母，在期限内作出决定的为分子（《信访工作条例》第二十二条、第二十三条）。",
    ),
    (
        "按期办结率",
        "当年首次出具处理意见的事项中，在受理之日起60日（经批准延长的，含延长期限）内出具的比例（《信访工作条例》第三十四条）。",
    ),
)


GROUP_BY = ("topic", "type", "route", "department", "officer", "month")
GROUP_LABELS = {
    "topic": "主题",
    "type": "类别",
    "route": "途径",
    "department": "转送部门",
    "officer": "接待人员",
    "month": "月份",
}
_MATTER_GROUPS = ("topic", "type", "route", "department")
GROUP_VISIT_SIZE = 5
MERGED = "已并入"


@dataclass
class Figures:
    visits: int = 0
    people: int = 0
    group_visits: int = 0
    repeat_visits: int = 0
    repeat_people: int = 0  # petitioners with a repeat visit in the period
    explanations: int = 0
    lawyer_participations: int = 0
    handouts: int = 0
    kiosk_pages: int = 0
    kiosk_searches: int = 0
    kiosk_results: int = 0
    kiosk_prints: int = 0
    kiosk_qr: int = 0
    ratings: int = 0
    satisfied: int = 0
    acceptance_due: int = 0  # matters whose acceptance was decided or is past due
    accepted_in_time: int = 0
    answered: int = 0
    answered_in_time: int = 0

    @property
    def repeat_rate(self) -> float | None:
        return self.repeat_visits / self.visits if self.visits else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None

    @property
    def timely_acceptance(self) -> float | None:
        return self.accepted_in_time / self.acceptance_due if self.acceptance_due else None

    @property
    def on_time_answers(self) -> float | None:
        return self.answered_in_time / self.answered if self.answered else None

    def as_dict(self) -> dict:
        values = asdict(self)
        values.update(
            repeat_rate=self.repeat_rate,
            satisfaction=self.satisfaction,
            timely_acceptance=self.timely_acceptance,
            on_time_answers=self.on_time_answers,
        )
        return values


LABELS = {
    "visits": "来访批次",
    "people": "来访人数",
    "group_visits": "集体访",
    "repeat_visits": "重复访",
    "repeat_rate": "重复访率",
    "repeat_people": "重复访人数",
    "explanations": "释法次数",
    "lawyer_participations": "律师参与",
    "handouts": "出具文书",
    "kiosk_pages": "触摸屏浏览",
    "kiosk_searches": "触摸屏搜索",
    "kiosk_results": "我该怎么办结果",
    "kiosk_prints": "触摸屏打印",
    "kiosk_qr": "扫码带走",
    "ratings": "评价数",
    "satisfaction": "满意率",
    "timely_acceptance": "及时受理率",
    "on_time_answers": "按期办结率",
}
RATE_KEYS = ("repeat_rate", "satisfaction", "timely_acceptance", "on_time_answers")


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    group_by: str
    total: Figures
    total_last_year: Figures
    groups: tuple[tuple[str, Figures], ...]  # (group value, figures), largest first


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _month_number(column):  # noqa: ANN001, ANN202 - a SQLAlchemy column and expression
    """yyyymm as a number; the 100 is inlined so that PostgreSQL sees the same expression in SELECT and
    GROUP BY (two bound parameters would be two different expressions to it)."""
    return extract("year", column) * literal_column("100") + extract("month", column)


class StatisticsService:
    def __init__(
        self,
        database: Database,
        today: dt.date | None = None,
        access: AccessControl | None = None,
        audit: AuditLog | None = None,
    ):
        self._db = database
        self._today = today
        self.access = access or AccessControl()
        self._audit = audit

    def export(self, report: Report, path, kind: str) -> None:  # noqa: ANN001 - a path
        """Write the figures (counts only: no person's data) as xlsx or csv, and record the export."""
        me = self.access.require("statistics")
        (write_xlsx if kind == "xlsx" else write_csv)(report, path)
        if self._audit is not None:
            self._audit.record("export", me.display_name, str(path)[-100:], "统计数据（不含个人信息）")

    def report(self, start: dt.date, end: dt.date, group_by: str = "") -> Report:
        self.access.require("statistics")
        if group_by and group_by not in GROUP_BY:
            raise ValueError(group_by)
        if end < start:
            start, end = end, start
        total = self.figures(start, end)[""]
        last = self.figures(_year_earlier(start), _year_earlier(end))[""]
        groups: tuple[tuple[str, Figures], ...] = ()
        if group_by:
            by = self.figures(start, end, group_by)
            groups = tuple(sorted(by.items(), key=lambda kv: (-kv[1].visits, kv[0])))
        return Report(start, end, group_by, total, last, groups)

    # ---- the queries ----

    def _group_column(self, group_by: str):  # noqa: ANN202 - a SQL expression
        if group_by == "month":
            return _month_number(Visit.visited_at)
        return {
            "topic": Matter.topic,
            "type": Matter.matter_type,
            "route": Matter.route,
            "department": Matter.department,
            "officer": Visit.officer,
        }[group_by]

    def visit_counts(self, start: dt.date, end: dt.date, group_by: str) -> dict[str, int]:
        """Visits in the period per group, keyed as `figures` keys them: what a chart of visits needs."""
        self.access.require("statistics")
        group = self._group_column(group_by)
        query = select(group, func.count(Visit.id)).select_from(Visit)
        if group_by in _MATTER_GROUPS:
            query = query.join(Matter, Visit.matter_id == Matter.id)
        begin, finish = _instants(start, end)
        query = query.where(Visit.visited_at >= begin, Visit.visited_at < finish).group_by(group)
        with self._db.unit_of_work() as uow:
            return {_key_text(key, group_by): int(n) for key, n in uow.session.execute(query)}

    def figures(self, start: dt.date, end: dt.date, group_by: str = "") -> dict[str, Figures]:
        self.access.require("statistics")
        begin, finish = _instants(start, end)
        today = self._today or dt.date.today()
        out: dict[str, Figures] = {}

        def bucket(key: object) -> Figures:
            name = _key_text(key, group_by)
            return out.setdefault(name, Figures())

        in_period = and_(Visit.visited_at >= begin, Visit.visited_at < finish)
        earlier = aliased(Visit)
        is_repeat = exists().where(earlier.matter_id == Visit.matter_id, earlier.visited_at < Visit.visited_at)
        group = self._group_column(group_by) if group_by else None
        columns = [
            func.count(Visit.id),
            func.count(func.distinct(Visit.petitioner_id)),
            func.sum(case((Visit.headcount >= GROUP_VISIT_SIZE, 1), else_=0)),
            func.sum(case((is_repeat, 1), else_=0)),
            func.count(func.distinct(case((is_repeat, Visit.petitioner_id), else_=None))),
        ]
        # Every visit and every explanation belongs to a matter and an explanation to a visit (foreign keys,
        # not null), so the joins only fetch grouping columns: without a matter or visit column to group by
        # they are left out, which nearly halves the counts over a year.
        by_matter = group_by in _MATTER_GROUPS
        with self._db.unit_of_work() as uow:
            s = uow.session
            query = select(*(([group] if group is not None else []) + columns)).select_from(Visit)
            if by_matter:
                query = query.join(Matter, Visit.matter_id == Matter.id)
            query = query.where(in_period)
            if group is not None:
                query = query.group_by(group)
            for row in s.execute(query):
                key, values = (row[0], row[1:]) if group is not None else ("", row)
                f = bucket(key)
                f.visits, f.people, f.group_visits, f.repeat_visits, f.repeat_people = (int(v or 0) for v in values)

            made = and_(Explanation.made_on >= start, Explanation.made_on <= end)
            query = select(
                *([group] if group is not None else []),
                func.count(Explanation.id),
                func.count(Explanation.lawyer_id),
            ).select_from(Explanation)
            if group is not None:
                # Grouped by the visit's matter, not the explanation's own matter_id: a visit attached to
                # another matter later takes its explanation with it, as its visit count does.
                query = query.join(Visit, Explanation.visit_id == Visit.id)
            if by_matter:
                query = query.join(Matter, Visit.matter_id == Matter.id)
            query = query.where(made)
            if group is not None:
                query = query.group_by(group)
            for row in s.execute(query):
                key, values = (row[0], row[1:]) if group is not None else ("", row)
                f = bucket(key)
                f.explanations, f.lawyer_participations = (int(v or 0) for v in values)

            issued = and_(Handout.issued_at >= begin, Handout.issued_at < finish)
            if group is None or group_by in ("topic",):
                query = select(*([Handout.topic] if group is not None else []), func.count(Handout.id)).where(issued)
                if group is not None:
                    query = query.group_by(Handout.topic)
                for row in s.execute(query):
                    key, value = (row[0], row[1]) if group is not None else ("", row[0])
                    bucket(key).handouts = int(value or 0)

            if group is None or group_by == "topic":
                kiosk = and_(KioskUsage.day >= start, KioskUsage.day <= end)
                keyed = [KioskUsage.topic] if group is not None else []
                query = select(*keyed, KioskUsage.kind, KioskUsage.item, func.count(KioskUsage.id)).where(kiosk)
                query = query.group_by(*keyed, KioskUsage.kind, KioskUsage.item)
                for row in s.execute(query):
                    key, kind, item, n = (row[0], *row[1:]) if group is not None else ("", *row)
                    f = bucket(key)
                    n = int(n)
                    if kind == "page":
                        f.kiosk_pages += n
                    elif kind == "search":
                        f.kiosk_searches += n
                    elif kind == "result":
                        f.kiosk_results += n
                    elif kind == "print":
                        f.kiosk_prints += n
                    elif kind == "qr":
                        f.kiosk_qr += n
                    elif kind == "rating":
                        f.ratings += n
                        if item in ("满意", "基本满意"):
                            f.satisfied += n

            if group_by != "officer":
                matter_group = self._matter_group(group_by) if group_by else None
                registered = and_(Matter.received_on >= start, Matter.received_on <= end, Matter.status != MERGED)
                decided_or_due = or_(Matter.decided_on.is_not(None), Matter.acceptance_due < today)
                in_time = and_(Matter.decided_on.is_not(None), Matter.decided_on <= Matter.acceptance_due)
                query = select(
                    *([matter_group] if matter_group is not None else []),
                    func.sum(case((decided_or_due, 1), else_=0)),
                    func.sum(case((in_time, 1), else_=0)),
                ).where(registered, Matter.acceptance_due.is_not(None))
                if matter_group is not None:
                    query = query.group_by(matter_group)
                for row in s.execute(query):
                    key, values = (row[0], row[1:]) if matter_group is not None else ("", row)
                    f = bucket(key)
                    f.acceptance_due, f.accepted_in_time = (int(v or 0) for v in values)
                answered = and_(
                    Matter.first_answered_on >= start, Matter.first_answered_on <= end, Matter.status != MERGED
                )
                on_time = and_(Matter.handling_due.is_not(None), Matter.first_answered_on <= Matter.handling_due)
                query = select(
                    *([self._matter_group(group_by, answered=True)] if group_by else []),
                    func.count(Matter.id),
                    func.sum(case((on_time, 1), else_=0)),
                ).where(answered)
                if group_by:
                    query = query.group_by(self._matter_group(group_by, answered=True))
                for row in s.execute(query):
                    key, values = (row[0], row[1:]) if group_by else ("", row)
                    f = bucket(key)
                    f.answered, f.answered_in_time = (int(v or 0) for v in values)
        if not out:
            out[""] = Figures()
        return out

    @staticmethod
    def _matter_group(group_by: str, answered: bool = False):  # noqa: ANN205 - a SQL expression
        if group_by == "month":
            if answered:
                return _month_number(Matter.first_answered_on)
            return _month_number(Matter.received_on)
        return {
            "topic": Matter.topic,
            "type": Matter.matter_type,
            "route": Matter.route,
            "department": Matter.department,
        }[group_by]


def _instants(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's first instant and the instant after its last day."""
    return dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)


def _key_text(key: object, group_by: str) -> str:
    if group_by == "month" and key not in (None, ""):
        number = int(key)  # type: ignore[call-overload]
        return f"{number // 100}-{number % 100:02d}"
    if key in (None, ""):
        return "（未分类）" if group_by else ""
    return str(key)


def figure_rows(report: Report) -> tuple[list[str], list[list[object]]]:
    """The report as a table: a header of Chinese labels and one row per group (then the totals)."""
    keys = [f.name for f in fields(Figures) if f.name in LABELS] + list(RATE_KEYS)
    keys = [k for k in LABELS if k in keys]
    header = [GROUP_LABELS.get(report.group_by, "范围")] + [LABELS[k] for k in keys]
    rows: list[list[object]] = []
    for name, figures in report.groups:
        values = figures.as_dict()
        rows.append([name] + [values[k] for k in keys])
    for name, figures in (("合计", report.total), ("上年同期", report.total_last_year)):
        values = figures.as_dict()
        rows.append([name] + [values[k] for k in keys])
    return header, rows


def format_value(key_label: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def write_csv(report: Report, path) -> None:  # noqa: ANN001 - a path
    """UTF-8 with BOM: Excel and WPS open it with the Chinese headers intact."""
    import csv

    header, rows = figure_rows(report)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row[0]] + [format_value(h, v) for h, v in zip(header[1:], row[1:], strict=True)])


def write_xlsx(report: Report, path) -> None:  # noqa: ANN001 - a path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = figure_rows(report)
    book = Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append([f"统计期间：{report.start.isoformat()} 至 {report.end.isoformat()}"])
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell, label in zip(sheet[sheet.max_row][1:], header[1:], strict=True):
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
            del label
    for column in sheet.columns:
        sheet.column_dimensions[column[1].column_letter].width = 14
    book.save(path)
