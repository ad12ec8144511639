"""From a saved visit to a previewed, printed and saved document, through the real window."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.test_registration import fill, save_and_wait


def wait_for_preview(qtbot, window):  # noqa: ANN001, ANN201
    qtbot.waitUntil(lambda: bool(window.previews) and window.previews[-1].isVisible(), timeout=10000)
    dialog = window.previews[-1]
    qtbot.addWidget(dialog)
    return dialog


def test_notice_preview_then_save_records_the_handout(qtbot, main_window, services, tmp_path):
    form = main_window.form
    bar = main_window.document_bar
    assert not bar.notice_button.isEnabled()
    fill(qtbot, form)
    form.set_classification("申诉求决", "劳动就业", "仲裁")
    saved = save_and_wait(qtbot, form)
    assert bar.notice_button.isEnabled() and saved.visit_no in bar.visit_label.text()

    bar.notice_button.click()
    dialog = wait_for_preview(qtbot, main_window)
    assert dialog.document.kind == "notice" and dialog.document.visit_id == saved.visit_id
    assert dialog.pdf.pageCount() >= 1
    assert services.handouts().history(saved.visit_id) == []  # a preview alone is not a handout

    target = tmp_path / "告知书.pdf"
    with qtbot.waitSignal(dialog.issued, timeout=10000):
        dialog.save_to(target)
    assert target.read_bytes() == dialog.document.pdf
    (row,) = services.handouts().history(saved.visit_id)
    assert row.kind == "notice" and row.issued_by == "李管理"  # the logged-in account, not a typed name


def test_printing_renders_every_page_at_printer_resolution(qtbot, main_window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ui.desk.document_preview import print_pdf

    main_window.guide_panel.show_topic("征地拆迁")
    main_window.guide_panel.print_button.click()
    dialog = wait_for_preview(qtbot, main_window)
    assert dialog.document.topic == "征地拆迁"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageLayout(dialog._page_layout())
    assert print_pdf(dialog.pdf, printer) == dialog.pdf.pageCount()
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    QApplication.processEvents()


def test_guide_panel_follows_the_confirmed_topic(qtbot, main_window, services):
    panel = main_window.guide_panel
    for topic in ("教育", "社会救助"):
        main_window.form.set_classification("", topic, "")
        assert panel.topic_combo.currentText() == topic
        assert services.handouts().guides.get(topic).title in panel.browser.toPlainText()
