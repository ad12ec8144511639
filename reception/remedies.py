"""Remedies as data: what a person on each lawful route can do next, by when, and on which article.

resources/remedies.toml holds the steps (one plain-language sentence each, with the articles it rests on
and, for a time limit, the period from deadlines.toml) and the cases (one situation on a route: a labour
dispute, a criminal victim, a review that must come first). The notice, the topic guides' time-limit
lines and the kiosk all render their sentences from here, so a rule is written once and every printed
sentence can be traced to its article.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass

from reception.deadlines import Deadline, Period, WorkCalendar, compute_due, load_periods
from reception.lawlib.numerals import article_label
from reception.vocab import ROUTES, TOPICS
from resources import read_text


@dataclass(frozen=True)
class Citation:
    law: str
    number: int
    clause: str = ""  # 第二款, 第一款第三项 …: printed after the article, never used to look it up

    @classmethod
    def parse(cls, spec: str) -> Citation:
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not parts[1].isdigit():
            raise ValueError(f"法条引用格式应为 简称:条 或 简称:条:款项：{spec}")
        return cls(parts[0], int(parts[1]), parts[2] if len(parts) == 3 else "")

    @property
    def label(self) -> str:
        return article_label(self.number) + self.clause


def cite_text(citations: tuple[Citation, ...]) -> str:
    """《劳动争议调解仲裁法》第五条、第二十七条第二款；《民法典》第一百九十五条"""
    by_law: dict[str, list[str]] = {}
    for c in citations:
        labels = by_law.setdefault(c.law, [])
        if c.label not in labels:
            labels.append(c.label)
    return "；".join(f"《{law}》{'、'.join(labels)}" for law, labels in by_law.items())


@dataclass(frozen=True)
class Step:
    id: str
    text: str = ""
    period: str = ""
    when: str = ""
    action: str = ""
    basis: tuple[Citation, ...] = ()
    topics: tuple[str, ...] = ()  # printed only for these topics (empty: any)


@dataclass(frozen=True)
class RemedyCase:
    id: str
    route: str
    label: str
    topics: tuple[str, ...]
    intro: str
    intro_basis: tuple[Citation, ...]
    where: str
    steps: tuple[str, ...]
    fallback: bool = False  # also offered, after the named ones, for topics it does not name
    # What the date an officer enters means for this case: "known", the day the person learnt of the act
    # or harm; "document", the day they received the judgment or decision the case is about. Periods that
    # run from the other kind of event are printed as rules: one date cannot start both.
    counts_from: str = "known"

    def offered_for(self, topic: str) -> bool:
        return not self.topics or self.fallback or topic in self.topics


@dataclass(frozen=True)
class RemedyLine:
    """One sentence a person reads, with the articles it rests on."""

    text: str
    citations: tuple[Citation, ...]
    deadline: Deadline | None = None

    @property
    def cited(self) -> str:
        return cite_text(self.citations)

    def with_citation(self) -> str:
        return f"{self.text}（{self.cited}）" if self.citations else self.text


@dataclass(frozen=True)
class RemedyPlan:
    """A case rendered for one matter: the route explained and each step (where to go is the case's)."""

    case: RemedyCase
    intro: RemedyLine
    steps: tuple[RemedyLine, ...]
    estimated: bool  # a date was computed without a known holiday schedule
    uses_known_start: bool  # a date counts from the notice day because no decision date was given


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class RemedyBook:
    """The steps and cases of resources/remedies.toml, checked against the periods and vocabularies."""

    def __init__(self, periods: dict[str, Period] | None = None, text: str | None = None):
        self.periods = periods if periods is not None else load_periods()
        data = tomllib.loads(text if text is not None else read_text("remedies.toml"))
        self.steps: dict[str, Step] = {}
        for raw in data.get("steps", []):
            step = Step(
                id=raw["id"],
                text=raw.get("text", ""),
                period=raw.get("period", ""),
                when=raw.get("when", ""),
                action=raw.get("action", ""),
                basis=tuple(Citation.parse(s) for s in raw.get("basis", [])),
                topics=tuple(raw.get("topics", [])),
            )
            if step.id in self.steps:
                raise ValueError(f"步骤重复：{step.id}")
            if step.period and (step.period not in self.periods or not step.action):
                raise ValueError(f"步骤 {step.id} 的期限 {step.period} 不存在或缺少 action")
            if not step.period and not step.text:
                raise ValueError(f"步骤 {step.id} 没有内容")
            self.steps[step.id] = step
        self.cases: dict[str, RemedyCase] = {}
        for raw in data.get("cases", []):
            case = RemedyCase(
                id=raw["id"],
                route=raw["route"],
                label=raw["label"],
                topics=tuple(raw.get("topics", [])),
                intro=raw["intro"],
                intro_basis=tuple(Citation.parse(s) for s in raw.get("intro_basis", [])),
                where=raw.get("where", ""),
                steps=tuple(raw.get("steps", [])),
                fallback=bool(raw.get("fallback", False)),
                counts_from=raw.get("counts_from", "known"),
            )
            if case.counts_from not in ("known", "document"):
                raise ValueError(f"情形 {case.id} 的 counts_from 应为 known 或 document")
            if case.route not in ROUTES:
                raise ValueError(f"情形 {case.id} 的途径未知：{case.route}")
            unknown = [t for t in case.topics if t not in TOPICS] + [s for s in case.steps if s not in self.steps]
            if unknown or case.id in self.cases:
                raise ValueError(f"情形 {case.id} 重复或引用了未知的主题、步骤：{unknown}")
            self.cases[case.id] = case

    # ---- choosing ----

    def cases_for(self, route: str, topic: str) -> list[RemedyCase]:
        """The cases an officer may choose for this route and topic, the default first."""
        on_route = [c for c in self.cases.values() if c.route == route and c.offered_for(topic)]
        named = [c for c in on_route if topic in c.topics]
        return named + [c for c in on_route if c not in named]

    def default_case(self, route: str, topic: str) -> RemedyCase | None:
        cases = self.cases_for(route, topic)
        return cases[0] if cases else None

    # ---- rendering ----

    def step_citations(self, step: Step) -> tuple[Citation, ...]:
        own = (Citation(self.periods[step.period].law, self.periods[step.period].article),) if step.period else ()
        merged: list[Citation] = []
        for c in own + step.basis:
            if all((c.law, c.number, c.clause) != (m.law, m.number, m.clause) for m in merged):
                merged.append(c)
        return tuple(merged)

    def rule_line(self, step_id: str) -> RemedyLine:
        """The step as a rule, with no date: for guides, the kiosk and matters with no known start."""
        step = self.steps[step_id]
        if not step.period:
            return RemedyLine(step.text, self.step_citations(step))
        period = self.periods[step.period]
        sentence = f"{step.when}可以自{period.starts}起{period.length_text}内{step.action}。{step.text}"
        return RemedyLine(sentence, self.step_citations(step))

    def rule_lines(self, case: RemedyCase, topic: str) -> tuple[RemedyLine, ...]:
        """The case's steps for this topic as rules, none dated: where no start date is known."""
        return tuple(
            self.rule_line(step_id)
            for step_id in case.steps
            if not self.steps[step_id].topics or topic in self.steps[step_id].topics
        )

    def plan(
        self,
        case: RemedyCase,
        topic: str,
        *,
        calendar: WorkCalendar,
        issued_on: dt.date,
        visit_date: dt.date,
        decision_date: dt.date | None = None,
    ) -> RemedyPlan:
        """The case for one matter, with dates wherever the start is known.

        `decision_date` is the day the person learnt of the act they dispute, or received the paper
        (judgment, award, decision) the case turns on; without it, periods that run from knowing are
        counted from the day of the notice (and the sheet says so), and periods that run from a paper
        are printed as rules.
        """
        lines: list[RemedyLine] = []
        estimated = uses_known_start = False
        for step_id in case.steps:
            step = self.steps[step_id]
            if step.topics and topic not in step.topics:
                continue
            if not step.period:
                lines.append(self.rule_line(step_id))
                continue
            period = self.periods[step.period]
            start, start_label = None, ""
            known_date = decision_date if case.counts_from == "known" else None
            if period.start_event == "known":
                start = known_date or issued_on
                start_label = f"按决定日期{_date_text(start)}起算" if known_date else f"按告知日{_date_text(start)}起算"
                uses_known_start |= known_date is None
            elif period.start_event == "document" and decision_date is not None and case.counts_from == "document":
                start, start_label = decision_date, f"按您收到文书之日{_date_text(decision_date)}起算"
            elif period.start_event == "received":
                start, start_label = visit_date, f"按来访日{_date_text(visit_date)}起算"
            if start is None:
                lines.append(self.rule_line(step_id))
                continue
            deadline = compute_due(period, start, calendar)
            estimated |= deadline.estimated
            sentence = (
                f"{step.when}可于{deadline.due_text}前{step.action}"
                f"（自{period.starts}起{period.length_text}，{start_label}）。{step.text}"
            )
            lines.append(RemedyLine(sentence, self.step_citations(step), deadline))
        intro = RemedyLine(case.intro, case.intro_basis)
        return RemedyPlan(case, intro, tuple(lines), estimated, uses_known_start)

    # ---- checking ----

    def all_citations(self) -> list[tuple[str, Citation]]:
        """(where, citation) for every article the book rests on: what the tests check against the library."""
        found = [(f"step {s.id}", c) for s in self.steps.values() for c in self.step_citations(s)]
        found += [(f"case {c.id}", cit) for c in self.cases.values() for cit in c.intro_basis]
        return found
