"""Starting the desk on a machine that lacks Qt's X11 libraries says which packages to install."""

from __future__ import annotations

import pytest

from ui.desk import app
from ui.shared import startup


def test_missing_xcb_libraries_are_named_with_their_packages(monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(
        startup,
        "missing_platform_libraries",
        lambda: ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"],
    )
    message = startup.platform_problem()
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message
    assert "libxcb-cursor.so.0" in message


def test_no_display_is_said_plainly(monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "DISPLAY" in startup.platform_problem()


def test_offscreen_needs_no_check(monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert startup.platform_problem() is None


@pytest.mark.skipif(not startup.sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_the_installed_plugin_is_checked_with_ldd():
    # On this machine the packages are installed: nothing is missing, and the check does not fail.
    assert startup.missing_platform_libraries() == []


def test_main_refuses_to_start_without_the_libraries(monkeypatch, capsys):  # noqa: ANN001
    monkeypatch.setattr(app, "platform_problem", lambda: "无法打开窗口：缺少库")
    assert app.main([]) == 1
    assert "缺少库" in capsys.readouterr().err
