"""The kiosk's screens. Each is built when it is shown and dropped when left, from content only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QCalendarWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScroller,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reception.guided import Answers
from reception.pages import Page
from ui.kiosk.widgets import PinPad, PinyinKeyboard, TileButton, button, qr_pixmap

if TYPE_CHECKING:
    from ui.kiosk.window import KioskWindow


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


def _label(text: str, role: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    return label


class KioskPage(QWidget):
    """A screen: its title for the header, and the plain text read aloud."""

    title = ""
    topic = ""

    def speech_text(self) -> str:
        return self.title


class HomePage(KioskPage):
    title = "欢迎使用信访普法自助查询"

    def __init__(self, window: KioskWindow):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        actions = QGridLayout()
        entries = [
            ("我该怎么办", "guide", ("guided",), "primary"),
            ("以案释法", "cases", ("cases",), ""),
            ("信访须知", "notice", ("notice",), ""),
            ("搜索", "search", ("search",), ""),
            ("本单位信息", "office", ("office",), ""),
        ]
        portrait = window.is_portrait()
        for index, (text, icon, route, role) in enumerate(entries):
            widget = button(text, role, icon, on_click=lambda r=route: window.show_route(r))
            widget.setObjectName(f"home-{route[0]}")
            if portrait:
                actions.addWidget(widget, index // 3, index % 3)
            else:
                actions.addWidget(widget, 0, index)
        layout.addLayout(actions)
        layout.addWidget(_label("请点您要了解的事情：", "prompt"))
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setSpacing(14)
        columns = window.tile_columns()
        for index, tile in enumerate(window.content.tiles):
            widget = TileButton(tile.label, tile.line, tile.icon, window.theme.touch)
            widget.setObjectName(f"tile-{tile.topic}")
            widget.clicked.connect(lambda _=False, t=tile.topic: window.show_route(("guide", t)))
            grid.addWidget(widget, index // columns, index % columns)
        layout.addWidget(_scrolling(grid_host), 1)

    def speech_text(self) -> str:
        return "欢迎使用信访普法自助查询。请点您要了解的事情，或者点“我该怎么办”，回答几个问题。"


class ContentPage(KioskPage):
    """A page of content: the text on the left (or on top), its articles, cases and guides to touch."""

    def __init__(self, window: KioskWindow, page: Page, print_kind: str = "", print_key: object = None):
        super().__init__()
        self.page = page
        self.title = page.title
        self.topic = page.topic
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet(window.theme.page_css())
        self.browser.setHtml(page.body)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.browser.viewport(), QScroller.ScrollerGestureType.TouchGesture)

        links_host = QWidget()
        links_layout = QVBoxLayout(links_host)
        links_layout.setContentsMargins(0, 0, 0, 0)
        group = ""
        self.link_buttons = []
        for link in page.links:
            if link.group != group:
                group = link.group
                links_layout.addWidget(_label(group, "group"))
            widget = button(link.label, "link", on_click=lambda p=link.path: window.open_path(p))
            self.link_buttons.append(widget)
            links_layout.addWidget(widget)
        links_layout.addStretch(1)

        body = QGridLayout()
        if window.is_portrait():
            body.addWidget(self.browser, 0, 0)
            if page.links:
                body.addWidget(_scrolling(links_host), 1, 0)
                body.setRowStretch(0, 3)
                body.setRowStretch(1, 2)
        else:
            body.addWidget(self.browser, 0, 0)
            if page.links:
                body.addWidget(_scrolling(links_host), 0, 1)
                body.setColumnStretch(0, 3)
                body.setColumnStretch(1, 2)

        actions = QHBoxLayout()
        if print_kind:
            self.print_button = button(
                "打印", "", "print", on_click=lambda: window.print_page(print_kind, print_key, page)
            )
            actions.addWidget(self.print_button)
        url = window.content.url(page.path)
        if url:
            self.qr_button = button(
                "在手机上看", "", "qr", on_click=lambda: window.show_route(("qr", page.path, page.title))
            )
            actions.addWidget(self.qr_button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addLayout(body, 1)
        layout.addLayout(actions)

    def speech_text(self) -> str:
        return self.title + "。" + self.browser.toPlainText()


class GuidedPage(KioskPage):
    """我该怎么办: one question per screen, five touches to the result (a sixth to confirm a calendar date)."""

    title = "我该怎么办"

    def __init__(self, window: KioskWindow, answers: Answers, step: str):
        super().__init__()
        self.window_ = window
        self.answers = answers
        self.step = step
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        order = ["topic", "party", "paper", "date", "want"]
        layout.addWidget(_label(f"第{order.index(step) + 1}步，共{len(order)}步　不用填写姓名和身份证号", "step"))
        host = QWidget()
        grid = QGridLayout(host)
        grid.setSpacing(12)
        columns = 1 if window.is_portrait() else 2
        self.choices: dict[str, object] = {}
        if step == "topic":
            self.prompt = "您遇到的是哪方面的事？"
            columns = window.tile_columns()
            for index, tile in enumerate(window.content.tiles):
                widget = TileButton(tile.label, tile.line, tile.icon, window.theme.touch)
                widget.clicked.connect(lambda _=False, t=tile.topic: self._answer("topic", t))
                self.choices[tile.topic] = widget
                grid.addWidget(widget, index // columns, index % columns)
        elif step == "date":
            self.prompt = "您是哪天收到这份文书的？" if answers.paper not in ("", "none") else "您是哪天知道这件事的？"
            today = window.today()
            options = [
                ("今天", today),
                ("昨天", today - dt.timedelta(days=1)),
                ("大约一周前", today - dt.timedelta(days=7)),
                ("大约一个月前", today - dt.timedelta(days=30)),
                ("记不清，跳过（只看规定）", None),
            ]
            for index, (label, day) in enumerate(options):
                widget = button(label, "choice", on_click=lambda d=day: self._answer("date", d))
                self.choices[label] = widget
                grid.addWidget(widget, index // columns, index % columns)
            self.calendar = QCalendarWidget()
            self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            self.calendar.setMinimumHeight(window.theme.touch * 8)
            self.calendar.setMaximumDate(QDate(today.year, today.month, today.day))
            self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            self.calendar.setGridVisible(True)
            row = (len(options) + columns - 1) // columns
            grid.addWidget(_label("或者在日历上点日期，再点“用这一天”：", "hint"), row, 0, 1, columns)
            grid.addWidget(self.calendar, row + 1, 0, 1, columns)
            pick = button("用这一天", "primary", on_click=self._answer_calendar)
            self.choices["calendar"] = pick
            grid.addWidget(pick, row + 2, 0, 1, columns)
        else:
            question = window.content.questions.question(step)
            self.prompt = question.prompt
            for index, option in enumerate(question.options):
                widget = button(option.label, "choice", on_click=lambda k=option.key: self._answer(step, k))
                self.choices[option.key] = widget
                grid.addWidget(widget, index // columns, index % columns)
        layout.addWidget(_label(self.prompt, "prompt"))
        grid.setRowStretch(grid.rowCount(), 1)
        layout.addWidget(_scrolling(host), 1)

    def _answer_calendar(self) -> None:
        chosen = self.calendar.selectedDate()
        self._answer("date", dt.date(chosen.year(), chosen.month(), chosen.day()))

    def _answer(self, key: str, value: object) -> None:
        setattr(self.answers, key, value)
        self.window_.guided_next(self.answers, key)

    def speech_text(self) -> str:
        return self.prompt


class SearchPage(KioskPage):
    """Search with the on-screen pinyin keyboard: letters offer words (qx → 欠薪), results follow each touch."""

    title = "搜索"

    def __init__(self, window: KioskWindow, composed: str = ""):
        super().__init__()
        self.window_ = window
        self.composed = composed  # Chinese chosen so far
        self.letters = ""  # pinyin typed since
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        self.field = QLineEdit()
        self.field.setPlaceholderText("用拼音或拼音首字母输入，例如 qx（欠薪）、dibao（低保）")
        self.field.textEdited.connect(self._typed_on_hardware)
        layout.addWidget(self.field)
        self.candidate_bar = QHBoxLayout()
        candidate_host = QWidget()
        candidate_host.setLayout(self.candidate_bar)
        row = QHBoxLayout()
        row.addWidget(candidate_host, 1)
        # On a short wall screen the keyboard leaves little room for results: it folds away and back.
        self.keyboard_toggle = button("收起键盘", "", "keyboard", on_click=self.toggle_keyboard)
        row.addWidget(self.keyboard_toggle)
        layout.addLayout(row)
        self.results_host = QWidget()
        self.results_layout = QVBoxLayout(self.results_host)
        self.results_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_scrolling(self.results_host), 1)
        self.keyboard = PinyinKeyboard(window.theme.touch)
        self.keyboard.letter.connect(self._letter)
        self.keyboard.backspace.connect(self._backspace)
        self.keyboard.clear.connect(self._clear)
        self.keyboard.search.connect(self._run)
        layout.addWidget(self.keyboard)
        self.candidate_buttons: list = []
        self.result_buttons: list = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._run)
        self._refresh()

    def query(self) -> str:
        return self.composed + self.letters

    def toggle_keyboard(self) -> None:
        self.keyboard.setVisible(not self.keyboard.isVisible())
        self.keyboard_toggle.setText("收起键盘" if self.keyboard.isVisible() else "打开键盘")

    def _letter(self, ch: str) -> None:
        self.letters += ch
        self._refresh()

    def _backspace(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
        else:
            self.composed = self.composed[:-1]
        self._refresh()

    def _clear(self) -> None:
        self.composed, self.letters = "", ""
        self._refresh()

    def choose(self, word: str) -> None:
        self.composed += word
        self.letters = ""
        self._refresh()

    def _typed_on_hardware(self, text: str) -> None:
        # A physical keyboard with a system input method types Chinese straight into the field.
        self.composed, self.letters = text, ""
        self._debounce.start()

    def _refresh(self) -> None:
        self.field.setText(self.query())
        while self.candidate_bar.count():
            item = self.candidate_bar.takeAt(0)
            if item.widget():
                item.widget().hide()  # now: deleteLater waits for the event loop
                item.widget().deleteLater()
        self.candidate_buttons = []
        if self.letters:
            for word in self.window_.content.candidates(self.letters)[:6]:
                widget = button(word, "candidate", on_click=lambda w=word: self.choose(w))
                self.candidate_buttons.append(widget)
                self.candidate_bar.addWidget(widget)
                widget.show()
        self.candidate_bar.addStretch(1)
        self._debounce.start()

    def _run(self) -> None:
        self._debounce.stop()
        query = self.query().strip()
        while self.results_layout.count():
            item = self.results_layout.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.result_buttons = []
        if not query:
            self.results_layout.addWidget(_label("输入后，这里会显示相关的指南、案例和法条。", "hint"))
            return
        self.results = self.window_.content.search(query)
        self.window_.record("search", self.results.topics[0] if self.results.topics else "", "")
        if self.results.searched and self.results.searched != query:
            self.results_layout.addWidget(_label(f"按“{self.results.searched}”查找：", "hint"))
        if self.results.empty:
            self.results_layout.addWidget(_label("没有找到。可以换个说法，或者点“我该怎么办”回答几个问题。", "hint"))
        groups = [
            ("普法指南", [(g.title, ("guide", g.topic)) for g in self.results.guides]),
            ("以案释法", [(c.title, ("case", c.id)) for c in self.results.cases]),
            ("法条", [(a.label, ("article", a.law, a.number, a.suffix)) for a in self.results.articles]),
        ]
        for heading, entries in groups:
            if not entries:
                continue
            self.results_layout.addWidget(_label(heading, "group"))
            for label, route in entries:
                widget = button(label, "link", on_click=lambda r=route: self.window_.show_route(r))
                self.result_buttons.append(widget)
                self.results_layout.addWidget(widget)
                widget.show()
        self.results_layout.addStretch(1)

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        # A search still pending when the screen is left must not run against a screen being dropped.
        self._debounce.stop()
        super().hideEvent(event)

    def speech_text(self) -> str:
        return "请用下面的键盘输入拼音，再点上面出现的词。"


class QrPage(KioskPage):
    def __init__(self, window: KioskWindow, path: str, title: str):
        super().__init__()
        self.title = "用手机扫一扫"
        url = window.content.url(path) or ""
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(_label(f"用手机扫描下面的二维码，就能在手机上看“{title}”", "prompt"), 0)
        image = QLabel()
        size = min(window.width(), window.height()) // 2
        image.setPixmap(qr_pixmap(url, size))
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(image)
        address = _label(url, "hint")
        address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(address)
        layout.addWidget(
            _label("手机页面上没有您的任何个人信息；期限按规则说明，具体日期以打印件或工作人员告知为准。", "hint")
        )
        layout.addStretch(1)


class AttractPage(KioskPage):
    """Shown when nobody uses the screen: short 普法 messages, those of the day first."""

    title = "信访普法自助查询"

    def __init__(self, window: KioskWindow):
        super().__init__()
        self.messages = window.content.attract_messages(window.today())
        self.index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.addStretch(2)
        self.text = _label("", "attract")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cite = _label("", "attract-cite")
        self.cite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.text)
        layout.addWidget(self.cite)
        layout.addStretch(2)
        start = button("点这里开始查询", "primary", on_click=lambda: window.show_route(("home",)))
        start.setObjectName("attract-start")
        start.setMinimumSize(window.theme.touch * 6, window.theme.touch * 2)
        layout.addWidget(start, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(8000)
        self.timer.timeout.connect(self.rotate)
        self.timer.start()
        self.rotate()

    def rotate(self) -> None:
        if not self.messages:
            return
        message = self.messages[self.index % len(self.messages)]
        self.text.setText(message.text)
        self.cite.setText(f"（{message.cited}）" if message.cited else "")
        self.index += 1

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.window().show_route(("home",))


class RatingPage(KioskPage):
    title = "请您评价"

    def __init__(self, window: KioskWindow):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.addStretch(1)
        prompt = _label("这次查询对您有帮助吗？点一下就行，不记录您的任何个人信息。", "prompt")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(prompt)
        row = QHBoxLayout()
        self.choices = {}
        for label in window.content_ratings():
            widget = button(label, "primary" if label == "满意" else "", on_click=lambda v=label: window.rate(v))
            widget.setMinimumHeight(window.theme.touch * 2)
            self.choices[label] = widget
            row.addWidget(widget)
        layout.addLayout(row)
        skip = button("不评价，回到首页", on_click=lambda: window.rate(""))
        layout.addWidget(skip, 0, Qt.AlignmentFlag.AlignCenter)
        self.choices["skip"] = skip
        layout.addStretch(1)


class PinPage(KioskPage):
    title = "管理员退出"

    def __init__(self, window: KioskWindow):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.pad = PinPad(window.theme.touch)
        self.pad.submitted.connect(window.try_exit)
        self.pad.cancelled.connect(lambda: window.show_route(("home",)))
        layout.addWidget(self.pad, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
