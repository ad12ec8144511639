"""Find a CJK TrueType font to embed (subset) in PDFs, or fall back to the STSong-Light CID font."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

CID_FALLBACK = "STSong-Light"

# TrueType-outline CJK fonts only: reportlab cannot embed CFF/PostScript outlines (e.g. Noto Sans CJK .ttc).
_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
SYSTEM_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (_WINDOWS_FONTS / "simhei.ttf", 0),
    (_WINDOWS_FONTS / "msyh.ttc", 0),
    (_WINDOWS_FONTS / "simsun.ttc", 0),
    (_WINDOWS_FONTS / "simkai.ttf", 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
    (Path("/System/Library/Fonts/Supplemental/Songti.ttc"), 0),
    (Path("/Library/Fonts/Arial Unicode.ttf"), 0),
)


@dataclass(frozen=True)
class FontChoice:
    """The font documents use; `embedded` is False for the CID fallback, which viewers must supply."""

    name: str
    path: str
    embedded: bool

    @property
    def description(self) -> str:
        if self.embedded:
            return f"嵌入字体（子集）：{self.path}"
        return f"未找到可嵌入的中文 TrueType 字体，使用 PDF 标准中文字体 {CID_FALLBACK}（由阅读器提供字形）"


_lock = threading.Lock()
_cache: dict[tuple[str, bool], FontChoice] = {}


def _try_register(path: Path, index: int) -> FontChoice | None:
    name = f"CJK-{path.stem}-{index}"
    if name in pdfmetrics.getRegisteredFontNames():
        return FontChoice(name, str(path), True)
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, KeyError, ValueError):
        return None
    return FontChoice(name, str(path), True)


def choose_font(configured_path: str = "", *, allow_system: bool = True) -> FontChoice:
    """Configured path first, then the usual Windows/Linux/macOS fonts, else STSong-Light."""
    key = (configured_path, allow_system)
    with _lock:
        if key in _cache:
            return _cache[key]
        choice = None
        if configured_path:
            choice = _try_register(Path(configured_path), 0)
        if choice is None and allow_system:
            for path, index in SYSTEM_CANDIDATES:
                if path.is_file():
                    choice = _try_register(path, index)
                    if choice:
                        break
        if choice is None:
            if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
            choice = FontChoice(CID_FALLBACK, "", False)
        _cache[key] = choice
        return choice
