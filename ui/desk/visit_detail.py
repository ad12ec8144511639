"""A visit in full: person, matter, representatives and the matter's history. ID numbers are masked until
the officer asks for them whole (显示完整证件号), which the audit trail records."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reception.visits import VisitDetail, event_label, format_query_code
from ui.shared.screen import fit_to_screen


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def detail_html(d: VisitDetail) -> str:
    anonymous = "（匿名来访）" if d.is_anonymous else ("" if d.id_number else "（未提供身份证号）")
    reps = "".join(
        f"<li>{_escape(r.name)}　{_escape(r.id_number) or '未登记身份证号'}　{_escape(r.phone)}</li>"
        for r in d.representatives
    )
    rows = [
        ("登记编号", d.visit_no),
        ("查询码", format_query_code(d.query_code)),
        ("来访时间", f"{d.visited_at:%Y-%m-%d %H:%M}"),
        ("接待人员", d.officer),
        ("来访人数", f"{d.headcount} 人"),
        ("姓名", f"{d.name}{anonymous}"),
        ("性别", d.gender),
        ("身份证号", d.id_number or "未提供"),
        ("联系电话", d.phone or "未提供"),
        ("住址", d.address or "未提供"),
        ("涉及单位", d.involved_unit or "—"),
        ("地点", d.location or "—"),
        ("问题属地", d.jurisdiction or "—"),
        ("类型", d.matter_type or "待分类"),
        ("事项主题", d.topic or "待分类"),
        ("处理途径", d.route or "未确定"),
        ("状态", d.status),
    ]
    table = "".join(f"<tr><td class='k'>{k}</td><td>{_escape(v)}</td></tr>" for k, v in rows)
    reps_html = f"<h3>代表</h3><ul>{reps}</ul>" if reps else ""
    return (
        "<style>td.k{color:#555;padding-right:12px;white-space:nowrap} td{padding:2px 0}</style>"
        f"<table>{table}</table>{reps_html}"
        f"<h3>诉求摘要</h3><p>{_escape(d.summary)}</p>"
        f"<h3>释法要点</h3><p>{_escape(d.explanation) or '（未记录）'}</p>"
    )


class VisitDetailDialog(QDialog):
    """Signals:
    document_requested(str, bool): document kind (notice | receipt) and True for the 80 mm roll.
    explanation_requested(): the officer opens the visit's 释法记录.
    reclassify_requested(): the officer changes the matter's type, topic or route.
    """

    document_requested = Signal(str, bool)
    explanation_requested = Signal()
    reclassify_requested = Signal()

    def __init__(
        self,
        detail: VisitDetail,
        parent: QWidget | None = None,
        reveal: Callable[[], VisitDetail] | None = None,
    ):
        super().__init__(parent)
        self.detail = detail
        self._reveal = reveal
        self.setWindowTitle(f"来访详情 — {detail.visit_no}")
        self.body = QLabel(detail_html(detail))
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QTableWidget(len(detail.history), 4)
        self.history.setHorizontalHeaderLabels(["时间", "事项", "经办人", "内容"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        for row, event in enumerate(detail.history):
            values = (f"{event.occurred_at:%Y-%m-%d %H:%M}", event_label(event.kind), event.actor, event.detail)
            for column, value in enumerate(values):
                self.history.setItem(row, column, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        for text, kind, roll in (
            ("出具告知书", "notice", False),
            ("打印回执", "receipt", False),
            ("80mm 回执", "receipt", True),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind, r=roll: self.document_requested.emit(k, r))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.explanation_button = QPushButton("释法记录…")
        self.explanation_button.clicked.connect(self.explanation_requested.emit)
        buttons.addButton(self.explanation_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reveal_button = QPushButton("显示完整证件号")
        self.reveal_button.setToolTip("将记入审计记录")
        self.reveal_button.clicked.connect(self.reveal_numbers)
        has_numbers = bool(detail.id_number) or any(r.id_number for r in detail.representatives)
        self.reveal_button.setVisible(reveal is not None and has_numbers and not detail.id_revealed)
        buttons.addButton(self.reveal_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reclassify_button = QPushButton("重新分类…")
        self.reclassify_button.clicked.connect(self.reclassify_requested.emit)
        buttons.addButton(self.reclassify_button, QDialogButtonBox.ButtonRole.ActionRole)
        # The details scroll; the history and the buttons stay in view however long a group visit is.
        body_scroll = QScrollArea()
        body_scroll.setWidgetResizable(True)
        body_scroll.setWidget(self.body)
        self.history.setMinimumHeight(90)
        layout = QVBoxLayout(self)
        layout.addWidget(body_scroll, 3)
        layout.addWidget(QLabel("事项办理记录（只增不改）"))
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self.buttons = buttons
        fit_to_screen(self, 760, 680)

    def reveal_numbers(self) -> None:
        """Show the ID numbers whole (the service checks the role and records it in the audit trail)."""
        from reception.errors import UserError

        if self._reveal is None:
            return
        try:
            self.detail = self._reveal()
        except UserError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "不能显示", str(exc))
            return
        self.body.setText(detail_html(self.detail))
        self.reveal_button.hide()
