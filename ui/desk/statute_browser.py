"""法律法规库: law → chapter → article, search across the library, version and status, library gaps."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reception.lawlib.library import ArticleView, LawLibrary, LawVersionInfo

_ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
_VERSION_ROLE = Qt.ItemDataRole.UserRole + 2


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def article_html(article: ArticleView, version: LawVersionInfo | None = None) -> str:
    """An article with everything a citation needs: title, number, status and effective date."""
    effective = f"{article.effective:%Y年%-m月%-d日}起施行" if article.effective else "施行日期不详"
    status_color = "#1b6e20" if article.status == "现行有效" else "#b00020"
    paragraphs = "".join(f"<p style='text-indent:2em;margin:6px 0'>{_escape(p)}</p>" for p in article.text.split("\n"))
    note = (
        f"<p style='color:#555'>版本：{_escape(version.version_note)}</p>" if version and version.version_note else ""
    )
    heading = f"<p style='color:#555'>{_escape(article.heading)}</p>" if article.heading else ""
    return (
        f"<h2 style='margin-bottom:2px'>《{_escape(article.title)}》{article.label}</h2>"
        f"<p><span style='color:{status_color};font-weight:bold'>{article.status}</span>　{effective}</p>"
        f"{note}{heading}<div style='font-size:16px'>{paragraphs}</div>"
        "<p style='color:#777;font-size:12px'>以上为法律条文原文。</p>"
    )


class StatuteBrowser(QWidget):
    """Browse and search the law library. Article text is selectable and copyable."""

    def __init__(self, laws: LawLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self._laws = laws
        self._versions: dict[int, LawVersionInfo] = {}
        self._loaded_versions: set[int] = set()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("在现行有效的法律法规中查找词语，如：仲裁时效、征收补偿、复查")
        self.search_edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.hide()
        self.tree_model = QStandardItemModel(self)
        self.tree_model.setHorizontalHeaderLabels(["法律法规"])
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.viewer = QTextBrowser()
        self.viewer.setOpenExternalLinks(False)
        self.viewer.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.results, 1)
        left_layout.addWidget(self.tree, 3)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.tree.expanded.connect(self._load_children)
        self.tree.clicked.connect(self._show_item)
        self.tree.activated.connect(self._show_item)
        self.results.currentItemChanged.connect(self._show_result)
        self.reload()

    def reload(self) -> None:
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        self._loaded_versions.clear()
        versions = self._laws.versions()
        self._versions = {v.version_id: v for v in versions}
        in_force = [v for v in versions if v.in_force]
        history = [v for v in versions if not v.in_force]
        for group, items in (("现行有效", in_force), ("历史版本（已修改、已废止或尚未施行）", history)):
            group_item = QStandardItem(f"{group}（{len(items)}）")
            group_item.setEditable(False)
            for version in items:
                scope = "" if version.coverage == "full" else "，节选"
                label = f"{version.short_title}　{version.effective or ''} {version.status}（{version.article_count}条{scope}）"
                item = QStandardItem(label)
                item.setEditable(False)
                item.setData(version.version_id, _VERSION_ROLE)
                item.appendRow(QStandardItem("……"))
                group_item.appendRow(item)
            self.tree_model.appendRow(group_item)
        self.tree.expand(self.tree_model.index(0, 0))
        missing = self._laws.missing_laws()
        names = "、".join(m.short_title for m in missing)
        self.status_label.setText(
            f"法律库：现行有效 {len(in_force)} 部，历史版本 {len(history)} 部。"
            + (f"缺少现行全文、宜导入（鼠标停留看原因）：{names}" if missing else "")
        )
        self.status_label.setToolTip("\n".join(f"{m.short_title}：{m.reason}" for m in missing))

    def _load_children(self, index: QModelIndex) -> None:
        item = self.tree_model.itemFromIndex(index)
        version_id = item.data(_VERSION_ROLE) if item else None
        if version_id is None or version_id in self._loaded_versions:
            return
        self._loaded_versions.add(version_id)
        item.removeRows(0, item.rowCount())
        chapters: dict[str, QStandardItem] = {}
        for article in self._laws.articles([version_id]):
            parent = item
            if article.heading:
                parent = chapters.get(article.heading)
                if parent is None:
                    parent = QStandardItem(article.heading)
                    parent.setEditable(False)
                    chapters[article.heading] = parent
                    item.appendRow(parent)
            first_line = article.text.split("\n")[0]
            child = QStandardItem(f"{article.label}　{first_line[:30]}{'…' if len(first_line) > 30 else ''}")
            child.setEditable(False)
            child.setData(article, _ARTICLE_ROLE)
            parent.appendRow(child)

    def _show_item(self, index: QModelIndex) -> None:
        article = index.data(_ARTICLE_ROLE)
        if isinstance(article, ArticleView):
            self.show_article(article)

    def show_article(self, article: ArticleView) -> None:
        self.viewer.setHtml(article_html(article, self._versions.get(article.version_id)))

    def run_search(self) -> None:
        query = self.search_edit.text().strip()
        self.results.clear()
        if not query:
            self.results.hide()
            return
        found = self._laws.search(query, limit=200)
        for article in found:
            snippet = article.text.replace("\n", " ")
            position = snippet.find(query.split()[0])
            start = max(position - 12, 0)
            item = QListWidgetItem(f"{article.short_title}{article.label}：…{snippet[start : start + 60]}…")
            item.setData(_ARTICLE_ROLE, article)
            self.results.addItem(item)
        if not found:
            self.results.addItem("没有找到包含该词语的现行条文。")
        self.results.show()
        if found:
            self.results.setCurrentRow(0)

    def _show_result(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if current is not None and isinstance(current.data(_ARTICLE_ROLE), ArticleView):
            self.show_article(current.data(_ARTICLE_ROLE))
