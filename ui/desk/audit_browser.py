"""审计记录 (负责人 and up): the trail page by page, filtered, its integrity check and its export.

The trail grows by every login and every record opened, so it can hold a million entries: the table asks
for 200 at a time, newest first, as the view scrolls; the check and the export walk the whole chain on a
worker thread while the dialog stays usable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reception.audit import ACTIONS, AuditLog, AuditView, VerifyResult
from reception.errors import UserError
from ui.shared.ops import Worker
from ui.shared.paged_model import PagedTableModel, list_view
from ui.shared.screen import fit_to_screen

PAGE_SIZE = 200
COLUMNS = ("编号", "时间", "操作人", "终端", "操作", "对象", "内容")
DETAIL_COLUMN = 6
# The earliest date a filter can hold; shown as 不限 (no bound).
NO_DATE = QDate(2000, 1, 1)


class AuditTableModel(PagedTableModel):
    """Entries arrive 200 at a time (canFetchMore/fetchMore), each page continuing below the last number.

    Signals:
        loaded(int): number of rows now held, after each page.
        failed(str): the service refused or failed; the message is for the screen.
    """

    failed = Signal(str)
    column_count = len(COLUMNS)

    def __init__(self, audit: AuditLog, parent=None):  # noqa: ANN001 - Qt parent
        super().__init__(parent)
        self._audit = audit
        self._rows: list[AuditView] = []
        self._filters: dict[str, object] = {}

    def set_filters(
        self, actor: str = "", action: str = "", start: dt.date | None = None, end: dt.date | None = None
    ) -> None:
        self._filters = {"actor": actor.strip(), "action": action, "start": start, "end": end}
        self.reload()

    def refresh(self) -> None:
        self.set_filters(**self._filters)  # type: ignore[arg-type]

    def fetch_page(self) -> tuple[list[AuditView], bool]:
        # Each page continues below the last entry number shown.
        before = self._rows[-1].entry_id if self._rows else None
        try:
            rows = self._audit.browse(limit=PAGE_SIZE, before_id=before, **self._filters)  # type: ignore[arg-type]
        except UserError as exc:
            self.failed.emit(str(exc))
            return [], False
        return rows, len(rows) == PAGE_SIZE

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(entry.entry_id),
                entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor,
                entry.terminal,
                ACTIONS.get(entry.action, entry.action),
                entry.target,
                entry.detail,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (5, DETAIL_COLUMN):
            return entry.target if column == 5 else entry.detail
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return entry.entry_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def entry(self, row: int) -> AuditView:
        return self._rows[row]


def _date_edit() -> QDateEdit:
    """A date that can also be 不限: its lowest value stands for no bound."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setMaximumDate(QDate.currentDate().addYears(1))
    edit.setSpecialValueText("不限")
    edit.setDate(NO_DATE)
    edit.setMinimumWidth(130)
    return edit


def _bound(edit: QDateEdit) -> dt.date | None:
    day = edit.date()
    return None if day == edit.minimumDate() else day.toPython()


class AuditBrowser(QDialog):
    """The audit trail with its filters, the integrity check and the CSV export."""

    def __init__(self, audit: AuditLog, parent: QWidget | None = None, worker: Worker | None = None):
        super().__init__(parent)
        self.setWindowTitle("审计记录")
        self._audit = audit
        # Its own thread: a check of a million entries must not hold up the desk's saves.
        self.worker = worker or Worker(self)
        self.verify_result: VerifyResult | None = None
        self.exported: int | None = None
        self.model = AuditTableModel(audit, self)

        self.actor_edit = QLineEdit()
        self.actor_edit.setPlaceholderText("姓名，须完全一致")
        self.actor_edit.setClearButtonEnabled(True)
        self.actor_edit.setMinimumWidth(140)
        self.action_combo = QComboBox()
        self.action_combo.addItem("全部", "")
        for code, label in ACTIONS.items():
            self.action_combo.addItem(label, code)
        self.start_edit = _date_edit()
        self.end_edit = _date_edit()
        self.start_edit.setToolTip("选最早的日期（显示“不限”）表示不限")
        self.end_edit.setToolTip("选最早的日期（显示“不限”）表示不限")
        self.search_button = QPushButton("查询")
        self.search_button.setObjectName("primary")
        self.clear_button = QPushButton("清除筛选")
        self.today_button = QPushButton("今天")

        self.table = list_view(self.model, 28)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DETAIL_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((70, 160, 90, 120, 120, 150)):
            header.resizeSection(column, width)

        self.verify_button = QPushButton("校验完整性")
        self.export_button = QPushButton("导出…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the walk reports no steps
        self.progress.setMaximumWidth(140)
        self.progress.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.status = QLabel("“校验完整性”逐条核对记录的哈希链，可发现被删除、修改或插入的记录。")
        self.status.setObjectName("saveStatus")
        self.status.setWordWrap(True)
        self.close_button = QPushButton("关闭")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("操作人"))
        filters.addWidget(self.actor_edit, 1)
        filters.addWidget(QLabel("操作"))
        filters.addWidget(self.action_combo)
        filters.addWidget(QLabel("日期"))
        filters.addWidget(self.start_edit)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.end_edit)
        filters.addWidget(self.today_button)
        filters.addWidget(self.search_button)
        filters.addWidget(self.clear_button)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.progress)
        actions.addWidget(self.verify_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(actions)
        fit_to_screen(self, 1180, 680)

        self.search_button.clicked.connect(self.run_search)
        self.actor_edit.returnPressed.connect(self.run_search)
        self.action_combo.currentIndexChanged.connect(self.run_search)
        self.start_edit.dateChanged.connect(self.run_search)
        self.end_edit.dateChanged.connect(self.run_search)
        self.clear_button.clicked.connect(self.clear_filters)
        self.today_button.clicked.connect(self.show_today)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self._ask_export)
        self.close_button.clicked.connect(self.accept)
        self.model.loaded.connect(self._show_count)
        self.model.failed.connect(lambda message: self._say(message, error=True))
        self.worker.busy_changed.connect(self._busy)
        self.run_search()

    # -- the list ---------------------------------------------------------------------------------------

    def run_search(self) -> None:
        self.model.set_filters(
            actor=self.actor_edit.text(),
            action=self.action_combo.currentData() or "",
            start=_bound(self.start_edit),
            end=_bound(self.end_edit),
        )

    def _set_quietly(self, change) -> None:  # noqa: ANN001 - a callable
        """Change several filters with one search, not one per widget."""
        widgets = (self.action_combo, self.start_edit, self.end_edit)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            change()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.run_search()

    def clear_filters(self) -> None:
        def clear() -> None:
            self.actor_edit.clear()
            self.action_combo.setCurrentIndex(0)
            self.start_edit.setDate(NO_DATE)
            self.end_edit.setDate(NO_DATE)

        self._set_quietly(clear)

    def show_today(self) -> None:
        def today() -> None:
            self.start_edit.setDate(QDate.currentDate())
            self.end_edit.setDate(QDate.currentDate())

        self._set_quietly(today)

    def set_action(self, code: str) -> None:
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(code)))

    def _show_count(self, count: int) -> None:
        more = "，向下滚动加载更多" if self.model.canFetchMore(QModelIndex()) else ""
        self.count_label.setText(f"已显示 {count} 条，最新的在前{more}。")

    # -- the check and the export -----------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.verify_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("state", "error" if error else "ok")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def verify(self) -> None:
        self.verify_result = None
        self._say("正在逐条校验审计记录……")

        def done(result: VerifyResult) -> None:
            self.verify_result = result
            self._say(result.text(), error=not result.ok)

        self.worker.submit(self._audit.verify, done, self._failed)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, (UserError, OSError)):
            raise exc
        self._say(str(exc), error=True)

    def export_to(self, path: str | Path) -> None:
        """Write the whole trail, with its hashes and the check's result, as CSV (on the worker)."""
        target = Path(path)
        self.exported = None
        self._say(f"正在导出到 {target} ……")

        def done(count: int) -> None:
            self.exported = count
            self._say(f"已导出 {count} 条审计记录到 {target}")

        def failed(exc: Exception) -> None:
            if isinstance(exc, OSError):
                from reception.errors import os_error_text

                self._say(f"无法写入 {target}：{os_error_text(exc)}", error=True)
                return
            self._failed(exc)

        self.worker.submit(lambda: self._audit.export(target), done, failed)

    def _ask_export(self) -> None:
        name = f"审计记录-{dt.date.today():%Y%m%d}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "导出审计记录", name, "CSV 文件 (*.csv)")
        if path:
            if not path.lower().endswith(".csv"):
                path += ".csv"
            self.export_to(path)
