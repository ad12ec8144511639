"""以案释法: short illustrative cases, one TOML file per topic in resources/cases/.

The staff desk opens them beside a visit, the kiosk and the phone pages show them, the topic guides
print one. They are written for teaching, never real named cases, and every case cites the articles it
rests on ("简称:条[:款项]", checked by tests against the versions in force), as the remedy steps do.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from reception.remedies import Citation, cite_text
from reception.vocab import ROUTES, TOPICS
from resources import resource_dir

# Printed and shown with every case: a reader must not take it for a court's real judgment.
TEACHING_LABEL = "案例为根据常见情形编写，用于普法宣传，人名均为化名，不是真实案件"


@dataclass(frozen=True)
class TeachingCase:
    id: str
    topic: str
    title: str
    route: str
    facts: str
    law_says: str  # a plain explanation of the cited articles, never shown as the law's words
    articles: tuple[Citation, ...]
    settled: str
    takeaway: str
    words: tuple[str, ...]  # everyday words a petitioner might search with

    @property
    def cited(self) -> str:
        return cite_text(self.articles)

    def searchable(self) -> str:
        return " ".join((self.title, self.facts, self.law_says, self.settled, self.takeaway, *self.words))


class CaseError(ValueError):
    pass


def parse_case_file(text: str, expected_topic: str = "") -> list[TeachingCase]:
    data = tomllib.loads(text)
    topic = data.get("topic", "")
    if topic not in TOPICS:
        raise CaseError(f"未知主题：{topic}")
    if expected_topic and topic != expected_topic:
        raise CaseError(f"文件名与主题不一致：{expected_topic} / {topic}")
    cases = []
    for raw in data.get("cases", []):
        missing = [k for k in ("id", "title", "route", "facts", "law_says", "articles", "settled") if not raw.get(k)]
        if missing:
            raise CaseError(f"{topic} 的案例 {raw.get('id', '?')} 缺少：{'、'.join(missing)}")
        if raw["route"] not in ROUTES:
            raise CaseError(f"案例 {raw['id']}：未知途径 {raw['route']}")
        try:
            articles = tuple(Citation.parse(spec) for spec in raw["articles"])
        except ValueError as exc:
            raise CaseError(f"案例 {raw['id']}：{exc}") from exc
        cases.append(
            TeachingCase(
                id=raw["id"],
                topic=topic,
                title=raw["title"],
                route=raw["route"],
                facts=raw["facts"],
                law_says=raw["law_says"],
                articles=articles,
                settled=raw["settled"],
                takeaway=raw.get("takeaway", ""),
                words=tuple(raw.get("words", [])),
            )
        )
    return cases


def shipped_case_texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in resource_dir("cases").glob("*.toml")}


class CaseLibrary:
    """All teaching cases, read once, in topic order."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        """texts: the case files' text by topic (an office's edited set, reception.content_store); by
        default the cases shipped with the app."""
        self._cases: dict[str, TeachingCase] = {}
        if texts is None:
            texts = shipped_case_texts()
        for topic, text in sorted(texts.items()):
            for case in parse_case_file(text, topic):
                if case.id in self._cases:
                    raise CaseError(f"案例编号重复：{case.id}")
                self._cases[case.id] = case

    def get(self, case_id: str) -> TeachingCase | None:
        return self._cases.get(case_id)

    def all(self) -> list[TeachingCase]:
        order = {topic: i for i, topic in enumerate(TOPICS)}
        return sorted(self._cases.values(), key=lambda c: (order[c.topic], c.id))

    def for_topic(self, topic: str, route: str = "") -> list[TeachingCase]:
        """The topic's cases; with a route, those on that route first."""
        cases = [c for c in self.all() if c.topic == topic]
        if route:
            cases.sort(key=lambda c: c.route != route)
        return cases
