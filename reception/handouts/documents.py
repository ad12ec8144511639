"""The documents themselves: content as plain data in, PDF bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from reception.handouts.fonts import FontChoice
from reception.handouts.layout import (
    HeadedBlock,
    Styles,
    build_a4,
    build_a4_counted,
    build_receipt,
    esc,
    make_styles,
    markup,
    para,
)
from reception.handouts.qr import qr_flowable
from reception.lawlib.library import ArticleView
from reception.lawlib.numerals import to_chinese_number

PLAIN_LABEL = "（通俗说明，不是法律条文原文）"
LAW_NOTE = "条文原文以国家法律法规数据库公布的文本为准；通俗说明仅帮助理解，不替代法律规定。"
ESTIMATE_NOTE = "标注“估算”的日期所在年份尚无国务院公布的放假安排，暂按周末休息计算，请以届时公布的安排为准。"
# A receipt only identifies the matter: printed whole, a long summary ran to 1.5 m of an 80 mm roll.
RECEIPT_SUMMARY_CHARS = 60
RECEIPT_SUMMARY_MORE = "……（全文见登记记录）"


@dataclass(frozen=True)
class QrTarget:
    url: str
    caption: str  # what scanning it opens


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    phone: str
    hours: str


def office_block(name: str, address: str, phone: str, hours: str) -> Office:
    """The office as printed; an empty field prints its placeholder (only ever on paper an officer chose to
    print anyway)."""
    from reception.settings import PLACEHOLDER_ADDRESS, PLACEHOLDER_NAME, PLACEHOLDER_PHONE

    return Office(
        name.strip() or PLACEHOLDER_NAME,
        address.strip() or PLACEHOLDER_ADDRESS,
        phone.strip() or PLACEHOLDER_PHONE,
        hours,
    )


@dataclass(frozen=True)
class NoticeContent:
    office: Office
    issued_on: dt.date
    visit_no: str
    name: str
    id_masked: str
    summary: str
    matter_type: str
    topic: str
    route: str
    route_plain: str
    where: str
    actions: tuple[str, ...]
    rights: tuple[str, ...]
    duties: tuple[str, ...]
    citations: tuple[ArticleView, ...]
    qr: tuple[QrTarget, ...]
    estimated: bool = False
    # The articles behind the route and the dates printed, apart from those about the matter itself.
    basis: tuple[ArticleView, ...] = ()
    # Laws the notice would cite whose text in force the library lacks: said on paper, never cited.
    law_notices: tuple[str, ...] = ()
    # The articles each sentence rests on, printed small after it: route_plain's, then one per action
    # (empty for a sentence that needs none). Notices issued before 2026-12 have none.
    route_plain_cited: str = ""
    action_citations: tuple[str, ...] = ()
    remedy_case: str = ""  # the situation on the route the steps were chosen for (e.g. 刑事案件（被害人）)


@dataclass(frozen=True)
class ReceiptContent:
    office: Office
    visit_no: str
    query_code: str
    visited_at: dt.datetime
    name: str
    id_masked: str
    summary: str
    next_steps: tuple[str, ...]
    qr: QrTarget | None
    estimated: bool = False
    progress_note: str = ""  # said instead of a QR code where the office has no query page


@dataclass(frozen=True)
class GuideContent:
    office: Office
    topic: str
    title: str
    summary: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    citations: tuple[ArticleView, ...]
    qr: QrTarget | None
    cases: tuple[dict, ...] = field(default=())
    law_notices: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SheetContent:
    """A page printed at the kiosk (a guided result, a case, 信访须知): plain sentences, each with the
    articles it rests on, then the exact text of those articles. Nothing personal is on it."""

    office: Office
    kind: str  # 我该怎么办 · 以案释法 · 信访须知: printed above the title
    title: str
    lead: tuple[str, ...]  # lines under the title (the answers given, a teaching-case label …)
    blocks: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (heading, ((sentence, cited), …))
    citations: tuple[ArticleView, ...]
    qr: QrTarget | None
    law_notices: tuple[str, ...] = ()
    note: str = ""  # said once at the end (how dates were counted, …)


def _effective(article: ArticleView) -> str:
    return (
        f"{article.effective.year}年{article.effective.month}月{article.effective.day}日起施行"
        if article.effective
        else ""
    )


def citation_blocks(article: ArticleView, styles: Styles) -> list[Flowable]:
    """Law title + article number + effective date, then the exact text.

    A short article stays on one page; a long one may continue on the next page (rather than leaving
    half a page blank), but its heading always travels with the first lines of its text.
    """
    heading = para(f"《{article.title}》{article.label}（{_effective(article)}）", styles.law_title)
    paragraphs = [para(paragraph, styles.law_text) for paragraph in article.text.split("\n")]
    if len(article.text) <= 200:
        return [KeepTogether([heading, *paragraphs])]
    return [HeadedBlock([heading], paragraphs[0]), *paragraphs[1:]]


def _section(heading: Flowable, body: list[Flowable]) -> list[Flowable]:
    """A heading never ends a page: it travels with the first block after it, or with the first lines of
    a block too long for the rest of the page (a KeepTogether would move the whole block on, leaving the
    page nearly empty).

    (A style's keepWithNext does not reach into a following KeepTogether, so it is done here.)
    """
    if not body:
        return [heading]
    first = body[0]
    if isinstance(first, HeadedBlock):
        return [HeadedBlock([heading, *first.head], first.block, first.min_lines), *body[1:]]
    # A KeepTogether nested in another reports a huge height (it forces its own split), which would
    # push every section onto a new page; its content is merged instead.
    if isinstance(first, KeepTogether):
        return [KeepTogether([heading, *first._content]), *body[1:]]
    return [HeadedBlock([heading], first), *body[1:]]


def _bullets(items: tuple[str, ...] | list[str], styles: Styles) -> list[Flowable]:
    return [para(f"· {item}", styles.body) for item in items]


def _cited(text: str, cited: str, style: ParagraphStyle, styles: Styles, bullet: str = "") -> Paragraph:
    """A plain-language sentence with the articles it rests on in small grey type after it."""
    if not cited:
        return para(bullet + text, style)
    size = styles.small.fontSize
    return Paragraph(
        f'{markup(bullet + text, style)}<font size="{size}" color="#555555">（{markup(cited, style)}）</font>', style
    )


def _cited_bullets(items: tuple[str, ...], citations: tuple[str, ...], styles: Styles) -> list[Flowable]:
    padded = tuple(citations) + ("",) * (len(items) - len(citations))
    return [_cited(item, cited, styles.body, styles, "· ") for item, cited in zip(items, padded, strict=False)]


def _qr_row(targets: tuple[QrTarget, ...], styles: Styles, size_mm: float) -> Table:
    cells = [[qr_flowable(t.url, size_mm), para(f"{t.caption}\n{t.url}", styles.small)] for t in targets]
    flat = [cell for pair in cells for cell in pair]
    widths = []
    for _ in targets:
        widths += [(size_mm + 2) * mm, 48 * mm]
    table = Table([flat], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _office_block(office: Office, styles: Styles) -> list[Flowable]:
    return [
        para(f"地址：{office.address}", styles.body),
        para(f"电话：{office.phone}　　接待时间：{office.hours}", styles.body),
    ]


def _rule() -> HRFlowable:
    return HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#9aa8b8"), spaceBefore=4, spaceAfter=6)


def render_notice(content: NoticeContent, font: FontChoice) -> bytes:
    s = make_styles(font)
    issued = f"{content.issued_on.year}年{content.issued_on.month}月{content.issued_on.day}日"
    who = content.name + (f"（身份证号 {content.id_masked}）" if content.id_masked else "")
    story: list[Flowable] = [
        para(content.office.name, s.subtitle),
        para("权利义务与救济途径告知书", s.title),
        para(f"登记编号：{content.visit_no}　　告知日期：{issued}", s.subtitle),
        _rule(),
        para(f"{who}：", s.body),
        para(
            "您到我单位反映的事项已经登记。根据《信访工作条例》和有关法律法规，现将您的权利、义务和依法解决问题的途径告知如下。",
            s.law_text,
        ),
    ]
    # Headings are numbered as they occur: a matter without a guide has no rights section.
    sections: list[tuple[str, list[Flowable]]] = [
        (
            "您反映的事项",
            [
                para(content.summary, s.body),
                para(
                    f"分类：{content.matter_type or '待定'}　主题：{content.topic or '待定'}"
                    f"　处理途径：{content.route or '待定'}",
                    s.body,
                ),
            ],
        ),
        (
            "依法解决的途径" + PLAIN_LABEL,
            [
                *([para(f"适用情形：{content.remedy_case}", s.emphasis)] if content.remedy_case else []),
                _cited(content.route_plain, content.route_plain_cited, s.body, s),
                para(f"受理或办理部门：{content.where}", s.body),
            ],
        ),
        (
            "您可以做什么、在什么时间之前",
            [
                *_cited_bullets(content.actions, content.action_citations, s),
                *([para(ESTIMATE_NOTE, s.small)] if content.estimated else []),
            ],
        ),
    ]
    if content.rights or content.duties:
        body: list[Flowable] = []
        if content.rights:
            body += [para("您的权利：", s.emphasis), *_bullets(content.rights, s)]
        if content.duties:
            body += [para("您的义务：", s.emphasis), *_bullets(content.duties, s)]
        sections.append(("您的权利和义务" + PLAIN_LABEL, body))
    if content.citations or content.law_notices:
        sections.append(
            (
                "相关法律条文（原文）",
                [b for article in content.citations for b in citation_blocks(article, s)]
                + [para(notice, s.emphasis) for notice in content.law_notices],
            )
        )
    if content.basis:
        sections.append(
            ("途径与期限的法律依据（原文）", [b for article in content.basis for b in citation_blocks(article, s)])
        )
    # The QR codes, the note and the office's sign-off stay on one page: a sign-off alone on a last page
    # reads like a draft.
    closing: list[Flowable] = [_qr_row(content.qr, s, 28)] if content.qr else []
    closing += [
        Spacer(1, 4 * mm),
        para(LAW_NOTE, s.small),
        Spacer(1, 6 * mm),
        para(f"{content.office.name}　　{issued}", s.body),
    ]
    sections.append(
        ("到哪里办理、怎样查询", [*_office_block(content.office, s), Spacer(1, 3 * mm), KeepTogether(closing)])
    )
    for number, (heading, body) in enumerate(sections, start=1):
        story += _section(para(f"{to_chinese_number(number)}、{heading}", s.heading), body)
    return build_a4(story, font, "权利义务与救济途径告知书", f"{content.office.name}　登记编号 {content.visit_no}")


def receipt_summary(summary: str) -> str:
    """The summary as a receipt prints it: one run of text, cut after about 60 characters (the full text
    stays in the visit record, and the notice prints it whole)."""
    text = " ".join(summary.split())
    # Shortening must save something: a text only a little over the limit is printed whole.
    if len(text) <= RECEIPT_SUMMARY_CHARS + len(RECEIPT_SUMMARY_MORE):
        return text
    return text[:RECEIPT_SUMMARY_CHARS].rstrip("，。；：、,.;: ") + RECEIPT_SUMMARY_MORE


def _receipt_story(content: ReceiptContent, s: Styles, narrow: bool) -> list[Flowable]:
    when = content.visited_at
    story: list[Flowable] = [
        para(content.office.name, s.subtitle),
        para("来访登记回执", s.title),
        _rule(),
        para(f"登记编号：{content.visit_no}", s.body),
        para(f"查询码：{content.query_code[:4]}-{content.query_code[4:]}", s.emphasis),
        para(f"来访时间：{when.year}年{when.month}月{when.day}日 {when:%H:%M}", s.body),
        para(f"来访人：{content.name}" + (f"（{content.id_masked}）" if content.id_masked else ""), s.body),
        para(f"事项摘要：{content.summary}", s.body),
        para("接下来会怎样", s.heading),
        *_bullets(content.next_steps, s),
    ]
    if content.estimated:
        story.append(para(ESTIMATE_NOTE, s.small))
    size = 30 if narrow else 32
    if content.qr is None:
        story += [Spacer(1, 2 * mm), para(content.progress_note, s.emphasis)]
    elif narrow:
        story += [
            Spacer(1, 2 * mm),
            qr_flowable(content.qr.url, size),
            para(content.qr.caption, s.label),
            para(content.qr.url, s.small),
        ]
    else:
        story += [Spacer(1, 3 * mm), _qr_row((content.qr,), s, size)]
    story += [
        Spacer(1, 2 * mm),
        *_office_block(content.office, s),
        para("请妥善保管本回执，凭登记编号和查询码查询办理进度。", s.small),
    ]
    return story


def render_receipt(content: ReceiptContent, font: FontChoice, narrow: bool = False) -> bytes:
    s = make_styles(font, narrow)
    story = _receipt_story(content, s, narrow)
    if narrow:
        return build_receipt(story, "来访登记回执")
    return build_a4(story, font, "来访登记回执", f"{content.office.name}　登记编号 {content.visit_no}")


SHORT_GUIDE_SECTIONS = ("where", "time_limits", "materials")


GUIDE_MAX_PAGES = 2
GUIDE_BODY_PT = 11


def _guide_header(content: GuideContent, s: Styles) -> list[Flowable]:
    """Title on the left, the QR to the online guide on the right, so the QR never needs a page of its own."""
    title = [
        para(content.office.name + "　普法指南", s.small),
        para(content.title, s.title_left),
        para(content.summary, s.body),
    ]
    if not content.qr:
        return title
    qr_cell = [qr_flowable(content.qr.url, 26), para(content.qr.caption, s.label)]
    table = Table([[title, qr_cell]], colWidths=[None, 34 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


def _key_points(items: tuple[str, ...], s: Styles) -> Flowable:
    box = Table([[para("要点：" + "　·　".join(items), s.body)]], colWidths=["100%"])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef3f8")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#9aa8b8")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def _guide_story_a4(content: GuideContent, s: Styles, full_texts: int) -> list[Flowable]:
    """The guide; the first `full_texts` cited articles with their exact text, the rest by reference."""
    story: list[Flowable] = _guide_header(content, s)
    story.append(para("以下为通俗说明，帮助您了解自己的权利和办事途径；法律条文原文附在后面。", s.small))
    for key, heading, items in content.sections:
        if key == "short":
            story += [Spacer(1, 2 * mm), _key_points(items, s)]
            continue
        story += _section(para(heading, s.heading), _bullets(items, s))
    for case in content.cases[:1]:
        story += _section(
            para("以案释法：" + case.get("title", ""), s.heading),
            [
                para(case.get("story", ""), s.body),
                para("结果：" + case.get("outcome", ""), s.body),
                para("提示：" + case.get("lesson", ""), s.body),
                *([para("依据：" + case["cited"], s.small)] if case.get("cited") else []),
                para(case.get("label", ""), s.small),
            ],
        )
    blocks: list[Flowable] = [b for article in content.citations[:full_texts] for b in citation_blocks(article, s)]
    rest = content.citations[full_texts:]
    if rest:
        where = "扫描上方二维码查看，或向工作人员索取" if content.qr else "向工作人员索取"
        blocks.append(
            para(
                ("另见：" if full_texts else "")
                + "；".join(f"《{a.title}》{a.label}（{_effective(a)}）" for a in rest)
                + f"。条文原文可{where}。",
                s.body,
            )
        )
    blocks += [para(notice, s.emphasis) for notice in content.law_notices]
    if blocks:
        heading = "相关法律条文（原文）" if full_texts else "相关法律条文"
        story += _section(para(heading, s.heading), blocks)
    story += [Spacer(1, 2 * mm), para(LAW_NOTE, s.small)]
    return story


def _guide_story_narrow(content: GuideContent, s: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        para(content.office.name + "　普法指南", s.subtitle),
        para(content.title, s.title),
        para(content.summary, s.body),
        para("以下为通俗说明，不是法律条文原文。", s.small),
    ]
    for key, heading, items in content.sections:
        if key in SHORT_GUIDE_SECTIONS:
            story += [para(heading, s.heading), *_bullets(items, s)]
    cited = "、".join(f"《{a.short_title}》{a.label}" for a in content.citations)
    if cited or content.law_notices:
        story += [para("相关法条", s.heading), *([para(cited, s.body)] if cited else [])]
        story += [para(notice, s.small) for notice in content.law_notices]
    if content.qr:
        story += [Spacer(1, 2 * mm), qr_flowable(content.qr.url, 30), para(content.qr.caption, s.label)]
    story += [Spacer(1, 2 * mm), para(LAW_NOTE, s.small)]
    return story


def render_guide(content: GuideContent, font: FontChoice, narrow: bool = False) -> bytes:
    """A4: at most two pages — cited articles keep their exact text as far as the pages allow, the
    remaining ones are listed by title and number (never shortened or paraphrased); where even that does
    not fit, the example case gives way (the kiosk and the phone page still show it), never a rule."""
    if narrow:
        return build_receipt(_guide_story_narrow(content, make_styles(font, narrow)), content.title)
    s = make_styles(font, body_size=GUIDE_BODY_PT, leading=1.45)
    footer = f"{content.office.name}　普法指南：{content.topic}"
    pdf = b""
    for variant in (content, replace(content, cases=())):
        for full_texts in range(len(variant.citations), -1, -1):
            pdf, pages = build_a4_counted(_guide_story_a4(variant, s, full_texts), font, content.title, footer)
            if pages <= GUIDE_MAX_PAGES:
                return pdf
    return pdf


SHEET_MAX_FULL_TEXTS = 8


def render_sheet(content: SheetContent, font: FontChoice) -> bytes:
    """A4, as many pages as it needs: a kiosk page is printed as the person read it on the screen."""
    s = make_styles(font, body_size=GUIDE_BODY_PT, leading=1.45)
    title = [para(f"{content.office.name}　{content.kind}", s.small), para(content.title, s.title_left)]
    title += [para(line, s.body) for line in content.lead]
    if content.qr:
        qr_cell = [qr_flowable(content.qr.url, 26), para(content.qr.caption, s.label)]
        header = Table([[title, qr_cell]], colWidths=[None, 34 * mm])
        header.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story: list[Flowable] = [header]
    else:
        story = list(title)
    story.append(para("以下为通俗说明，每句后面括号里是它依据的法条；法律条文原文附在后面。", s.small))
    for heading, sentences in content.blocks:
        body = [_cited(text, cited, s.body, s, "· ") for text, cited in sentences]
        story += _section(para(heading, s.heading), body)
    if content.note:
        story += [Spacer(1, 1 * mm), para(content.note, s.small)]
    blocks: list[Flowable] = [
        b for article in content.citations[:SHEET_MAX_FULL_TEXTS] for b in citation_blocks(article, s)
    ]
    rest = content.citations[SHEET_MAX_FULL_TEXTS:]
    if rest:
        blocks.append(
            para("另见：" + "；".join(f"《{a.title}》{a.label}（{_effective(a)}）" for a in rest) + "。", s.body)
        )
    blocks += [para(notice, s.emphasis) for notice in content.law_notices]
    if blocks:
        story += _section(para("相关法律条文（原文）", s.heading), blocks)
    story += [Spacer(1, 2 * mm), _office_block(content.office, s)[0], _office_block(content.office, s)[1]]
    story += [para(LAW_NOTE, s.small)]
    return build_a4(story, font, content.title, f"{content.office.name}　{content.kind}")


__all__ = [
    "GuideContent",
    "NoticeContent",
    "Office",
    "QrTarget",
    "ReceiptContent",
    "SheetContent",
    "esc",
    "receipt_summary",
    "render_guide",
    "render_notice",
    "render_receipt",
    "render_sheet",
]
