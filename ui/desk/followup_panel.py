"""待办: what the office owes by when (overdue, today, this week), and the step that moves a matter on."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reception.followup import TRANSITIONS, Agenda, DueItem, FollowUpService
from reception.vocab import ROUTES
from ui.desk.step_dialog import StepDialog
from ui.shared.screen import fit_to_screen

COLUMNS = ("到期", "剩余", "状态", "事项", "主题", "诉求", "依据")
# Overdue red, due today orange, this week yellow: the colours of a paper 台账's 督办 marks.
SHADES = {"overdue": "#f8d0d0", "today": "#fde2bd", "week": "#fff5c2"}


class AgendaModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, DueItem]] = []

    def set_agenda(self, agenda: Agenda) -> None:
        self.beginResetModel()
        self.items = (
            [("overdue", i) for i in agenda.overdue]
            + [("today", i) for i in agenda.today]
            + [("week", i) for i in agenda.this_week]
        )
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        bucket, item = self.items[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(SHADES[bucket]))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        left = (
            "今天到期"
            if item.days_left == 0
            else (f"超期{-item.days_left}天" if item.days_left < 0 else f"{item.days_left}天")
        )
        return (
            item.due_on.isoformat(), left, item.status, str(item.matter_id), item.topic or "待分类", item.summary, item.basis,
        )[index.column()]  # fmt: skip


class FollowUpDialog(StepDialog):
    """One step of the procedure for one matter; the regulation's refusals are shown, not raised."""

    def __init__(
        self,
        followup: FollowUpService,
        matter_id: int,
        status: str,
        actor: str,
        parent: QWidget | None = None,
        version: int | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"事项 {matter_id} 的办理")
        self._followup = followup
        self.matter_id = matter_id
        # The matter as this dialog shows it: a colleague's change in the meantime is refused, not overwritten.
        self.version = version
        self.actor = actor
        self.action_combo = QComboBox()
        for key, (label, sources, _target) in TRANSITIONS.items():
            if status in sources:
                self.action_combo.addItem(label, key)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.reason_edit = QLineEdit()
        self.department_edit = QLineEdit()
        self.route_combo = QComboBox()
        self.route_combo.addItems(["", *ROUTES])
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, 30)
        form = QFormLayout()
        form.addRow("当前状态", QLabel(status))
        form.addRow("办理步骤", self.action_combo)
        form.addRow("日期", self.date_edit)
        form.addRow("理由", self.reason_edit)
        form.addRow("转送、交办至", self.department_edit)
        form.addRow("导入的法定途径", self.route_combo)
        form.addRow("延长天数（≤30）", self.days_spin)
        self.lay_out(form)
        if not self.action_combo.count():
            self.error.setText(f"“{status}”的事项没有可以办理的下一步。")
        fit_to_screen(self, 480, 420)

    def apply(self) -> None:
        action = self.action_combo.currentData()
        if not action:
            return
        day = self.date_edit.date()
        self.attempt(
            lambda: self._followup.change(
                self.matter_id,
                action,
                actor=self.actor,
                on=dt.date(day.year(), day.month(), day.day()),
                reason=self.reason_edit.text(),
                department=self.department_edit.text(),
                route=self.route_combo.currentText(),
                days=self.days_spin.value(),
                expected_version=self.version,
            )
        )


class AgendaPanel(QWidget):
    """Signals:
    count_changed(int): matters overdue or due today (the window title shows it).
    """

    count_changed = Signal(int)

    def __init__(self, followup: FollowUpService, actor: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._followup = followup
        self.actor = actor or "接待人员"
        self.model = AgendaModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.summary = QLabel("")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        self.handle_button = QPushButton("办理…")
        self.handle_button.setObjectName("primary")
        self.handle_button.clicked.connect(self.open_selected)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        top.addWidget(self.handle_button)
        legend = QLabel(
            "<span style='background:#f8d0d0'>&nbsp;超期&nbsp;</span> "
            "<span style='background:#fde2bd'>&nbsp;今天到期&nbsp;</span> "
            "<span style='background:#fff5c2'>&nbsp;本周到期&nbsp;</span>　到期日按《信访工作条例》和法定节假日计算"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        self.dialogs: list[FollowUpDialog] = []

    def refresh(self, today: dt.date | None = None) -> Agenda:
        agenda = self._followup.agenda(today)
        self.model.set_agenda(agenda)
        self.summary.setText(
            f"超期 {len(agenda.overdue)} 件，今天到期 {len(agenda.today)} 件，本周到期 {len(agenda.this_week)} 件"
        )
        self.count_changed.emit(len(agenda.overdue) + len(agenda.today))
        return agenda

    def open_selected(self) -> FollowUpDialog | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        _bucket, item = self.model.items[rows[0].row()]
        dialog = FollowUpDialog(self._followup, item.matter_id, item.status, self.actor, self, version=item.version)
        dialog.accepted.connect(self.refresh)
        self.dialogs.append(dialog)
        dialog.open()
        return dialog


class ReclassifyDialog(StepDialog):
    """Change a matter's type, topic or route; the change is kept in its history."""

    def __init__(
        self,
        followup: FollowUpService,
        matter_id: int,
        current: tuple[str, str, str],
        actor: str,
        parent: QWidget | None = None,
        version: int | None = None,
    ):
        from reception.vocab import MATTER_TYPES, TOPICS

        super().__init__(parent)
        self.setWindowTitle(f"事项 {matter_id} 重新分类")
        self._followup = followup
        self.matter_id = matter_id
        self.version = version
        self.actor = actor
        self.type_combo, self.topic_combo, self.route_combo = QComboBox(), QComboBox(), QComboBox()
        for combo, values, value in zip(
            (self.type_combo, self.topic_combo, self.route_combo), (MATTER_TYPES, TOPICS, ROUTES), current, strict=True
        ):
            combo.addItems(["", *values])
            combo.setCurrentText(value)
        form = QFormLayout()
        form.addRow("类别", self.type_combo)
        form.addRow("主题", self.topic_combo)
        form.addRow("途径", self.route_combo)
        self.lay_out(form)

    def apply(self) -> None:
        self.attempt(
            lambda: self._followup.reclassify(
                self.matter_id,
                actor=self.actor,
                matter_type=self.type_combo.currentText(),
                topic=self.topic_combo.currentText(),
                route=self.route_combo.currentText(),
                expected_version=self.version,
            )
        )
