"""The documents themselves: content as plain data in, PDF bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from reception.handouts.fonts import FontChoice
from reception.handouts.layout import Styles, build_a4, build_receipt, esc, make_styles, para
from reception.handouts.qr import qr_flowable
from reception.lawlib.library import ArticleView

PLAIN_LABEL = "（通俗说明，不是法律条文原文）"
LAW_NOTE = "条文原文以国家法律法规数据库公布的文本为准；通俗说明仅帮助理解，不替代法律规定。"
ESTIMATE_NOTE = "标注“估算”的日期所在年份尚无国务院公布的放假安排，暂按周末休息计算，请以届时公布的安排为准。"


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
    qr: QrTarget
    estimated: bool = False


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


def _effective(article: ArticleView) -> str:
    return (
        f"{article.effective.year}年{article.effective.month}月{article.effective.day}日起施行"
        if article.effective
        else ""
    )


def citation_block(article: ArticleView, styles: Styles) -> Flowable:
    """Law title + article number + effective date, then the exact text, kept on one page where it fits."""
    parts: list[Flowable] = [para(f"《{article.title}》{article.label}（{_effective(article)}）", styles.law_title)]
    parts += [para(paragraph, styles.law_text) for paragraph in article.text.split("\n")]
    return KeepTogether(parts)


def _bullets(items: tuple[str, ...] | list[str], styles: Styles) -> list[Flowable]:
    return [para(f"· {item}", styles.body) for item in items]


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
        para("一、您反映的事项", s.heading),
        para(content.summary, s.body),
        para(
            f"分类：{content.matter_type or '待定'}　主题：{content.topic or '待定'}　处理途径：{content.route or '待定'}",
            s.body,
        ),
        para("二、依法解决的途径" + PLAIN_LABEL, s.heading),
        para(content.route_plain, s.body),
        para(f"受理或办理部门：{content.where}", s.body),
        para("三、您可以做什么、在什么时间之前", s.heading),
        *_bullets(content.actions, s),
    ]
    if content.estimated:
        story.append(para(ESTIMATE_NOTE, s.small))
    if content.rights or content.duties:
        story.append(para("四、您的权利和义务" + PLAIN_LABEL, s.heading))
        if content.rights:
            story.append(para("您的权利：", s.emphasis))
            story += _bullets(content.rights, s)
        if content.duties:
            story.append(para("您的义务：", s.emphasis))
            story += _bullets(content.duties, s)
    story.append(para("五、相关法律条文（原文）", s.heading))
    story += [citation_block(article, s) for article in content.citations]
    story += [para("六、到哪里办理、怎样查询", s.heading), *_office_block(content.office, s), Spacer(1, 3 * mm)]
    if content.qr:
        story.append(KeepTogether([_qr_row(content.qr, s, 28)]))
    story += [
        Spacer(1, 4 * mm),
        para(LAW_NOTE, s.small),
        Spacer(1, 6 * mm),
        para(f"{content.office.name}　　{issued}", s.body),
    ]
    return build_a4(story, font, "权利义务与救济途径告知书", f"{content.office.name}　登记编号 {content.visit_no}")


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
    if narrow:
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


def render_guide(content: GuideContent, font: FontChoice, narrow: bool = False) -> bytes:
    s = make_styles(font, narrow)
    story: list[Flowable] = [
        para(content.office.name + "　普法指南", s.subtitle),
        para(content.title, s.title),
        para(content.summary, s.body),
        para("以下为通俗说明，帮助您了解自己的权利和办事途径；法律条文原文附在后面。", s.small),
    ]
    for key, heading, items in content.sections:
        if narrow and key not in SHORT_GUIDE_SECTIONS:
            continue
        story.append(para(heading, s.heading))
        story += _bullets(items, s)
    if not narrow:
        for case in content.cases[:1]:
            story += [
                para("以案释法：" + case.get("title", ""), s.heading),
                para(case.get("story", ""), s.body),
                para("结果：" + case.get("outcome", ""), s.body),
                para("提示：" + case.get("lesson", ""), s.body),
                para(case.get("label", ""), s.small),
            ]
        if content.citations:
            story.append(para("相关法律条文（原文）", s.heading))
            story += [citation_block(article, s) for article in content.citations]
    else:
        cited = "、".join(f"《{a.short_title}》{a.label}" for a in content.citations)
        if cited:
            story += [para("相关法条", s.heading), para(cited, s.body)]
    if content.qr:
        if narrow:
            story += [Spacer(1, 2 * mm), qr_flowable(content.qr.url, 30), para(content.qr.caption, s.label)]
        else:
            story += [Spacer(1, 4 * mm), KeepTogether([_qr_row((content.qr,), s, 28)])]
    story += [Spacer(1, 2 * mm), para(LAW_NOTE, s.small)]
    if narrow:
        return build_receipt(story, content.title)
    return build_a4(story, font, content.title, f"{content.office.name}　普法指南：{content.topic}")


__all__ = [
    "GuideContent",
    "NoticeContent",
    "Office",
    "QrTarget",
    "ReceiptContent",
    "esc",
    "render_guide",
    "render_notice",
    "render_receipt",
]
