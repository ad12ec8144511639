"""Sizes and colours of the kiosk, from the screen it runs on and the reader's choices.

Touch targets are at least 15 mm on the glass (the size of a fingertip, ISO 9241-9 and most kiosk
guidance); the millimetres are turned into pixels with the screen's physical resolution, and never fall
below 64 px, since large wall screens often report a size that makes 15 mm only a few pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtGui import QGuiApplication, QScreen

from resources import read_text

MIN_TOUCH_MM = 15.0
MIN_TOUCH_PX = 64

NORMAL = {
    "bg": "#f3f6fa",
    "fg": "#1a1a1a",
    "muted": "#4a5561",
    "header_bg": "#1f4e79",
    "header_fg": "#ffffff",
    "header_button": "#2c6aa3",
    "button_bg": "#ffffff",
    "button_fg": "#1a1a1a",
    "border": "#7d8fa3",
    "pressed": "#d6e4f2",
    "accent": "#1f4e79",
    "accent_fg": "#ffffff",
    "accent_text": "#1f4e79",
    "soft": "#e6eef6",
    "tile_bg": "#ffffff",
    "page_bg": "#ffffff",
}
# Black and white with yellow accents: contrast well above WCAG AAA (7:1) for every text.
HIGH_CONTRAST = {
    "bg": "#000000",
    "fg": "#ffffff",
    "muted": "#f0f0f0",
    "header_bg": "#000000",
    "header_fg": "#ffff00",
    "header_button": "#000000",
    "button_bg": "#000000",
    "button_fg": "#ffffff",
    "border": "#ffff00",
    "pressed": "#333300",
    "accent": "#ffff00",
    "accent_fg": "#000000",
    "accent_text": "#ffff00",
    "soft": "#1a1a1a",
    "tile_bg": "#000000",
    "page_bg": "#000000",
}


def touch_px(screen: QScreen | None = None) -> int:
    """The smallest touch target in logical pixels on this screen."""
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return MIN_TOUCH_PX
    physical_dpi = screen.physicalDotsPerInch() or 96.0
    ratio = screen.devicePixelRatio() or 1.0
    return max(MIN_TOUCH_PX, round(MIN_TOUCH_MM / 25.4 * physical_dpi / ratio))


@dataclass(frozen=True)
class Theme:
    touch: int
    large_text: bool = False
    high_contrast: bool = False

    @property
    def scale(self) -> float:
        return 1.35 if self.large_text else 1.0

    def px(self, size: float) -> int:
        return round(size * self.scale)

    @property
    def colors(self) -> dict[str, str]:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def stylesheet(self) -> str:
        values = dict(self.colors)
        values.update(
            body=self.px(26),
            small=self.px(22),
            big=self.px(30),
            title=self.px(34),
            huge=self.px(52),
            touch=self.touch,
            scrollbar=max(28, self.touch // 2),
            calendar=self.touch * 5,
        )
        return Template(read_text("qss", "kiosk.qss")).substitute(values)

    def page_css(self) -> str:
        """For the rich-text pages (Qt's subset of CSS)."""
        c = self.colors
        return (
            f"h2 {{ font-size: {self.px(30)}px; color: {c['accent_text']}; margin-top: 18px; }}"
            f"p, li {{ font-size: {self.px(26)}px; line-height: 150%; }}"
            f".lead {{ font-size: {self.px(28)}px; font-weight: bold; }}"
            f".note {{ font-size: {self.px(22)}px; color: {c['muted']}; }}"
            f".cite {{ font-size: {self.px(20)}px; color: {c['muted']}; }}"
            f".warn {{ font-size: {self.px(24)}px; color: {'#ffff00' if self.high_contrast else '#a00000'}; font-weight: bold; }}"
            f".law-title {{ font-size: {self.px(28)}px; font-weight: bold; }}"
            f".law {{ font-size: {self.px(28)}px; line-height: 160%; }}"
            f".points {{ font-size: {self.px(24)}px; background: {c['soft']}; }}"
        )
