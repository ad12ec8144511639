"""Preview a prepared document (QtPdf), print it (QPrinter at printer resolution) or save it as PDF.

The document is recorded as issued only when it is printed or saved: a preview the officer closes
leaves no trace in the statistics.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reception.handouts.service import HandoutService, IssuedDocument, PreparedDocument
from ui.shared.ops import Worker
from ui.shared.printing import print_pdf
from ui.shared.screen import fit_to_screen


def missing_warning(characters: tuple[str, ...]) -> str:
    """The warning for characters the PDF prints as □; each with its code point, since the screen may not
    draw it either."""
    if not characters:
        return ""
    listed = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in characters)
    return f"以下字符无法打印：{listed}，打印件上显示为“□”，请核对后再打印。"


class DocumentPreviewDialog(QDialog):
    """Signals:
    issued(object): an IssuedDocument, after printing or saving recorded it.
    """

    issued = Signal(object)

    def __init__(
        self,
        document: PreparedDocument,
        handouts: HandoutService,
        worker: Worker,
        issued_by: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.document = document
        self._handouts = handouts
        self._worker = worker
        self._issued_by = issued_by or "接待窗口"
        self.setWindowTitle(f"预览 — {document.title}")
        fit_to_screen(self, 900, 760)

        self._bytes = QByteArray(document.pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        # Said above the page, before anyone prints: a name that prints wrong is not noticed on paper.
        self.missing = QLabel(missing_warning(document.missing_characters))
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #c62828; font-weight: bold;")
        self.missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing.setVisible(bool(document.missing_characters))

        self.info = QLabel(f"共 {self.pdf.pageCount()} 页　{document.font.description}")
        self.info.setObjectName("hint")
        self.info.setWordWrap(True)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("primary")
        self.print_button.setShortcut("Ctrl+P")
        self.save_button = QPushButton("另存为 PDF…")
        self.close_button = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.choose_file_and_save)
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.missing)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _page_layout(self) -> QPageLayout:
        if self.document.paper == "roll80":
            size = self.pdf.pagePointSize(0)
            page = QPageSize(size, QPageSize.Unit.Point, "80mm", QPageSize.SizeMatchPolicy.ExactMatch)
        else:
            page = QPageSize(QPageSize.PageSizeId.A4)
        return QPageLayout(page, QPageLayout.Orientation.Portrait, QPageLayout.margins(QPageLayout()))

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.document.file_name)
        chosen = self._handouts.printer_for(self.document)
        if chosen:
            printer.setPrinterName(chosen)  # the office's printer for this paper (设置 → 本单位信息)
        printer.setPageLayout(self._page_layout())
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印" + self.document.title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if print_pdf(self.pdf, printer):
            self._record()

    def choose_file_and_save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "另存为 PDF", str(Path.home() / self.document.file_name), "PDF 文件 (*.pdf)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        """Write the file and record the handout off the UI thread."""
        self.save_button.setEnabled(False)
        pdf = self.document.pdf
        handouts, document, issued_by = self._handouts, self.document, self._issued_by

        def job() -> IssuedDocument:
            path.write_bytes(pdf)
            return handouts.issue(document, issued_by)

        def done(issued: IssuedDocument) -> None:
            self.save_button.setEnabled(True)
            self.info.setText(f"已保存到 {path}")
            self.issued.emit(issued)

        def failed(exc: Exception) -> None:
            self.save_button.setEnabled(True)
            QMessageBox.warning(self, "保存失败", f"未能保存文件：{exc}")

        self._worker.submit(job, done, failed)

    def _record(self) -> None:
        handouts, document, issued_by = self._handouts, self.document, self._issued_by
        self._worker.submit(
            lambda: handouts.issue(document, issued_by),
            self.issued.emit,
            lambda exc: QMessageBox.warning(self, "记录失败", f"已打印，但出具记录未能保存：{exc}"),
        )
