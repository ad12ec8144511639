"""Window sizes that fit the screen they open on (a hall's PCs are often 1366×768, some at 125 %)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the window frame and title bar, which availableGeometry() does not subtract.
_FRAME = 40


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width×height, or to what the screen leaves, whichever is smaller."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    window.resize(min(width, area.width()), min(height, area.height() - _FRAME))
