"""我该怎么办: guided questions that lead a petitioner, without staff, to the lawful route and its dates.

The answers (topic, the other side, the paper held, its date, what is wanted) choose a case of the
remedy book by the rules of resources/kiosk/guided.toml; the result is rendered from the remedy book,
the guides, the case library and the legal-aid pre-check, so nothing the kiosk shows about remedies is
written a second time. No answer is personal: there is no name, no ID number, no story to keep.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field

from reception.cases import CaseLibrary, TeachingCase
from reception.deadlines import WorkCalendar
from reception.guides import GuideLibrary
from reception.remedies import Citation, RemedyBook, RemedyCase, RemedyLine
from reception.vocab import TOPICS
from resources import read_text


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    options: tuple[Option, ...]

    def label_of(self, key: str) -> str:
        return next((o.label for o in self.options if o.key == key), key)


@dataclass(frozen=True)
class Rule:
    conditions: dict[str, tuple[str, ...]]
    case: str  # a remedy case id, or "default:ROUTE"

    def holds(self, answers: dict[str, str]) -> bool:
        return all(answers.get(key) in values for key, values in self.conditions.items())


@dataclass
class Answers:
    topic: str = ""
    party: str = ""
    paper: str = ""
    want: str = ""
    # The day the paper was received, or the person learnt of the matter; None: not known or skipped.
    date: dt.date | None = None

    def as_dict(self) -> dict[str, str]:
        return {"topic": self.topic, "party": self.party, "paper": self.paper, "want": self.want}


@dataclass(frozen=True)
class LegalAidCheck:
    """What 法律援助法 says about this matter: whether it is a matter legal aid covers, and whether the
    means test is waived. Lines carry their articles; `threshold` is the office's local means standard."""

    lines: tuple[RemedyLine, ...]
    threshold: str


@dataclass(frozen=True)
class GuidedResult:
    answers: Answers
    case: RemedyCase
    intro: RemedyLine
    steps: tuple[RemedyLine, ...]
    dated: bool  # at least one step shows a computed date
    estimated: bool  # a date was computed without the official holiday schedule of its year
    materials: tuple[str, ...]
    citations: tuple[Citation, ...]  # the articles behind the route, then the topic's key articles
    cases: tuple[TeachingCase, ...]
    legal_aid: LegalAidCheck
    path: str  # the phone page of this result, below the office's guide address
    summary: tuple[str, ...] = field(default=())  # the answers as the person gave them, for the page header


class GuidedError(ValueError):
    pass


class GuidedQuestions:
    """The questions and rules of resources/kiosk/guided.toml, checked against the remedy book."""

    def __init__(self, remedies: RemedyBook, text: str | None = None):
        self.remedies = remedies
        data = tomllib.loads(text if text is not None else read_text("kiosk", "guided.toml"))
        self.questions = tuple(
            Question(q["key"], q["prompt"], tuple(Option(o["key"], o["label"]) for o in q["options"]))
            for q in data["questions"]
        )
        self.rules: list[Rule] = []
        known = {q.key: {o.key for o in q.options} for q in self.questions} | {"topic": set(TOPICS)}
        for raw in data["rules"]:
            conditions = {k: tuple(v) for k, v in raw.items() if k != "case"}
            for key, values in conditions.items():
                unknown = set(values) - known.get(key, set())
                if unknown:
                    raise GuidedError(f"规则中有未知的选项：{key}={sorted(unknown)}")
            target = raw["case"]
            if not target.startswith("default:") and target not in remedies.cases:
                raise GuidedError(f"规则指向未知的救济情形：{target}")
            self.rules.append(Rule(conditions, target))

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)

    def choose(self, answers: Answers) -> RemedyCase:
        """The remedy case of the first rule that holds and whose case is offered for the topic."""
        values = answers.as_dict()
        for rule in self.rules:
            if not rule.holds(values):
                continue
            if rule.case.startswith("default:"):
                case = self.remedies.default_case(rule.case.split(":", 1)[1], answers.topic)
            else:
                case = self.remedies.cases[rule.case]
                if not case.offered_for(answers.topic):
                    case = None
            if case is not None:
                return case
        raise GuidedError(f"没有适用的规则：{values}")


def result_path(case_id: str, topic_slug: str) -> str:
    """The result's page on the office site: the same path for the same route and topic, whatever the date."""
    return f"r/{case_id}/{topic_slug}"


