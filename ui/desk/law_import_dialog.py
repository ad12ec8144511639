"""导入法规文本 and 版本比较: an official text (.txt/.docx) is read and checked, compared article by article
with the newest version the library holds, and stored only when the administrator says so; any two stored
versions of a law can be compared the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reception.errors import UserError, ValidationError, os_error_text
from reception.lawlib.lawfile import LawVersionData
from reception.lawlib.library import ImportReport, LawDiff, LawLibrary, LawVersionInfo, diff_versions
from reception.lawlib.parser import LawFileError
from ui.desk.registration_form import ErrorLabel
from ui.shared.ops import Worker
from ui.shared.screen import fit_to_screen

_REMOVED = "background-color:#ffd6d6; color:#8a0000; text-decoration:line-through;"
_ADDED = "background-color:#c9f2c9; color:#0b4d0b;"


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "施行日期不详"


def _origin(version: LawVersionInfo) -> str:
    return "随程序提供" if version.origin == "shipped" else "本单位导入"


def version_label(version: LawVersionInfo) -> str:
    return f"{_day(version.effective)}施行（{_origin(version)}·{version.status}·{version.article_count}条）"


@dataclass(frozen=True)
class ImportCheck:
    """An official text read and compared, not yet stored."""

    law: LawVersionData
    previous: LawVersionInfo | None  # the newest version of the same law in the library
    diff: LawDiff | None
    previous_texts: dict[str, str]
    replaces: bool  # an earlier import of the same law and date would be replaced

    @property
    def identical(self) -> bool:
        d = self.diff
        return (
            d is not None
            and not (d.added or d.removed or d.changed)
            and self.previous is not None
            and self.previous.effective == self.law.effective
        )


def check_official_text(
    laws: LawLibrary, path: Path, short_title: str = "", effective: dt.date | None = None
) -> ImportCheck:
    """Read path as an official text and compare it with the library's newest version of that law (slow:
    run it off the UI thread). Raises LawFileError, ValidationError or OSError."""
    law = laws.read_official_text(path.read_bytes(), path.name, short_title=short_title or None, effective=effective)
    versions = [v for v in laws.versions() if v.short_title == law.short_title]
    if not versions:
        return ImportCheck(law, None, None, {}, False)
    previous = versions[0]
    stored = laws.articles([previous.version_id])
    # ParsedArticle and ArticleView both carry number, suffix, label and text: all the comparison reads.
    diff = diff_versions(
        stored,
        law.articles,  # type: ignore[arg-type]
        law.short_title,
        (f"法律库中的{_day(previous.effective)}施行版", f"导入的{_day(law.effective)}施行版"),
    )
    replaces = any(v.origin == "imported" and v.effective == law.effective for v in versions)
    return ImportCheck(law, previous, diff, {a.label: a.text for a in stored}, replaces)


def compare_versions(laws: LawLibrary, old: LawVersionInfo, new: LawVersionInfo) -> tuple[LawDiff, dict, dict]:
    """Two stored versions compared, with each one's article texts (for added and removed articles)."""
    before, after = laws.articles([old.version_id]), laws.articles([new.version_id])
    # By version id, not by date as LawLibrary.diff: a shipped and an imported text may share a date.
    labels = (f"{_day(old.effective)}施行版", f"{_day(new.effective)}施行版")
    if old.effective == new.effective:
        labels = (f"{labels[0]}（{_origin(old)}）", f"{labels[1]}（{_origin(new)}）")
    diff = diff_versions(before, after, old.short_title, labels)
    return diff, {a.label: a.text for a in before}, {a.label: a.text for a in after}


