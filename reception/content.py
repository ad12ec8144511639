"""Read-only content for the kiosk and the phone pages: guides, cases, guided questions, 信访须知, the law
library in force, the office's public details, and anonymous usage counts.

This service has no path to visits, matters or petitioners: it imports nothing that reads them, and the
kiosk (ui/kiosk) is given only this. A test records every SQL statement of a kiosk session and checks
that no personal table is named.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from db.models import KioskUsage
from db.session import Database, open_database
from reception.cases import TEACHING_LABEL, CaseLibrary, TeachingCase
from reception.content_search import ArticleHit, ContentSearch, PinyinVocabulary, SearchResults
from reception.content_store import ContentStore
from reception.deadlines import DeadlineService
from reception.guided import Answers, GuidedAdvisor, GuidedQuestions, GuidedResult
from reception.guides import GuideLibrary, TopicGuide, topic_slug
from reception.handouts.documents import GuideContent, Office, QrTarget, SheetContent, office_block
from reception.lawlib.library import ArticleView, LawLibrary
from reception.remedies import Citation, RemedyBook, RemedyLine, cite_text
from reception.settings import (
    KioskSettings,
    OfficeSettings,
    SettingsService,
)
from reception.vocab import TOPICS
from resources import read_text, resource_dir

if TYPE_CHECKING:
    from reception.matching import Matcher

USAGE_KINDS = ("page", "search", "result", "print", "qr", "rating")
RATINGS = ("满意", "基本满意", "不满意")
NOTICE_PATH = "xinfangxuzhi"


@dataclass(frozen=True)
class TopicTile:
    topic: str
    label: str
    line: str
    slug: str
    icon: str  # path of the SVG file


@dataclass(frozen=True)
class PublicOffice:
    """What the kiosk may show about the office: nothing but what it publishes anyway."""

    name: str
    address: str
    phone: str
    hours: str
    petition_url: str


@dataclass(frozen=True)
class NoticeSection:
    key: str
    heading: str
    lines: tuple[RemedyLine, ...]


@dataclass(frozen=True)
class AttractMessage:
    text: str
    cited: str


# ---- paths of the phone pages, one place for the QR codes and `reception publish` -------------------


def guide_path(topic: str) -> str:
    return topic_slug(topic)


def case_path(case_id: str) -> str:
    return f"cases/{case_id}"


def article_path(law: str, number: int, suffix: int = 0) -> str:
    return f"law/{topic_slug(law)}/{number}" + (f"-{suffix}" if suffix else "")


def site_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path


class ContentService:
    def __init__(self, database: Database, laws: LawLibrary, settings: SettingsService):
        self._db = database
        self.laws = laws
        self.settings = settings
        self.deadlines = DeadlineService(settings.holiday_schedules)
        self.remedies = RemedyBook(self.deadlines.periods)
        # What the office published over the shipped content (read-only here: the kiosk edits nothing).
        store = ContentStore(database)
        self.guides = GuideLibrary(self.remedies, store.texts("guide"))
        self.cases = CaseLibrary(store.texts("cases"))
        self._classification_text = store.texts("classification")["guide"]
        self.questions = GuidedQuestions(self.remedies)
        self.advisor = GuidedAdvisor(self.questions, self.guides, self.cases)
        self._matcher: Matcher | None = None

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> ContentService:
        database = open_database(url, create=create)
        laws = LawLibrary(database)
        laws.sync_shipped()
        return cls(database, laws, SettingsService(database))

    def close(self) -> None:
        self._db.dispose()

    # ---- what the kiosk shows ----

    @cached_property
    def tiles(self) -> tuple[TopicTile, ...]:
        data = tomllib.loads(read_text("kiosk", "home.toml"))
        by_topic = {t["topic"]: t for t in data["tiles"]}
        icons = resource_dir("icons", "topics")
        return tuple(
            TopicTile(t, by_topic[t]["label"], by_topic[t]["line"], topic_slug(t), str(icons / f"{topic_slug(t)}.svg"))
            for t in TOPICS
            if t in by_topic
        )

    def office(self) -> PublicOffice:
        o = self.settings.office()
        return PublicOffice(o.office_name, o.address, o.phone, o.reception_hours, o.petition_url)

    def kiosk_settings(self) -> KioskSettings:
        return self.settings.kiosk()

    def guide(self, topic: str) -> TopicGuide | None:
        return self.guides.get(topic)

    @cached_property
    def _laws_by_slug(self) -> dict[str, str]:
        return {topic_slug(v.short_title): v.short_title for v in self.laws.versions()}

    def law_for_slug(self, slug: str) -> str:
        """The short title whose page path is law/<slug>/…, or ""."""
        return self._laws_by_slug.get(slug, "")

    def article(self, law: str, number: int, suffix: int = 0) -> ArticleView | None:
        """The article of the version in force, or None (the caller says the text in force is needed)."""
        return self.laws.article(law, number, suffix)

    def articles_for(self, citations: tuple[Citation, ...] | list[Citation]) -> tuple[list[ArticleView], list[str]]:
        return articles_in_force(self.laws, [(c.law, c.number, 0) for c in citations])

    @cached_property
    def petition_notice(self) -> tuple[str, str, tuple[NoticeSection, ...]]:
        """信访须知: (title, intro, sections), every line with its articles."""
        data = tomllib.loads(read_text("kiosk", "petition_notice.toml"))
        sections = []
        for raw in data["sections"]:
            lines = []
            for item in raw["items"]:
                if "step" in item:
                    lines.append(self.remedies.rule_line(item["step"]))
                else:
                    lines.append(RemedyLine(item["text"], tuple(Citation.parse(b) for b in item.get("basis", []))))
            sections.append(NoticeSection(raw["key"], raw["heading"], tuple(lines)))
        return data["title"], data["intro"], tuple(sections)

    def attract_messages(self, today: dt.date) -> list[AttractMessage]:
        """Messages for the idle screen: those themed on today (within a week of the day, or in the
        month) first, then the everyday ones."""
        data = tomllib.loads(read_text("kiosk", "messages.toml"))
        themed, everyday = [], []
        for m in data["messages"]:
            message = AttractMessage(m["text"], cite_text(tuple(Citation.parse(b) for b in m.get("basis", []))))
            if "day" in m:
                month, day = (int(x) for x in m["day"].split("-"))
                if abs((dt.date(today.year, month, day) - today).days) <= 7:
                    themed.append(message)
            elif "month" in m:
                if int(m["month"]) == today.month:
                    themed.append(message)
            else:
                everyday.append(message)
        return themed + everyday

    # ---- guided questions ----

    def guided_result(self, answers: Answers, today: dt.date | None = None) -> GuidedResult:
        return self.advisor.result(
            answers,
            calendar=self.deadlines.calendar(),
            today=today or dt.date.today(),
            topic_slug=topic_slug(answers.topic),
            legal_aid_threshold=self.kiosk_settings().legal_aid_threshold,
        )

    # ---- search ----

    def matcher(self) -> Matcher:
        if self._matcher is None:
            from reception.matching import Matcher
            from reception.matching.guide import load_guide

            self._matcher = Matcher(self.laws, guide=load_guide(self._classification_text))
        return self._matcher

    @cached_property
    def _search(self) -> ContentSearch:
        from reception.matching.guide import load_guide

        classification = load_guide(self._classification_text)
        entries: list[tuple[str, str, float]] = [(t, t, 3.0) for t in TOPICS]
        entries += [(tile.label.replace("·", ""), tile.topic, 3.0) for tile in self.tiles]
        entries += [(part, tile.topic, 2.0) for tile in self.tiles for part in tile.label.split("·")]
        entries += [(w, c.topic, 2.5) for c in self.cases.all() for w in c.words]
        for rule in classification.topics:
            entries += [(cue.phrase, rule.name, cue.weight) for cue in rule.cues]
        matcher = self.matcher()

        def topic_scores(text: str) -> list[tuple[str, float]]:
            result = matcher.match(text, top=5)
            return [(t.name, t.score) for t in result.topics]

        def articles(text: str) -> list[ArticleHit]:
            result = matcher.match(text, top=5)
            return [ArticleHit(s.law, s.number, s.suffix, f"《{s.law}》{s.article}", s.text) for s in result.statutes]

        return ContentSearch(self.guides.all(), self.cases.all(), PinyinVocabulary(entries), topic_scores, articles)

    def search(self, query: str) -> SearchResults:
        return self._search.search(query)

    def candidates(self, letters: str) -> list[str]:
        return self._search.vocabulary.candidates(letters)

    def warm_up(self) -> None:
        """Load the matcher and the search vocabulary (a second or two) before the first touch needs them."""
        self._search.search("工资")

    # ---- anonymous usage ----

    def record(self, kind: str, topic: str = "", item: str = "") -> None:
        if kind not in USAGE_KINDS:
            raise ValueError(kind)
        now = dt.datetime.now()
        with self._db.unit_of_work(write_lock="content") as uow:
            uow.session.add(
                KioskUsage(
                    day=now.date(),
                    hour=now.hour,
                    terminal=self.kiosk_settings().terminal_name[:50],
                    kind=kind,
                    topic=topic[:16],
                    item=item[:80],
                )
            )
            uow.commit()

    def usage_counts(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """Events per kind between two days (inclusive); ratings as rating:满意 …"""
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(
                select(KioskUsage.kind, KioskUsage.item, func.count())
                .where(KioskUsage.day >= start, KioskUsage.day <= end)
                .group_by(KioskUsage.kind, KioskUsage.item)
            ).all()
        counts: dict[str, int] = {}
        for kind, item, n in rows:
            counts[kind] = counts.get(kind, 0) + n
            if kind == "rating":
                counts[f"rating:{item}"] = counts.get(f"rating:{item}", 0) + n
        return counts

    # ---- addresses behind the QR codes ----

    def url(self, path: str) -> str | None:
        """The phone page's address, or None while the office has not set its guide address."""
        office = self.settings.office()
        return site_url(office.guide_base_url, path) if office.has_real("guide_base_url") else None

    # ---- printed pages ----

    def _office_block(self) -> Office:
        o = self.settings.office()
        return office_block(o.office_name, o.address, o.phone, o.reception_hours)

    def guide_content(self, topic: str) -> GuideContent | None:
        guide = self.guides.get(topic)
        if guide is None:
            return None
        return guide_document(guide, self.settings.office(), self.laws, self.cases.for_topic(topic))

    def case_sheet(self, case: TeachingCase) -> SheetContent:
        cited = case.cited
        articles, notices = self.articles_for(case.articles)
        url = self.url(case_path(case.id))
        return SheetContent(
            office=self._office_block(),
            kind="以案释法",
            title=case.title,
            lead=(TEACHING_LABEL,),
            blocks=(
                ("事情经过", ((case.facts, ""),)),
                ("法律怎么说（通俗说明）", ((case.law_says, cited),)),
                ("怎么解决的", ((case.settled, ""),)),
                ("提示", ((case.takeaway, ""),)),
            ),
            citations=tuple(articles),
            qr=QrTarget(url, "扫码在手机上阅读本案例") if url else None,
            law_notices=tuple(notices),
        )

    def result_sheet(self, result: GuidedResult) -> SheetContent:
        steps = tuple((line.text, line.cited) for line in result.steps)
        aid = tuple((line.text, line.cited) for line in result.legal_aid.lines) + ((result.legal_aid.threshold, ""),)
        blocks = [
            ("该走什么途径", ((result.intro.text, result.intro.cited),)),
            ("到哪里办", ((result.case.where, ""),)),
        ]
        if steps:
            blocks.append(("时限和步骤", steps))
        if result.materials:
            blocks.append(("要带的材料", tuple((m, "") for m in result.materials)))
        blocks.append(("法律援助", aid))
        for case in result.cases:
            blocks.append((f"相关案例：{case.title}", ((case.facts + case.settled, case.cited),)))
        articles, notices = self.articles_for(result.citations)
        url = self.url(result.path)
        note = ""
        if result.dated:
            note = (
                "日期按您选择的日期起算，已避开法定节假日；如果实际知道或收到文书的日期更早，期限从更早的那一天算起。"
            )
        if result.estimated:
            note += "个别日期所在年份尚无公布的放假安排，按周末休息估算。"
        return SheetContent(
            office=self._office_block(),
            kind="我该怎么办",
            title=f"{result.case.label}：怎么依法解决",
            lead=result.summary,
            blocks=tuple(blocks),
            citations=tuple(articles),
            qr=QrTarget(url, "扫码在手机上查看（期限按规则说明）") if url else None,
            law_notices=tuple(notices),
            note=note,
        )

    def notice_sheet(self) -> SheetContent:
        title, intro, sections = self.petition_notice
        citations = [c for s in sections for line in s.lines for c in line.citations]
        articles, notices = self.articles_for(citations)
        url = self.url(NOTICE_PATH)
        return SheetContent(
            office=self._office_block(),
            kind="信访须知",
            title=title,
            lead=(intro,),
            blocks=tuple((s.heading, tuple((line.text, line.cited) for line in s.lines)) for s in sections),
            citations=tuple(articles),
            qr=QrTarget(url, "扫码在手机上阅读") if url else None,
            law_notices=tuple(notices),
        )

    def render_pdf(self, content: SheetContent | GuideContent) -> bytes:
        from reception.handouts.documents import render_guide, render_sheet
        from reception.handouts.fonts import choose_font

        font = choose_font(self.settings.office().font_path)
        if isinstance(content, GuideContent):
            return render_guide(content, font)
        return render_sheet(content, font)


