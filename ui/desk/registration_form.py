"""The 来访登记 form: keyboard-first entry, per-field Chinese errors, and the repeat-visit notice."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from PySide6.QtCore import QDateTime, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ValidationError, database_error, is_connection_lost
from reception.followup import final_notice
from reception.validation import normalize_id_number
from reception.visits import (
    MAX_REPRESENTATIVES,
    RepeatInfo,
    RepresentativeInput,
    SavedVisit,
    VisitInput,
    VisitService,
    format_query_code,
    new_query_code,
)
from reception.vocab import GENDERS, MATTER_TYPES, ROUTES, TOPICS
from ui.shared.field_error import ErrorLabel
from ui.shared.ops import Worker

UNSET = "（未确定）"


class RepeatVisitNotice(QGroupBox):
    """Tells the officer at once how often this person came before and what they were told."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("重复来访提示", parent)
        self.setObjectName("repeatNotice")
        layout = QVBoxLayout(self)
        self.headline = QLabel("输入身份证号或联系电话后，这里显示此人以往的来访。")
        self.headline.setObjectName("repeatHeadline")
        self.headline.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        # Earlier visits scroll inside the notice so that a frequent visitor does not push the
        # matches and the document buttons off a 768-pixel screen.
        self.details_area = QScrollArea()
        self.details_area.setWidget(self.details)
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.hide()
        # A returning person's visit may be about an earlier matter: the officer joins it here.
        self.matter_combo = QComboBox()
        self.matter_combo.setObjectName("joinMatter")
        # An earlier matter's summary is long: sized to its items, the combo widened the whole side
        # column past a 1366-pixel screen and clipped the matches beside it. The open list still shows
        # each item whole (see _offer_matters).
        self.matter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.matter_combo.setMinimumContentsLength(16)
        self.matter_combo.hide()
        layout.addWidget(self.headline)
        layout.addWidget(self.matter_combo)
        layout.addWidget(self.details_area, 1)
        self.setMaximumHeight(200)
        self.count = 0

    def show_info(self, info: RepeatInfo) -> None:
        if not info.searched:
            self.reset()
            return
        self.count = info.count
        self._set_highlight(info.count > 0)
        self._offer_matters(info)
        if info.count == 0:
            self.headline.setText("未查到此人以往的来访记录（首次来访）。")
            self.details.clear()
            self.details_area.hide()
            return
        self.headline.setText(f"此人此前已来访 {info.count} 次，请接续以往的释法，不必从头讲起。")
        parts = []
        if info.final_matters:
            parts.append(f"<p style='color:#a00000'><b>{_escape(final_notice(list(info.final_matters)))}</b></p>")
        for visit in info.visits:
            explanation = _escape(visit.explanation) or "（未记录释法要点）"
            parts.append(
                f"<p><b>{visit.visited_at:%Y-%m-%d}</b>　{_escape(visit.topic) or '待分类'}　"
                f"<span style='color:#555'>{_escape(visit.status)}</span><br>"
                f"诉求：{_escape(_shorten(visit.summary, 60))}<br>"
                f"已释法：{_escape(_shorten(explanation, 80))}</p>"
            )
        if info.count > len(info.visits):
            parts.append(f"<p>……另有 {info.count - len(info.visits)} 次更早的来访，可在“来访查询”中查看。</p>")
        self.details.setText("".join(parts))
        self.details_area.show()

    def _offer_matters(self, info: RepeatInfo) -> None:
        self.matter_combo.clear()
        self.matter_combo.addItem("本次来访登记为新事项", None)
        seen = set()
        for visit in info.visits:
            if visit.matter_id and visit.matter_id not in seen and visit.status != "已并入":
                seen.add(visit.matter_id)
                label = f"并入事项 {visit.matter_id}：{visit.topic or '待分类'}，{_shorten(visit.summary, 24)}（{visit.status}）"
                self.matter_combo.addItem(label, visit.matter_id)
        view = self.matter_combo.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        )
        self.matter_combo.setVisible(bool(seen))

    def chosen_matter(self) -> int | None:
        return self.matter_combo.currentData() if self.matter_combo.isVisible() else None

    def _set_highlight(self, on: bool) -> None:
        for widget in (self, self.headline):
            widget.setProperty("repeat", on)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def reset(self) -> None:
        self.count = 0
        self.matter_combo.clear()
        self.matter_combo.hide()
        self._set_highlight(False)
        self.headline.setText("输入身份证号或联系电话后，这里显示此人以往的来访。")
        self.details.clear()
        self.details_area.hide()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shorten(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RegistrationForm(QWidget):
    """Signals:
    saved(object): a SavedVisit after a visit was stored.
    summary_changed(str): the 诉求摘要 text, for live matching beside the form.
    repeat_lookup_done(object): the RepeatInfo shown in the notice.
    """

    saved = Signal(object)
    summary_changed = Signal(str)
    RETRY_SECONDS = 5
    repeat_lookup_done = Signal(object)

    def __init__(self, visits: VisitService, worker: Worker, parent: QWidget | None = None):
        super().__init__(parent)
        self._visits = visits
        self._worker = worker
        self._saving = False
        self._pending_code = ""
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(self.RETRY_SECONDS * 1000)
        self.retry_timer.timeout.connect(self._retry_save)
        self._errors: dict[str, ErrorLabel] = {}
        self._inputs: dict[str, QWidget] = {}
        self.repeat_notice = RepeatVisitNotice()
        self._repeat_timer = QTimer(self)
        self._repeat_timer.setSingleShot(True)
        self._repeat_timer.setInterval(250)
        self._repeat_timer.timeout.connect(self._look_up_earlier_visits)
        self._repeat_generation = 0
        self._suggestion: dict | None = None
        self._time_chosen = False
        self._setting_time = False
        self._saved_unclassified = False
        self._clock = QTimer(self)
        self._clock.setInterval(15_000)
        self._clock.timeout.connect(self._show_current_time)
        self._clock.start()
        self._build()
        self._connect()
        self.clear()

    # -- construction ---------------------------------------------------------------------------------

    def _field(self, key: str, widget: QWidget) -> QWidget:
        """Wrap widget with its error label below it."""
        self._inputs[key] = widget
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = ErrorLabel()
        self._errors[key] = error
        layout.addWidget(error)
        return box

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("匿名来访可不填")
        self.gender_combo = QComboBox()
        self.gender_combo.addItems(GENDERS)
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("18位或15位；不提供则按匿名来访登记")
        self.id_edit.setMaxLength(20)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机或固定电话（带区号）")
        self.address_edit = QLineEdit()
        self.visited_at_edit = QDateTimeEdit()
        self.visited_at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.visited_at_edit.setCalendarPopup(True)
        self.officer_edit = QLineEdit()
        self.headcount_spin = QSpinBox()
        self.headcount_spin.setRange(1, 9999)
        self.headcount_spin.setSuffix(" 人")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText("按来访人的原话记录诉求：发生了什么、要求什么（Ctrl+Enter 保存）")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(90)
        self.unit_edit = QLineEdit()
        self.location_edit = QLineEdit()
        self.jurisdiction_edit = QLineEdit()
        self.type_combo = QComboBox()
        self.type_combo.addItems([UNSET, *MATTER_TYPES])
        self.topic_combo = QComboBox()
        self.topic_combo.addItems([UNSET, *TOPICS])
        self.route_combo = QComboBox()
        self.route_combo.addItems([UNSET, *ROUTES])
        self.explanation_edit = QPlainTextEdit()
        self.explanation_edit.setPlaceholderText("向来访人讲解了哪些法律规定、应走的途径")
        self.explanation_edit.setTabChangesFocus(True)
        self.explanation_edit.setMinimumHeight(60)

        person = QGroupBox("来访人")
        person_form = QGridLayout(person)
        person_form.addWidget(QLabel("姓名"), 0, 0)
        person_form.addWidget(self._field("name", self.name_edit), 0, 1)
        person_form.addWidget(QLabel("性别"), 0, 2)
        person_form.addWidget(self._field("gender", self.gender_combo), 0, 3)
        person_form.addWidget(QLabel("身份证号"), 1, 0)
        person_form.addWidget(self._field("id_number", self.id_edit), 1, 1, 1, 3)
        person_form.addWidget(QLabel("联系电话"), 2, 0)
        person_form.addWidget(self._field("phone", self.phone_edit), 2, 1, 1, 3)
        person_form.addWidget(QLabel("住址"), 3, 0)
        person_form.addWidget(self._field("address", self.address_edit), 3, 1, 1, 3)
        person_form.setColumnStretch(1, 3)
        person_form.setColumnStretch(3, 1)

        visit = QGroupBox("来访情况")
        visit_form = QGridLayout(visit)
        visit_form.addWidget(QLabel("来访时间"), 0, 0)
        visit_form.addWidget(self._field("visited_at", self.visited_at_edit), 0, 1)
        visit_form.addWidget(QLabel("接待人员"), 0, 2)
        visit_form.addWidget(self._field("officer", self.officer_edit), 0, 3)
        visit_form.addWidget(QLabel("来访人数"), 1, 0)
        visit_form.addWidget(self._field("headcount", self.headcount_spin), 1, 1)
        self.group_hint = QLabel("多人走访须推选代表，不超过5人")
        self.group_hint.setObjectName("hint")
        visit_form.addWidget(self.group_hint, 1, 2, 1, 2)

        self.reps_box = QGroupBox("代表（多人走访）")
        reps_layout = QGridLayout(self.reps_box)
        for col, title in enumerate(("姓名", "身份证号", "联系电话")):
            reps_layout.addWidget(QLabel(title), 0, col + 1)
        self.rep_edits: list[tuple[QLineEdit, QLineEdit, QLineEdit]] = []
        for i in range(MAX_REPRESENTATIVES):
            row = (QLineEdit(), QLineEdit(), QLineEdit())
            reps_layout.addWidget(QLabel(f"代表{i + 1}"), i + 1, 0)
            for col, edit in enumerate(row):
                reps_layout.addWidget(edit, i + 1, col + 1)
            self.rep_edits.append(row)
        self._errors["representatives"] = ErrorLabel()
        reps_layout.addWidget(self._errors["representatives"], MAX_REPRESENTATIVES + 1, 0, 1, 4)
        for i in range(MAX_REPRESENTATIVES):
            self._errors[f"representatives.{i}"] = ErrorLabel()
            reps_layout.addWidget(self._errors[f"representatives.{i}"], MAX_REPRESENTATIVES + 2 + i, 0, 1, 4)
        reps_layout.setColumnStretch(1, 1)
        reps_layout.setColumnStretch(2, 2)
        reps_layout.setColumnStretch(3, 1)
        visit_form.addWidget(self.reps_box, 2, 0, 1, 4)
        visit_form.setColumnStretch(1, 1)
        visit_form.setColumnStretch(3, 1)

        matter = QGroupBox("信访事项")
        matter_form = QFormLayout(matter)
        matter_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        matter_form.addRow("诉求摘要", self._field("summary", self.summary_edit))
        matter_form.addRow("涉及单位", self._field("involved_unit", self.unit_edit))
        place_row = QWidget()
        place_layout = QHBoxLayout(place_row)
        place_layout.setContentsMargins(0, 0, 0, 0)
        place_layout.addWidget(self._field("location", self.location_edit), 2)
        place_layout.addWidget(QLabel("问题属地"))
        place_layout.addWidget(self._field("jurisdiction", self.jurisdiction_edit), 1)
        matter_form.addRow("地点", place_row)
        class_row = QWidget()
        class_layout = QHBoxLayout(class_row)
        class_layout.setContentsMargins(0, 0, 0, 0)
        class_layout.addWidget(QLabel("类型"))
        class_layout.addWidget(self._field("matter_type", self.type_combo), 1)
        class_layout.addWidget(QLabel("主题"))
        class_layout.addWidget(self._field("topic", self.topic_combo), 2)
        class_layout.addWidget(QLabel("途径"))
        class_layout.addWidget(self._field("route", self.route_combo), 1)
        matter_form.addRow("分类", class_row)
        matter_form.addRow("释法要点", self._field("explanation", self.explanation_edit))

        self.save_button = QPushButton("保存登记（Ctrl+Enter）")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.clear_button = QPushButton("新登记（Ctrl+N）")
        self.status_label = QLabel()
        self.status_label.setObjectName("saveStatus")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(person)
        content_layout.addWidget(visit)
        content_layout.addWidget(matter)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)

        order: list[QWidget] = [
            self.name_edit,
            self.gender_combo,
            self.id_edit,
            self.phone_edit,
            self.address_edit,
            self.visited_at_edit,
            self.officer_edit,
            self.headcount_spin,
        ]
        for row in self.rep_edits:
            order.extend(row)
        order += [
            self.summary_edit,
            self.unit_edit,
            self.location_edit,
            self.jurisdiction_edit,
            self.type_combo,
            self.topic_combo,
            self.route_combo,
            self.explanation_edit,
            self.save_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        for edit in [*self._visit_line_edits(), self.officer_edit]:
            # An ID-card reader types the number and then Enter: Enter moves on, only Ctrl+Enter saves.
            edit.returnPressed.connect(self.focusNextChild)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.new_registration)
        for sequence in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(sequence), self, activated=self.save)
        self.id_edit.textChanged.connect(self._repeat_timer.start)
        self.id_edit.textChanged.connect(self._gender_from_id)
        self.visited_at_edit.dateTimeChanged.connect(self._time_edited)
        self.phone_edit.textChanged.connect(self._repeat_timer.start)
        self.headcount_spin.valueChanged.connect(self._update_group_visibility)
        self.summary_edit.textChanged.connect(lambda: self.summary_changed.emit(self.summary_edit.toPlainText()))
        self._connect_error_clearing()

    def _connect_error_clearing(self) -> None:
        """An error disappears as soon as the officer edits the field it is about."""
        for key, widget in self._inputs.items():
            signal = None
            if isinstance(widget, QLineEdit):
                signal = widget.textEdited
            elif isinstance(widget, QPlainTextEdit):
                signal = widget.textChanged
            elif isinstance(widget, QComboBox):
                signal = widget.currentIndexChanged
            elif isinstance(widget, (QSpinBox, QDateTimeEdit)):
                signal = widget.editingFinished
            if signal is not None:
                signal.connect(lambda *_, k=key: self._clear_error(k))

    # -- state ------------------------------------------------------------------------------------

    def _update_group_visibility(self) -> None:
        group = self.headcount_spin.value() > 1
        self.reps_box.setVisible(group)
        self.group_hint.setVisible(group)

    def new_registration(self) -> bool:
        """Start a blank form; returns False when the officer chose to keep unsaved input."""
        if self.has_input() and not self.confirm(
            "放弃未保存的登记？", "表单中有尚未保存的内容，确定清空并开始新的登记吗？"
        ):
            return False
        self.clear()
        self.status_label.setText("")
        self.name_edit.setFocus()
        return True

    def stop_timers(self) -> None:
        """No lookup or clock tick after the window closes (their answers would reach deleted widgets)."""
        self._repeat_timer.stop()
        self.retry_timer.stop()
        self._clock.stop()

    def has_input(self) -> bool:
        """Whether the form holds anything an officer typed that is not saved."""
        texts = [e.text() for e in self._visit_line_edits()]
        texts += [self.summary_edit.toPlainText(), self.explanation_edit.toPlainText()]
        return any(t.strip() for t in texts)

    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question (replaced in tests)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _time_edited(self) -> None:
        if not self._setting_time:
            self._time_chosen = True

    def _show_current_time(self) -> None:
        """Until the officer sets it, 来访时间 follows the clock: a visit is stamped when it is saved."""
        if self._time_chosen:
            return
        self._setting_time = True
        self.visited_at_edit.setDateTime(QDateTime.currentDateTime())
        self._setting_time = False

    def _gender_from_id(self, text: str) -> None:
        """A valid ID number carries the sex (odd sequence code = 男); fill 性别 while it says 未说明."""
        try:
            gender = normalize_id_number(text).gender
        except ValueError:
            return
        if self.gender_combo.currentText() == "未说明":
            self.gender_combo.setCurrentText(gender)

    def _visit_line_edits(self) -> list[QLineEdit]:
        """The single-line fields of one visit (the officer's name stays from one visit to the next)."""
        return [
            self.name_edit,
            self.id_edit,
            self.phone_edit,
            self.address_edit,
            self.unit_edit,
            self.location_edit,
            self.jurisdiction_edit,
            *[e for row in self.rep_edits for e in row],
        ]

    def clear(self) -> None:
        self._pending_code = ""
        self.retry_timer.stop()
        for edit in self._visit_line_edits():
            edit.clear()
        self.summary_edit.clear()
        self.explanation_edit.clear()
        for combo in (self.gender_combo, self.type_combo, self.topic_combo, self.route_combo):
            combo.setCurrentIndex(0 if combo is not self.gender_combo else GENDERS.index("未说明"))
        self.headcount_spin.setValue(1)
        self._time_chosen = False
        self._show_current_time()
        me = self._visits.access.current
        if me is not None:
            # The person at the desk is the logged-in account; the audit trail and the visit agree on it.
            self.officer_edit.setText(me.display_name)
            self.officer_edit.setReadOnly(True)
            self.officer_edit.setToolTip("接待人员为当前登录的账户")
        else:
            self.officer_edit.setText(str(QSettings().value("registration/officer", "")))
        self._update_group_visibility()
        self.show_errors({})
        self.repeat_notice.reset()
        self._suggestion = None

    def to_input(self) -> VisitInput:
        def combo_value(combo: QComboBox) -> str:
            return "" if combo.currentText() == UNSET else combo.currentText()

        return VisitInput(
            name=self.name_edit.text(),
            gender=self.gender_combo.currentText(),
            id_number=self.id_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            visited_at=self.visited_at_edit.dateTime().toPython()
            if self._time_chosen
            else dt.datetime.now().replace(second=0, microsecond=0),
            officer=self.officer_edit.text(),
            headcount=self.headcount_spin.value(),
            representatives=[RepresentativeInput(n.text(), i.text(), p.text()) for n, i, p in self.rep_edits]
            if self.headcount_spin.value() > 1
            else [],
            summary=self.summary_edit.toPlainText(),
            involved_unit=self.unit_edit.text(),
            location=self.location_edit.text(),
            jurisdiction=self.jurisdiction_edit.text(),
            matter_type=combo_value(self.type_combo),
            topic=combo_value(self.topic_combo),
            route=combo_value(self.route_combo),
            explanation=self.explanation_edit.toPlainText(),
            suggestion=self._suggestion,
            matter_id=self.repeat_notice.chosen_matter(),
        )

    def set_suggestion(self, suggestion: dict | None) -> None:
        """The matcher's latest suggestion, saved with the visit beside what the officer confirmed."""
        self._suggestion = suggestion

    def set_classification(self, matter_type: str = "", topic: str = "", route: str = "") -> None:
        """Apply a suggested classification (one click from the match panel)."""
        for combo, value in ((self.type_combo, matter_type), (self.topic_combo, topic), (self.route_combo, route)):
            if value:
                index = combo.findText(value)
                if index >= 0:
                    combo.setCurrentIndex(index)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self._errors.items():
            label.show_message(errors.get(key, ""))
            widget = self._inputs.get(key)
            if widget is not None:
                widget.setProperty("invalid", key in errors)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        first = next((self._inputs[k] for k in self._inputs if k in errors), None)
        if first is not None:
            first.setFocus()
        if errors:
            self.status_label.setText(f"有 {len(errors)} 处需要修改，未保存。")
            self.status_label.setProperty("state", "error")
        else:
            self.status_label.setProperty("state", "")
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)

    def _clear_error(self, key: str) -> None:
        label = self._errors.get(key)
        if label is not None and label.isVisible():
            label.show_message("")
            widget = self._inputs[key]
            widget.setProperty("invalid", False)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if label.isVisible() or label.text() else ""

    # -- actions ----------------------------------------------------------------------------------

    def _checked_input(self) -> VisitInput | None:
        """The form's input, or None with every error shown at its field."""
        data = self.to_input()
        try:
            self._visits.validate(data)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        return data

    def save(self) -> None:
        if self._saving:
            return
        data = self._checked_input()
        if data is None:
            return
        unclassified = not (data.matter_type and data.topic and data.route)
        if unclassified and not self.confirm(
            "尚未分类",
            "类型、主题或处理途径还没有选。确定按“待分类”保存吗？\n保存后请在来访详情中补充分类；补充前不能出具告知书。",
        ):
            self.type_combo.setFocus()
            return
        self._saved_unclassified = unclassified
        self.show_errors({})
        self._submit(data)

    def _submit(self, data: VisitInput) -> None:
        # One query code per visit being saved, kept across attempts: a retry after a lost connection finds
        # the visit if the first attempt reached the server, instead of registering it twice.
        self._pending_code = self._pending_code or new_query_code()
        data = replace(data, query_code=self._pending_code)
        self._saving = True
        self.save_button.setEnabled(False)
        self.status_label.setText("正在保存……")
        self._worker.submit(lambda: self._visits.register(data), self._on_saved, self._on_save_failed)

    def _retry_save(self) -> None:
        """Try again with what the form holds now (the officer may have kept typing)."""
        if self._saving or not self._pending_code:
            return
        data = self._checked_input()
        if data is not None:
            self._submit(data)

    def _on_saved(self, saved: SavedVisit) -> None:
        self._saving = False
        self._pending_code = ""
        self.retry_timer.stop()
        self.save_button.setEnabled(True)
        QSettings().setValue("registration/officer", self.officer_edit.text().strip())
        self.clear()
        reminder = "（待分类：请在来访详情中补充分类后再出具告知书）" if self._saved_unclassified else ""
        self.status_label.setText(
            f"已保存：登记编号 {saved.visit_no}，查询码 {format_query_code(saved.query_code)}{reminder}"
        )
        self.status_label.setProperty("state", "ok")
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)
        self.name_edit.setFocus()
        self.saved.emit(saved)

    def _set_status(self, text: str, state: str) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("state", state)
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)

    def _on_save_failed(self, exc: Exception) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
            return
        if is_connection_lost(exc, self._visits.database_url):
            logging.getLogger("reception").warning("saving a visit: connection lost: %r", exc)
            self._set_status(
                f"与数据库服务器的连接中断（{dt.datetime.now():%H:%M:%S}）。登记内容仍在表单中，"
                f"连接恢复后会自动保存，每 {self.RETRY_SECONDS} 秒重试一次；也可以再按“保存”。",
                "error",
            )
            self.retry_timer.start()
            return
        # A read-only, locked or full database is something an officer or the administrator can fix:
        # say which and what to do, keep the form, and leave the traceback to the log.
        known = database_error(exc, self._visits.database_url)
        if known is not None:
            logging.getLogger("reception").error("saving a visit failed: %r", exc)
            self.status_label.setText("保存失败，登记内容仍在表单中。" + str(known).replace("\n", " "))
            self.status_label.setProperty("state", "error")
            self.status_label.style().unpolish(self.status_label)
            self.status_label.style().polish(self.status_label)
            return
        self.status_label.setText("保存失败，登记内容仍在表单中，请稍后重试。")
        raise exc

    def _look_up_earlier_visits(self) -> None:
        id_number, phone = self.id_edit.text(), self.phone_edit.text()
        self._repeat_generation += 1
        generation = self._repeat_generation
        if not id_number.strip() and not phone.strip():
            self.repeat_notice.reset()
            return

        def done(info: RepeatInfo) -> None:
            # A slower answer for older input must not overwrite the newest one.
            if generation == self._repeat_generation:
                self.repeat_notice.show_info(info)
                self.repeat_lookup_done.emit(info)

        def failed(exc: Exception) -> None:
            if not is_connection_lost(exc, self._visits.database_url):
                raise exc
            if generation == self._repeat_generation and not self._saving:
                self._set_status("与数据库服务器的连接中断：暂时查不到此人以往的来访，登记内容不受影响。", "error")

        self._worker.submit(lambda: self._visits.earlier_visits(id_number=id_number, phone=phone), done, failed)
