"""One excepthook: user errors become a kind message, bugs are logged and reported in a dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from reception.errors import UserError

log = logging.getLogger("reception")


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(QApplication.activeWindow(), "提示", str(exc))
        return
    log.error("unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            QApplication.activeWindow(),
            "程序出错",
            f"程序遇到了意外错误，已记录到日志。已保存的登记不受影响。\n错误类型：{exc_type.__name__}",
        )


def install_excepthook() -> None:
    sys.excepthook = _hook
