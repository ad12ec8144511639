"""释法记录 of one visit: pre-filled from what was printed, editable on the day, a correction after it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reception.explanations import RESPONSES, ExplanationInput, ExplanationService
from ui.desk.step_dialog import StepDialog
from ui.shared.screen import fit_to_screen


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]


class ExplanationDialog(StepDialog):
    def __init__(self, records: ExplanationService, visit_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._records = records
        self.visit_id = visit_id
        self.setWindowTitle("释法记录")
        record = records.get(visit_id)
        data = records.prefill(visit_id) if record is None else None
        self.frozen = bool(record and record.frozen)
        self.officer_edit = QLineEdit(record.officer if record else data.officer)
        self.articles_edit = QLineEdit("，".join(record.articles if record else data.articles))
        self.articles_edit.setPlaceholderText("如：劳动合同法:82，劳动争议调解仲裁法:27")
        self.guides_edit = QLineEdit("，".join(record.guides if record else data.guides))
        self.cases_edit = QLineEdit("，".join(record.cases if record else data.cases))
        self.points_edit = QPlainTextEdit(record.points if record else "")
        self.lawyer_combo = QComboBox()
        self.lawyer_combo.addItem("无律师参与", None)
        for lawyer in records.lawyers(dt.date.today()):
            on_duty = "（今日值班）" if dt.date.today().isoweekday() in lawyer.duty_days else ""
            self.lawyer_combo.addItem(f"{lawyer.name}　{lawyer.firm}{on_duty}", lawyer.lawyer_id)
        self.response_combo = QComboBox()
        self.response_combo.addItems(["", *RESPONSES])
        if record:
            self.response_combo.setCurrentText(record.response)
            index = next(
                (
                    i
                    for i in range(self.lawyer_combo.count())
                    if record.lawyer.startswith(self.lawyer_combo.itemText(i).split("　")[0])
                ),
                0,
            )
            self.lawyer_combo.setCurrentIndex(index if record.lawyer else 0)
        self.documents_edit = QLineEdit(record.documents if record else data.documents)
        self.correction_edit = QPlainTextEdit()
        form = QFormLayout()
        form.addRow("释法人", self.officer_edit)
        form.addRow("讲解的法条", self.articles_edit)
        form.addRow("普法指南（主题）", self.guides_edit)
        form.addRow("典型案例（编号）", self.cases_edit)
        form.addRow("释法要点", self.points_edit)
        form.addRow("值班律师", self.lawyer_combo)
        form.addRow("信访人态度", self.response_combo)
        form.addRow("交付的材料", self.documents_edit)
        layout = QVBoxLayout(self)
        if self.frozen:
            layout.addWidget(
                QLabel(
                    f"本记录已于 {record.made_on.isoformat()} 当日结束后冻结，只能补充更正说明（记入事项办理记录）。"
                )
            )
            for widget in (
                self.officer_edit, self.articles_edit, self.guides_edit, self.cases_edit, self.points_edit,
                self.lawyer_combo, self.response_combo, self.documents_edit,
            ):  # fmt: skip
                widget.setEnabled(False)
            form.addRow("更正说明", self.correction_edit)
        self.lay_out(form, QDialogButtonBox.StandardButton.Save)
        fit_to_screen(self, 620, 560)

    def apply(self) -> None:
        if self.frozen:
            self.attempt(
                lambda: self._records.correct(
                    self.visit_id, actor=self.officer_edit.text(), text=self.correction_edit.toPlainText()
                )
            )
            return
        record = ExplanationInput(
            officer=self.officer_edit.text(),
            articles=_split(self.articles_edit.text()),
            guides=_split(self.guides_edit.text()),
            cases=_split(self.cases_edit.text()),
            points=self.points_edit.toPlainText(),
            lawyer_id=self.lawyer_combo.currentData(),
            response=self.response_combo.currentText(),
            documents=self.documents_edit.text(),
        )
        self.attempt(lambda: self._records.save(self.visit_id, record))
