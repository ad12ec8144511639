"""设置 → 本单位信息: what every printed document says about the office, its web pages and printers."""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ValidationError
from reception.settings import OfficeSettings, SettingsService
from ui.shared.field_error import ErrorLabel, field_with_error
from ui.shared.screen import fit_to_screen

OFFICE_HINTS = {
    "office_name": "如：某某市信访局",
    "address": "如：某某市人民路1号信访接待大厅",
    "phone": "如：0512-12345678、12345",
    "reception_hours": "如：工作日 上午9:00—12:00，下午13:30—17:00",
    "petition_url": "本单位网上信访平台的网址（可不填）",
    "guide_base_url": "本单位普法指南网页的网址前缀，如 https://xf.example.gov.cn/pufa/；不填则不印普法二维码",
    "query_base_url": "办理进度查询网页的网址；不填则回执只写查询方式，不印二维码",
    "font_path": "一般留空，程序会自动查找中文字体",
}


def printer_names() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


class OfficeSettingsDialog(QDialog):
    """Edit the office settings; `first_start` adds a short explanation for the administrator."""

    def __init__(self, settings: SettingsService, parent: QWidget | None = None, first_start: bool = False):
        super().__init__(parent)
        self.setWindowTitle("设置：本单位信息")
        self._settings = settings
        self._office = settings.office()
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, ErrorLabel] = {}

        self.intro = intro = QLabel(
            "首次使用，请先填写本单位信息：告知书、回执和普法指南都会印出这些内容，未填写时文书不能直接打印。"
            if first_start
            else "告知书、回执和普法指南上印出的本单位信息。修改只影响以后出具的文书，已出具文书的补打内容不变。"
        )
        intro.setWordWrap(True)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        printers = printer_names()
        for field in fields(OfficeSettings):
            key = field.name
            value = getattr(self._office, key)
            if key == "paper":
                widget: QLineEdit | QComboBox = QComboBox()
                widget.addItems(OfficeSettings.PAPERS)
                widget.setCurrentText(value)
            elif key in ("printer", "receipt_printer"):
                widget = QComboBox()
                widget.setEditable(True)
                widget.addItems(["", *printers])
                widget.setCurrentText(value)
                widget.lineEdit().setPlaceholderText("系统默认打印机" if key == "printer" else "不使用小票打印机")
            else:
                widget = QLineEdit(value)
                widget.setPlaceholderText(OFFICE_HINTS.get(key, ""))
            self.inputs[key] = widget
            box, self.errors[key] = field_with_error(widget)
            form.addRow(OfficeSettings.LABELS[key], box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再说" if first_start else "取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 640, 560)

    def values(self) -> OfficeSettings:
        changed = {
            key: (widget.currentText() if isinstance(widget, QComboBox) else widget.text()).strip()
            for key, widget in self.inputs.items()
        }
        return replace(self._office, **changed)

    def save(self) -> None:
        try:
            self._settings.save_office(self.values())
        except ValidationError as exc:
            for key, label in self.errors.items():
                label.show_message(exc.errors.get(key, ""))
            return
        self.accept()
