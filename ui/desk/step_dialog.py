"""A small form dialog that runs one service call: refusals are shown under the form, success closes it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from reception.errors import UserError, ValidationError


class StepDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#a00000")
        self.error.setWordWrap(True)

    def lay_out(
        self, form: QFormLayout, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok
    ) -> None:
        """The form, the error line under it, then the buttons; OK runs `apply`."""
        buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        # Qt names standard buttons in English unless a translation is loaded: the desk says them in Chinese.
        buttons.button(ok).setText("保存" if ok == QDialogButtonBox.StandardButton.Save else "确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = self.layout() or QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def apply(self) -> None:
        raise NotImplementedError

    def attempt(self, call: Callable[[], object]) -> None:
        """Run call; a field error or a refusal stays in the dialog, in the service's own words."""
        try:
            call()
        except ValidationError as exc:
            self.error.setText("；".join(exc.errors.values()))
            return
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
