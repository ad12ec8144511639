"""The kiosk's building blocks: large buttons, topic tiles, the pinyin keyboard, the PIN pad, a QR view."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from resources import resource_dir


@cache
def _svg_pixmap(path: str, size: int) -> QPixmap:
    # Rendering twenty SVG files took a third of the home screen's time; they never change while running.
    return QIcon(path).pixmap(QSize(size, size))


def kiosk_icon(name: str) -> QIcon:
    return QIcon(str(resource_dir("icons", "kiosk") / f"{name}.svg"))


def button(text: str, role: str = "", icon: str = "", on_click: Callable[[], None] | None = None) -> QPushButton:
    widget = QPushButton(text)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch screen has no keyboard focus to show
    if role:
        widget.setProperty("role", role)
    if icon:
        widget.setIcon(kiosk_icon(icon))
        widget.setIconSize(QSize(40, 40))
    if on_click is not None:
        # clicked(bool) would hand `checked` to a lambda's first default argument (lambda r=route: …).
        widget.clicked.connect(lambda _checked=False, callback=on_click: callback())
    return widget


class TileButton(QPushButton):
    """A topic tile: icon, everyday name and one line of what it covers; the whole tile is the target."""

    def __init__(self, label: str, line: str, icon_path: str, touch: int):
        super().__init__()
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(max(touch * 2, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        icon = QLabel()
        icon.setPixmap(_svg_pixmap(icon_path, 72))
        icon.setFixedSize(76, 76)
        texts = QVBoxLayout()
        name = QLabel(label)
        name.setProperty("role", "tile-label")
        hint = QLabel(line)
        hint.setProperty("role", "tile-line")
        hint.setWordWrap(True)
        texts.addWidget(name)
        texts.addWidget(hint)
        layout.addWidget(icon)
        layout.addLayout(texts, 1)
        for child in (icon, name, hint):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


class PinyinKeyboard(QWidget):
    """An on-screen keyboard that types pinyin letters; the window offers the words they may mean.

    Signals:
    letter(str): a letter key was touched.
    backspace(): the ⌫ key.
    clear(): 清空.
    search(): 搜索.
    """

    letter = Signal(str)
    backspace = Signal()
    clear = Signal()
    search = Signal()

    ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

    def __init__(self, touch: int):
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for row, letters in enumerate(self.ROWS):
            for col, ch in enumerate(letters):
                key = button(ch.upper(), "key", on_click=lambda c=ch: self.letter.emit(c))
                key.setMinimumSize(touch, touch)
                key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                self.keys[ch] = key
                # Rows are offset by half a key, as on a real keyboard, using two grid columns per key.
                grid.addWidget(key, row, col * 2 + row, 1, 2)
        back = button("⌫ 退格", "key", on_click=self.backspace.emit)
        clear = button("清空", "key", on_click=self.clear.emit)
        go = button("搜索", "primary", icon="search", on_click=self.search.emit)
        for extra in (back, clear, go):
            extra.setMinimumHeight(touch)
        grid.addWidget(back, 2, 16, 1, 4)
        grid.addWidget(clear, 3, 0, 1, 6)
        grid.addWidget(go, 3, 14, 1, 6)
        self.keys["backspace"], self.keys["clear"], self.keys["search"] = back, clear, go


class PinPad(QWidget):
    """Digits for the administrator's exit PIN; shows dots, never the digits."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, touch: int):
        super().__init__()
        self._digits = ""
        layout = QVBoxLayout(self)
        self.prompt = QLabel("请输入管理员退出密码")
        self.prompt.setProperty("role", "prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel("")
        self.dots.setProperty("role", "prompt")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.prompt)
        layout.addWidget(self.dots)
        grid = QGridLayout()
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "取消", "0", "确定"]
        for index, label in enumerate(labels):
            if label == "取消":
                widget = button(label, on_click=self._cancel)
            elif label == "确定":
                widget = button(label, "primary", on_click=lambda: self.submitted.emit(self._digits))
            else:
                widget = button(label, "key", on_click=lambda d=label: self._add(d))
            widget.setMinimumSize(touch * 2, touch)
            grid.addWidget(widget, index // 3, index % 3)
        layout.addLayout(grid)

    def _add(self, digit: str) -> None:
        if len(self._digits) < 12:
            self._digits += digit
            self.dots.setText("●" * len(self._digits))

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def reset(self, prompt: str = "请输入管理员退出密码") -> None:
        self._digits = ""
        self.dots.setText("")
        self.prompt.setText(prompt)


def qr_pixmap(url: str, size: int) -> QPixmap:
    from reception.handouts.qr import qr_png

    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(qr_png(url)), "PNG")
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
