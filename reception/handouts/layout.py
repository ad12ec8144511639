"""Page layouts and paragraph styles for A4 sheets and 80 mm receipt rolls."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.flowables import _Container, _listWrapOn

from reception.handouts.fonts import MISSING_MARK, FontChoice, font_runs

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
    """Body at 12 pt on A4 (≥ 11 pt for elderly readers); 10.5 pt on an 80 mm roll.

    Every style carries the FontChoice (`font_choice`, inherited by the derived styles), so `para` can
    take each character the main font lacks from a fallback font.
    """
    if body_size is None:
        body_size = 10.5 if narrow else 12
    base = ParagraphStyle(
        "body",
        font_choice=font,
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


_missing: ContextVar[dict[str, None] | None] = ContextVar("missing_characters", default=None)


@contextmanager
def collect_missing() -> Iterator[dict[str, None]]:
    """The characters printed as □ while the block runs (no font could draw them), in order, each once."""
    found: dict[str, None] = {}
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def _noted(runs: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    found = _missing.get()
    if found is not None:
        for name, run in runs:
            if name is None:
                found.update(dict.fromkeys(run))
    return runs


def markup(text: str, style: ParagraphStyle) -> str:
    """Escaped paragraph markup for `text` in `style`, with each character the style's font lacks set in
    the fallback font that has it, and □ for one no font has (never a silent gap in a name)."""
    font: FontChoice | None = getattr(style, "font_choice", None)
    if font is None:
        return esc(text)
    parts: list[str] = []
    for name, run in _noted(font_runs(text, font)):
        if name is None:
            parts.append(MISSING_MARK * len(run))
        elif name == style.fontName:
            parts.append(esc(run))
        else:
            parts.append(f'<font name="{name}">{esc(run)}</font>')
    return "".join(parts)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style), style)


def draw_text(canvas, x: float, y: float, text: str, font: FontChoice, size: float) -> None:  # noqa: ANN001
    """canvas.drawString with the same per-character fallback as `para`."""
    for name, run in _noted(font_runs(text, font)):
        shown = MISSING_MARK * len(run) if name is None else run
        face = name or font.name
        canvas.setFont(face, size)
        canvas.drawString(x, y, shown)
        x += canvas.stringWidth(shown, face, size)


class HeadedBlock(_Container, Flowable):
    """Headings kept with the start of the block after them, without sending a long block to the next page.

    A KeepTogether that does not fit moves whole to the next page: a heading with a long summary after it
    left page 1 with the letterhead and one paragraph. Here, when the block does not fit, it is split and
    its first `min_lines` lines (at least) stay on this page with the headings; when not even those fit,
    headings and block go to the next page together.
    """

    def __init__(self, head: list[Flowable], block: Flowable, min_lines: int = 2):
        self.head = list(head)
        self.block = block
        self.min_lines = min_lines
        self._content = [*self.head, block]

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self.width, self.height = _listWrapOn(self._content, aW, getattr(self, "canv", None))
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        _w, head_height = _listWrapOn(self.head, aW, getattr(self, "canv", None))
        gap = max(self.head[-1].getSpaceAfter(), self.block.getSpaceBefore())
        room = aH - head_height - gap
        parts = self.block.split(aW, room) if room > 0 else []
        if len(parts) >= 2 and self._enough(parts[0], aW, room):
            return [HeadedBlock(self.head, parts[0], self.min_lines), *parts[1:]]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            # Not even a fresh page holds the headings and the first lines: let each flow on its own.
            return [*self.head, self.block]
        return []

    def _enough(self, first: Flowable, aW: float, room: float) -> bool:
        _w, height = first.wrap(aW, room)
        leading = getattr(getattr(first, "style", None), "leading", 0)
        return height > 0 and height + 0.5 >= self.min_lines * leading


def _footer(font: FontChoice, footer_text: str) -> Callable:
    def draw(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(font.name, 9)
        canvas.setFillColor(colors.HexColor("#555555"))
        width, _height = doc.pagesize
        draw_text(canvas, doc.leftMargin, 12 * mm, footer_text, font, 9)
        canvas.setFont(font.name, 9)
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
