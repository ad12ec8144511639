"""The law library's status screen: each law's version, whether it is cited as current law, and why not."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ValidationError
from reception.lawlib.lawfile import STATUSES
from reception.lawlib.library import LawLibrary
from ui.shared.ops import Worker

COLUMNS = ("法律法规", "版本（施行日期）", "效力状态", "是否引用", "收录", "条数", "提示")
_WARN_COLOR = Qt.GlobalColor.darkRed


class MarkStatusDialog(QDialog):
    """Asks what happened to a law: amended, repealed, reported replaced, or confirmed in force."""

    def __init__(self, short_title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"标记《{short_title}》的效力状态")
        self.short_title = short_title
        self.status = QComboBox()
        self.status.addItems(STATUSES)
        self.replaced_by = QLineEdit()
        self.replaced_by.setPlaceholderText("如：生态环境法典；治安管理处罚法（2025年修订）")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("原因和核实来源，如：经核对国家法律法规数据库，某年某月某日起废止")
        self.reason.setFixedHeight(80)
        self.officer = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("效力状态", self.status)
        form.addRow("由什么取代", self.replaced_by)
        form.addRow("自何日起", self.date)
        form.addRow("原因与来源", self.reason)
        form.addRow("标记人", self.officer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("标记后，本系统在匹配、告知书和普法指南中不再把该版本作为现行法引用（标记为“现行有效”则恢复）。")
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict:
        return {
            "status": self.status.currentText(),
            "superseded_by": self.replaced_by.text(),
            "status_date": self.date.date().toPython(),
            "reason": self.reason.toPlainText(),
            "marked_by": self.officer.text(),
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        self.error.setText("；".join(errors.values()))


class LawStatusPanel(QWidget):
    """Signals:
    status_changed(): an office changed a law's status; whatever cites law must reload.
    """

    status_changed = Signal()

    def __init__(self, laws: LawLibrary, worker: Worker, parent: QWidget | None = None):
        super().__init__(parent)
        self._laws = laws
        self._worker = worker
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.mark_button = QPushButton("标记效力状态…")
        self.mark_button.clicked.connect(self.mark_selected)
        self.table.doubleClicked.connect(lambda _index: self.mark_selected())
        self.import_button = QPushButton("导入法规文本…")
        self.import_button.setToolTip("导入国家法律法规数据库下载的官方文本（.docx 或 .txt），作为新版本加入法律库")
        self.import_button.clicked.connect(self.choose_import)
        self.import_message = QLabel("状态也可用命令 reception laws mark 标记，导入也可用 reception import-law。")
        self.import_message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_message, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.mark_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._rows: list[dict] = []
        self._dialogs: list[MarkStatusDialog] = []
        self.reload()

    def reload(self) -> None:
        self._worker.submit(self._laws.law_summaries, self._show)

    def _show(self, rows: list[dict]) -> None:
        self._rows = rows
        self.table.setRowCount(len(rows))
        for row, law in enumerate(rows):
            cells = (
                law["title"],
                law["effective"] or "—",
                law["status"],
                "作为现行法引用" if law["in_force"] else "不引用",
                "全文" if law["coverage"] == "full" else "摘录",
                str(law["article_count"]),
                "；".join(law["warnings"]),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not law["in_force"]:
                    item.setForeground(_WARN_COLOR)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        current = sum(1 for law in rows if law["in_force"])
        self.summary.setText(
            f"法律库共 {len(rows)} 部法律法规：{current} 部以现行有效文本引用，"
            f"{len(rows) - current} 部没有现行文本（已修改、已废止或待核实），本系统不引用，需导入现行文本。"
        )

    def choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "选择法规文本", "", "法规文本 (*.docx *.txt)")
        if path:
            self.import_law(Path(path))

    def import_law(self, path: Path) -> None:
        """Import an official text off the UI thread; a file with any problem changes nothing."""
        self.import_button.setEnabled(False)
        self.import_message.setText(f"正在导入 {path.name} ……")

        def done(report) -> None:  # noqa: ANN001 - an ImportReport
            self.import_button.setEnabled(True)
            self.import_message.setText(
                f"已导入《{report.title}》共{report.article_count}条"
                + (f"，{report.effective}起施行" if report.effective else "")
                + "。匹配和文书将引用现行有效的版本。"
            )
            self.reload()
            self.status_changed.emit()

        def failed(exc: Exception) -> None:
            self.import_button.setEnabled(True)
            problems = getattr(exc, "problems", None)
            detail = "；".join(str(p) for p in problems[:5]) if problems else str(exc)
            self.import_message.setText(f"未导入《{path.name}》（法律库未作任何改动）：{detail}")

        self._worker.submit(lambda: self._laws.import_file(path), done, failed)

    def mark_selected(self) -> MarkStatusDialog | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self._rows):
            return None
        dialog = MarkStatusDialog(self._rows[row]["short_title"], self)
        dialog.accepted.connect(lambda: self._save(dialog))
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.open()
        return dialog

    def _save(self, dialog: MarkStatusDialog) -> None:
        values = dialog.values()

        def failed(exc: Exception) -> None:
            if isinstance(exc, ValidationError):
                dialog.show_errors(exc.errors)
                dialog.open()
            else:
                raise exc

        def done(_info: object) -> None:
            self.reload()
            self.status_changed.emit()

        self._worker.submit(lambda: self._laws.mark_status(dialog.short_title, **values), done, failed)
