"""The plain-language guide of the confirmed topic, shown beside the matches for the one-to-one explanation."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reception.cases import TEACHING_LABEL, CaseLibrary, TeachingCase
from reception.guides import GuideLibrary, TopicGuide
from ui.shared.screen import fit_to_screen


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def guide_html(guide: TopicGuide, cases: list[TeachingCase] = ()) -> str:  # type: ignore[assignment]
    parts = [f"<h2>{_escape(guide.title)}</h2>", f"<p><b>{_escape(guide.summary)}</b></p>"]
    for _key, heading, items in guide.sections:
        if items:
            parts.append(f"<h3>{heading}</h3><ul>" + "".join(f"<li>{_escape(i)}</li>" for i in items) + "</ul>")
    if guide.myths:
        parts.append(
            "<h3>常见误区</h3><ul>"
            + "".join(
                f"<li><b>误区：</b>{_escape(m.myth)}<br><b>正解：</b>{_escape(m.truth)}</li>" for m in guide.myths
            )
            + "</ul>"
        )
    if guide.articles:
        parts.append(
            "<h3>相关法条（通俗说明，原文见打印件或法律法规库）</h3><ul>"
            + "".join(f"<li>《{_escape(a.law)}》第{a.number}条：{_escape(a.point)}</li>" for a in guide.articles)
            + "</ul>"
        )
    if cases:
        parts.append(
            "<h3>以案释法（点标题在旁边打开，可对照讲解）</h3><ul>"
            + "".join(f"<li><a href='case:{c.id}'>{_escape(c.title)}</a>（{c.route}）</li>" for c in cases)
            + "</ul>"
        )
    return "".join(parts)


def case_html(case: TeachingCase) -> str:
    return (
        f"<h2>{_escape(case.title)}</h2><p style='color:#666'>{TEACHING_LABEL}</p>"
        f"<h3>事情经过</h3><p>{_escape(case.facts)}</p>"
        f"<h3>法律怎么说（通俗说明）</h3><p>{_escape(case.law_says)}<br>"
        f"<span style='color:#555'>依据：{_escape(case.cited)}</span></p>"
        f"<h3>怎么解决的</h3><p>{_escape(case.settled)}</p><h3>提示</h3><p><b>{_escape(case.takeaway)}</b></p>"
    )


class CaseWindow(QDialog):
    """A teaching case open beside the desk (not modal): the officer explains it while the visit stays open."""

    def __init__(self, case: TeachingCase, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"以案释法 — {case.title}")
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setHtml(case_html(case))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        fit_to_screen(self, 560, 640)


class GuidePanel(QWidget):
    """Signals:
    print_requested(str, bool): topic, and True for the short 80 mm version.
    """

    print_requested = Signal(str, bool)

    def __init__(self, guides: GuideLibrary, parent: QWidget | None = None, cases: CaseLibrary | None = None):
        super().__init__(parent)
        self._guides = guides
        self._cases = cases or CaseLibrary()
        self.case_windows: list[CaseWindow] = []
        self.topic_combo = QComboBox()
        self.topic_combo.addItems(guides.topics())
        self.topic_combo.currentTextChanged.connect(self._show)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._open_link)
        self.print_button = QPushButton("打印指南")
        self.print_button.setObjectName("primary")
        self.short_button = QPushButton("80mm 简版")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.topic_combo.currentText(), False))
        self.short_button.clicked.connect(lambda: self.print_requested.emit(self.topic_combo.currentText(), True))
        top = QHBoxLayout()
        top.addWidget(QLabel("主题"))
        top.addWidget(self.topic_combo, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.short_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        if guides.topics():
            self._show(self.topic_combo.currentText())
        else:
            self.browser.setPlainText("尚未安装普法指南。")
            self.print_button.setEnabled(False)
            self.short_button.setEnabled(False)

    def show_topic(self, topic: str) -> None:
        """Follow the topic the officer confirmed; an unknown or empty topic leaves the current guide."""
        if self._guides.get(topic) is not None:
            self.topic_combo.setCurrentText(topic)

    def _show(self, topic: str) -> None:
        guide = self._guides.get(topic)
        if guide is not None:
            self.browser.setHtml(guide_html(guide, self._cases.for_topic(topic)))

    def open_case(self, case_id: str) -> CaseWindow | None:
        case = self._cases.get(case_id)
        if case is None:
            return None
        window = CaseWindow(case, self)
        self.case_windows = [w for w in self.case_windows if w.isVisible()] + [window]
        window.show()
        return window

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() == "case":
            self.open_case(url.path())
