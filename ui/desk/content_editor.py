"""内容管理: the administrator edits the office's guides, teaching cases and classification guide (TOML text),
previews a draft as the kiosk page and as the printout, publishes or goes back to the shipped file, and
carries the office's content to another office as a content pack.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reception.content_store import KIND_LABELS, ContentEntry, ContentPreview, PackPlan
from reception.errors import UserError, ValidationError, os_error_text
from ui.desk.document_preview import missing_warning
from ui.kiosk.theme import Theme
from ui.shared.ops import Worker
from ui.shared.screen import fit_to_screen

# Monospace families that also hold Chinese: TOML keys and brackets line up, and Han characters are two
# columns wide in each of them. Without one, the system's fixed font with the UI font behind it for Han.
MONO_CJK_FAMILIES = ("Sarasa Mono SC", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "NSimSun")
_STATE_COLORS = {"本单位版本": "#1f4e79", "有未发布的草稿": "#b45f00"}
_ROLE = Qt.ItemDataRole.UserRole


def editor_font() -> QFont:
    installed = set(QFontDatabase.families())
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono = [f for f in MONO_CJK_FAMILIES if f in installed][:1] or [font.family()]
    app_font = QApplication.font()
    font.setFamilies([*mono, *[f for f in (app_font.families() or [app_font.family()]) if f not in mono]])
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(max(app_font.pointSize(), 11))
    return font


def key_label(kind: str, key: str) -> str:
    return "分类指引" if kind == "classification" else key


class _PreviewTheme(Theme):
    """The kiosk's page style, scaled to a pane beside the editor (the kiosk's own text is for arm's length)."""

    @property
    def scale(self) -> float:
        return 0.6


def page_css() -> str:
    theme = _PreviewTheme(touch=64)
    return theme.page_css() + f"h1 {{ font-size: {theme.px(34)}px; color: #1f4e79; }}"


