"""The red line under a form field that names what is wrong with it (styled as #fieldError)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


class ErrorLabel(QLabel):
    """A red message line under a field; hidden while empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def field_with_error(widget: QWidget, extra: QWidget | None = None) -> tuple[QWidget, ErrorLabel]:
    """The field (with `extra`, such as a button, beside it) and its error line under it, as one form cell."""
    error = ErrorLabel()
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if extra is None:
        column.addWidget(widget)
    else:
        line = QHBoxLayout()
        line.addWidget(widget, 1)
        line.addWidget(extra)
        column.addLayout(line)
    column.addWidget(error)
    return box, error
