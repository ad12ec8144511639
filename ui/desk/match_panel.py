"""Live matches beside the registration form: type, topic, route and statutes, each with its reasons."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reception.matching import Matcher, MatchResult, RankedStatute
from ui.shared.ops import Worker

_STATUTE_ROLE = Qt.ItemDataRole.UserRole + 1
# The matcher's default call composes its first five (another law's place, the channel's and a situation's
# article) as they are measured and as the kiosk shows them; the officer sees those five first, then three
# more in score order.
_SHOWN_STATUTES = 8
MIN_CHARS = 4


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ArticleDialog(QDialog):
    """One matched article in full, with its citation and the reasons it was suggested."""

    def __init__(self, statute: RankedStatute, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{statute.law}{statute.article}")
        self.resize(720, 520)
        self.viewer = QTextBrowser()
        paragraphs = "".join(
            f"<p style='text-indent:2em;margin:6px 0;font-size:16px'>{_escape(p)}</p>" for p in statute.text.split("\n")
        )
        reasons = "".join(f"<li>{_escape(w)}</li>" for w in statute.why)
        self.viewer.setHtml(
            f"<h2>《{_escape(statute.title)}》{statute.article}</h2>"
            f"<p style='color:#1b6e20'><b>现行有效</b>　{statute.effective}起施行</p>{paragraphs}"
            "<p style='color:#777;font-size:12px'>以上为法律条文原文。</p>"
            f"<h3>为什么推荐这一条（系统提示，非法律条文）</h3><ul>{reasons}</ul>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.viewer)
        layout.addWidget(buttons)


class MatchPanel(QGroupBox):
    """Signals:
    apply_requested(str, str, str): type, topic, route the officer confirmed ("" = leave unchanged).
    matched(object): each MatchResult shown.
    """

    apply_requested = Signal(str, str, str)
    matched = Signal(object)

    def __init__(self, worker: Worker, parent: QWidget | None = None):
        super().__init__("法律依据智能匹配（供参考，请核实后确认）", parent)
        self.setObjectName("matchPanel")
        self._worker = worker
        self._matcher: Matcher | None = None
        self._pending_text = ""
        self._generation = 0
        self.result: MatchResult | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self._run)

        self.state_label = QLabel("正在准备法律库索引……")
        self.state_label.setObjectName("hint")
        self.state_label.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.type_buttons = [QPushButton() for _ in range(2)]
        self.topic_buttons = [QPushButton() for _ in range(3)]
        self.route_buttons = [QPushButton() for _ in range(3)]
        for row, (title, buttons) in enumerate(
            (("类型", self.type_buttons), ("主题", self.topic_buttons), ("途径", self.route_buttons))
        ):
            grid.addWidget(QLabel(title), row, 0)
            for column, button in enumerate(buttons):
                button.setObjectName("choice")
                button.setToolTip("点击采用")
                button.hide()
                grid.addWidget(button, row, column + 1)
        grid.setColumnStretch(4, 1)
        for button in self.type_buttons:
            button.clicked.connect(lambda _=False, b=button: self.apply_requested.emit(b.property("value"), "", ""))
        for button in self.topic_buttons:
            button.clicked.connect(lambda _=False, b=button: self.apply_requested.emit("", b.property("value"), ""))
        for button in self.route_buttons:
            button.clicked.connect(lambda _=False, b=button: self.apply_requested.emit("", "", b.property("value")))
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setObjectName("evidence")
        self.apply_all = QPushButton("全部采用")
        self.apply_all.setObjectName("primary")
        self.apply_all.setEnabled(False)
        self.apply_all.clicked.connect(self._apply_best)
        self.statutes = self._statute_list()
        self.basis = self._statute_list()

        header = QHBoxLayout()
        header.addWidget(self.state_label, 1)
        header.addWidget(self.apply_all)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(self.evidence_label)
        layout.addWidget(QLabel("相关法条：与所述事情最相关的条文（双击查看全文）"))
        layout.addWidget(self.statutes, 3)
        layout.addWidget(QLabel("途径与期限依据：所选主题和途径的办理渠道、时限条文"))
        layout.addWidget(self.basis, 2)
        self.basis.setMaximumHeight(84)
        self._open_dialogs: list[ArticleDialog] = []

    def _statute_list(self) -> QListWidget:
        statutes = QListWidget()
        # One line per article, so that five fit on a 768-pixel screen; the tooltip and a double click
        # give the reasons and the full text.
        statutes.setWordWrap(False)
        statutes.setTextElideMode(Qt.TextElideMode.ElideRight)
        statutes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        statutes.setObjectName("statuteList")
        statutes.itemActivated.connect(self.open_statute)
        statutes.itemDoubleClicked.connect(self.open_statute)
        return statutes

    def set_matcher(self, matcher: Matcher) -> None:
        self._matcher = matcher
        self.state_label.setText("在“诉求摘要”中输入来访人所说的内容，这里会随输入更新匹配结果。")
        if self._pending_text:
            self._debounce.start()

    def set_failed(self, message: str) -> None:
        self.state_label.setText(message)

    def update_text(self, text: str) -> None:
        self._pending_text = text
        self._debounce.start()

    def _run(self) -> None:
        text = self._pending_text.strip()
        self._generation += 1
        generation = self._generation
        if self._matcher is None:
            return
        if len(text) < MIN_CHARS:
            self.clear()
            return
        matcher = self._matcher

        def done(result: MatchResult) -> None:
            # Answers for text the officer has since changed are dropped.
            if generation == self._generation:
                self.show_result(result)

        self._worker.submit(lambda: matcher.match(text), done)

    def clear(self) -> None:
        self.result = None
        for button in (*self.type_buttons, *self.topic_buttons, *self.route_buttons):
            button.hide()
        self.evidence_label.clear()
        self.statutes.clear()
        self.basis.clear()
        self.apply_all.setEnabled(False)

    def show_result(self, result: MatchResult) -> None:
        if result.needs_more:
            # Nothing to go on: no percentages that would look like a judgement.
            self.clear()
            self.result = result
            self.evidence_label.setText(result.needs_more)
            self.state_label.setText("请继续询问并补充诉求摘要。")
            self.matched.emit(result)
            return
        self.result = result
        self._fill(self.type_buttons, result.types, 0.15)
        self._fill(self.topic_buttons, result.topics, 0.08)
        self._fill(self.route_buttons, result.routes, 0.08)
        top = result.topics[0]
        phrases = [e for e in top.evidence[:6] if "：" not in e and not e.startswith("条文检索")]
        notes = [e for e in top.evidence[:6] if e not in phrases]
        evidence = "；".join(filter(None, ["、".join(phrases), *notes])) or "无明显关键词，主要依据条文检索"
        type_ev = "、".join(result.type.evidence[:4])
        self.evidence_label.setText(
            f"判断依据：{top.name} ← {evidence}" + (f"；{result.type.name} ← {type_ev}" if type_ev else "")
        )
        for widget, statutes in ((self.statutes, result.statutes[:_SHOWN_STATUTES]), (self.basis, result.route_basis)):
            widget.clear()
            for statute in statutes:
                first = statute.text.split("\n")[0]
                item = QListWidgetItem(f"《{statute.law}》{statute.article}　{first}")
                item.setToolTip("\n".join(statute.why))
                item.setData(_STATUTE_ROLE, statute)
                widget.addItem(item)
        self.apply_all.setEnabled(True)
        self.state_label.setText("点击选项采用；“全部采用”填入最可能的一项。")
        self.matched.emit(result)

    @staticmethod
    def _fill(buttons: list[QPushButton], scored, floor: float) -> None:  # noqa: ANN001
        for index, button in enumerate(buttons):
            if index < len(scored) and (index == 0 or scored[index].score >= floor):
                item = scored[index]
                # A probability is never certainty: 0.996 rounded to "100%" would claim it (the 90–99 % band is
                # right about 97 times in 100 on the probe sets, docs/benchmarks.md).
                button.setText(f"{item.name} {min(item.score, 0.99):.0%}")
                button.setProperty("value", item.name)
                button.show()
            else:
                button.hide()

    def _apply_best(self) -> None:
        if self.result is not None:
            self.apply_requested.emit(self.result.type.name, self.result.topics[0].name, self.result.routes[0].name)

    def open_statute(self, item: QListWidgetItem) -> ArticleDialog | None:
        statute = item.data(_STATUTE_ROLE)
        if not isinstance(statute, RankedStatute):
            return None
        dialog = ArticleDialog(statute, self)
        self._open_dialogs = [d for d in self._open_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog
