"""The staff desk opens a teaching case beside the visit, from the topic guide it shows."""

from __future__ import annotations

from PySide6.QtCore import QUrl


def test_guide_panel_lists_the_topic_cases_and_opens_one_beside_the_desk(main_window):  # noqa: ANN001
    from reception.cases import CaseLibrary

    panel = main_window.guide_panel
    panel.show_topic("社会救助")
    cases = CaseLibrary().for_topic("社会救助")
    html = panel.browser.toHtml()
    assert all(case.title in html for case in cases)
    panel.browser.anchorClicked.emit(QUrl(f"case:{cases[0].id}"))
    window = panel.case_windows[-1]
    assert window.isVisible() and not window.isModal()
    text = window.browser.toPlainText()
    assert cases[0].facts in text and "案例为根据常见情形编写" in text and cases[0].cited in text
    assert main_window.isVisible(), "the visit stays open behind the case"
