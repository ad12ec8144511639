"""The classification guide (resources/classification/guide.toml): data an admin edits, not code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from reception.vocab import MATTER_TYPES, ROUTES, TOPICS
from resources import read_text


@dataclass(frozen=True)
class Cue:
    phrase: str
    weight: float


@dataclass(frozen=True)
class KeyArticle:
    law: str
    number: int
    why: str
    suffix: int = 0
    # A route's basis article may hold for some fields only: the one-year labour arbitration limit is not
    # the basis of a land-contract arbitration. Empty `topics` means every topic.
    topics: tuple[str, ...] = ()
    not_topics: tuple[str, ...] = ()

    def applies_to(self, topic: str) -> bool:
        return (not self.topics or topic in self.topics) and topic not in self.not_topics


@dataclass(frozen=True)
class TopicRule:
    name: str
    department: str
    default_type: str
    routes: tuple[str, ...]
    cues: tuple[Cue, ...]
    negative_cues: tuple[Cue, ...]
    key_articles: tuple[KeyArticle, ...]


@dataclass(frozen=True)
class RouteRule:
    name: str
    description: str
    cues: tuple[Cue, ...]
    key_articles: tuple[KeyArticle, ...]


@dataclass(frozen=True)
class SituationRule:
    """A recurring situation inside or across topics (工伤, 信息公开申请, 村务…) and the law it brings in."""

    name: str
    cues: tuple[Cue, ...]
    key_articles: tuple[KeyArticle, ...]


@dataclass(frozen=True)
class TypeRule:
    name: str
    description: str
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class ClassificationGuide:
    version: str
    types: tuple[TypeRule, ...]
    topics: tuple[TopicRule, ...]
    routes: tuple[RouteRule, ...]
    situations: tuple[SituationRule, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())

    def topic(self, name: str) -> TopicRule | None:
        return next((t for t in self.topics if t.name == name), None)

    def route(self, name: str) -> RouteRule | None:
        return next((r for r in self.routes if r.name == name), None)


def _cues(raw: list) -> tuple[Cue, ...]:
    cues = []
    for item in raw or []:
        if isinstance(item, str):
            cues.append(Cue(item, 1.0))
        else:
            cues.append(Cue(str(item[0]), float(item[1])))
    return tuple(c for c in cues if c.phrase)


def _articles(raw: list) -> tuple[KeyArticle, ...]:
    return tuple(
        KeyArticle(
            str(a["law"]),
            int(a["number"]),
            str(a.get("why", "")),
            int(a.get("suffix", 0)),
            tuple(a.get("topics", ())),
            tuple(a.get("not_topics", ())),
        )
        for a in raw or []
    )


def parse_guide(text: str) -> ClassificationGuide:
    """Parse guide TOML; names outside the fixed vocabularies are reported in `problems` and skipped."""
    data = tomllib.loads(text)
    problems: list[str] = []
    types = []
    for name, rule in (data.get("types") or {}).items():
        if name not in MATTER_TYPES:
            problems.append(f"未知类型：{name}")
            continue
        types.append(TypeRule(name, rule.get("description", ""), _cues(rule.get("cues"))))
    topics = []
    for rule in data.get("topics", []):
        name = rule.get("name", "")
        if name not in TOPICS:
            problems.append(f"未知主题：{name}")
            continue
        routes = tuple(r for r in rule.get("routes", []) if r in ROUTES)
        problems += [f"主题{name}的途径不在规定分类中：{r}" for r in rule.get("routes", []) if r not in ROUTES]
        topics.append(
            TopicRule(
                name=name,
                department=rule.get("department", ""),
                default_type=rule.get("default_type", "申诉求决"),
                routes=routes,
                cues=_cues(rule.get("cues")),
                negative_cues=_cues(rule.get("negative_cues")),
                key_articles=_articles(rule.get("key_articles")),
            )
        )
    routes_rules = []
    for rule in data.get("routes", []):
        name = rule.get("name", "")
        if name not in ROUTES:
            problems.append(f"未知途径：{name}")
            continue
        routes_rules.append(
            RouteRule(name, rule.get("description", ""), _cues(rule.get("cues")), _articles(rule.get("key_articles")))
        )
    situations = tuple(
        SituationRule(str(rule.get("name", "")), _cues(rule.get("cues")), _articles(rule.get("key_articles")))
        for rule in data.get("situations", [])
    )
    return ClassificationGuide(
        str(data.get("version", "")), tuple(types), tuple(topics), tuple(routes_rules), situations, tuple(problems)
    )


def load_guide(text: str | None = None) -> ClassificationGuide:
    """The classification guide: an office's edited text (reception.content_store) or the shipped one."""
    return parse_guide(text if text is not None else read_text("classification", "guide.toml"))
