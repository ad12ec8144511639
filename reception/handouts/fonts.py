"""Fonts for the PDFs: a CJK TrueType font embedded as a subset (else the STSong-Light CID font), plus
fallback fonts for the Han characters it lacks (CJK Extension A/B… — names of real people use them).

Text is split into runs, one per font (`font_runs`); a character no font can draw is reported
(`missing_characters`) so the officer is warned before printing, and is printed as □ rather than silently
dropped.
"""

from __future__ import annotations

import functools
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

CID_FALLBACK = "STSong-Light"
# The usual mark for an illegible or missing character in Chinese texts (虚缺号).
MISSING_MARK = "□"

# TrueType-outline CJK fonts only: reportlab cannot embed CFF/PostScript outlines (e.g. Noto Sans CJK .ttc).
_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
# Fonts a user installs without admin rights land here (Windows 10 1809+).
_WINDOWS_USER_FONTS = (
    Path(os.environ.get("LOCALAPPDATA", r"C:\Users\Default\AppData\Local")) / "Microsoft/Windows/Fonts"
)
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
# Tried in order for a Han character the main font lacks. HanaMinA covers Extension A and the
# compatibility ideographs, HanaMinB Extensions B–F (Debian: fonts-hanazono); Windows ships SimSun-ExtB
# and, from Windows 11, SimSun-ExtG.
FALLBACK_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (_WINDOWS_FONTS / "simsunb.ttf", 0),
    (_WINDOWS_FONTS / "SimsunExtG.ttf", 0),
    (_WINDOWS_FONTS / "mingliub.ttc", 0),
    (_WINDOWS_FONTS / "HanaMinA.ttf", 0),
    (_WINDOWS_FONTS / "HanaMinB.ttf", 0),
    (_WINDOWS_USER_FONTS / "HanaMinA.ttf", 0),
    (_WINDOWS_USER_FONTS / "HanaMinB.ttf", 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0),
)

# Only Han script is taken from a fallback font: a rare character in a name must print, but a symbol or
# emoji that happens to be in a Japanese mincho font would print in a style the office never chose (and
# differently on each machine); it is reported instead, so the officer can correct the record.
_FALLBACK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x2FF0, 0x303F),  # ideographic description characters, CJK symbols and punctuation
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x4DBF),  # enclosed CJK, CJK compatibility, Extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x3FFFF),  # Extensions B–I, compatibility ideographs supplement
)


@dataclass(frozen=True)
class FontChoice:
    """The font documents use; `embedded` is False for the CID fallback, which viewers must supply.

    `fallbacks` are the font files tried for a Han character `name` lacks; they are read only when such a
    character occurs, so an ordinary document costs nothing more.
    """

    name: str
    path: str
    embedded: bool
    fallbacks: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        # Staff read this in the preview: a font's name says what they need; its file path does not.
        if self.embedded:
            text = f"嵌入字体（子集）：{self.name}"
        else:
            text = f"未找到可嵌入的中文 TrueType 字体，使用 PDF 标准中文字体 {CID_FALLBACK}（由阅读器提供字形）"
        if self.fallbacks:
            text += "；生僻字补充字体：" + "、".join(Path(p).stem for p in self.fallbacks)
        return text


_lock = threading.RLock()
_cache: dict[tuple[str, bool], FontChoice] = {}
_fallback_names: dict[str, str | None] = {}  # fallback file -> registered name, None if unusable


def _fix_to_unicode_cmap() -> None:
    """reportlab writes a character beyond the BMP into the ToUnicode map as 5 hex digits, which is not
    UTF-16: the glyph prints, but copying or searching the PDF gives a wrong character (𪚥 → ⩪)."""
    original = ttfonts.makeToUnicodeCMap
    if "D840DC00" in original("probe", [0x20000]).upper():
        return

    def make(fontname: str, subset: list[int]) -> str:
        text = original(fontname, subset)
        for code in subset:
            if code > 0xFFFF:
                # A BMP entry is written "<%04X>", the same as its UTF-16 form, so only these change.
                text = text.replace(f"> <{code:04X}>", f"> <{chr(code).encode('utf-16-be').hex().upper()}>", 1)
        return text

    ttfonts.makeToUnicodeCMap = make


