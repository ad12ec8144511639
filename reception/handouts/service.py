"""Assemble, build and record the documents handed to petitioners.

Preparing a document (content + PDF) records nothing: the officer may preview and close it. Issuing
(printing, saving, a kiosk print) records it with a snapshot of its content, so the statistics can count
handouts and a reprint is the same document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import select

from db.models import Handout, MatterEvent
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.cases import CaseLibrary
from reception.content import articles_in_force, guide_document
from reception.deadlines import DeadlineService, Period, compute_due
from reception.errors import NotFoundError, ValidationError
from reception.guides import GuideLibrary
from reception.handouts import snapshot
from reception.handouts.documents import (
    GuideContent,
    NoticeContent,
    Office,
    QrTarget,
    ReceiptContent,
    office_block,
    receipt_summary,
    render_guide,
    render_notice,
    render_receipt,
)
from reception.handouts.fonts import CID_FALLBACK, FontChoice, choose_font
from reception.handouts.layout import collect_missing
from reception.lawlib.library import ArticleView, LawLibrary
from reception.lawlib.numerals import article_label
from reception.matching.guide import ClassificationGuide, load_guide
from reception.remedies import RemedyBook, cite_text
from reception.settings import (
    OfficeNotConfigured,
    OfficeSettings,
    SettingsService,
)
from reception.visits import VisitDetail, VisitService

KINDS = ("notice", "receipt", "guide")
KIND_LABELS = {"notice": "权利义务与救济途径告知书", "receipt": "来访登记回执", "guide": "普法指南"}
KNOWN_START_NOTE = (
    "以上日期按告知日（或您提供的决定日期）起算。如果您知道该决定或权利受到侵害的时间更早，"
    "期限从更早的那一天算起，请尽早办理。"
)
MAX_NOTICE_CITATIONS = 6
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True)
class PreparedDocument:
    kind: str
    paper: str  # a4 | roll80
    title: str
    content: NoticeContent | ReceiptContent | GuideContent
    pdf: bytes
    font: FontChoice
    visit_id: int | None = None
    matter_id: int | None = None
    topic: str = ""
    # Characters no font could draw (printed as □): the preview warns before anything is printed.
    missing_characters: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def pages(self) -> int:
        return max(1, len(_PAGE_RE.findall(self.pdf)))

    @property
    def file_name(self) -> str:
        label = KIND_LABELS[self.kind]
        if self.kind == "guide":
            return f"{label}-{self.topic}{'-80mm' if self.paper == 'roll80' else ''}.pdf"
        number = getattr(self.content, "visit_no", "")
        return f"{label}-{number}{'-80mm' if self.paper == 'roll80' else ''}.pdf"


@dataclass(frozen=True)
class IssuedDocument:
    handout_id: int
    document: PreparedDocument
    identical_to_original: bool = True


@dataclass(frozen=True)
class HandoutRow:
    handout_id: int
    kind: str
    paper: str
    topic: str
    issued_at: dt.datetime
    issued_by: str
    content_hash: str
    reprint_of: int | None


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _content_class(kind: str) -> type:
    return {"notice": NoticeContent, "receipt": ReceiptContent, "guide": GuideContent}[kind]


class HandoutService:
    def __init__(
        self,
        database: Database,
        laws: LawLibrary,
        visits: VisitService,
        settings: SettingsService,
        deadlines: DeadlineService | None = None,
        guides: GuideLibrary | None = None,
        classification: ClassificationGuide | None = None,
        audit: AuditLog | None = None,
        access: AccessControl | None = None,
        guide_texts: Mapping[str, str] | None = None,
        case_texts: Mapping[str, str] | None = None,
    ):
        self.audit = audit
        self.access = access or AccessControl()
        self._db = database
        self._laws = laws
        self._visits = visits
        self._settings = settings
        self.deadlines = deadlines or DeadlineService(settings.holiday_schedules)
        self.remedies = RemedyBook(self.deadlines.periods)
        # The guides' time-limit lines are rendered from the same book as the notice.
        self.guides = guides or GuideLibrary(self.remedies, guide_texts)
        self._classification = classification or load_guide()
        self.cases = CaseLibrary(case_texts)

    # ---- content -------------------------------------------------------------------------------------

    def font(self) -> FontChoice:
        return choose_font(self._settings.office().font_path)

    @staticmethod
    def _office(settings: OfficeSettings) -> Office:
        return office_block(settings.office_name, settings.address, settings.phone, settings.reception_hours)

    def printer_for(self, document: PreparedDocument) -> str:
        """The printer an office chose for this paper ("" for the system's default)."""
        office = self._settings.office()
        if document.paper == "roll80" and office.receipt_printer.strip():
            return office.receipt_printer.strip()
        return office.printer.strip()

    def check_office(self, allow_placeholders: bool = False) -> None:
        """Refuse a document that would print placeholder office details, unless the officer confirmed."""
        missing = self._settings.office().unset_for_print()
        if missing and not allow_placeholders:
            raise OfficeNotConfigured(missing)

    @staticmethod
    def progress_note(settings: OfficeSettings) -> str:
        """How a petitioner asks about progress where the office has no query page of its own."""
        phone = settings.phone.strip()
        return "查询办理进度：请凭登记编号和查询码到接待窗口查询" + (f"，或拨打{phone}。" if phone else "。")

    @staticmethod
    def guide_url(settings: OfficeSettings, topic_slug: str) -> str:
        return settings.guide_base_url.rstrip("/") + "/" + topic_slug

    @staticmethod
    def query_url(settings: OfficeSettings, visit_no: str, query_code: str) -> str:
        separator = "&" if "?" in settings.query_base_url else "?"
        return settings.query_base_url + separator + urlencode({"no": visit_no, "code": query_code})

    def _article_label(self, period: Period) -> str:
        return f"《{period.law}》{article_label(period.article)}"

    def _visit(self, visit_id: int, show_full_id: bool = False) -> VisitDetail:
        """The visit as the paper shows it: the ID number masked unless a staff member asked for it whole
        (recorded in the audit trail)."""
        return self._visits.get_detail(visit_id, reveal_id=show_full_id, purpose="打印在文书上")

    def notice_content(
        self,
        visit_id: int,
        *,
        issued_on: dt.date | None = None,
        decision_date: dt.date | None = None,
        citations: list[tuple[str, int, int]] | None = None,
        show_full_id: bool = False,
        remedy_case: str | None = None,
    ) -> NoticeContent:
        """The 告知书 for a registered visit, from its confirmed type/topic/route.

        `decision_date` is the day the person learnt of the decision they dispute; without it the periods
        that run from that day are counted from the day of the notice, and the sheet says so.
        `citations` are (law, number, suffix) the officer chose; by default the topic's key articles and the
        articles behind every date printed. `remedy_case` is the situation on the route (resources/remedies.toml)
        the officer chose; by default the first offered for the matter's route and topic.
        """
        visit = self._visit(visit_id, show_full_id)
        issued_on = issued_on or dt.date.today()
        unset = [
            label
            for label, value in (("类型", visit.matter_type), ("主题", visit.topic), ("处理途径", visit.route))
            if not value
        ]
        if unset:
            # A notice explains a route and its deadlines: for a matter nobody classified it would print 待定.
            raise ValidationError(
                {
                    "classification": "本事项尚未分类（缺少"
                    + "、".join(unset)
                    + "），请先在来访详情中补充分类，再出具告知书。"
                }
            )
        if decision_date and decision_date > issued_on:
            raise ValidationError({"decision_date": "决定日期不能晚于告知日期"})
        settings = self._settings.office()
        topic_rule = self._classification.topic(visit.topic)
        guide = self.guides.get(visit.topic)

        calendar = self.deadlines.calendar()
        cases = self.remedies.cases_for(visit.route, visit.topic)
        if remedy_case is None:
            case = cases[0] if cases else None
        else:
            case = next((c for c in cases if c.id == remedy_case), None)
            if case is None:
                raise ValidationError({"remedy_case": "所选适用情形不适用于本事项的处理途径和主题"})
        actions: list[str] = []
        action_citations: list[str] = []
        estimated = uses_known_start = False
        basis_keys: list[tuple[str, int, int]] = []
        if case is not None:
            plan = self.remedies.plan(
                case,
                visit.topic,
                calendar=calendar,
                issued_on=issued_on,
                visit_date=visit.visited_at.date(),
                decision_date=decision_date,
            )
            estimated, uses_known_start = plan.estimated, plan.uses_known_start
            for line in plan.steps:
                actions.append(line.text)
                action_citations.append(line.cited)
            # The full text of what the intro and the dated sentences rest on; the other sentences carry
            # their citation beside them.
            for line in (plan.intro, *[line for line in plan.steps if line.deadline is not None]):
                basis_keys += [(c.law, c.number, 0) for c in line.citations]
        acceptance = self.deadlines.periods["petition_acceptance"]
        acceptance_due = compute_due(acceptance, visit.visited_at.date(), calendar)
        estimated |= acceptance_due.estimated
        actions.append(
            f"对依照法定途径办理的事项，请向上面所写的机关提出；通过信访渠道办理的，有关机关、单位应当在"
            f"{acceptance_due.due_text}前书面告知您是否受理。"
        )
        action_citations.append(self._article_label(acceptance))
        if uses_known_start:
            actions.append(KNOWN_START_NOTE)
            action_citations.append("")

        if citations is None:
            keys = [(k.law, k.number, k.suffix) for k in (topic_rule.key_articles if topic_rule else ())[:3]]
        else:
            keys = list(citations)
        basis_keys = [k for k in dict.fromkeys(basis_keys) if k not in keys][:MAX_NOTICE_CITATIONS]
        articles, notices = self._articles(keys)
        basis_articles, basis_notices = self._articles(basis_keys)
        if citations is None:
            # The default sheet stays short: the basis articles back the printed dates and are kept whole;
            # the topic's articles give way.
            articles = articles[: max(MAX_NOTICE_CITATIONS - len(basis_articles), 0)]

        # A QR code only where the office has a page of its own behind it: a code to an example site
        # sends a petitioner nowhere.
        qr = []
        if settings.has_real("query_base_url"):
            qr.append(QrTarget(self.query_url(settings, visit.visit_no, visit.query_code), "扫码查询本事项办理进度"))
        if guide is not None and settings.has_real("guide_base_url"):
            qr.insert(0, QrTarget(self.guide_url(settings, guide.slug), f"扫码阅读普法指南：{guide.title}"))
        return NoticeContent(
            office=self._office(settings),
            issued_on=issued_on,
            visit_no=visit.visit_no,
            name=visit.name or "来访人",
            id_masked=visit.id_number,
            summary=visit.summary,
            matter_type=visit.matter_type,
            topic=visit.topic,
            route=visit.route,
            route_plain=case.intro if case else "请与接待人员确认处理途径。",
            where=(case.where if case else "") or (topic_rule.department if topic_rule else ""),
            actions=tuple(actions),
            rights=guide.section("rights") if guide else (),
            duties=guide.section("duties") if guide else (),
            citations=tuple(articles),
            qr=tuple(qr),
            estimated=estimated,
            basis=tuple(basis_articles),
            law_notices=tuple(dict.fromkeys(notices + basis_notices)),
            route_plain_cited=cite_text(case.intro_basis) if case else "",
            action_citations=tuple(action_citations),
            remedy_case=case.label if case and len(cases) > 1 else "",
        )

    def remedy_cases(self, visit_id: int) -> list[tuple[str, str]]:
        """(id, label) of the situations an officer may choose for the visit's route and topic, default first."""
        visit = self._visit(visit_id)
        return [(c.id, c.label) for c in self.remedies.cases_for(visit.route, visit.topic)]

    def _articles(self, keys: list[tuple[str, int, int]]) -> tuple[list[ArticleView], list[str]]:
        return articles_in_force(self._laws, keys)

    def receipt_content(self, visit_id: int, *, show_full_id: bool = False) -> ReceiptContent:
        visit = self._visit(visit_id, show_full_id)
        settings = self._settings.office()
        calendar = self.deadlines.calendar()
        periods = self.deadlines.periods
        received = visit.visited_at.date()
        acceptance = compute_due(periods["petition_acceptance"], received, calendar)
        handling, review, recheck = (periods[k] for k in ("petition_handling", "petition_review", "petition_recheck"))
        next_steps = (
            f"有关机关、单位应当在{acceptance.due_text}前书面告知您是否受理"
            f"（收到信访事项之日起15日内，{self._article_label(periods['petition_acceptance'])}）。",
            f"受理后，应当自受理之日起{handling.length}日内办结；情况复杂的，经批准可以适当延长，"
            f"但延长期限不得超过{handling.extension}日，并告知您延期理由（{self._article_label(handling)}）。",
            f"对处理意见不服的，可以自收到书面答复之日起{review.length}日内请求复查"
            f"（{self._article_label(review)}）；对复查意见不服的，可以自收到书面复查意见之日起"
            f"{recheck.length}日内请求复核（{self._article_label(recheck)}）。",
            "属于诉讼、仲裁、行政复议等法定途径解决的事项，请按告知的途径和期限提出，以免耽误。",
        )
        return ReceiptContent(
            office=self._office(settings),
            visit_no=visit.visit_no,
            query_code=visit.query_code,
            visited_at=visit.visited_at,
            name=visit.name or "来访人",
            id_masked=visit.id_number,
            summary=receipt_summary(visit.summary),
            next_steps=next_steps,
            qr=QrTarget(
                self.query_url(settings, visit.visit_no, visit.query_code), "扫码查询办理进度（含登记编号和查询码）"
            )
            if settings.has_real("query_base_url")
            else None,
            estimated=acceptance.estimated,
            progress_note="" if settings.has_real("query_base_url") else self.progress_note(settings),
        )

    def guide_content(self, topic: str) -> GuideContent:
        guide = self.guides.get(topic)
        if guide is None:
            raise NotFoundError(f"没有“{topic}”的普法指南")
        return guide_document(guide, self._settings.office(), self._laws, self.cases.for_topic(topic))

    # ---- build ---------------------------------------------------------------------------------------

    @staticmethod
    def render(kind: str, content: object, font: FontChoice, narrow: bool) -> bytes:
        if kind == "notice":
            return render_notice(content, font)  # type: ignore[arg-type]
        if kind == "receipt":
            return render_receipt(content, font, narrow)  # type: ignore[arg-type]
        return render_guide(content, font, narrow)  # type: ignore[arg-type]

    # Each prepare_* refuses (OfficeNotConfigured) while the office's details are placeholders, unless the
    # officer chose to print anyway (allow_placeholders).

    def prepare_notice(self, visit_id: int, *, allow_placeholders: bool = False, **options: object) -> PreparedDocument:
        self.check_office(allow_placeholders)
        content = self.notice_content(visit_id, **options)  # type: ignore[arg-type]
        visit = self._visit(visit_id)
        return self._prepare("notice", content, False, visit.visit_id, visit.matter_id, visit.topic)

    def prepare_receipt(
        self, visit_id: int, *, narrow: bool = False, show_full_id: bool = False, allow_placeholders: bool = False
    ) -> PreparedDocument:
        self.check_office(allow_placeholders)
        content = self.receipt_content(visit_id, show_full_id=show_full_id)
        visit = self._visit(visit_id)
        return self._prepare("receipt", content, narrow, visit.visit_id, visit.matter_id, visit.topic)

    def prepare_guide(self, topic: str, *, narrow: bool = False, allow_placeholders: bool = False) -> PreparedDocument:
        self.check_office(allow_placeholders)
        return self._prepare("guide", self.guide_content(topic), narrow, None, None, topic)

    def _prepare(
        self, kind: str, content: object, narrow: bool, visit_id: int | None, matter_id: int | None, topic: str
    ) -> PreparedDocument:
        font = self.font()
        with collect_missing() as missing:
            pdf = self.render(kind, content, font, narrow)
        title = KIND_LABELS[kind] + (f"：{topic}" if kind == "guide" else "")
        return PreparedDocument(
            kind,
            "roll80" if narrow else "a4",
            title,
            content,
            pdf,
            font,
            visit_id,
            matter_id,
            topic,  # type: ignore[arg-type]
            tuple(missing),
        )

    # ---- record --------------------------------------------------------------------------------------

    def issue(self, document: PreparedDocument, issued_by: str, reprint_of: int | None = None) -> IssuedDocument:
        """Record that the document was handed out (printed, saved or sent to a kiosk printer)."""
        me = self.access.require("handout.print")
        if not issued_by.strip():
            raise ValidationError({"issued_by": "请填写经办人或终端名称"})
        with self._db.unit_of_work(write_lock="service") as uow:
            row = Handout(
                kind=document.kind,
                paper=document.paper,
                visit_id=document.visit_id,
                matter_id=document.matter_id,
                topic=document.topic,
                issued_by=issued_by.strip()[:50],
                reprint_of=reprint_of,
                font=document.font.path or document.font.name,
                pages=document.pages,
                content_hash=document.content_hash,
                snapshot=snapshot.dumps(document.content),
            )
            uow.session.add(row)
            uow.session.flush()
            if document.matter_id is not None:
                uow.session.add(
                    MatterEvent(
                        matter_id=document.matter_id,
                        kind="handout_issued",
                        actor=issued_by.strip()[:50],
                        detail=("重印" if reprint_of else "出具") + KIND_LABELS[document.kind],
                        data=json.dumps(
                            {"handout_id": row.id, "paper": document.paper, "hash": document.content_hash},
                            ensure_ascii=False,
                        ),
                    )
                )
            uow.commit()
            handout_id = row.id
        if self.audit is not None:
            target = getattr(document.content, "visit_no", "") or document.topic
            self.audit.record(
                "print",
                me.display_name,
                f"{KIND_LABELS[document.kind]} {target}",
                f"sha256 {document.content_hash[:16]}",
            )
        return IssuedDocument(handout_id, document)

    def reprint(self, handout_id: int, issued_by: str) -> IssuedDocument:
        """Build the document again from its snapshot; identical bytes when the same font is at hand."""
        with self._db.unit_of_work() as uow:
            row = uow.session.get(Handout, handout_id)
            if row is None:
                raise NotFoundError(f"没有编号为 {handout_id} 的出具记录")
            kind, paper, font_ref, text = row.kind, row.paper, row.font, row.snapshot
            original_hash, visit_id, matter_id, topic = row.content_hash, row.visit_id, row.matter_id, row.topic
        content = snapshot.loads(_content_class(kind), text)
        font = choose_font("", allow_system=False) if font_ref == CID_FALLBACK else choose_font(font_ref)
        pdf = self.render(kind, content, font, paper == "roll80")
        title = KIND_LABELS[kind] + (f"：{topic}" if kind == "guide" else "")
        document = PreparedDocument(kind, paper, title, content, pdf, font, visit_id, matter_id, topic)  # type: ignore[arg-type]
        issued = self.issue(document, issued_by, reprint_of=handout_id)
        return IssuedDocument(issued.handout_id, document, document.content_hash == original_hash)

    def history(self, visit_id: int | None = None, limit: int = 100) -> list[HandoutRow]:
        with self._db.unit_of_work() as uow:
            query = select(Handout).order_by(Handout.id.desc()).limit(limit)
            if visit_id is not None:
                query = query.where(Handout.visit_id == visit_id)
            return [
                HandoutRow(r.id, r.kind, r.paper, r.topic, r.issued_at, r.issued_by, r.content_hash, r.reprint_of)
                for r in uow.session.scalars(query)
            ]
