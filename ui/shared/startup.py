"""Start-up pieces the staff desk and the kiosk share: the Qt application with its fonts and style, the
check for the system libraries Qt's X11 plugin needs, one instance per user, logging, the open-failure message.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from reception.config import data_dir
from resources import read_text
from ui.shared.fonts import install_fallback_fonts

# The Debian/Ubuntu package that ships each library Qt's X11 platform plugin needs (and that a desktop
# install may lack): Qt itself aborts with "no Qt platform plugin could be initialized" and names none.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

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


def create_application(argv: list[str] | None = None, stylesheet: str = "staff.qss") -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName("reception")
    app.setApplicationName("reception")
    app.setApplicationDisplayName("信访接待与释法系统")
    apply_style(app, stylesheet)
    return app


def apply_style(app: QApplication, stylesheet: str = "staff.qss") -> None:
    families = set(QFontDatabase.families())
    for family in CJK_FONT_FAMILIES:
        if family in families:
            app.setFont(QFont(family, 11))
            break
    # After setFont, which would drop them: rare name characters (CJK Extension B) need a second font.
    install_fallback_fonts(app)
    if stylesheet:
        app.setStyleSheet(read_text("qss", stylesheet))


def configure_logging() -> None:
    log_dir = data_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=log_dir / "reception.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


class SingleInstance(QObject):
    """One desk window per user: a second start asks the first to come to the front and leaves.

    Two windows on one database would each keep their own form and matcher; an officer who started the
    desk twice by mistake would register in the one behind.
    """

    activated = Signal()

    def __init__(self, name: str):
        super().__init__()
        import getpass

        self._name = f"{name}-{getpass.getuser()}"
        self._server = None

    def acquire(self) -> bool:
        from PySide6.QtNetwork import QLocalServer, QLocalSocket

        probe = QLocalSocket()
        probe.connectToServer(self._name)
        if probe.waitForConnected(300):
            probe.write(b"activate")
            probe.waitForBytesWritten(300)
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self._name)  # a stale socket of a crashed desk
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)
        return self._server.listen(self._name)

    def _on_connection(self) -> None:
        socket = self._server.nextPendingConnection()
        if socket is not None:
            socket.readyRead.connect(lambda: (socket.readAll(), self.activated.emit()))


def missing_platform_libraries(plugin_dir: Path | None = None) -> list[str]:
    """Shared libraries the X11 platform plugin needs and the system lacks ([] when none, or not on X11)."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    if plugin_dir is None:
        import PySide6

        root = Path(PySide6.__file__).parent / "Qt"
        plugin_dir = root / "plugins" / "platforms"
        libraries = [plugin_dir / "libqxcb.so", *sorted((root / "lib").glob("libQt6XcbQpa.so*"))[:1]]
    else:
        libraries = sorted(plugin_dir.glob("*.so*"))
    missing: list[str] = []
    for library in libraries:
        if not library.is_file():
            continue
        try:
            out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        for name in re.findall(r"^\s*(\S+) => not found", out, flags=re.MULTILINE):
            if name not in missing:
                missing.append(name)
    return missing


def platform_problem() -> str | None:
    """A message naming the system packages to install when Qt could not open a window, else None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "没有可用的图形显示（DISPLAY 未设置）。请在桌面环境中启动，或通过远程桌面登录后再启动。"
    missing = missing_platform_libraries()
    if not missing:
        return None
    packages = sorted({XCB_PACKAGES.get(name, name) for name in missing})
    return (
        "无法打开窗口：系统缺少 Qt 图形界面需要的库（" + "、".join(missing) + "）。\n"
        "请用管理员权限安装后再启动：\n  sudo apt-get install " + " ".join(packages) + "\n"
        "（或运行 sh tools/install-desk-packages.sh）"
    )


def show_open_failure(parent, db_url: str, exc: Exception) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    from reception.errors import UserError, database_error

    known = exc if isinstance(exc, UserError) else database_error(exc, db_url)
    message = str(known) if known is not None else f"无法打开数据库：{db_url}\n程序遇到了意外错误，已记录到日志。"
    QMessageBox.critical(parent, "无法打开数据库", message)
