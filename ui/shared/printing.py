"""Printing a PDF built in memory: Qt's PDF renderer paints its pages onto any QPrinter."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Render each page at the printer's resolution and paint it; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        first = max(printer.fromPage(), 1) - 1
        last = (printer.toPage() or document.pageCount()) - 1
        dpi = printer.resolution()
        for index in range(first, min(last, document.pageCount() - 1) + 1):
            if printed:
                printer.newPage()
            points = document.pagePointSize(index)
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(index, pixels)
            target = painter.viewport()
            scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
            printed += 1
    finally:
        painter.end()
    return printed


def load_pdf(pdf: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument over bytes; the buffer is parented so that it lives as long as the document."""
    data = QByteArray(pdf)
    buffer = QBuffer(parent)
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document


def print_bytes(pdf: bytes, printer: QPrinter, parent: QObject) -> int:
    return print_pdf(load_pdf(pdf, parent), printer)