class LegalAidRules:
    """resources/kiosk/legal_aid.toml: which matters legal aid covers and where the means test is waived."""

    def __init__(self, text: str | None = None):
        data = tomllib.loads(text if text is not None else read_text("kiosk", "legal_aid.toml"))
        self.default_threshold = data["threshold"]
        self.entries = [
            (
                tuple(e.get("topics", [])),
                tuple(e.get("wants", [])),
                RemedyLine(e["text"], tuple(Citation.parse(b) for b in e["basis"])),
            )
            for e in data["entries"]
        ]
        self.always = RemedyLine(data["always"]["text"], tuple(Citation.parse(b) for b in data["always"]["basis"]))

    def check(self, answers: Answers, office_threshold: str = "") -> LegalAidCheck:
        lines = [
            line
            for topics, wants, line in self.entries
            # A want not given (the phone page of a route) shows every entry of the topic.
            if (not topics or answers.topic in topics) and (not wants or not answers.want or answers.want in wants)
        ]
        return LegalAidCheck(tuple(lines) + (self.always,), office_threshold.strip() or self.default_threshold)


class GuidedAdvisor:
    """Builds the result page of the guided questions from the shared content."""

    def __init__(
        self,
        questions: GuidedQuestions,
        guides: GuideLibrary,
        cases: CaseLibrary,
        legal_aid: LegalAidRules | None = None,
    ):
        self.questions = questions
        self.remedies = questions.remedies
        self.guides = guides
        self.cases = cases
        self.legal_aid = legal_aid or LegalAidRules()

    def result(
        self,
        answers: Answers,
        *,
        calendar: WorkCalendar,
        today: dt.date,
        topic_slug: str,
        legal_aid_threshold: str = "",
    ) -> GuidedResult:
        if answers.topic not in TOPICS:
            raise GuidedError("请先选择是哪方面的事")
        return self.result_for_case(
            self.questions.choose(answers),
            answers,
            calendar=calendar,
            today=today,
            topic_slug=topic_slug,
            legal_aid_threshold=legal_aid_threshold,
        )

    def reachable(self) -> list[tuple[RemedyCase, Answers]]:
        """Every (case, topic) the questions can lead to, with one set of answers leading there: the
        result pages the phone site must hold."""
        found: dict[tuple[str, str], tuple[RemedyCase, Answers]] = {}
        keys = {q.key: [o.key for o in q.options] for q in self.questions.questions}
        for topic in TOPICS:
            for party in keys["party"]:
                for paper in keys["paper"]:
                    for want in keys["want"]:
                        answers = Answers(topic, party, paper, want)
                        case = self.questions.choose(answers)
                        found.setdefault((case.id, topic), (case, answers))
        return list(found.values())

    def result_for_case(
        self,
        case: RemedyCase,
        answers: Answers,
        *,
        calendar: WorkCalendar,
        today: dt.date,
        topic_slug: str,
        legal_aid_threshold: str = "",
    ) -> GuidedResult:
        if answers.date is not None:
            if answers.date > today:
                raise GuidedError("日期不能晚于今天")
            plan = self.remedies.plan(
                case, answers.topic, calendar=calendar, issued_on=today, visit_date=today, decision_date=answers.date
            )
            intro, steps, estimated = plan.intro, plan.steps, plan.estimated
        else:
            # Without a date nothing is counted from today as a guess: every period is printed as its rule.
            intro = RemedyLine(case.intro, case.intro_basis)
            steps = self.remedies.rule_lines(case, answers.topic)
            estimated = False
        guide = self.guides.get(answers.topic)
        citations: list[Citation] = []
        for line in (intro, *steps):
            citations += [c for c in line.citations if c not in citations]
        if guide is not None:
            citations += [c for c in (Citation(a.law, a.number) for a in guide.articles) if c not in citations]
        summary = (f"是哪方面的事？{answers.topic}",) + tuple(
            f"{q.prompt}{q.label_of(getattr(answers, q.key))}"
            for q in self.questions.questions
            if getattr(answers, q.key)
        )
        return GuidedResult(
            answers=answers,
            case=case,
            intro=intro,
            steps=tuple(steps),
            dated=any(s.deadline is not None for s in steps),
            estimated=estimated,
            materials=guide.section("materials") if guide else (),
            citations=tuple(citations),
            cases=tuple(self.cases.for_topic(answers.topic, case.route)[:2]),
            legal_aid=self.legal_aid.check(answers, legal_aid_threshold),
            path=result_path(case.id, topic_slug),
            summary=summary,
        )
