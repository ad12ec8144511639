"""Issue 13, points 4 and 9: rare characters print (or are reported), and paper is not wasted."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from reception.handouts.documents import RECEIPT_SUMMARY_MORE, receipt_summary
from reception.handouts.fonts import MISSING_MARK, choose_font, font_runs, missing_characters

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts")),
    reason="poppler-utils is installed by .ci/run",
)

RARE = "𪚥"  # U+2A6A5, CJK Extension B
LONG_SUMMARY = "。".join(f"第{i}件事：包工头拖欠工资，老板说等工程款到了再给，已经找了劳动监察{i}次" for i in range(60))
A4_HEIGHT = 841.89
FOOTER_TOP = A4_HEIGHT - 17 * 72 / 25.4  # the running footer is drawn below 16 mm


def _write(pdf: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdf_text(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = _write(pdf, tmp_path, "text.pdf")
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_info(pdf: bytes, tmp_path: Path) -> tuple[float, int]:
    """Height of the first page in points, number of pages."""
    path = _write(pdf, tmp_path, "info.pdf")
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+)", info).group(1))
    return height, int(re.search(r"Pages:\s+(\d+)", info).group(1))


def embedded_fonts(pdf: bytes, tmp_path: Path) -> dict[str, bool]:
    """Base font name (without the subset tag) -> embedded."""
    path = _write(pdf, tmp_path, "fonts.pdf")
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts: dict[str, bool] = {}
    for line in listing.splitlines()[2:]:
        columns = line.split()
        name = columns[0].split("+", 1)[-1]
        fonts[name] = fonts.get(name, False) or "yes" in columns[-5:-4]
    return fonts


def _prepare_all(handouts, visit_id: int) -> dict:  # noqa: ANN001
    # The placeholder office data is beside the point here.
    return {
        "notice": handouts.prepare_notice(visit_id, issued_on=dt.date(2026, 11, 22), allow_placeholders=True),
        "receipt": handouts.prepare_receipt(visit_id, allow_placeholders=True),
        "receipt80": handouts.prepare_receipt(visit_id, narrow=True, allow_placeholders=True),
    }


# ---- point 4: rare characters -------------------------------------------------------------------------


def test_extension_b_name_prints_in_an_embedded_font(handouts, register, tmp_path):
    font = handouts.font()
    if missing_characters(RARE, font):
        pytest.skip("no font with CJK Extension B installed (.ci/run installs fonts-hanazono)")
    (fallback,) = [name for name, run in font_runs(RARE, font) if run == RARE]
    saved = register(name="张" + RARE)
    for kind, document in _prepare_all(handouts, saved.visit_id).items():
        assert document.missing_characters == (), kind
        assert "张" + RARE in flat(pdf_text(document.pdf, tmp_path)), kind
        fonts = embedded_fonts(document.pdf, tmp_path)
        assert fonts.get(pdfmetrics.getFont(fallback).face.name.decode()), (kind, fallback, fonts)
    # A reprint draws the character from the same fallback font: the same bytes.
    document = _prepare_all(handouts, saved.visit_id)["receipt"]
    issued = handouts.issue(document, "刘接待")
    assert handouts.reprint(issued.handout_id, "刘接待").identical_to_original


def test_characters_no_font_has_are_reported_and_marked(handouts, register, tmp_path):
    emoji, private = "😀", "\ue000"
    saved = register(name="李" + emoji, summary=f"工资被拖欠（附件编号{private}）")
    for kind, document in _prepare_all(handouts, saved.visit_id).items():
        assert set(document.missing_characters) == {emoji, private}, kind
        text = flat(pdf_text(document.pdf, tmp_path))
        # Never a silent gap: the place of the character is marked.
        assert "李" + MISSING_MARK in text, kind
    font = choose_font()
    assert missing_characters(f"张三{emoji}{private}{emoji}", font) == (emoji, private)
    # Joiners and variation selectors have no glyph of their own; the emoji they belong to is reported.
    assert missing_characters("👍\ufe0f张\u200d三", font) == ("👍",)
    assert missing_characters("王秀英 abc，。（）", font) == ()
    # The CID font cannot reach beyond the BMP, and without fallbacks nothing else can.
    assert missing_characters("张" + RARE, choose_font("", allow_system=False)) == (RARE,)


# ---- point 9: paper ---------------------------------------------------------------------------------


def test_receipt_summary_is_shortened():
    assert receipt_summary("工资被拖欠") == "工资被拖欠"
    assert receipt_summary("工资\n  被拖欠") == "工资 被拖欠"
    near = "字" * 70  # shortening would save nothing
    assert receipt_summary(near) == near
    short = receipt_summary(LONG_SUMMARY)
    assert short.endswith(RECEIPT_SUMMARY_MORE)
    assert len(short) <= 60 + len(RECEIPT_SUMMARY_MORE)
    assert LONG_SUMMARY.startswith(short.removesuffix(RECEIPT_SUMMARY_MORE))


def test_receipts_print_a_short_summary_and_the_record_keeps_it_whole(handouts, register, services, tmp_path):
    summary = (LONG_SUMMARY * 2)[:2000]
    short_visit = register()
    long_visit = register(summary=summary, name="赵六")
    short_height, _pages = page_info(_prepare_all(handouts, short_visit.visit_id)["receipt80"].pdf, tmp_path)
    documents = _prepare_all(handouts, long_visit.visit_id)
    height, pages = page_info(documents["receipt80"].pdf, tmp_path)
    # At most four lines more than for a one-line summary (about 65 mm of roll in all, was 1.5 m).
    assert pages == 1 and height - short_height < 4 * 10.5 * 1.55 + 1, (height, short_height)
    assert height < 300 * 72 / 25.4
    for kind in ("receipt", "receipt80"):
        text = flat(pdf_text(documents[kind].pdf, tmp_path))
        assert flat(summary[:30]) in text and flat(RECEIPT_SUMMARY_MORE) in text, kind
        assert flat(summary[200:240]) not in text, kind
    assert page_info(documents["receipt"].pdf, tmp_path)[1] == 1
    # The record and the notice keep the whole text.
    assert services.visits.get_detail(long_visit.visit_id).summary == summary
    no_footer = ("-x", "0", "-y", "0", "-W", "595", "-H", str(round(FOOTER_TOP)))
    assert flat(summary) in flat(pdf_text(documents["notice"].pdf, tmp_path, *no_footer))


def _lowest_lines(layout: str) -> list[tuple[float, str]]:
    """Per page, the bottom and the text of its lowest line above the footer."""
    lowest = []
    for page in re.findall(r"<page .*?</page>", layout, flags=re.S):
        lines = [
            (float(bottom), "".join(re.findall(r">([^<]*)</word>", words)))
            for bottom, words in re.findall(
                r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page, flags=re.S
            )
        ]
        lowest.append(max((line for line in lines if line[0] < FOOTER_TOP), default=(0.0, "")))
    return lowest


def test_long_notice_has_no_near_empty_page(handouts, register, tmp_path):
    saved = register(summary=LONG_SUMMARY)
    document = _prepare_all(handouts, saved.visit_id)["notice"]
    _height, pages = page_info(document.pdf, tmp_path)
    assert pages >= 2
    # The summary starts on page 1, under its heading, rather than leaving the letterhead alone there.
    first_page = flat(pdf_text(document.pdf, tmp_path, "-f", "1", "-l", "1"))
    assert "一、您反映的事项第0件事" in first_page
    # Every page but the last is filled to (near) its foot, and never ends with a heading.
    lowest = _lowest_lines(pdf_text(document.pdf, tmp_path, "-bbox-layout"))
    assert len(lowest) == pages
    for number, (bottom, text) in enumerate(lowest[:-1], start=1):
        assert bottom > 0.8 * FOOTER_TOP, (number, bottom, text)
        assert not re.match(r"^[一二三四五六七八九十]+、", text), (number, text)
