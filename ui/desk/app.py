"""Start the staff desktop: Qt application, fonts and style, the database, the login, the main window.

`reception-desk` (this module's main) is the desk's entry point; the `reception` command line stays free
of Qt so that the layers run ui → reception → db only.
"""

from __future__ import annotations

import time

# Taken before the Qt imports, which are most of a start: the startup probe reports from here.
_PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402

from reception.config import DB_URL_ENV, resolve_db_url  # noqa: E402
from ui.shared.startup import (  # noqa: E402
    SingleInstance,
    configure_logging,
    create_application,
    platform_problem,
    show_open_failure,
)


def main(argv: list[str] | None = None) -> int:
    """`reception-desk [--db URL]`: the staff window."""
    parser = argparse.ArgumentParser(prog="reception-desk", description="信访接待与释法系统 接待桌面 / staff desktop")
    parser.add_argument("--db", metavar="URL", help="数据库地址（默认为本机数据目录中的 SQLite 文件）/ database URL")
    args = parser.parse_args(argv)
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    explicit = bool(args.db or os.environ.get(DB_URL_ENV))
    return run_staff_app(resolve_db_url(args.db), _PROCESS_START, explicit_db=explicit)


def run_staff_app(db_url: str, process_start: float | None = None, explicit_db: bool = False) -> int:
    """Open the database at db_url (migrating it) and run the staff window until it closes.

    A plain window with the desk's title is on screen within a fraction of a second; the database and
    the law library are loaded in the next turn of the event loop, then the login (or, on a new database,
    the first administrator) is asked for, and only then is the main window built: nothing of the visits
    is on screen before someone has logged in. Cancelling the login ends the app (exit code 0).
    """
    configure_logging()
    app = create_application()
    from ui.shared.errors import install_excepthook

    install_excepthook()
    guard = SingleInstance("reception-desk")
    if not guard.acquire():
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(None, "信访接待与释法系统", "接待桌面已经在运行，已切换到已打开的窗口。")
        return 0
    probe = bool(os.environ.get("RECEPTION_STARTUP_PROBE"))
    start = process_start if process_start is not None else time.perf_counter()
    shell = _loading_window()
    shell.show()
    if probe:
        # Used by benchmarks/startup.py: when the first window is on screen, then when the desk is ready.
        QTimer.singleShot(0, lambda: print(f"window_shown_s={time.perf_counter() - start:.3f}", flush=True))
    state: dict[str, object] = {}

    def open_desk() -> None:
        from reception.services import Services
        from ui.desk.login import sign_in, sign_in_dialog

        try:
            # A mistyped --db must not quietly become a new, empty database.
            services = Services.open(db_url, create=not explicit_db)
        except Exception as exc:  # noqa: BLE001 - every failure to open becomes a message, never a traceback
            logging.getLogger("reception").exception("cannot open the database %s", db_url)
            if probe:
                print(f"cannot open the database: {exc}", file=sys.stderr, flush=True)
            else:
                show_open_failure(shell, db_url, exc)
            app.exit(2)
            return
        state["services"] = services
        if probe:
            # The desk is ready for its user when the login is on screen; the main window waits for a login.
            dialog = sign_in_dialog(services, shell)
            state["login"] = dialog
            dialog.show()
            QTimer.singleShot(0, lambda: print(f"desk_ready_s={time.perf_counter() - start:.3f}", flush=True))
            QTimer.singleShot(0, app.quit)
            return
        label = shell.centralWidget()
        if label is not None:
            label.setText("请登录……")  # type: ignore[attr-defined]
        if not sign_in(services, shell):
            app.exit(0)
            return
        from ui.desk.main_window import MainWindow

        window = MainWindow(services)
        state["window"] = window
        guard.activated.connect(window.bring_to_front)
        window.setGeometry(shell.geometry())
        window.show()
        shell.close()
        QTimer.singleShot(0, window.prompt_first_start)

    QTimer.singleShot(0, open_desk)
    code = app.exec()
    services = state.get("services")
    if services is not None:
        services.close()  # type: ignore[attr-defined]
    return code


def _loading_window():  # noqa: ANN202 - a QMainWindow
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QMainWindow

    from ui.shared.screen import fit_to_screen

    shell = QMainWindow()
    shell.setWindowTitle("接待登记")
    label = QLabel("正在打开数据库和法律库……")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    shell.setCentralWidget(label)
    fit_to_screen(shell, 1366, 768)
    return shell


if __name__ == "__main__":
    sys.exit(main())
