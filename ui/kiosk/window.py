"""The kiosk window: fullscreen, frameless, locked; a header, one screen at a time, and an idle reset.

Only the current screen exists: a screen is built from its route when shown and dropped when left, and
the history keeps routes, not widgets, so a day of touches does not grow the memory. Everything typed
or chosen lives in the screens and in `answers`; the idle reset drops both.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from reception.content import RATINGS, ContentService
from reception.guided import Answers, GuidedError
from reception.pages import PageBuilder
from ui.kiosk import pages
from ui.kiosk.theme import Theme, touch_px
from ui.kiosk.widgets import button
from ui.shared.ops import Worker
from ui.shared.printing import print_bytes

# Five touches on the top-left corner within this many seconds open the PIN pad: invisible to a visitor,
# easy for an administrator who knows it.
EXIT_TAPS, EXIT_WINDOW_S = 5, 4.0
GUIDED_STEPS = ("topic", "party", "paper", "date", "want")


class _ActivityFilter(QObject):
    """Any touch, click or key anywhere restarts the idle countdown."""

    def __init__(self, on_activity: Callable[[], None], parent: QObject):
        # A child of the window: destroyed with it, and Qt drops a destroyed filter from the application.
        super().__init__(parent)
        self._on_activity = on_activity

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            self._on_activity()
        return False


class KioskWindow(QWidget):
    """Signals:
    route_shown(tuple): a screen was shown (for tests and the navigation benchmark).
    """

    route_shown = Signal(tuple)

    def __init__(self, content: ContentService, *, today: Callable[[], dt.date] | None = None):
        super().__init__()
        self.setObjectName("kiosk")
        self.content = content
        self.builder = PageBuilder(content)
        self._today = today or dt.date.today
        self.settings = content.kiosk_settings()
        self.theme = Theme(touch_px(self.screen()))
        self.worker = Worker(self)
        self.history: list[tuple] = []
        self.route: tuple = ()
        self.answers = Answers()
        self.session_topic = ""
        self.session_active = False
        self._may_close = False
        self._corner_taps: list[float] = []
        self.printer_factory: Callable[[], QPrinter] = self._office_printer
        self.last_print_error = ""

        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setWindowTitle("信访普法自助查询")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        self.header = QWidget()
        self.header.setObjectName("header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        header_rows = QVBoxLayout(self.header)
        header_rows.setContentsMargins(16, 8, 16, 8)
        bar = QHBoxLayout()
        header_rows.addLayout(bar)
        self._header_bar = bar
        self._header_rows = header_rows
        self.corner = QLabel("")  # the hidden exit gesture's target: a blank spot, the size of a fingertip
        self.corner.setFixedSize(self.theme.touch, self.theme.touch)
        self.home_button = button("首页", icon="home", on_click=self.go_home)
        self.back_button = button("返回", icon="back", on_click=self.back)
        self.title_label = QLabel("")
        self.large_button = button("大字", icon="large_text", on_click=self.toggle_large_text)
        self.contrast_button = button("高对比", icon="contrast", on_click=self.toggle_contrast)
        self.speak_button = button("朗读", icon="speak", on_click=self.speak)
        self.done_button = button("结束", icon="close", on_click=self.finish_session)
        for widget in (self.corner, self.home_button, self.back_button):
            bar.addWidget(widget)
        bar.addWidget(self.title_label, 1)
        self._title_index = bar.indexOf(self.title_label)
        for widget in (self.large_button, self.contrast_button, self.speak_button, self.done_button):
            bar.addWidget(widget)
        self.corner.installEventFilter(self)

        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(self.body, 1)
        self.page: pages.KioskPage | None = None

        self._speech = self._make_speech()
        self.speak_button.setVisible(self._speech is not None)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(int(self.settings.idle_seconds) * 1000)
        self.idle_timer.timeout.connect(self.idle_reset)
        self._activity = _ActivityFilter(self._touched, self)
        QApplication.instance().installEventFilter(self._activity)
        self.apply_theme()

    # ---- layout facts ----

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        # On a portrait screen the title gets a row of its own: beside seven buttons it would squeeze them.
        portrait = self.is_portrait()
        in_bar = self._header_bar.indexOf(self.title_label) >= 0
        if portrait and in_bar:
            self._header_bar.removeWidget(self.title_label)
            self._header_bar.insertStretch(self._title_index, 1)
            self._header_rows.addWidget(self.title_label)
        elif not portrait and not in_bar:
            self._header_rows.removeWidget(self.title_label)
            stretch = self._header_bar.takeAt(self._title_index)
            del stretch
            self._header_bar.insertWidget(self._title_index, self.title_label, 1)
        super().resizeEvent(event)

    def today(self) -> dt.date:
        return self._today()

    def is_portrait(self) -> bool:
        return self.height() > self.width()

    def tile_columns(self) -> int:
        return max(2, min(5, self.width() // 420))

    def content_ratings(self) -> tuple[str, ...]:
        return RATINGS

    # ---- navigation ----

    def show_route(self, route: tuple, *, remember: bool = True) -> None:
        if remember and self.route and self.route != route and self.route[0] not in ("attract", "rating", "pin"):
            self.history.append(self.route)
        if route[0] in ("attract",):
            self.history.clear()
        self.route = route
        page = self._build(route)
        if self.page is not None:
            # Hidden at once: deleteLater waits for the event loop (the touch that got here may be a button
            # of this very screen), and until then the old screen would still be drawn under the new one.
            self.body.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
        self.page = page
        self.body.addWidget(page, 1)
        page.show()  # at once, not at the layout's next turn: a touch right after must find the screen
        self.title_label.setText(page.title)
        plain = route[0] in ("attract", "rating", "pin")
        for widget in (self.home_button, self.back_button, self.done_button, self.large_button, self.contrast_button):
            widget.setVisible(not plain)
        self.speak_button.setVisible(self._speech is not None and not plain)
        self.back_button.setEnabled(bool(self.history))
        if page.topic:
            self.session_topic = page.topic
        if route[0] not in ("attract", "rating", "pin", "qr"):
            self.session_active = True
            self.record("page", page.topic, route[0])
        self.route_shown.emit(route)

    def _build(self, route: tuple) -> pages.KioskPage:
        kind = route[0]
        if kind == "home":
            return pages.HomePage(self)
        build = self.builder
        if kind == "guide":
            return pages.ContentPage(self, build.cached(route, lambda: build.guide(route[1])), "guide", route[1])
        if kind == "case":
            return pages.ContentPage(self, build.cached(route, lambda: build.case(route[1])), "case", route[1])
        if kind == "cases":
            return pages.ContentPage(
                self, build.cached(route, lambda: build.cases_index(route[1] if len(route) > 1 else ""))
            )
        if kind == "article":
            suffix = route[3] if len(route) > 3 else 0
            return pages.ContentPage(self, build.cached(route, lambda: build.article(route[1], route[2], suffix)))
        if kind == "notice":
            return pages.ContentPage(self, build.cached(route, build.notice), "notice", None)
        if kind == "office":
            return pages.ContentPage(self, build.office())
        if kind == "guided":
            return pages.GuidedPage(self, self.answers, route[1] if len(route) > 1 else "topic")
        if kind == "result":
            result = self.content.guided_result(self.answers, self.today())
            self.record("result", self.answers.topic, result.case.id)
            return pages.ContentPage(self, self.builder.result(result), "result", result)
        if kind == "search":
            return pages.SearchPage(self)
        if kind == "qr":
            self.record("qr", self.session_topic, route[1][:80])
            return pages.QrPage(self, route[1], route[2])
        if kind == "attract":
            return pages.AttractPage(self)
        if kind == "rating":
            return pages.RatingPage(self)
        if kind == "pin":
            return pages.PinPage(self)
        raise ValueError(route)

    def open_path(self, path: str) -> None:
        """Follow a page link (a site path, as the phone pages use)."""
        parts = path.split("/")
        if parts[0] == "law":
            law = self.content.law_for_slug(parts[1])
            number, _, suffix = parts[2].partition("-")
            self.show_route(("article", law, int(number), int(suffix or 0)))
        elif parts[0] == "cases" and len(parts) > 1:
            self.show_route(("case", parts[1]))
        else:
            topic = next((t.topic for t in self.content.tiles if t.slug == parts[0]), "")
            self.show_route(("guide", topic) if topic else ("home",))

    def back(self) -> None:
        if self.route and self.route[0] == "guided" and len(self.route) > 1:
            index = GUIDED_STEPS.index(self.route[1])
            if index > 0:
                self.show_route(("guided", GUIDED_STEPS[index - 1]), remember=False)
                return
        if self.history:
            self.show_route(self.history.pop(), remember=False)
        else:
            self.go_home()

    def go_home(self) -> None:
        self.history.clear()
        self.answers = Answers()
        self.show_route(("home",), remember=False)

    def guided_next(self, answers: Answers, answered: str) -> None:
        self.answers = answers
        index = GUIDED_STEPS.index(answered)
        if index + 1 < len(GUIDED_STEPS):
            self.show_route(("guided", GUIDED_STEPS[index + 1]), remember=False)
            return
        try:
            self.show_route(("result",))
        except GuidedError as exc:
            self.title_label.setText(str(exc))

    # ---- session end, idle, rating ----

    def finish_session(self) -> None:
        self.show_route(("rating",), remember=False)

    def rate(self, rating: str) -> None:
        if rating:
            self.record("rating", self.session_topic, rating)
        self.clear_session()
        self.show_route(("home",), remember=False)

    def clear_session(self) -> None:
        self.history.clear()
        self.answers = Answers()
        self.session_topic = ""
        self.session_active = False

    def idle_reset(self) -> None:
        """Nobody touched the screen for the idle time: drop all that was typed and chosen."""
        self.clear_session()
        if self.theme.large_text or self.theme.high_contrast:
            self.theme = Theme(self.theme.touch)
            self.apply_theme()
        self.show_route(("attract",), remember=False)

    def _touched(self) -> None:
        self.idle_timer.start()

    # ---- accessibility ----

    def apply_theme(self) -> None:
        self.setStyleSheet(self.theme.stylesheet())
        self.large_button.setText("正常字" if self.theme.large_text else "大字")
        self.contrast_button.setText("正常色" if self.theme.high_contrast else "高对比")
        if self.route:
            self.show_route(self.route, remember=False)

    def toggle_large_text(self) -> None:
        self.theme = Theme(self.theme.touch, not self.theme.large_text, self.theme.high_contrast)
        self.apply_theme()

    def toggle_contrast(self) -> None:
        self.theme = Theme(self.theme.touch, self.theme.large_text, not self.theme.high_contrast)
        self.apply_theme()

    def _make_speech(self):  # noqa: ANN202 - a QTextToSpeech or None
        """A Chinese voice, or None: the 朗读 button is shown only where one is installed."""
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        for engine in QTextToSpeech.availableEngines():
            if engine in ("mock",):
                continue
            speech = QTextToSpeech(engine, self)
            if any(locale.name().startswith("zh") for locale in speech.availableLocales()):
                zh = next(locale for locale in speech.availableLocales() if locale.name().startswith("zh"))
                speech.setLocale(zh)
                return speech
        return None

    def speak(self) -> None:
        if self._speech is not None and self.page is not None:
            self._speech.say(self.page.speech_text())

    # ---- print ----

    def _office_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = self.content.settings.office().printer.strip()
        if name:
            printer.setPrinterName(name)
        return printer

    def print_page(self, kind: str, key: object, page) -> None:  # noqa: ANN001
        """Build the PDF off the UI thread, then send it to the hall's printer."""
        if kind == "guide":
            build = lambda: self.content.render_pdf(self.content.guide_content(key))  # noqa: E731
        elif kind == "case":
            build = lambda: self.content.render_pdf(self.content.case_sheet(self.content.cases.get(key)))  # noqa: E731
        elif kind == "result":
            build = lambda: self.content.render_pdf(self.content.result_sheet(key))  # noqa: E731
        else:
            build = lambda: self.content.render_pdf(self.content.notice_sheet())  # noqa: E731
        self.title_label.setText("正在准备打印……")
        self.worker.submit(build, lambda pdf: self._print(pdf, page.topic, kind), self._print_failed)

    def _print(self, pdf: bytes, topic: str, kind: str) -> None:
        printed = print_bytes(pdf, self.printer_factory(), self)
        if printed:
            self.record("print", topic, kind)
            self.title_label.setText(f"已打印{printed}页，请在打印机出纸口取走")
        else:
            self._print_failed(RuntimeError("printer"))

    def _print_failed(self, error: object) -> None:
        self.last_print_error = str(error)
        self.title_label.setText("打印机暂时不能使用，请联系工作人员，或用手机扫码查看")

    # ---- usage ----

    def record(self, kind: str, topic: str = "", item: str = "") -> None:
        try:
            self.content.record(kind, topic, item)
        except Exception:  # noqa: BLE001 - a count that could not be stored must never stop a visitor
            import logging

            logging.getLogger("reception.kiosk").exception("usage count not stored")

    # ---- lock-down ----

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.corner and event.type() == QEvent.Type.MouseButtonPress:
            now = time.monotonic()
            self._corner_taps = [t for t in self._corner_taps if now - t < EXIT_WINDOW_S] + [now]
            if len(self._corner_taps) >= EXIT_TAPS:
                self._corner_taps = []
                self.show_route(("pin",), remember=False)
            return True
        return super().eventFilter(watched, event)

    def try_exit(self, pin: str) -> None:
        if self.content.settings.kiosk_pin_matches(pin):
            self._may_close = True
            self.close()
            QApplication.instance().quit()
        elif isinstance(self.page, pages.PinPage):
            self.page.pad.reset("密码不对，请重新输入")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Esc, Alt+F4 and the like do nothing on the kiosk; the hidden gesture and the PIN are the way out.
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._may_close:
            QApplication.instance().removeEventFilter(self._activity)
            event.accept()
        else:
            event.ignore()