_fix_to_unicode_cmap()


def _register(name: str, path: Path, index: int) -> bool:
    if name in pdfmetrics.getRegisteredFontNames():
        return True
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, KeyError, ValueError):
        return False
    return True


def _try_register(path: Path, index: int) -> FontChoice | None:
    name = f"CJK-{path.stem}-{index}"
    return FontChoice(name, str(path), True) if _register(name, path, index) else None


def _fallback_files() -> tuple[str, ...]:
    return tuple(str(path) for path, _index in FALLBACK_CANDIDATES if path.is_file())


def choose_font(configured_path: str = "", *, allow_system: bool = True) -> FontChoice:
    """Configured path first, then the usual Windows/Linux/macOS fonts, else STSong-Light.

    With `allow_system` the installed fallback fonts are added too (see FALLBACK_CANDIDATES).
    """
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
        if allow_system:
            fallbacks = tuple(f for f in _fallback_files() if f != choice.path)
            choice = FontChoice(choice.name, choice.path, choice.embedded, fallbacks)
        _cache[key] = choice
        return choice


def _fallback_name(path: str) -> str | None:
    """The registered name of a fallback font file, registering it on first use."""
    with _lock:
        if path not in _fallback_names:
            name = f"CJKX-{Path(path).stem}"
            _fallback_names[path] = name if _register(name, Path(path), 0) else None
        return _fallback_names[path]


def _glyphs(font_name: str) -> dict[int, int] | None:
    """The font's character map; None for the CID font, whose glyphs the viewer supplies."""
    glyphs = getattr(getattr(pdfmetrics.getFont(font_name), "face", None), "charToGlyph", None)
    return glyphs if isinstance(glyphs, dict) else None


def _covers(glyphs: dict[int, int] | None, code: int) -> bool:
    if glyphs is not None:
        return code in glyphs
    # The CID font maps UCS-2 through Adobe-GB1: the BMP, less the private use area, which it cannot know.
    return code <= 0xFFFF and not (0xD800 <= code <= 0xF8FF)


def _is_invisible(char: str) -> bool:
    """Characters with no glyph of their own: joiners, variation selectors, stray control codes."""
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    category = unicodedata.category(char)
    return category == "Cf" or (category == "Cc" and char not in "\n\t")


def _fallback_allowed(code: int) -> bool:
    return any(low <= code <= high for low, high in _FALLBACK_RANGES)


def _fallback_for(code: int, font: FontChoice) -> str | None:
    if _fallback_allowed(code):
        for path in font.fallbacks:
            name = _fallback_name(path)
            if name and _covers(_glyphs(name), code):
                return name
    return None


@functools.lru_cache(maxsize=8192)
def _runs(text: str, font: FontChoice) -> tuple[tuple[str | None, str], ...]:
    # Cached: the guide is built several times over while fitting it on two pages, from the same texts.
    main = _glyphs(font.name)
    runs: list[tuple[str | None, str]] = []
    for char in text:
        code = ord(char)
        if char.isspace() or (_covers(main, code) and not _is_invisible(char)):
            name = font.name
        elif _is_invisible(char):
            continue
        else:
            name = _fallback_for(code, font)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return tuple(runs)


def font_runs(text: str, font: FontChoice) -> list[tuple[str | None, str]]:
    """`text` as consecutive (font name, text) runs; the name is None for characters no font can draw.

    Invisible characters (zero-width joiners, variation selectors) are left out: drawn on their own they
    would print as boxes.
    """
    return list(_runs(text, font))


def missing_characters(text: str, font: FontChoice) -> tuple[str, ...]:
    """The characters of `text` neither the font nor its fallbacks can draw, each once, in order."""
    missing = [run for name, run in font_runs(text, font) if name is None]
    return tuple(dict.fromkeys("".join(missing)))
