"""Rare Han characters on screen (issue 13, point 4), and the preview's warning before printing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QFont, QFontMetrics, QTextLayout

import ui.shared.fonts
from ui.shared.fonts import EXT_B_FONTS, install_fallback_fonts

RARE = "𪚥"  # U+2A6A5, CJK Extension B


def glyph_runs(font: QFont, text: str) -> list[tuple[str, list[int]]]:
    """(family, glyph ids) of each run Qt lays `text` out in: the fonts the screen really draws with."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


@pytest.fixture
def restore_font(qapp):  # noqa: ANN001, ANN201
    font = QFont(qapp.font())
    yield qapp
    qapp.setFont(font)


def test_application_font_draws_extension_b(restore_font):
    app = restore_font
    app.setFont(QFont("WenQuanYi Micro Hei", 11))
    added = install_fallback_fonts(app)
    if not added:
        pytest.skip("no CJK Extension B font installed (.ci/run installs fonts-hanazono)")
    font = app.font()
    assert font.families()[-len(added) :] == added
    assert QFontMetrics(font).inFontUcs4(ord(RARE))
    (family, glyphs) = next((family, glyphs) for family, glyphs in glyph_runs(font, "张" + RARE) if family in added)
    # Drawn from one of the listed fonts (ahead of whatever the system would pick), with a real glyph.
    assert glyphs and 0 not in glyphs, family
    # Calling it again adds nothing twice.
    assert install_fallback_fonts(app) == added
    assert len(app.font().families()) == len(set(app.font().families()))


def test_a_font_file_not_installed_is_registered(restore_font, monkeypatch):
    files = [path for _family, paths in EXT_B_FONTS for path in paths if path.is_file()]
    if not files:
        pytest.skip("no CJK Extension B font file on this machine")
    # As on a machine where the font lies on disk (or beside the program) but is not installed.
    monkeypatch.setattr(ui.shared.fonts, "EXT_B_FONTS", (("Not-Installed-ExtB", (files[0],)),))
    added = install_fallback_fonts(restore_font)
    assert added and any(family in added for family, _glyphs in glyph_runs(restore_font.font(), RARE))


def test_preview_warns_before_printing(qtbot, services):  # noqa: ANN001
    from reception.visits import VisitInput
    from ui.desk.document_preview import DocumentPreviewDialog
    from ui.shared.ops import Worker

    saved = services.visits.register(
        VisitInput(name="李😀", officer="刘接待", visited_at=dt.datetime(2026, 11, 22, 9, 30), summary="工资被拖欠")
    )
    handouts = services.handouts()
    document = handouts.prepare_receipt(saved.visit_id, allow_placeholders=True)
    assert document.missing_characters == ("😀",)
    worker = Worker()
    dialog = DocumentPreviewDialog(document, handouts, worker, "刘接待")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.missing.isVisible()
    assert dialog.missing.text().startswith("以下字符无法打印：“😀”（U+1F600）")
    assert dialog.missing.text().endswith("请核对后再打印。")

    plain = services.visits.register(
        VisitInput(name="王秀英", officer="刘接待", visited_at=dt.datetime(2026, 11, 22, 9, 30), summary="工资被拖欠")
    )
    clean = DocumentPreviewDialog(
        handouts.prepare_receipt(plain.visit_id, allow_placeholders=True), handouts, worker, "刘接待"
    )
    qtbot.addWidget(clean)
    clean.show()
    assert not clean.missing.isVisible()
