"""Page layouts and paragraph styles for A4 sheets and 80 mm receipt rolls."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from reception.handouts.fonts import FontChoice

RECEIPT_WIDTH = 80 * mm
RECEIPT_MARGIN = 4 * mm


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    title_left: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    law_title: ParagraphStyle
    law_text: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    emphasis: ParagraphStyle


def make_styles(
    font: FontChoice, narrow: bool = False, body_size: float | None = None, leading: float = 1.55
) -> Styles:
    """Body at 12 pt on A4 (≥ 11 pt for elderly readers); 10.5 pt on an 80 mm roll."""
    if body_size is None:
        body_size = 10.5 if narrow else 12
    base = ParagraphStyle(
        "body",
        fontName=font.name,
        fontSize=body_size,
        leading=body_size * leading,
        wordWrap="CJK",
        alignment=TA_LEFT,
        spaceAfter=2,
    )
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=base,
            fontSize=15 if narrow else 20,
            leading=22 if narrow else 28,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        title_left=ParagraphStyle("title_left", parent=base, fontSize=18, leading=25, spaceBefore=2, spaceAfter=4),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=body_size,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#333333"),
            spaceAfter=8,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontSize=body_size + 2,
            leading=(body_size + 2) * 1.5,
            textColor=colors.HexColor("#1f3f66"),
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        body=base,
        law_title=ParagraphStyle(
            "law_title", parent=base, textColor=colors.HexColor("#1f3f66"), spaceBefore=4, keepWithNext=1
        ),
        law_text=ParagraphStyle("law_text", parent=base, firstLineIndent=2 * body_size, leftIndent=0),
        small=ParagraphStyle(
            "small",
            parent=base,
            fontSize=body_size - 2.5,
            leading=(body_size - 2.5) * 1.5,
            textColor=colors.HexColor("#444444"),
        ),
        label=ParagraphStyle(
            "label", parent=base, fontSize=body_size - 1.5, leading=(body_size - 1.5) * 1.45, alignment=TA_CENTER
        ),
        emphasis=ParagraphStyle("emphasis", parent=base, textColor=colors.HexColor("#8a2b00")),
    )


def esc(text: str) -> str:
    """Escape text for reportlab's paragraph markup; newlines become line breaks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(esc(text), style)


def _footer(font: FontChoice, footer_text: str) -> Callable:
    def draw(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(font.name, 9)
        canvas.setFillColor(colors.HexColor("#555555"))
        width, _height = doc.pagesize
        canvas.drawString(doc.leftMargin, 12 * mm, footer_text)
        canvas.drawRightString(width - doc.rightMargin, 12 * mm, f"第 {doc.page} 页")
        canvas.setStrokeColor(colors.HexColor("#9aa8b8"))
        canvas.line(doc.leftMargin, 16 * mm, width - doc.rightMargin, 16 * mm)
        canvas.restoreState()

    return draw


def build_a4(story: list[Flowable], font: FontChoice, title: str, footer_text: str) -> bytes:
    return build_a4_counted(story, font, title, footer_text)[0]


def build_a4_counted(story: list[Flowable], font: FontChoice, title: str, footer_text: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=title,
        author="信访接待与释法系统",
        creator="信访接待与释法系统",
        # Same content, same bytes: a reprint must be identical to the first print.
        invariant=1,
    )
    footer = _footer(font, footer_text)
    doc.build(list(story), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), doc.page


def build_receipt(story: list[Flowable], title: str) -> bytes:
    """An 80 mm roll page exactly as long as its content."""
    # SimpleDocTemplate's frame pads its content by 6 pt on every side.
    frame_width = RECEIPT_WIDTH - 2 * RECEIPT_MARGIN - 12
    height = 2 * RECEIPT_MARGIN + 12 + 4 * mm
    for flowable in story:
        _w, h = flowable.wrap(frame_width, 10_000 * mm)
        height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(RECEIPT_WIDTH, height),
        leftMargin=RECEIPT_MARGIN,
        rightMargin=RECEIPT_MARGIN,
        topMargin=RECEIPT_MARGIN,
        bottomMargin=RECEIPT_MARGIN,
        title=title,
        author="信访接待与释法系统",
        creator="信访接待与释法系统",
        invariant=1,
    )
    doc.build(list(story))
    return buffer.getvalue()
