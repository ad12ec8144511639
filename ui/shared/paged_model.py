"""A table model that loads its rows a page at a time as the view scrolls (lists that can reach millions)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class PagedTableModel(QAbstractTableModel):
    """Subclasses set `column_count`, implement `fetch_page()` (the next rows and whether more remain) and
    `restart()` (forget their position), and call `reload()` when what is listed changes.

    Signals:
        loaded(int): number of rows now held, after each page.
    """

    loaded = Signal(int)
    column_count = 0

    def __init__(self, parent=None):  # noqa: ANN001 - Qt parent
        super().__init__(parent)
        self._rows: list = []
        self._exhausted = True

    def fetch_page(self) -> tuple[Sequence, bool]:
        raise NotImplementedError

    def restart(self) -> None:
        """Forget the position of the last page (a cursor, the last number shown)."""

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self.restart()
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.column_count

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if parent.isValid() or self._exhausted:
            return
        rows, more = self.fetch_page()
        self._exhausted = not more
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit(len(self._rows))


def list_view(model: QAbstractTableModel, row_height: int) -> QTableView:
    """A read-only, whole-row-selecting table over model, as the desk's long lists use."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view
