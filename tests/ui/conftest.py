"""Widget fixtures: the real main window on a temporary database."""

from __future__ import annotations

import pytest


@pytest.fixture
def main_window(qtbot, services):  # noqa: ANN001, ANN201
    from PySide6.QtWidgets import QApplication

    from ui.desk.main_window import MainWindow
    from ui.shared.startup import apply_style

    apply_style(QApplication.instance())
    window = MainWindow(services)
    # Questions the desk asks (discard input? save unclassified?) are answered here, not in a modal box:
    # each test sets `window.form.answer` and reads `window.form.asked`.
    window.form.asked = []
    window.form.answer = True

    def confirm(title: str, text: str) -> bool:
        window.form.asked.append(title)
        return window.form.answer

    window.form.confirm = confirm
    qtbot.addWidget(window)
    window.show()
    # Shortcuts (Ctrl+N, Ctrl+Enter) only reach an active window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    yield window
    window.form.stop_timers()
    window.worker.wait()
    window.match_worker.wait()
