"""Start the kiosk: `reception kiosk` (or `python -m ui.kiosk`) — fullscreen, frameless, read-only content."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import QTimer

from reception.config import DB_URL_ENV, resolve_db_url
from ui.shared.startup import (
    SingleInstance,
    configure_logging,
    create_application,
    platform_problem,
    show_open_failure,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="reception kiosk", description="信访普法自助查询（触摸屏）/ touch-screen kiosk"
    )
    parser.add_argument("--db", metavar="URL", help="数据库地址（默认与接待桌面相同）/ database URL")
    parser.add_argument(
        "--window",
        metavar="WxH",
        help="在普通窗口中按此大小运行（调试、截图用，如 1080x1920）/ run in a window of this size instead of fullscreen",
    )
    args = parser.parse_args(argv)
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    configure_logging()
    app = create_application(stylesheet="")
    guard = SingleInstance("reception-kiosk")
    if not guard.acquire():
        return 0
    db_url = resolve_db_url(args.db)
    explicit = bool(args.db or os.environ.get(DB_URL_ENV))
    from reception.content import ContentService
    from ui.kiosk.window import KioskWindow

    try:
        content = ContentService.open(db_url, create=not explicit)
    except Exception as exc:  # noqa: BLE001 - every failure to open becomes a message, never a traceback
        logging.getLogger("reception").exception("kiosk cannot open the database %s", db_url)
        show_open_failure(None, db_url, exc)
        return 2
    window = KioskWindow(content)
    if args.window:
        width, _, height = args.window.lower().partition("x")
        window.resize(int(width), int(height))
        window.show()
    else:
        window.showFullScreen()
    window.show_route(("attract",), remember=False)
    # The matcher and the search vocabulary load once the first screen is up, before the first search.
    QTimer.singleShot(200, lambda: window.worker.submit(content.warm_up, lambda _r: None, lambda _e: None))
    code = app.exec()
    content.close()
    return code
