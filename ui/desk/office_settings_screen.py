"""设置: the office's details, printing, the hall's touch screen and holiday schedules in one dialog.

Saving checks every tab first (reception.settings_batch): a wrong web address on one tab leaves the
touch screen's settings on another as they were, and the fields at fault are marked where they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reception.deadlines import HolidaySchedule, WorkCalendar
from reception.errors import UserError, ValidationError
from reception.settings import KioskSettings, OfficeSettings
from reception.settings_batch import SettingsChange, format_days, holiday_key, parse_days, save_together
from ui.desk.settings_dialog import OFFICE_HINTS, printer_names
from ui.shared.field_error import ErrorLabel, field_with_error
from ui.shared.screen import fit_to_screen

OFFICE_FIELDS = (
    "office_name",
    "address",
    "phone",
    "reception_hours",
    "petition_url",
    "guide_base_url",
    "query_base_url",
)
PRINT_FIELDS = ("printer", "paper", "receipt_printer", "font_path")
KIOSK_FIELDS = ("idle_seconds", "terminal_name", "legal_aid_threshold", "pin", "pin_again")
TAB_OFFICE, TAB_PRINT, TAB_KIOSK, TAB_HOLIDAYS = range(4)

_HINTS = {
    **OFFICE_HINTS,
    "terminal_name": "如：一楼大厅触摸屏（使用统计按此区分）",
    "legal_aid_threshold": "如：本市法律援助经济困难标准为家庭人均月收入低于当地最低工资标准",
}


def _tab_of(key: str) -> int:
    if key in PRINT_FIELDS:
        return TAB_PRINT
    if key in KIOSK_FIELDS:
        return TAB_KIOSK
    if key.startswith("holidays"):
        return TAB_HOLIDAYS
    return TAB_OFFICE


def _count(text: str) -> int | None:
    try:
        return len(parse_days(text))
    except ValueError:
        return None


class OfficeSettingsScreen(QDialog):
    """本单位信息, 打印, 触摸屏 and 节假日 as tabs; 保存 checks them all and writes them together."""

    def __init__(self, services, parent: QWidget | None = None):  # noqa: ANN001 - reception.services.Services
        super().__init__(parent)
        self.setWindowTitle("设置")
        self._settings = services.settings
        self._office = self._settings.office()
        self._kiosk = self._settings.kiosk()
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_tab(), "本单位信息")
        self.tabs.addTab(self._print_tab(), "打印")
        self.tabs.addTab(self._kiosk_tab(), "触摸屏")
        self.tabs.addTab(self._holidays_tab(), "节假日")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, 780, 640)

    # ---- building ----

    def _row(self, form: QFormLayout, key: str, label: str, widget: QWidget, extra: QWidget | None = None) -> None:
        self.inputs[key] = widget
        box, self.errors[key] = field_with_error(widget, extra)
        form.addRow(label, box)

    def _line(self, key: str, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setPlaceholderText(_HINTS.get(key, ""))
        return edit

    @staticmethod
    def _page(intro: str, *parts: QWidget | QFormLayout) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(intro)
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout.addWidget(note)
        for part in parts:
            if isinstance(part, QFormLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _office_tab(self) -> QWidget:
        form = QFormLayout()
        for key in OFFICE_FIELDS:
            self._row(form, key, OfficeSettings.LABELS[key], self._line(key, getattr(self._office, key)))
        return self._page(
            "告知书、回执和普法指南上印出的本单位信息，触摸屏的“本单位信息”页也显示这些内容。"
            "修改只影响以后出具的文书，已出具文书的补打内容不变。二维码网址须以 http:// 或 https:// 开头。",
            form,
        )

    def _print_tab(self) -> QWidget:
        form = QFormLayout()
        printers = printer_names()
        for key in ("printer", "receipt_printer"):
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(["", *printers])
            combo.setCurrentText(getattr(self._office, key))
            combo.lineEdit().setPlaceholderText("系统默认打印机" if key == "printer" else "不使用小票打印机")
            self._row(form, key, OfficeSettings.LABELS[key], combo)
            if key == "printer":
                paper = QComboBox()
                paper.addItems(OfficeSettings.PAPERS)
                paper.setCurrentText(self._office.paper)
                self._row(form, "paper", OfficeSettings.LABELS["paper"], paper)
        font = self._line("font_path", self._office.font_path)
        font.editingFinished.connect(self._show_font)
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose_font)
        self._row(form, "font_path", OfficeSettings.LABELS["font_path"], font, choose)
        self.font_note = QLabel()
        self.font_note.setObjectName("hint")
        self.font_note.setWordWrap(True)
        self._show_font()
        found = "、".join(printers) if printers else "本机没有找到打印机（可手工填写打印机名称）"
        return self._page(
            f"窗口打印文书用的打印机和纸张；触摸屏打印也用“默认打印机”。本机的打印机：{found}。",
            form,
            self.font_note,
        )

    def _show_font(self) -> None:
        from reception.handouts.fonts import choose_font

        path = self.inputs["font_path"].text().strip()
        self.font_note.setText("打印将使用：" + choose_font(path).description)

    def _choose_font(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "选择中文字体文件", "", "字体文件 (*.ttf *.ttc *.otf)")
        if name:
            self.inputs["font_path"].setText(name)
            self._show_font()

    def _kiosk_tab(self) -> QWidget:
        form = QFormLayout()
        idle = QSpinBox()
        idle.setRange(KioskSettings.MIN_IDLE, KioskSettings.MAX_IDLE)
        idle.setSuffix(" 秒")
        idle.setValue(int(self._kiosk.idle_seconds))
        idle.setMaximumWidth(200)
        self._row(form, "idle_seconds", KioskSettings.LABELS["idle_seconds"], idle)
        self._row(form, "terminal_name", KioskSettings.LABELS["terminal_name"], self._line("terminal_name", ""))
        self.inputs["terminal_name"].setText(self._kiosk.terminal_name)
        threshold = QPlainTextEdit(self._kiosk.legal_aid_threshold)
        threshold.setPlaceholderText(_HINTS["legal_aid_threshold"])
        threshold.setFixedHeight(72)
        self._row(form, "legal_aid_threshold", KioskSettings.LABELS["legal_aid_threshold"], threshold)

        pin_box = QGroupBox("触摸屏退出密码")
        pin_form = QFormLayout(pin_box)
        self.pin_state = QLabel()
        self.pin_state.setWordWrap(True)
        pin_form.addRow(self.pin_state)
        digits = QRegularExpressionValidator(r"\d{0,12}")
        for key, label in (("pin", "新的退出密码"), ("pin_again", "再输一遍")):
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(digits)
            edit.setMaxLength(12)
            edit.setPlaceholderText("6到12位数字；留空则不修改")
            self._row(pin_form, key, label, edit)
        self._show_pin_state()
        return self._page(
            "大厅触摸屏的设置。触摸屏名称、法律援助标准和退出密码保存后即生效；无人操作的秒数在触摸屏程序重新启动后生效。"
            "使用统计按触摸屏名称区分各台机器。",
            form,
            pin_box,
        )

    def _show_pin_state(self) -> None:
        if self._kiosk.pin_hash:
            self.pin_state.setText("已设置退出密码（只保存其加密摘要）。如需更换，请输入新密码两遍。")
        else:
            self.pin_state.setText("尚未设置退出密码：设置后，管理员在触摸屏上输入它才能退出全屏。")

    def _holidays_tab(self) -> QWidget:
        self._holiday_saved: dict[int, tuple[str, str]] = {}
        for year, schedule in self._settings.holiday_schedules().items():
            self._holiday_saved[year] = (format_days(schedule.holidays), format_days(schedule.workdays))
        self._holiday_texts = dict(self._holiday_saved)
        self._holiday_year: int | None = None

        self.year_list = QListWidget()
        self.year_list.setMaximumWidth(280)
        self.year_list.currentItemChanged.connect(self._year_chosen)
        self.new_year = QSpinBox()
        self.new_year.setRange(2000, 2100)
        self.new_year.setValue(dt.date.today().year + 1)
        self.new_year.setSuffix(" 年")
        add = QPushButton("录入这一年")
        add.clicked.connect(lambda: self.edit_year(self.new_year.value()))
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_year, 1)
        add_row.addWidget(add)
        left = QVBoxLayout()
        left.addWidget(QLabel("已录入的年份"))
        left.addWidget(self.year_list, 1)
        left.addLayout(add_row)

        self.year_heading = QLabel("请选择或录入一个年份。")
        self.year_heading.setStyleSheet("font-weight: bold;")
        self.holidays_edit = QPlainTextEdit()
        self.holidays_edit.setPlaceholderText("如：2027-01-01,2027-02-05..2027-02-11,2027-10-01..2027-10-07")
        self.workdays_edit = QPlainTextEdit()
        self.workdays_edit.setPlaceholderText("如：2027-02-14,2027-09-26（周末调休上班的日子）")
        for edit in (self.holidays_edit, self.workdays_edit):
            edit.setEnabled(False)
            edit.textChanged.connect(self._holiday_edited)
        self.holiday_error = ErrorLabel()
        self.errors["holidays"] = self.holiday_error
        right = QFormLayout()
        right.addRow(self.year_heading)
        right.addRow("放假日", self.holidays_edit)
        right.addRow("调休上班日", self.workdays_edit)
        right.addRow(self.holiday_error)
        syntax = QLabel(
            "日期写成 YYYY-MM-DD，用逗号分隔；连续几天写成“起..止”，如 2027-10-01..2027-10-07。"
            "写法与命令 reception holidays set 相同。"
        )
        syntax.setObjectName("hint")
        syntax.setWordWrap(True)
        right.addRow(syntax)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        holder = QWidget()
        holder.setLayout(body)

        calendar = WorkCalendar()
        this_year = dt.date.today().year
        known = [y for y in range(2004, this_year + 3) if calendar.knows(y)]
        builtin = f"程序内置日历已包含{known[0]}—{known[-1]}年的放假安排，这些年份无需录入；" if known else ""
        page = self._page(
            f"期限计算要避开法定节假日并算上调休上班日。{builtin}"
            "之后的年份，请在国务院办公厅公布放假安排后在这里录入；未录入的年份按周末休息估算，文书上注明“估算”。",
            holder,
        )
        for year in sorted(self._holiday_texts):
            self._add_year_item(year)
        if self.year_list.count():
            self.year_list.setCurrentRow(self.year_list.count() - 1)
        return page

    # ---- holidays ----

    def _year_item(self, year: int) -> QListWidgetItem | None:
        for row in range(self.year_list.count()):
            item = self.year_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == year:
                return item
        return None

    def _add_year_item(self, year: int) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, year)
        rows = [self.year_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.year_list.count())]
        self.year_list.insertItem(sum(1 for y in rows if y < year), item)
        self._label_year(year)
        return item

    def _label_year(self, year: int) -> None:
        item = self._year_item(year)
        if item is None:
            return
        off, work = self._holiday_texts.get(year, ("", ""))
        days, extra = _count(off), _count(work)
        text = f"{year}年：" + (
            f"放假{days}天，调休上班{extra}天" if days is not None and extra is not None else "日期写法有误"
        )
        if self._holiday_texts.get(year) != self._holiday_saved.get(year):
            text += "（未保存）"
        item.setText(text)

    def edit_year(self, year: int) -> None:
        """Show a year's schedule for editing, adding the year to the list if it is new."""
        item = self._year_item(year)
        if item is None:
            self._holiday_texts.setdefault(year, ("", ""))
            item = self._add_year_item(year)
        self.year_list.setCurrentItem(item)

    def _year_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        year = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._holiday_year = None  # the editors are filled below: that is no edit
        off, work = self._holiday_texts.get(year, ("", "")) if year is not None else ("", "")
        self.holidays_edit.setPlainText(off.replace(",", ",\n") if "\n" not in off else off)
        self.workdays_edit.setPlainText(work.replace(",", ",\n") if "\n" not in work else work)
        for edit in (self.holidays_edit, self.workdays_edit):
            edit.setEnabled(year is not None)
        self.year_heading.setText(f"{year}年的放假安排" if year is not None else "请选择或录入一个年份。")
        self._holiday_year = year

    def _holiday_edited(self) -> None:
        year = self._holiday_year
        if year is None:
            return
        off, work = self.holidays_edit.toPlainText(), self.workdays_edit.toPlainText()
        saved = self._holiday_saved.get(year)
        # Only the line breaks the editor adds: the same days as saved are no change.
        if saved is not None and (off.replace("\n", ""), work.replace("\n", "")) == saved:
            self._holiday_texts[year] = saved
        else:
            self._holiday_texts[year] = (off, work)
        self._label_year(year)

    def _holiday_changes(self, errors: dict[str, str]) -> list[HolidaySchedule]:
        schedules = []
        for year, (off, work) in sorted(self._holiday_texts.items()):
            saved = self._holiday_saved.get(year)
            # A year added and left blank is not saved: an empty schedule would count its holidays as workdays.
            if saved == (off, work) or (saved is None and not (off.strip() or work.strip())):
                continue
            try:
                schedules.append(HolidaySchedule(year, frozenset(parse_days(off)), frozenset(parse_days(work))))
            except ValueError as exc:
                errors[holiday_key(year)] = f"{year}年：{exc}"
        return schedules

    # ---- saving ----

    def _text(self, key: str) -> str:
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            return widget.currentText().strip()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        return widget.text().strip()

    def office_values(self) -> OfficeSettings:
        return replace(self._office, **{key: self._text(key) for key in OFFICE_FIELDS + PRINT_FIELDS})

    def kiosk_values(self) -> KioskSettings:
        return replace(
            self._kiosk,
            idle_seconds=self.inputs["idle_seconds"].value(),
            terminal_name=self._text("terminal_name"),
            legal_aid_threshold=self._text("legal_aid_threshold"),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            if key != "holidays":
                label.show_message(errors.get(key, ""))
        self.holiday_error.show_message("\n".join(v for k, v in errors.items() if k.startswith("holidays")))
        for key, widget in self.inputs.items():
            widget.setProperty("invalid", key in errors)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        if errors:
            tabs = sorted({_tab_of(key) for key in errors})
            names = "、".join(f"“{self.tabs.tabText(t)}”" for t in tabs)
            self.error.setText(f"有 {len(errors)} 处需要修改（在{names}中已标出），所有设置都未保存。")
            self.tabs.setCurrentIndex(tabs[0])
        else:
            self.error.setText("")

    def save(self) -> bool:
        """Check every tab; save all of them, or none."""
        errors: dict[str, str] = {}
        office, kiosk = self.office_values(), self.kiosk_values()
        pin, again = self._text("pin"), self._text("pin_again")
        if (pin or again) and pin != again:
            errors["pin_again"] = "两次输入的退出密码不一致"
        change = SettingsChange(
            office=office if office != self._office else None,
            kiosk=kiosk if kiosk != self._kiosk else None,
            pin=pin,
            holidays=self._holiday_changes(errors),
        )
        try:
            # With a problem found here already, the services' checks still run (writing nothing), so that
            # every field at fault is marked at once.
            save_together(self._settings, change, dry_run=bool(errors))
        except ValidationError as exc:
            errors.update(exc.errors)
        except UserError as exc:
            self.show_errors({})
            self.error.setText(str(exc))
            return False
        self.show_errors(errors)
        if errors:
            return False
        self.accept()
        return True
