"""Fallback fonts for the screen, so rare Han characters in names (CJK Extension B and beyond, e.g. 张𪚥)
show as themselves rather than as ☒.

The UI fonts (Microsoft YaHei, Noto Sans CJK…) stop at Extension A, and Qt's own fallback on Windows does
not reach SimSun-ExtB; the application font therefore lists the Extension B fonts as its own fallbacks.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
_WINDOWS_USER_FONTS = (
    Path(os.environ.get("LOCALAPPDATA", r"C:\Users\Default\AppData\Local")) / "Microsoft/Windows/Fonts"
)

# (family, font files that hold it). Only fonts made of supplementary-plane ideographs: a font listed here
# is tried before the system's fallback for every character, so one that also has symbols or emoji (such
# as HanaMinA) would replace the colour emoji font.
EXT_B_FONTS: tuple[tuple[str, tuple[Path, ...]], ...] = (
    ("SimSun-ExtB", (_WINDOWS_FONTS / "simsunb.ttf",)),
    ("SimSun-ExtG", (_WINDOWS_FONTS / "SimsunExtG.ttf",)),
    ("MingLiU-ExtB", (_WINDOWS_FONTS / "mingliub.ttc",)),
    (
        "HanaMinB",
        (
            Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
            _WINDOWS_FONTS / "HanaMinB.ttf",
            _WINDOWS_USER_FONTS / "HanaMinB.ttf",
        ),
    ),
)

_loaded: dict[Path, list[str]] = {}  # font file -> its families, so a file is added to Qt once


def _families_of(path: Path) -> list[str]:
    if path not in _loaded:
        font_id = QFontDatabase.addApplicationFont(str(path))
        _loaded[path] = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return _loaded[path]


def fallback_families() -> list[str]:
    """The Extension B families available, installed or loaded from a file found on disk."""
    installed = set(QFontDatabase.families())
    found: list[str] = []
    for family, files in EXT_B_FONTS:
        if family in installed:
            found.append(family)
            continue
        for path in files:
            if path.is_file() and (families := _families_of(path)):
                found += [f for f in families if f not in found]
                break
    return found


def install_fallback_fonts(app: QApplication) -> list[str]:
    """Add the Extension B fonts found to the application font's families, after the ones it has.

    Returns the fallback families in use (empty when none is installed). Call it after the application
    font is chosen: setting a new font afterwards drops the fallbacks.
    """
    extra = fallback_families()
    if not extra:
        return []
    font = app.font()
    families = font.families() or [font.family()]
    font.setFamilies([*families, *[f for f in extra if f not in families]])
    app.setFont(font)
    return extra
