"""Start the staff desktop: Qt application, fonts and style, the database, the main window."""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from reception.config import data_dir
from resources import read_text

# Preferred UI fonts: the first installed one wins, so Chinese never falls back to boxes.
CJK_FONT_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName("reception")
    app.setApplicationName("reception")
    app.setApplicationDisplayName("信访接待与释法系统")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    for family in CJK_FONT_FAMILIES:
        if family in families:
            app.setFont(QFont(family, 11))
            break
    app.setStyleSheet(read_text("qss", "staff.qss"))


def _configure_logging() -> None:
    log_dir = data_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=log_dir / "reception.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def run_staff_app(db_url: str, process_start: float | None = None) -> int:
    """Open the database at db_url (migrating it) and run the staff window until it closes."""
    _configure_logging()
    app = create_application()
    from reception.services import Services
    from ui.errors import install_excepthook
    from ui.main_window import MainWindow

    install_excepthook()
    services = Services.open(db_url)
    window = MainWindow(services)
    window.show()
    if os.environ.get("RECEPTION_STARTUP_PROBE"):
        # Used by benchmarks/startup.py: report when the window is on screen, then leave.
        def report() -> None:
            start = process_start if process_start is not None else time.perf_counter()
            print(f"window_shown_s={time.perf_counter() - start:.3f}", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    code = app.exec()
    services.close()
    return code