class TextQuestion(QDialog):
    """A yes/no question whose text may be long (a pack's changes): in a scrolling box, not a message box."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        body = QPlainTextEdit(text)
        body.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
        buttons.button(QDialogButtonBox.StandardButton.Yes).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.No).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 420 if text.count("\n") > 4 else 220)


class ContentEditorDialog(QDialog):
    """Content files on the left, the selected file's text in the middle, its preview on the right.

    `confirm(title, text) -> bool` asks before publishing, reverting, importing a pack and dropping edits;
    tests replace it. export_to(path) and import_from(path) do what the file-dialog buttons do.
    """

    def __init__(self, services, parent: QWidget | None = None):  # noqa: ANN001 - reception.services.Services
        super().__init__(parent)
        self.setWindowTitle("内容管理：普法指南、以案释法案例和分类指引")
        self._services = services
        self._store = services.content
        self.worker = Worker(self)
        self._entries: dict[tuple[str, str], ContentEntry] = {}
        self.current: tuple[str, str] | None = None
        self._loaded_text = ""
        self._preview_current = False
        self._loading = False

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["内容文件", "状态"])
        self.tree.setRootIsDecorated(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        # Wide enough for the longest topic and 有未发布的草稿 side by side, without a sideways scroll bar.
        self.tree.setMinimumWidth(self.tree.fontMetrics().horizontalAdvance("婚姻家庭与民间纠纷有未发布的草稿") + 90)
        self.tree.currentItemChanged.connect(self._item_changed)

        self.heading = QLabel("请在左侧选择要编辑的内容文件。")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.editor = QPlainTextEdit()
        self.editor.setFont(editor_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setEnabled(False)
        self.editor.textChanged.connect(self._text_changed)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("保存草稿")
        self.save_button.setShortcut("Ctrl+S")
        self.preview_button = QPushButton("预览")
        self.publish_button = QPushButton("发布")
        self.publish_button.setObjectName("primary")
        self.revert_button = QPushButton("恢复出厂")
        self.save_button.clicked.connect(self.save_draft)
        self.preview_button.clicked.connect(self.preview)
        self.publish_button.clicked.connect(self.publish)
        self.revert_button.clicked.connect(self.revert)
        edit_buttons = QHBoxLayout()
        for button in (self.save_button, self.preview_button, self.publish_button):
            edit_buttons.addWidget(button)
        edit_buttons.addStretch(1)
        edit_buttons.addWidget(self.revert_button)
        edit_pane = QWidget()
        edit_layout = QVBoxLayout(edit_pane)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.heading)
        edit_layout.addWidget(self.editor, 1)
        edit_layout.addWidget(self.error)
        edit_layout.addWidget(self.status)
        edit_layout.addLayout(edit_buttons)

        self.preview_note = QLabel("点“预览”查看编辑框中的内容在触摸屏上和打印出来的样子（不保存、不发布）。")
        self.preview_note.setObjectName("hint")
        self.preview_note.setWordWrap(True)
        self.preview_html = QTextBrowser()
        self.preview_html.setOpenLinks(False)
        self.preview_html.document().setDefaultStyleSheet(page_css())
        self.preview_pdf = QPdfDocument(self)
        self._pdf_bytes = QByteArray()
        self._pdf_buffer: QBuffer | None = None
        self.preview_pdf_view = QPdfView()
        self.preview_pdf_view.setDocument(self.preview_pdf)
        self.preview_pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview_pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_tabs = QTabWidget()
        self.preview_tabs.addTab(self.preview_html, "触摸屏/手机页面")
        self.preview_tabs.addTab(self.preview_pdf_view, "打印件")
        preview_pane = QWidget()
        preview_layout = QVBoxLayout(preview_pane)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview_note)
        preview_layout.addWidget(self.preview_tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(edit_pane)
        splitter.addWidget(preview_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([330, 500, 520])
        splitter.setChildrenCollapsible(False)

        self.export_button = QPushButton("导出内容包…")
        self.export_button.setToolTip("把本单位现用的全部内容、导入的法规版本和效力标记存为一个文件，供其他单位导入")
        self.import_button = QPushButton("导入内容包…")
        self.import_button.setToolTip("导入其他单位导出的内容包：先列出会改动什么，确认后才导入")
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        self.pack_message = QLabel(
            "发布的内容供本单位所有接待窗口和触摸屏使用（其他电脑上的程序重新启动后生效）；草稿只在这里看得到。"
        )
        self.pack_message.setObjectName("hint")
        self.pack_message.setWordWrap(True)
        self.pack_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.pack_message, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._set_edit_buttons()
        self.reload_entries()
        fit_to_screen(self, 1360, 820)

    # ---- questions (replaced in tests) ----

    def confirm(self, title: str, text: str) -> bool:
        return TextQuestion(title, text, self).exec() == QDialog.DialogCode.Accepted

    # ---- the list ----

    def reload_entries(self) -> None:
        entries = self._store.entries()
        self._entries = {(e.kind, e.key): e for e in entries}
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        selected = None
        for entry in entries:
            group = groups.get(entry.kind)
            if group is None:
                count = sum(1 for e in entries if e.kind == entry.kind)
                group = QTreeWidgetItem([KIND_LABELS[entry.kind], f"{count} 个"])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                groups[entry.kind] = group
                self.tree.addTopLevelItem(group)
            item = QTreeWidgetItem([key_label(entry.kind, entry.key), entry.state])
            item.setData(0, _ROLE, (entry.kind, entry.key))
            if entry.state in _STATE_COLORS:
                item.setForeground(1, QBrush(QColor(_STATE_COLORS[entry.state])))
            if entry.updated_at:
                item.setToolTip(1, f"{entry.updated_by} 于 {entry.updated_at:%Y-%m-%d %H:%M} 修改")
            group.addChild(item)
            if (entry.kind, entry.key) == self.current:
                selected = item
        self.tree.expandAll()
        if selected is not None:
            self.tree.setCurrentItem(selected)
        self.tree.blockSignals(False)
        self._show_heading()

    def select(self, kind: str, key: str) -> None:
        """Open a content file in the editor, as a click on it in the list does."""
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                if item.data(0, _ROLE) == (kind, key):
                    self.tree.setCurrentItem(item)
                    return
        raise KeyError((kind, key))

    def _item_changed(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        target = item.data(0, _ROLE) if item is not None else None
        if target is None or tuple(target) == self.current:
            return
        if self.is_dirty() and not self.confirm("放弃修改", "编辑框中的修改还没有保存为草稿，要放弃这些修改吗？"):
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(previous)
            self.tree.blockSignals(False)
            return
        self._open(*target)

    def _open(self, kind: str, key: str) -> None:
        self.current = (kind, key)
        self._load_text()
        self._clear_preview("点“预览”查看编辑框中的内容在触摸屏上和打印出来的样子（不保存、不发布）。")

    def _load_text(self) -> None:
        kind, key = self.current
        self._loaded_text = self._store.text(kind, key, draft=True)
        self._loading = True
        self.editor.setPlainText(self._loaded_text)
        self._loading = False
        self.editor.setEnabled(True)
        self._show_error("")
        self._show_heading()
        self._set_edit_buttons()

    def _show_heading(self) -> None:
        if self.current is None:
            return
        entry = self._entries.get(self.current)
        kind, key = self.current
        state = entry.state if entry else ""
        text = f"{KIND_LABELS[kind]}·{key_label(kind, key)}　{state}"
        if entry and entry.updated_at:
            text += f"（{entry.updated_by} {entry.updated_at:%Y-%m-%d %H:%M}）"
        self.heading.setText(text)
        hints = {
            "出厂": "编辑框中是随程序提供的出厂内容。修改后先“保存草稿”，预览无误再“发布”。",
            "本单位版本": "编辑框中是本单位发布的版本。“恢复出厂”会删除本单位版本，改回随程序提供的内容。",
            "有未发布的草稿": "编辑框中是尚未发布的草稿；窗口和触摸屏仍在使用发布的版本，发布后才生效。",
        }
        self.status.setText(hints.get(state, ""))

    def _set_edit_buttons(self) -> None:
        opened = self.current is not None
        entry = self._entries.get(self.current) if opened else None
        for button in (self.save_button, self.preview_button, self.publish_button):
            button.setEnabled(opened)
        self.revert_button.setEnabled(entry is not None and entry.state != "出厂")

    def is_dirty(self) -> bool:
        return self.current is not None and self.editor.toPlainText() != self._loaded_text

    def _text_changed(self) -> None:
        if self._loading:
            return
        if self._preview_current:
            self._preview_current = False
            self.preview_note.setText("编辑框已修改，预览不是最新的：请再点“预览”。")
            self.preview_note.setStyleSheet("color: #b45f00;")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # ---- editing ----

    def _attempt(self, call) -> bool:  # noqa: ANN001 - a callable
        """Run a store call; a refusal is shown under the editor in the store's own words."""
        try:
            call()
        except ValidationError as exc:
            self._show_error("；".join(exc.errors.values()))
            return False
        except UserError as exc:
            self._show_error(str(exc))
            return False
        self._show_error("")
        return True

    def save_draft(self) -> bool:
        """Keep the editor's text as the file's draft (checked as the app will read it); nothing else changes."""
        if self.current is None:
            return False
        kind, key = self.current
        text = self.editor.toPlainText()
        if not self._attempt(lambda: self._store.save_draft(kind, key, text)):
            return False
        self._loaded_text = text
        self.reload_entries()
        self._set_edit_buttons()
        self.status.setText("草稿已保存。窗口和触摸屏仍在使用原来的内容，发布后才生效。")
        return True

    def publish(self) -> bool:
        if self.current is None:
            return False
        kind, key = self.current
        if self.is_dirty() and not self.save_draft():
            return False
        entry = self._entries.get(self.current)
        if entry is None or entry.state != "有未发布的草稿":
            self._show_error("没有待发布的草稿：请先修改内容并“保存草稿”。")
            return False
        if not self.confirm(
            "发布内容",
            f"发布后，本单位所有接待窗口和触摸屏都将使用这份{KIND_LABELS[kind]}（{key_label(kind, key)}），"
            "以后打印的文书也按它排版（本机立即生效，其他电脑上的程序重新启动后生效）。确定发布吗？",
        ):
            return False
        if not self._attempt(lambda: self._store.publish(kind, key)):
            return False
        self.reload_entries()
        self._load_text()
        self.status.setText("已发布：本机从现在起使用这份内容；其他接待窗口和触摸屏在程序重新启动后使用。")
        return True

    def revert(self) -> bool:
        if self.current is None:
            return False
        kind, key = self.current
        if not self.confirm(
            "恢复出厂内容",
            f"将删除本单位对{KIND_LABELS[kind]}（{key_label(kind, key)}）的修改（已发布的版本和草稿），"
            "改回随程序提供的内容。确定吗？",
        ):
            return False
        if not self._attempt(lambda: self._store.revert(kind, key)):
            return False
        self.reload_entries()
        self._load_text()
        self._clear_preview("已恢复为出厂内容。")
        self.status.setText("已恢复为出厂内容。")
        return True

    def reject(self) -> None:
        if self.is_dirty() and not self.confirm("放弃修改", "编辑框中的修改还没有保存为草稿，要放弃这些修改吗？"):
            return
        super().reject()

    # ---- preview ----

    def preview(self) -> None:
        """Build the page and the printout from the editor's text off the UI thread (nothing is saved)."""
        if self.current is None:
            return
        kind, key = self.current
        text = self.editor.toPlainText()
        store, laws, settings = self._store, self._services.laws, self._services.settings
        self.preview_button.setEnabled(False)
        self.preview_note.setStyleSheet("")
        self.preview_note.setText("正在生成预览……")

        def done(result: ContentPreview) -> None:
            self.preview_button.setEnabled(True)
            if self.current != (kind, key):
                return
            self._show_error("")
            self._show_preview(result)
            self._preview_current = self.editor.toPlainText() == text

        def failed(exc: Exception) -> None:
            self.preview_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                self._show_error("；".join(exc.errors.values()))
            elif isinstance(exc, UserError):
                self._show_error(str(exc))
            else:
                raise exc
            self._clear_preview("内容有误，无法预览：请按编辑框下方的提示修改。")

        self.worker.submit(lambda: store.preview(kind, key, text, laws, settings), done, failed)

    def _show_preview(self, result: ContentPreview) -> None:
        self.preview_html.setHtml(result.html)
        self._load_pdf(result.pdf)
        has_pdf = bool(result.pdf)
        self.preview_tabs.setTabEnabled(1, has_pdf)
        if has_pdf:
            pages = self.preview_pdf.pageCount()
            self.preview_tabs.setTabText(
                1, f"{result.pdf_title or '打印件'}（{pages} 页）" if pages else result.pdf_title
            )
        else:
            self.preview_tabs.setTabText(1, "打印件（无）")
            self.preview_tabs.setCurrentIndex(0)
        note = result.note
        warning = missing_warning(result.missing_characters)
        self.preview_note.setText(note + (f"\n{warning}" if warning else ""))
        self.preview_note.setStyleSheet("color: #c62828; font-weight: bold;" if warning else "")

    def _load_pdf(self, pdf: bytes) -> None:
        self.preview_pdf.close()
        old = self._pdf_buffer
        self._pdf_buffer = None
        if pdf:
            self._pdf_bytes = QByteArray(pdf)
            self._pdf_buffer = QBuffer(self._pdf_bytes, self)
            self._pdf_buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.preview_pdf.load(self._pdf_buffer)
        if old is not None:
            old.close()
            old.deleteLater()

    def _clear_preview(self, note: str) -> None:
        self._preview_current = False
        self.preview_html.clear()
        self._load_pdf(b"")
        self.preview_tabs.setTabEnabled(1, True)
        self.preview_tabs.setTabText(1, "打印件")
        self.preview_note.setStyleSheet("")
        self.preview_note.setText(note)

    # ---- content packs ----

    def choose_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "导出内容包", str(Path.home() / "内容包.zip"), "内容包 (*.zip)"
        )
        if name:
            self.export_to(Path(name))

    def choose_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "导入内容包", str(Path.home()), "内容包 (*.zip)")
        if name:
            self.import_from(Path(name))

    def _pack_buttons(self, enabled: bool) -> None:
        self.export_button.setEnabled(enabled)
        self.import_button.setEnabled(enabled)

    def _pack_failed(self, path: Path, what: str) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            self._pack_buttons(True)
            if isinstance(exc, OSError):
                self._say(f"{what}失败：{path}：{os_error_text(exc)}", error=True)
            elif isinstance(exc, UserError):
                self._say(str(exc), error=True)
            else:
                raise exc

        return failed

    def _say(self, text: str, *, error: bool = False) -> None:
        self.pack_message.setStyleSheet("color: #c62828;" if error else "")
        self.pack_message.setText(text)

    def export_to(self, path: Path) -> None:
        """Write the office's content as a pack (published versions, not drafts) off the UI thread."""
        self._pack_buttons(False)
        self._say(f"正在导出到 {path} ……")
        store = self._store

        def done(count: int) -> None:
            self._pack_buttons(True)
            self._say(f"已导出内容包：{path}（{count} 个文件；只含已发布的内容，不含草稿）。")

        self.worker.submit(lambda: store.export_pack(path), done, self._pack_failed(path, "导出"))

    def import_from(self, path: Path) -> None:
        """Check the pack, show what it would change, and import it only when the administrator agrees."""
        self._pack_buttons(False)
        self._say(f"正在检查 {path.name} ……")
        store = self._store

        def planned(result: tuple[PackPlan, dict]) -> None:
            plan = result[0]
            if plan.changes() == 0:
                self._pack_buttons(True)
                self._say(f"{path.name}：与本单位现用的内容完全相同，无需导入。")
                return
            lines = "\n".join(plan.lines())
            question = f"导入内容包 {path.name} 将作如下 {plan.changes()} 处改动：\n\n{lines}\n\n确定导入吗？"
            if not self.confirm("导入内容包", question):
                self._pack_buttons(True)
                self._say("未导入内容包，未作任何改动。")
                return
            self._say(f"正在导入 {path.name} ……")
            self.worker.submit(lambda: store.import_pack(path), imported, self._pack_failed(path, "导入"))

        def imported(plan: PackPlan) -> None:
            self._pack_buttons(True)
            self._services.reset_matcher()
            self._say(
                f"已导入内容包 {path.name}：{plan.changes()} 处改动。本机从现在起使用导入的内容，其他电脑上的程序重新启动后使用。"
            )
            self.reload_entries()
            if self.current is not None and not self.is_dirty():
                self._load_text()

        self.worker.submit(lambda: store.plan_import(path), planned, self._pack_failed(path, "导入"))