def articles_in_force(laws: LawLibrary, keys: list[tuple[str, int, int]]) -> tuple[list[ArticleView], list[str]]:
    """The articles (law, number, suffix) of the versions in force, each once, and a sentence for each law
    held only in a replaced or unverified version, or not at all: such a law is never cited as current."""
    found: list[ArticleView] = []
    notices: dict[str, str] = {}
    seen: set[tuple[str, int, int]] = set()
    for key in keys:
        if key in seen:
            continue
        seen.add(key)
        article = laws.article(*key)
        if article is not None:
            found.append(article)
        elif key[0] not in notices:
            notices[key[0]] = (
                laws.not_in_force_notice(key[0]) or f"本系统没有收录《{key[0]}》的现行文本，请导入后再引用。"
            )
    return found, list(notices.values())


def guide_document(
    guide: TopicGuide, office: OfficeSettings, laws: LawLibrary, cases: list[TeachingCase]
) -> GuideContent:
    """The printed topic guide: the desk and the kiosk print the same one."""
    cited, notices = articles_in_force(laws, [(a.law, a.number, a.suffix) for a in guide.articles])
    sections = [s for s in guide.sections if s[2]]
    if guide.myths:
        sections.append(("myths", "常见误区", tuple(f"误区：{m.myth}　正解：{m.truth}" for m in guide.myths)))
    if guide.short:
        sections.insert(0, ("short", "要点", guide.short))
    url = site_url(office.guide_base_url, guide_path(guide.topic)) if office.has_real("guide_base_url") else None
    return GuideContent(
        office=office_block(office.office_name, office.address, office.phone, office.reception_hours),
        topic=guide.topic,
        title=guide.title,
        summary=guide.summary,
        sections=tuple(sections),
        citations=tuple(cited),
        law_notices=tuple(notices),
        qr=QrTarget(url, "扫码在手机上阅读本指南") if url else None,
        cases=tuple(
            {
                "title": c.title,
                "story": c.facts,
                "outcome": c.settled,
                "lesson": c.takeaway,
                "cited": c.cited,
                "label": "（" + TEACHING_LABEL + "）",
            }
            for c in cases
        ),
    )
