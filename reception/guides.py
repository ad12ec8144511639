"""Plain-language topic guides (普法指南), one TOML file per topic in resources/guides/.

The same guides are printed by the staff desk, shown beside the matches and browsed on the kiosk,
so they are plain data with no personal content. Their example cases are the topic's cases of the
以案释法 library (reception.cases), written once there.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from reception.remedies import RemedyBook
from reception.vocab import TOPICS
from resources import resource_dir

# (key in the file, heading printed) in reading order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("rights", "你的权利"),
    ("duties", "你的义务"),
    ("where", "该找谁·走什么程序"),
    ("time_limits", "时限"),
    ("materials", "需要带的材料"),
)
# A line "step:ID" in a section is the remedy step ID of resources/remedies.toml, rendered as a rule with
# its articles: a time limit or procedure written once, there, reads the same in every guide and notice.
STEP_PREFIX = "step:"


@dataclass(frozen=True)
class GuideArticle:
    law: str
    number: int
    point: str  # plain-language gist, never printed as if it were the law
    suffix: int = 0


@dataclass(frozen=True)
class Myth:
    myth: str
    truth: str


@dataclass(frozen=True)
class TopicGuide:
    topic: str
    title: str
    summary: str
    sections: tuple[tuple[str, str, tuple[str, ...]], ...]  # (key, heading, items)
    myths: tuple[Myth, ...]
    short: tuple[str, ...]
    articles: tuple[GuideArticle, ...]

    @property
    def slug(self) -> str:
        return topic_slug(self.topic)

    def section(self, key: str) -> tuple[str, ...]:
        return next((items for k, _heading, items in self.sections if k == key), ())


def topic_slug(topic: str) -> str:
    """An ASCII name for a topic's page on the office site (劳动就业 → laodongjiuye), easy to type."""
    from pypinyin import lazy_pinyin  # its phrase dictionary takes a third of a second to load

    return "".join(lazy_pinyin(topic))


class GuideError(ValueError):
    pass


def parse_guide_file(text: str, expected_topic: str = "", remedies: RemedyBook | None = None) -> TopicGuide:
    data = tomllib.loads(text)
    if remedies is None and STEP_PREFIX in text:
        remedies = RemedyBook()
    topic = data.get("topic", "")
    if topic not in TOPICS:
        raise GuideError(f"未知主题：{topic}")
    if expected_topic and topic != expected_topic:
        raise GuideError(f"文件名与主题不一致：{expected_topic} / {topic}")
    for key in ("title", "summary"):
        if not str(data.get(key, "")).strip():
            raise GuideError(f"{topic}：缺少 {key}")
    sections = tuple(
        (key, heading, tuple(_line(str(i), topic, remedies) for i in data.get(key, []))) for key, heading in SECTIONS
    )
    return TopicGuide(
        topic=topic,
        title=data["title"],
        summary=data["summary"],
        sections=sections,
        myths=tuple(Myth(m["myth"], m["truth"]) for m in data.get("myths", [])),
        short=tuple(data.get("short", [])),
        articles=tuple(
            GuideArticle(a["law"], int(a["number"]), a.get("point", ""), int(a.get("suffix", 0)))
            for a in data.get("articles", [])
        ),
    )


def _line(item: str, topic: str, remedies: RemedyBook | None) -> str:
    if not item.startswith(STEP_PREFIX):
        return item
    step_id = item[len(STEP_PREFIX) :].strip()
    if remedies is None or step_id not in remedies.steps:
        raise GuideError(f"{topic}：未知的救济步骤 {step_id}")
    return remedies.rule_line(step_id).with_citation()


def shipped_guide_texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in resource_dir("guides").glob("*.toml")}


class GuideLibrary:
    """All topic guides, read once."""

    def __init__(self, remedies: RemedyBook | None = None, texts: Mapping[str, str] | None = None) -> None:
        """texts: the guide files' text by topic (an office's edited set, reception.content_store); by
        default the guides shipped with the app."""
        self._guides: dict[str, TopicGuide] = {}
        remedies = remedies or RemedyBook()
        if texts is None:
            texts = shipped_guide_texts()
        for topic, text in sorted(texts.items()):
            guide = parse_guide_file(text, topic, remedies)
            self._guides[guide.topic] = guide

    def get(self, topic: str) -> TopicGuide | None:
        return self._guides.get(topic)

    def topics(self) -> list[str]:
        """Topics with a guide, in the fixed vocabulary's order."""
        return [t for t in TOPICS if t in self._guides]

    def all(self) -> list[TopicGuide]:
        return [self._guides[t] for t in self.topics()]
