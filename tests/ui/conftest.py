"""Widget fixtures: the real main window on a temporary database."""

from __future__ import annotations

import pytest


@pytest.fixture
def main_window(qtbot, services):  # noqa: ANN001, ANN201
    from PySide6.QtWidgets import QApplication

    from ui.app import apply_style
    from ui.main_window import MainWindow

    apply_style(QApplication.instance())
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    # Shortcuts (Ctrl+N, Ctrl+Enter) only reach an active window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    yield window
    window.worker.wait()
    window.match_worker.wait()
