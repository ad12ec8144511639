"""The touch-screen kiosk driven as a petitioner would: touches on the real window, offscreen."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton

TODAY = dt.date(2026, 12, 3)
PERSONAL_TABLES = ("petitioners", "visits", "matters", "matter_events", "visit_representatives", "handouts")


@pytest.fixture
def content(db_url):  # noqa: ANN001, ANN201
    from reception.content import ContentService

    service = ContentService.open(db_url)
    yield service
    service.close()


@pytest.fixture
def statements(content):  # noqa: ANN001, ANN201
    """Every SQL statement the kiosk sends, from the moment the window is built."""
    from sqlalchemy import event

    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):  # noqa: ANN001, ANN202
        seen.append(statement)

    event.listen(content._db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(content._db.engine, "before_cursor_execute", record)


def make_kiosk(qtbot, content, size=(1920, 1080)):  # noqa: ANN001, ANN201
    from ui.kiosk.window import KioskWindow

    window = KioskWindow(content, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.show_route(("home",), remember=False)
    return window


@pytest.fixture
def kiosk(qtbot, content, statements):  # noqa: ANN001, ANN201
    window = make_kiosk(qtbot, content)
    yield window
    window.worker.wait()
    window._may_close = True


def tap(qtbot, widget) -> None:  # noqa: ANN001
    assert widget.isVisible(), widget.text() if isinstance(widget, QPushButton) else widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def link(kiosk, label: str) -> QPushButton:  # noqa: ANN001
    return next(b for b in kiosk.page.link_buttons if b.text() == label)


def test_a_topic_then_an_article_shows_its_exact_text(qtbot, kiosk, content):  # noqa: ANN001
    tap(qtbot, kiosk.page.findChild(QPushButton, "tile-劳动就业"))
    assert kiosk.route == ("guide", "劳动就业")
    assert "你的权利" in kiosk.page.browser.toPlainText()
    tap(qtbot, link(kiosk, "《劳动合同法》第八十二条"))
    assert kiosk.route == ("article", "劳动合同法", 82, 0)
    article = content.article("劳动合同法", 82)
    shown = kiosk.page.browser.toPlainText()
    assert article.text in shown
    assert "2013年7月1日起施行" in shown and "现行有效" in shown
    tap(qtbot, kiosk.back_button)
    assert kiosk.route == ("guide", "劳动就业")


def test_guided_questions_reach_a_dated_result_in_five_touches(qtbot, kiosk, content):  # noqa: ANN001
    from reception.deadlines import compute_due

    tap(qtbot, kiosk.page.findChild(QPushButton, "home-guided"))
    tap(qtbot, kiosk.page.choices["劳动就业"])
    tap(qtbot, kiosk.page.choices["employer"])
    tap(qtbot, kiosk.page.choices["none"])
    tap(qtbot, kiosk.page.choices["昨天"])
    tap(qtbot, kiosk.page.choices["money"])
    assert kiosk.route == ("result",)
    due = compute_due(
        content.deadlines.periods["labor_arbitration"], TODAY - dt.timedelta(days=1), content.deadlines.calendar()
    )
    text = kiosk.page.browser.toPlainText()
    assert f"{due.due.year}年{due.due.month}月{due.due.day}日" in text
    assert "劳动争议调解仲裁法" in text and "法律援助" in text
    assert "《劳动争议调解仲裁法》第二十七条" in [b.text() for b in kiosk.page.link_buttons]
    assert kiosk.page.qr_button.isVisible(), "the office has a guide address: the result can go to a phone"
    cases = [b for b in kiosk.page.link_buttons if content.cases.get(_case_id(content, b.text()))]
    assert len(cases) == 2


def _case_id(content, title: str) -> str:  # noqa: ANN001
    return next((c.id for c in content.cases.all() if c.title == title), "")


def test_guided_date_from_the_calendar(qtbot, kiosk):  # noqa: ANN001
    from PySide6.QtCore import QDate

    kiosk.show_route(("guided", "topic"))
    tap(qtbot, kiosk.page.choices["社会救助"])
    tap(qtbot, kiosk.page.choices["government"])
    tap(qtbot, kiosk.page.choices["decision"])
    kiosk.page.calendar.setSelectedDate(QDate(2026, 11, 2))
    tap(qtbot, kiosk.page.choices["calendar"])
    tap(qtbot, kiosk.page.choices["change"])
    assert kiosk.answers.date == dt.date(2026, 11, 2)
    assert "行政复议" in kiosk.page.browser.toPlainText()


def test_a_case_from_the_case_library(qtbot, kiosk, content):  # noqa: ANN001
    tap(qtbot, kiosk.page.findChild(QPushButton, "home-cases"))
    first = content.cases.all()[0]
    tap(qtbot, link(kiosk, first.title))
    assert kiosk.route == ("case", first.id)
    text = kiosk.page.browser.toPlainText()
    assert first.facts in text and "案例为根据常见情形编写" in text


def test_pinyin_initials_and_a_sentence_search(qtbot, kiosk):  # noqa: ANN001
    tap(qtbot, kiosk.page.findChild(QPushButton, "home-search"))
    page = kiosk.page
    tap(qtbot, page.keyboard.keys["q"])
    tap(qtbot, page.keyboard.keys["x"])
    assert page.field.text() == "qx"
    assert page.candidate_buttons[0].text() == "欠薪"
    tap(qtbot, page.candidate_buttons[0])
    assert page.field.text() == "欠薪"
    tap(qtbot, page.keyboard.keys["search"])
    assert page.results.topics[0] == "劳动就业"
    assert page.result_buttons[0].text() == "工资被拖欠、被辞退，怎么依法维权？"
    # A physical keyboard's input method types a whole sentence.
    qtbot.keyClicks(page.field, "")
    page.field.setText("老板不给工钱")
    page.field.textEdited.emit("老板不给工钱")
    qtbot.waitUntil(lambda: page.results.searched == "老板不给工钱", timeout=3000)
    assert page.results.topics[0] == "劳动就业"
    # The keyboard folds away to leave the results the screen, and comes back.
    tap(qtbot, page.keyboard_toggle)
    assert not page.keyboard.isVisible() and page.keyboard_toggle.text() == "打开键盘"
    tap(qtbot, page.keyboard_toggle)
    assert page.keyboard.isVisible()
    tap(qtbot, page.result_buttons[0])
    assert kiosk.route == ("guide", "劳动就业")


def test_print_sends_the_result_to_the_printer(qtbot, kiosk, content, tmp_path):  # noqa: ANN001
    from PySide6.QtPrintSupport import QPrinter

    target = tmp_path / "kiosk-print.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    kiosk.printer_factory = pdf_printer
    kiosk.answers.topic, kiosk.answers.party, kiosk.answers.paper, kiosk.answers.want = (
        "劳动就业",
        "employer",
        "none",
        "money",
    )
    kiosk.answers.date = TODAY
    kiosk.show_route(("result",))
    tap(qtbot, kiosk.page.print_button)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 10_000, timeout=20000)
    assert target.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: content.usage_counts(dt.date.today(), dt.date.today()).get("print") == 1, timeout=3000)
    assert "已打印" in kiosk.title_label.text()


def test_idle_reset_clears_what_was_typed(qtbot, kiosk):  # noqa: ANN001
    kiosk.show_route(("search",))
    for key in "dibao":
        tap(qtbot, kiosk.page.keyboard.keys[key])
    kiosk.answers.topic = "劳动就业"
    assert kiosk.page.field.text() == "dibao"
    kiosk.idle_timer.setInterval(50)
    kiosk.idle_timer.start()
    qtbot.waitUntil(lambda: kiosk.route == ("attract",), timeout=3000)
    assert kiosk.answers.topic == "" and kiosk.history == []
    tap(qtbot, kiosk.page.findChild(QPushButton, "attract-start"))
    tap(qtbot, kiosk.page.findChild(QPushButton, "home-search"))
    assert kiosk.page.field.text() == ""


def test_every_touch_restarts_the_idle_countdown(qtbot, kiosk):  # noqa: ANN001
    kiosk.idle_timer.stop()
    tap(qtbot, kiosk.page.findChild(QPushButton, "home-notice"))
    assert kiosk.idle_timer.isActive()
    assert kiosk.idle_timer.interval() == 90_000, "the default is 90 seconds"


def test_escape_and_close_do_not_leave_the_kiosk(qtbot, kiosk):  # noqa: ANN001
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    qtbot.keyClick(kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert kiosk.close() is False
    assert kiosk.isVisible()
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_hidden_gesture_and_pin_exit(qtbot, kiosk, services):  # noqa: ANN001
    # The PIN is the desk administrator's to set; the kiosk only checks it.
    services.settings.set_kiosk_pin("135790")
    for _ in range(5):
        press = QMouseEvent(
            QEvent.Type.MouseButtonPress, QPoint(5, 5), QPoint(5, 5), Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(kiosk.corner, press)
    assert kiosk.route == ("pin",)
    pad = kiosk.page.pad
    for digit in "111111":
        tap(qtbot, next(b for b in pad.findChildren(QPushButton) if b.text() == digit))
    tap(qtbot, next(b for b in pad.findChildren(QPushButton) if b.text() == "确定"))
    assert kiosk.isVisible() and "不对" in pad.prompt.text()
    for digit in "135790":
        tap(qtbot, next(b for b in pad.findChildren(QPushButton) if b.text() == digit))
    tap(qtbot, next(b for b in pad.findChildren(QPushButton) if b.text() == "确定"))
    assert not kiosk.isVisible()


def test_leaving_offers_a_rating_stored_with_the_topic(qtbot, kiosk, content):  # noqa: ANN001
    kiosk.show_route(("guide", "社会救助"))
    tap(qtbot, kiosk.done_button)
    assert kiosk.route == ("rating",)
    tap(qtbot, kiosk.page.choices["满意"])
    assert kiosk.route == ("home",)
    from sqlalchemy import select

    from db.models import KioskUsage

    with content._db.unit_of_work() as uow:
        rows = uow.session.execute(select(KioskUsage.topic, KioskUsage.item).where(KioskUsage.kind == "rating")).all()
    assert rows == [("社会救助", "满意")]


def test_large_text_and_high_contrast_are_one_touch_away(qtbot, kiosk):  # noqa: ANN001
    kiosk.show_route(("guide", "教育"))
    tap(qtbot, kiosk.large_button)
    assert kiosk.theme.large_text and "font-size: 35px" in kiosk.styleSheet()
    tap(qtbot, kiosk.contrast_button)
    assert kiosk.theme.high_contrast and "#ffff00" in kiosk.styleSheet()
    assert kiosk.route == ("guide", "教育"), "the page stays where the reader was"
    kiosk.idle_reset()
    assert not kiosk.theme.large_text and not kiosk.theme.high_contrast


def test_read_aloud_is_offered_only_with_a_chinese_voice(kiosk):  # noqa: ANN001
    assert kiosk.speak_button.isVisible() == (kiosk._speech is not None)


ROUTES = [
    ("home",),
    ("guide", "劳动就业"),
    ("case", "laodongjiuye-01"),
    ("article", "劳动合同法", 82, 0),
    ("notice",),
    ("office",),
    ("search",),
    ("guided", "topic"),
    ("guided", "party"),
    ("guided", "date"),
    ("rating",),
    ("attract",),
    ("pin",),
]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)])
def test_every_touch_target_is_at_least_15_mm(qtbot, content, size):  # noqa: ANN001
    from ui.kiosk.theme import touch_px

    window = make_kiosk(qtbot, content, size)
    minimum = touch_px(window.screen())
    assert minimum >= 64
    small = []
    for route in [*ROUTES, ("result",)]:
        if route == ("result",):
            window.answers.topic, window.answers.party, window.answers.paper, window.answers.want = (
                "教育",
                "business",
                "none",
                "money",
            )
        window.show_route(route, remember=False)
        QApplication.processEvents()
        for widget in window.findChildren(QPushButton):
            if widget.isVisibleTo(window) and min(widget.width(), widget.height()) < minimum:
                small.append((route[0], widget.text(), widget.width(), widget.height()))
    window._may_close = True
    assert small == []


def test_no_personal_table_is_queried_in_kiosk_mode(qtbot, kiosk, statements):  # noqa: ANN001
    # A whole session: every kind of screen, a search, a guided result, a rating.
    for route in ROUTES:
        kiosk.show_route(route)
    kiosk.answers.topic, kiosk.answers.party, kiosk.answers.paper, kiosk.answers.want = (
        "劳动就业",
        "employer",
        "none",
        "money",
    )
    kiosk.show_route(("result",))
    kiosk.show_route(("search",))
    kiosk.page.choose("欠薪")
    kiosk.page._run()
    kiosk.rate("满意")
    assert statements, "the recorder saw the kiosk's queries"
    named = [s for s in statements if re.search(r"\b(" + "|".join(PERSONAL_TABLES) + r")\b", s)]
    assert named == []


def test_kiosk_code_cannot_reach_personal_data():
    code = (
        "import sys, ui.kiosk.window, ui.kiosk.app, ui.kiosk.pages;"
        "bad = [m for m in sys.modules if m in ('reception.visits', 'reception.services', 'reception.handouts.service')"
        " or m.startswith('ui.desk')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
