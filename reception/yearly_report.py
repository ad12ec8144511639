"""The yearly 普法责任制落实情况 report (`reception report --year 2026 --out FILE.pdf`).

A document a supervisor reads, signs and submits: plain official Chinese paragraphs written from the
figures (each compared with the year before), two charts, a table of the main figures, and an appendix
saying how each figure is counted. Every number comes from reception.statistics (SQL aggregates).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle
from sqlalchemy import func, select

from db.models import Explanation, Matter
from db.session import Database
from reception.accounts import AccessControl
from reception.handouts.fonts import FontChoice
from reception.handouts.layout import build_a4, make_styles, para
from reception.settings import SettingsService
from reception.statistics import DEFINITIONS, LABELS, Figures, StatisticsService, format_value


@dataclass(frozen=True)
class YearFigures:
    year: int
    total: Figures
    last: Figures
    by_topic: tuple[tuple[str, Figures], ...]
    by_topic_last: dict[str, Figures]
    by_month: dict[int, int]
    by_month_last: dict[int, int]
    overdue_open: int
    cases_used: int
    laws_cited: tuple[tuple[str, int], ...]


def _change(now: int, before: int) -> str:
    if before == 0:
        return "上年无可比数据" if now else "与上年持平"
    ratio = (now - before) / before * 100
    if abs(ratio) < 0.05:
        return "与上年持平"
    return f"同比{'增长' if ratio > 0 else '下降'}{abs(ratio):.1f}%"


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _bar_chart(font: FontChoice, data: list[list[int]], names: list[str], caption: str) -> Drawing:
    """This year (dark) beside last year (light), with a caption above."""
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 42 * mm
    chart.data = data
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = font.name
    chart.valueAxis.labels.fontName = font.name
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1f4e79")
    chart.bars[1].fillColor = colors.HexColor("#a9bfd6")
    drawing.add(chart)
    drawing.add(String(12 * mm, 56 * mm, caption, fontName=font.name, fontSize=9))
    return drawing


class YearlyReport:
    def __init__(
        self,
        database: Database,
        settings: SettingsService,
        laws_known: list[str],
        today: dt.date | None = None,
        access: AccessControl | None = None,
    ):
        self._db = database
        self._settings = settings
        self._laws = laws_known
        self._stats = StatisticsService(database, today=today, access=access)
        self._today = today or dt.date.today()

    def figures(self, year: int) -> YearFigures:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        report = self._stats.report(start, end, "topic")
        last_topics = self._stats.figures(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31), "topic")
        # The monthly chart shows visits only; the other figures by month would be counted for nothing.
        months = self._stats.visit_counts(start, end, "month")
        months_last = self._stats.visit_counts(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31), "month")
        by_month = {int(k[5:]): n for k, n in months.items() if k}
        by_month_last = {int(k[5:]): n for k, n in months_last.items() if k}
        cutoff = min(end, self._today)
        with self._db.unit_of_work() as uow:
            s = uow.session
            overdue = s.scalar(
                select(func.count(Matter.id)).where(
                    Matter.due_on.is_not(None),
                    Matter.due_on < cutoff,
                    Matter.status.in_(("已登记", "已受理", "办理中", "复查中", "复核中")),
                )
            )
            # How many of the year's explanation records cite each law, in one pass over the year's records:
            # one count per law by the database was one scan per law, and the desk passes every law of the
            # library (sixty scans today). A record citing two articles of a law counts once for it.
            known = set(self._laws)
            citing: Counter[str] = Counter()
            cases_used = 0
            rows = s.execute(
                select(Explanation.articles, Explanation.cases).where(Explanation.made_on.between(start, end))
            )
            for articles, cases in rows:
                if cases != "[]":
                    cases_used += 1
                citing.update({spec.partition(":")[0] for spec in json.loads(articles or "[]")} & known)
        cited = sorted(citing.items(), key=lambda kv: (-kv[1], self._laws.index(kv[0])))
        topics = tuple((name, f) for name, f in report.groups if name != "（未分类）")
        return YearFigures(
            year, report.total, report.total_last_year, topics, last_topics, by_month, by_month_last,
            int(overdue or 0), int(cases_used or 0), tuple(cited[:8]),
        )  # fmt: skip

    # ---- the text ----

    def paragraphs(self, f: YearFigures) -> list[tuple[str, list[str]]]:
        t, last = f.total, f.last
        office = self._settings.office().office_name or "本单位"
        sections: list[tuple[str, list[str]]] = []
        sections.append(
            (
                "一、基本情况",
                [
                    f"{f.year}年，{office}信访接待大厅共登记来访{t.visits}批次、{t.people}人，{_change(t.visits, last.visits)}；"
                    f"其中集体访{t.group_visits}批次。重复访{t.repeat_visits}批次，重复访率{_pct(t.repeat_rate)}"
                    + (f"（上年{_pct(last.repeat_rate)}）" if last.visits else "")
                    + "。",
                ],
            )
        )
        lines = [
            f"全年形成释法记录{t.explanations}条，{_change(t.explanations, last.explanations)}；值班律师参与释法{t.lawyer_participations}次。"
            f"向来访群众出具权利义务与救济途径告知书、来访登记回执和普法指南共{t.handouts}份。",
        ]
        if f.laws_cited:
            listed = "、".join(f"《{law}》（{n}次）" for law, n in f.laws_cited[:5])
            lines.append(f"释法中引用较多的法律法规依次为{listed}。")
        if f.cases_used:
            lines.append(f"在{f.cases_used}次释法中结合典型案例以案释法。")
        sections.append(("二、释法说理工作", lines))
        if f.by_topic:
            parts = []
            for name, figures in f.by_topic[:5]:
                before = f.by_topic_last.get(name, Figures()).visits
                parts.append(f"{name}{figures.visits}批次（{_change(figures.visits, before)}）")
            sections.append(("三、群众反映的主要问题", [f"按问题领域统计，来访较多的依次为：{'；'.join(parts)}。"]))
        sections.append(
            (
                "四、依法受理和按期办理",
                [
                    f"及时受理率{_pct(t.timely_acceptance)}，按期办结率{_pct(t.on_time_answers)}"
                    + (
                        f"（上年分别为{_pct(last.timely_acceptance)}、{_pct(last.on_time_answers)}）"
                        if last.visits
                        else ""
                    )
                    + f"。截至{_chinese_date(min(dt.date(f.year, 12, 31), self._today))}，仍有{f.overdue_open}件事项超过规定期限尚未完成相应程序。",
                ],
            )
        )
        sections.append(
            (
                "五、触摸屏自助普法",
                [
                    f"大厅触摸屏全年被浏览{t.kiosk_pages}次、搜索{t.kiosk_searches}次，群众通过“我该怎么办”获得办理途径和期限说明"
                    f"{t.kiosk_results}次，打印{t.kiosk_prints}次，扫码带走{t.kiosk_qr}次；共收到评价{t.ratings}条，满意率{_pct(t.satisfaction)}。",
                ],
            )
        )
        next_steps = []
        if t.repeat_rate is not None and t.repeat_rate >= 0.2:
            next_steps.append("重复访占比较高，需加强首次接待时的释法说理和诉求导入法定途径。")
        if t.timely_acceptance is not None and t.timely_acceptance < 0.95:
            next_steps.append("部分事项未在15日内告知是否受理，需加强登记后的跟踪督办。")
        if t.on_time_answers is not None and t.on_time_answers < 0.95:
            next_steps.append("部分事项未按期办结，需对延期事项严格审批并告知信访人理由。")
        if f.overdue_open:
            next_steps.append(f"对{f.overdue_open}件超期事项逐件督办，尽快完成相应程序。")
        if t.visits and t.lawyer_participations / max(1, t.explanations or 1) < 0.1:
            next_steps.append("律师参与接待的比例偏低，可增加值班律师安排。")
        next_steps.append("继续结合典型案例开展以案释法，及时更新普法指南和法律法规库，确保引用的法律条文现行有效。")
        numerals = "一二三四五六七八九十"
        sections.append(
            ("六、存在的问题和下一步工作", [f"（{numerals[i]}）{line}" for i, line in enumerate(next_steps)])
        )
        return sections

    # ---- the PDF ----

    def render(self, year: int, font: FontChoice) -> bytes:
        f = self.figures(year)
        s = make_styles(font, body_size=12, leading=1.7)
        office = self._settings.office().office_name or "本单位"
        title = f"{office}{year}年度“谁执法谁普法”普法责任制落实情况报告"
        story = [para(title, s.title), Spacer(1, 4 * mm)]
        story.append(
            para(
                f"根据“谁执法谁普法”普法责任制的要求，现将本单位{year}年在信访接待中开展释法说理、"
                "引导群众依法表达诉求的情况报告如下。",
                s.body,
            )
        )
        for heading, lines in self.paragraphs(f):
            story.append(para(heading, s.heading))
            story += [para(line, s.body) for line in lines]
            if heading.startswith("一、"):
                story.append(self._month_chart(f, font))
            if heading.startswith("三、") and f.by_topic:
                story.append(self._topic_chart(f, font))
        story += [para("附表：主要数据", s.heading), self._table(f, s, font)]
        story += [Spacer(1, 10 * mm), para(f"{office}（盖章）", s.body), para("负责人（签字）：", s.body)]
        story += [para(f"日期：{year + 1 if self._today.year > year else self._today.year}年　　月　　日", s.body)]
        # The appendix on a page of its own, after the signature: never a last definition alone on a page.
        story += [PageBreak(), para("附：统计口径说明", s.heading)]
        story += [para(f"{name}：{text}", s.small) for name, text in DEFINITIONS]
        return build_a4(story, font, title, f"{office}　{year}年度普法责任制落实情况报告")

    def _month_chart(self, f: YearFigures, font: FontChoice) -> Drawing:
        return _bar_chart(
            font,
            [[f.by_month.get(m, 0) for m in range(1, 13)], [f.by_month_last.get(m, 0) for m in range(1, 13)]],
            [f"{m}月" for m in range(1, 13)],
            f"图1　各月来访批次（深色为{f.year}年，浅色为{f.year - 1}年）",
        )

    def _topic_chart(self, f: YearFigures, font: FontChoice) -> Drawing:
        topics = f.by_topic[:6]
        return _bar_chart(
            font,
            [[fig.visits for _n, fig in topics], [f.by_topic_last.get(n, Figures()).visits for n, _fig in topics]],
            [n[:6] for n, _fig in topics],
            "图2　主要问题领域的来访批次（深色为本年，浅色为上年）",
        )

    def _table(self, f: YearFigures, s, font: FontChoice) -> Table:  # noqa: ANN001
        keys = [k for k in LABELS if k not in ("kiosk_qr",)]
        now, before = f.total.as_dict(), f.last.as_dict()
        rows = [[para("项目", s.small), para(f"{f.year}年", s.small), para(f"{f.year - 1}年", s.small)]]
        for key in keys:
            rows.append(
                [
                    para(LABELS[key], s.small),
                    para(format_value(key, now[key]), s.small),
                    para(format_value(key, before[key]), s.small),
                ]
            )
        table = Table(rows, colWidths=[60 * mm, 40 * mm, 40 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa8b8")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return table
