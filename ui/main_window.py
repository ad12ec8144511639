"""The staff main window: a thin shell around the registration and query screens."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from reception.services import Services
from ui.match_panel import MatchPanel
from ui.ops import Worker
from ui.registration_form import RegistrationForm
from ui.statute_browser import StatuteBrowser
from ui.visit_detail import VisitDetailDialog
from ui.visit_list import VisitListPanel


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.worker = Worker(self)
        self.setWindowTitle("信访接待与释法系统 — 接待登记")
        self.resize(1366, 768)

        # Matching gets its own thread so a slow first index build never delays a save.
        self.match_worker = Worker(self)
        self.form = RegistrationForm(services.visits, self.worker)
        self.match_panel = MatchPanel(self.match_worker)
        self.side_panel = QWidget()
        side_layout = QVBoxLayout(self.side_panel)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.form.repeat_notice)
        side_layout.addWidget(self.match_panel, 1)

        registration = QWidget()
        reg_layout = QHBoxLayout(registration)
        reg_layout.addWidget(self.form, 3)
        reg_layout.addWidget(self.side_panel, 2)

        self.visit_list = VisitListPanel(services.visits)
        self.statute_browser = StatuteBrowser(services.laws)
        self.tabs = QTabWidget()
        self.tabs.addTab(registration, "来访登记")
        self.tabs.addTab(self.visit_list, "来访查询")
        self.tabs.addTab(self.statute_browser, "法律法规库")
        self.setCentralWidget(self.tabs)

        self._open_dialogs: list[VisitDetailDialog] = []
        self._build_actions()
        self.form.saved.connect(lambda _saved: self.visit_list.model.refresh())
        self.visit_list.visit_activated.connect(self.open_visit)
        self.form.summary_changed.connect(self.match_panel.update_text)
        self.match_panel.apply_requested.connect(self.form.set_classification)
        self.match_panel.matched.connect(lambda result: self.form.set_suggestion(result.to_json(3)))
        self.match_worker.submit(
            services.matcher,
            self.match_panel.set_matcher,
            lambda exc: self.match_panel.set_failed(f"法律库索引加载失败，暂不能自动匹配：{exc}"),
        )
        self.statusBar().showMessage(f"数据库：{services.database.url}")
        self.visit_list.model.refresh()

    def _build_actions(self) -> None:
        new_action = QAction("新登记", self)
        new_action.setShortcut(QKeySequence("Ctrl+N"))
        new_action.triggered.connect(self.new_registration)
        find_action = QAction("查找来访", self)
        find_action.setShortcut(QKeySequence("Ctrl+F"))
        find_action.triggered.connect(self.find_visits)
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        about_action = QAction("关于", self)
        about_action.triggered.connect(self._about)
        file_menu = self.menuBar().addMenu("文件")
        file_menu.addAction(new_action)
        file_menu.addAction(find_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.menuBar().addMenu("帮助").addAction(about_action)

    def new_registration(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.form.new_registration()

    def find_visits(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.visit_list.search_edit.setFocus()
        self.visit_list.search_edit.selectAll()

    def open_visit(self, visit_id: int) -> VisitDetailDialog:
        dialog = VisitDetailDialog(self.services.visits.get_detail(visit_id), self)
        self._open_dialogs = [d for d in self._open_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "关于",
            "信访接待与释法系统\n依据《信访工作条例》登记、分类、导入法定途径，一对一、面对面释法。",
        )

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.worker.wait()
        self.match_worker.wait()
        super().closeEvent(event)