def _marked(old: str, new: str) -> tuple[str, str]:
    """Both texts with the characters that differ highlighted: struck out in the old, shaded in the new."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < 0.5:
        # A rewritten article: scattered common characters would be noise, the whole text is the change.
        return (
            f'<span style="{_REMOVED}">{escape(old)}</span>'.replace("\n", "<br>"),
            f'<span style="{_ADDED}">{escape(new)}</span>'.replace("\n", "<br>"),
        )
    a: list[str] = []
    b: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            a.append(escape(old[i1:i2]))
            b.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            a.append(f'<span style="{_REMOVED}">{escape(old[i1:i2])}</span>')
        if j2 > j1:
            b.append(f'<span style="{_ADDED}">{escape(new[j1:j2])}</span>')
    return "".join(a).replace("\n", "<br>"), "".join(b).replace("\n", "<br>")


def diff_html(diff: LawDiff, old_texts: dict[str, str], new_texts: dict[str, str]) -> str:
    """The comparison for a QTextBrowser: counts, then changed articles side by side, then added and removed."""
    parts = [
        f"<h3>《{escape(diff.short_title)}》{escape(diff.old_label)} → {escape(diff.new_label)}</h3>",
        f"<p>修改 <b>{len(diff.changed)}</b> 条，新增 <b>{len(diff.added)}</b> 条，删除 <b>{len(diff.removed)}</b> 条，"
        f"未变 {diff.unchanged} 条。条文按条号对应：改了条号的条文显示为一处删除、一处新增，请逐条核对。</p>",
    ]
    if diff.changed:
        parts.append("<h3>修改的条文</h3>")
    for label, old, new in diff.changed:
        before, after = _marked(old, new)
        parts.append(
            f"<p><b>{escape(label)}</b></p>"
            '<table width="100%" border="1" cellspacing="0" cellpadding="6" style="border-color:#c9d3df;">'
            f'<tr><th width="50%" align="left">{escape(diff.old_label)}</th>'
            f'<th width="50%" align="left">{escape(diff.new_label)}</th></tr>'
            f'<tr><td valign="top">{before}</td><td valign="top">{after}</td></tr></table>'
        )
    for title, labels, texts, style in (
        ("新增的条文", diff.added, new_texts, _ADDED),
        ("删除的条文", diff.removed, old_texts, _REMOVED),
    ):
        if labels:
            parts.append(f"<h3>{title}</h3>")
            for label in labels:
                text = escape(texts.get(label, "")).replace("\n", "<br>")
                parts.append(f'<p><b>{escape(label)}</b>　<span style="{style}">{text}</span></p>')
    if not (diff.changed or diff.added or diff.removed):
        parts.append("<p>两个版本的条文完全相同。</p>")
    return "".join(parts)


def _problems_text(exc: Exception) -> str:
    problems = getattr(exc, "problems", None)
    if problems:
        shown = [str(p) for p in problems[:8]]
        more = f"\n……另有 {len(problems) - 8} 处问题" if len(problems) > 8 else ""
        return "\n".join(shown) + more
    if isinstance(exc, ValidationError):
        return "；".join(exc.errors.values())
    return str(exc)


class LawImportDialog(QDialog):
    """Signals:
    laws_changed(): a version was imported; whatever cites law must reload.
    """

    laws_changed = Signal()

    def __init__(self, services, parent: QWidget | None = None):  # noqa: ANN001 - reception.services.Services
        super().__init__(parent)
        self.setWindowTitle("法规文本：导入新版本与版本比较")
        self._services = services
        self._laws: LawLibrary = services.laws
        self.worker = Worker(self)
        self.path: Path | None = None
        self.checked: ImportCheck | None = None
        self._versions: dict[str, list[LawVersionInfo]] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._import_tab(), "导入新版本")
        self.tabs.addTab(self._compare_tab(), "版本比较")
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.reload_versions()
        fit_to_screen(self, 1100, 780)

    # ---- 导入新版本 ----

    def _import_tab(self) -> QWidget:
        intro = QLabel(
            "从国家法律法规数据库（flk.npc.gov.cn）下载法律的官方文本（.docx 或 .txt），在这里核对后导入。"
            "第一行应为法律名称，条文以“第X条”开头，编号须连续。导入的是一个新版本，旧版本保留在法律库中。"
        )
        intro.setWordWrap(True)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("尚未选择文件")
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        self.short_title_edit = QLineEdit()
        self.short_title_edit.setPlaceholderText("如：义务教育法（默认为名称去掉“中华人民共和国”）")
        self.effective_edit = QLineEdit()
        self.effective_edit.setPlaceholderText("YYYY-MM-DD；留空则从正文“自……起施行”读取")
        self.short_title_error = ErrorLabel()
        self.effective_error = ErrorLabel()
        self.short_title_edit.textEdited.connect(self._fields_edited)
        self.effective_edit.textEdited.connect(self._fields_edited)
        form = QFormLayout()
        form.addRow("官方文本", file_row)
        form.addRow("法规简称", self._with_error(self.short_title_edit, self.short_title_error))
        form.addRow("施行日期", self._with_error(self.effective_edit, self.effective_error))
        self.check_button = QPushButton("核对")
        self.check_button.setToolTip("按上面的简称和施行日期重新读取文件，并与法律库中的版本比较")
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton("导入")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_law)
        self.import_status = QLabel()
        self.import_status.setWordWrap(True)
        self.import_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions = QHBoxLayout()
        actions.addWidget(self.check_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.import_status, 1)
        self.import_view = QTextBrowser()
        self.import_view.setPlaceholderText("选择文件后，这里显示条文数，以及与法律库中已有版本相比改了哪些条文。")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.import_view, 1)
        self._set_import_buttons()
        return tab

    @staticmethod
    def _with_error(widget: QWidget, error: ErrorLabel) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        return box

    def _set_import_buttons(self, busy: bool = False) -> None:
        self.choose_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy and self.path is not None)
        self.import_button.setEnabled(not busy and self.checked is not None and not self.checked.identical)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.import_status.setStyleSheet("color: #c62828;" if error else "")
        self.import_status.setText(text)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "选择法规官方文本", "", "法规文本 (*.docx *.txt *.md)")
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """A new file: its short title and date are read from it (and may then be corrected)."""
        self.path = path
        self.file_edit.setText(str(path))
        self.short_title_edit.clear()
        self.effective_edit.clear()
        self.check()

    def _fields_edited(self) -> None:
        if self.checked is not None:
            self.checked = None
            self._set_import_buttons()
            self._say("简称或施行日期已修改，请点“核对”后再导入。")

    def _effective(self) -> tuple[bool, dt.date | None]:
        text = self.effective_edit.text().strip()
        if not text:
            return True, None
        try:
            return True, dt.date.fromisoformat(text)
        except ValueError:
            self.effective_error.show_message(f"日期格式应为 YYYY-MM-DD，如 2026-01-01：{text}")
            return False, None

    def check(self) -> None:
        """Read the file with the fields' short title and date, and compare it (off the UI thread)."""
        if self.path is None:
            return
        self.short_title_error.show_message("")
        self.effective_error.show_message("")
        ok, effective = self._effective()
        if not ok:
            return
        path, laws, short_title = self.path, self._laws, self.short_title_edit.text().strip()
        self.checked = None
        self._set_import_buttons(busy=True)
        self._say(f"正在读取 {path.name} ……")
        self.worker.submit(lambda: check_official_text(laws, path, short_title, effective), self._checked, self._failed)

    def _checked(self, result: ImportCheck) -> None:
        self.checked = result
        law = result.law
        if not self.short_title_edit.text().strip():
            self.short_title_edit.setText(law.short_title)
        if not self.effective_edit.text().strip() and law.effective:
            self.effective_edit.setText(law.effective.isoformat())
        self._set_import_buttons()
        head = f"《{law.title}》共 {len(law.articles)} 条，{_day(law.effective)}起施行。"
        if result.previous is None:
            self._say(head + "法律库中还没有这部法律，导入后为它的第一个版本。")
            self.import_view.setHtml(
                f"<h3>{escape(law.title)}</h3><p>{escape(head)}</p>"
                + "".join(
                    f"<p><b>{escape(a.label)}</b>　{escape(a.text).replace(chr(10), '<br>')}</p>" for a in law.articles
                )
            )
            return
        if result.identical:
            self._say(head + "与法律库中已有的版本完全相同，无需导入。")
        elif result.replaces:
            self._say(head + "法律库中已有本单位导入的同一施行日期的版本，导入后将替换它。")
        else:
            self._say(head + f"将作为新版本加入（法律库中最新的是{version_label(result.previous)}）。")
        new_texts = {a.label: a.text for a in law.articles}
        self.import_view.setHtml(diff_html(result.diff, result.previous_texts, new_texts))

    def _failed(self, exc: Exception) -> None:
        self._set_import_buttons()
        if isinstance(exc, OSError):
            self._say(f"无法读取文件：{os_error_text(exc)}", error=True)
        elif isinstance(exc, ValidationError) and "short_title" in exc.errors:
            self.short_title_error.show_message(exc.errors["short_title"])
            self._say("未导入，法律库未作任何改动。", error=True)
        elif isinstance(exc, (LawFileError, UserError)):
            self._say("文件不能导入，法律库未作任何改动：", error=True)
            self.import_view.setHtml(
                '<p style="color:#c62828;">' + escape(_problems_text(exc)).replace("\n", "<br>") + "</p>"
            )
        else:
            raise exc

    def import_law(self) -> None:
        """Store the checked version; the matcher and documents cite it from now on if it is in force."""
        if self.checked is None:
            return
        law, laws = self.checked.law, self._laws
        self._set_import_buttons(busy=True)
        self._say(f"正在导入《{law.title}》……")

        def done(report: ImportReport) -> None:
            self.checked = None
            self._set_import_buttons()
            self._services.reset_matcher()
            replaced = "（替换了先前导入的同一版本）" if report.replaced else ""
            self._say(
                f"已导入《{report.title}》{_day(report.effective)}施行版，共 {report.article_count} 条{replaced}。"
            )
            self.reload_versions(select=report.short_title)
            self.laws_changed.emit()

        self.worker.submit(lambda: laws.store_imported(law), done, self._failed)

    # ---- 版本比较 ----

    def _compare_tab(self) -> QWidget:
        self.law_combo = QComboBox()
        self.old_combo = QComboBox()
        self.new_combo = QComboBox()
        for combo in (self.law_combo, self.old_combo, self.new_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.law_combo.currentIndexChanged.connect(self._law_chosen)
        self.compare_button = QPushButton("比较")
        self.compare_button.setObjectName("primary")
        self.compare_button.clicked.connect(self.compare)
        self.compare_status = QLabel()
        self.compare_status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("法律法规", self.law_combo)
        form.addRow("旧版本", self.old_combo)
        form.addRow("新版本", self.new_combo)
        actions = QHBoxLayout()
        actions.addWidget(self.compare_button)
        actions.addWidget(self.compare_status, 1)
        self.compare_view = QTextBrowser()
        self.compare_view.setPlaceholderText("选择一部法律的两个版本，点“比较”，这里逐条列出改动。")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel("只列出法律库中有两个以上版本的法律。")
        intro.setObjectName("hint")
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.compare_view, 1)
        return tab

    def reload_versions(self, select: str = "") -> None:
        def show(versions: list[LawVersionInfo]) -> None:
            by_law: dict[str, list[LawVersionInfo]] = {}
            for v in versions:  # grouped by law, newest first
                by_law.setdefault(v.short_title, []).append(v)
            wanted = select or self.law_combo.currentData()
            self.law_combo.blockSignals(True)
            self.law_combo.clear()
            for short_title, group in sorted(by_law.items()):
                if len(group) >= 2:
                    self.law_combo.addItem(f"《{short_title}》（{len(group)} 个版本）", short_title)
            self._versions = by_law
            index = self.law_combo.findData(wanted) if wanted else -1
            self.law_combo.setCurrentIndex(max(index, 0))
            self.law_combo.blockSignals(False)
            self._law_chosen()
            if not self.law_combo.count():
                self.compare_status.setText("法律库中还没有同一部法律的两个版本。")

        self.worker.submit(self._laws.versions, show)

    def _law_chosen(self) -> None:
        versions = self._versions.get(self.law_combo.currentData(), [])
        for combo in (self.old_combo, self.new_combo):
            combo.clear()
            for v in versions:
                combo.addItem(version_label(v), v)
        if len(versions) >= 2:
            self.new_combo.setCurrentIndex(0)
            self.old_combo.setCurrentIndex(1)
        self.compare_button.setEnabled(len(versions) >= 2)

    def choose_versions(self, short_title: str, old: dt.date | None = None, new: dt.date | None = None) -> None:
        """Pick a law and two of its versions by effective date (by default the two newest)."""
        self.law_combo.setCurrentIndex(self.law_combo.findData(short_title))
        for combo, day in ((self.old_combo, old), (self.new_combo, new)):
            if day is not None:
                index = next(i for i in range(combo.count()) if combo.itemData(i).effective == day)
                combo.setCurrentIndex(index)

    def compare(self) -> None:
        old, new = self.old_combo.currentData(), self.new_combo.currentData()
        if old is None or new is None:
            return
        if old.version_id == new.version_id:
            self.compare_status.setText("请选择两个不同的版本。")
            return
        laws = self._laws
        self.compare_button.setEnabled(False)
        self.compare_status.setText("正在比较……")

        def done(result: tuple[LawDiff, dict, dict]) -> None:
            self.compare_button.setEnabled(True)
            diff = result[0]
            self.compare_status.setText(
                f"修改 {len(diff.changed)} 条，新增 {len(diff.added)} 条，删除 {len(diff.removed)} 条。"
            )
            self.compare_view.setHtml(diff_html(*result))

        def failed(exc: Exception) -> None:
            self.compare_button.setEnabled(True)
            if not isinstance(exc, UserError):
                raise exc
            self.compare_status.setText(_problems_text(exc))

        self.worker.submit(lambda: compare_versions(laws, old, new), done, failed)
