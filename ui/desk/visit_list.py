"""The 来访查询 list: a paged Qt model (keyset pages of 200, never the whole table) and its search bar."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reception.visits import ANONYMOUS_NAME, PageCursor, VisitQuery, VisitRow, VisitService
from reception.vocab import MATTER_STATUSES, MATTER_TYPES, ROUTES, TOPICS
from ui.shared.paged_model import PagedTableModel, list_view

PAGE_SIZE = 200

# (header, sort key or None, row attribute)
COLUMNS: tuple[tuple[str, str | None, str], ...] = (
    ("登记编号", "visit_no", "visit_no"),
    ("来访时间", "visited_at", "visited_at"),
    ("姓名", "name", "name"),
    ("身份证号", None, "id_masked"),
    ("联系电话", None, "phone_masked"),
    ("人数", None, "headcount"),
    ("类型", "matter_type", "matter_type"),
    ("事项主题", "topic", "topic"),
    ("诉求摘要", None, "summary"),
    ("状态", "status", "status"),
    ("接待人员", "officer", "officer"),
)
SUMMARY_COLUMN = 8

# (VisitQuery field, label, the "any" entry, values) of the filter combo boxes.
FILTERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("matter_type", "类型", "全部类型", MATTER_TYPES),
    ("topic", "事项主题", "全部主题", TOPICS),
    ("route", "处理途径", "全部途径", ROUTES),
    ("status", "状态", "全部状态", MATTER_STATUSES),
)


class VisitTableModel(PagedTableModel):
    """Rows arrive page by page as the view scrolls; sorting re-queries."""

    column_count = len(COLUMNS)

    def __init__(self, visits: VisitService, parent=None):  # noqa: ANN001 - Qt parent
        super().__init__(parent)
        self._visits = visits
        self._rows: list[VisitRow] = []
        self._cursor: PageCursor | None = None
        self._query = VisitQuery()

    @property
    def query(self) -> VisitQuery:
        return self._query

    def set_query(self, query: VisitQuery) -> None:
        self._query = query
        self.reload()

    def restart(self) -> None:
        self._cursor = None

    def fetch_page(self) -> tuple[list[VisitRow], bool]:
        rows, self._cursor = self._visits.list_page(self._query, self._cursor, PAGE_SIZE)
        return rows, self._cursor is not None

    def refresh(self) -> None:
        self.set_query(self._query)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        attr = COLUMNS[index.column()][2]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, attr)
            if attr == "visited_at":
                return value.strftime("%Y-%m-%d %H:%M")
            if attr == "name" and row.is_anonymous and value != ANONYMOUS_NAME:
                return f"{value}（匿名）"
            if attr == "headcount":
                return str(value)
            return value or ("未分类" if attr in ("matter_type", "topic") else value)
        if role == Qt.ItemDataRole.ToolTipRole and attr == "summary":
            return row.summary
        if role == Qt.ItemDataRole.UserRole:
            return row.visit_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort_key and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))

    def row_at(self, row: int) -> VisitRow:
        return self._rows[row]


class VisitListPanel(QWidget):
    """Search bar and classification filters over the paged table.

    One box takes a name, ID, phone, words or a classification name, beside a date range; a row of
    combo boxes narrows the list by type, topic, route and status.

    Signals:
        visit_activated(int): the visit id the officer opened (double-click or Enter).
    """

    visit_activated = Signal(int)

    def __init__(self, visits: VisitService, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = VisitTableModel(visits, self)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("姓名、身份证号、电话、诉求中的词语或分类名称")
        self.search_edit.setClearButtonEnabled(True)
        self.date_check = QCheckBox("限定日期")
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.search_button = QPushButton("查询")
        # One combo box per VisitQuery classification field; item data is the value, "" for any.
        self.filter_boxes: dict[str, QComboBox] = {}
        for key, label, any_text, values in FILTERS:
            box = QComboBox()
            box.setAccessibleName(label)
            box.addItem(any_text, "")
            for value in values:
                box.addItem(value, value)
            self.filter_boxes[key] = box
        self.clear_filters_button = QPushButton("清除筛选")
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("查找"))
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.date_check)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.search_button)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("筛选"))
        for box in self.filter_boxes.values():
            filters.addWidget(box)
        filters.addWidget(self.clear_filters_button)
        filters.addStretch(1)

        self.table = list_view(self.model, 30)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SUMMARY_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 130), (2, 110), (3, 165), (4, 110), (5, 46), (6, 76), (7, 110)):
            header.resizeSection(column, width)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self.run_search)
        self.search_button.clicked.connect(self.run_search)
        self.date_check.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self._debounce.start)
        self.date_to.dateChanged.connect(self._debounce.start)
        for box in self.filter_boxes.values():
            box.currentIndexChanged.connect(self.run_search)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.model.loaded.connect(self._show_count)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.run_search()

    def clear_filters(self) -> None:
        for box in self.filter_boxes.values():
            # One search after all boxes are reset, not one per box.
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        use_dates = self.date_check.isChecked()
        current = self.model.query
        self.model.set_query(
            VisitQuery(
                text=self.search_edit.text(),
                date_from=self.date_from.date().toPython() if use_dates else None,
                date_to=self.date_to.date().toPython() if use_dates else None,
                sort_key=current.sort_key,
                descending=current.descending,
                **{key: box.currentData() or "" for key, box in self.filter_boxes.items()},
            )
        )

    def _show_count(self, count: int) -> None:
        more = "，向下滚动加载更多" if self.model.canFetchMore(QModelIndex()) else ""
        self.count_label.setText(f"已显示 {count} 条{more}。身份证号、电话已部分隐藏，打开详情可见。")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.visit_activated.emit(self.model.row_at(index.row()).visit_id)
