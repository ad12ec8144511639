"""The staff main window: a thin shell around the registration and query screens."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reception.errors import ValidationError
from reception.services import Services
from reception.settings import OfficeNotConfigured
from reception.visits import SavedVisit
from ui.desk.explanation_dialog import ExplanationDialog
from ui.desk.followup_panel import AgendaPanel, ReclassifyDialog
from ui.desk.guide_panel import GuidePanel
from ui.desk.law_status import LawStatusPanel
from ui.desk.login import IdleLock, LockOverlay, lock_minutes
from ui.desk.match_panel import MatchPanel
from ui.desk.registration_form import RegistrationForm
from ui.desk.settings_dialog import OfficeSettingsDialog
from ui.desk.statistics_panel import StatisticsPanel
from ui.desk.statute_browser import StatuteBrowser
from ui.desk.visit_detail import VisitDetailDialog
from ui.desk.visit_list import VisitListPanel
from ui.shared.ops import Worker
from ui.shared.screen import fit_to_screen

if TYPE_CHECKING:
    # Documents pull in reportlab and the PDF viewer; they load on first use, not at start-up.
    from reception.handouts.service import PreparedDocument
    from ui.desk.accounts_dialog import AccountsDialog, ChangePasswordDialog
    from ui.desk.audit_browser import AuditBrowser
    from ui.desk.document_preview import DocumentPreviewDialog


class DocumentBar(QGroupBox):
    """Documents for the visit just saved: the notice, the receipt (A4 or 80 mm roll).

    Signals:
        requested(str, int, bool, object, str): kind, visit id, 80 mm roll?, decision date (date or None),
            remedy case id ("" for the default).
    """

    requested = Signal(str, int, bool, object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("出具文书", parent)
        self.visit_id: int | None = None
        self.visit_label = QLabel("保存登记后可出具告知书和回执。")
        self.visit_label.setWordWrap(True)
        self.decision_check = QCheckBox("按决定日期起算")
        self.decision_check.setToolTip(
            "填写来访人知道被争议决定或权利受侵害的日期；对判决、裁定等文书不服的，填写收到文书的日期。"
            "告知书据此计算期限"
        )
        self.decision_date = QDateEdit(QDate.currentDate())
        self.decision_date.setCalendarPopup(True)
        self.decision_date.setDisplayFormat("yyyy-MM-dd")
        self.decision_date.setMaximumDate(QDate.currentDate())
        self.decision_date.setEnabled(False)
        self.decision_check.toggled.connect(self.decision_date.setEnabled)
        # Which situation on the route the notice explains (a criminal victim is not a defendant): the
        # steps and dates printed follow it.
        self.case_combo = QComboBox()
        self.case_combo.setToolTip("告知书按所选情形列出救济步骤和期限")
        self.case_combo.setMinimumContentsLength(12)
        self.notice_button = QPushButton("告知书")
        self.notice_button.setObjectName("primary")
        self.receipt_button = QPushButton("回执")
        self.roll_button = QPushButton("80mm 回执")
        self.notice_button.clicked.connect(lambda: self._request("notice", False))
        self.receipt_button.clicked.connect(lambda: self._request("receipt", False))
        self.roll_button.clicked.connect(lambda: self._request("receipt", True))
        case_row = QHBoxLayout()
        case_row.addWidget(self.visit_label, 1)
        case_row.addWidget(QLabel("适用情形"))
        case_row.addWidget(self.case_combo, 1)
        row = QHBoxLayout()
        row.addWidget(self.decision_check)
        row.addWidget(self.decision_date)
        row.addStretch(1)
        row.addWidget(self.notice_button)
        row.addWidget(self.receipt_button)
        row.addWidget(self.roll_button)
        layout = QVBoxLayout(self)
        layout.addLayout(case_row)
        layout.addLayout(row)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.notice_button, self.receipt_button, self.roll_button, self.decision_check):
            widget.setEnabled(on)
        self.case_combo.setEnabled(on and self.case_combo.count() > 1)

    def set_visit(self, saved: SavedVisit) -> None:
        self.visit_id = saved.visit_id
        self.visit_label.setText(f"刚登记的来访：{saved.visit_no}")
        self.case_combo.clear()
        self._set_enabled(True)

    def set_cases(self, cases: list[tuple[str, str]]) -> None:
        """The situations offered for the saved visit's route and topic, the default first."""
        self.case_combo.clear()
        for case_id, label in cases:
            self.case_combo.addItem(label, case_id)
        self.case_combo.setEnabled(self.visit_id is not None and len(cases) > 1)

    def _request(self, kind: str, roll: bool) -> None:
        if self.visit_id is None:
            return
        decision = self.decision_date.date().toPython() if self.decision_check.isChecked() else None
        self.requested.emit(kind, self.visit_id, roll, decision, self.case_combo.currentData() or "")


class MainWindow(QMainWindow):
    BACKUP_DELAY_MS = 2 * 60 * 1000

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.worker = Worker(self)
        # The application display name is appended by Qt: the title names only the screen.
        self.setWindowTitle("接待登记")
        fit_to_screen(self, 1366, 768)

        # Matching gets its own thread so a slow first index build never delays a save.
        self.match_worker = Worker(self)
        self.form = RegistrationForm(services.visits, self.worker)
        self.match_panel = MatchPanel(self.match_worker)
        self.side_panel = QWidget()
        side_layout = QVBoxLayout(self.side_panel)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.guide_panel = GuidePanel(services.handouts().guides, cases=services.handouts().cases)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.match_panel, "智能匹配")
        self.side_tabs.addTab(self.guide_panel, "普法指南")
        self.document_bar = DocumentBar()
        side_layout.addWidget(self.form.repeat_notice)
        side_layout.addWidget(self.side_tabs, 1)

        # The side column scrolls rather than pushing the window past a 1366×768 screen (or 125 % scaling).
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        side_scroll.setWidget(self.side_panel)
        # The document buttons stay in view below it.
        side_column = QWidget()
        column_layout = QVBoxLayout(side_column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(side_scroll, 1)
        column_layout.addWidget(self.document_bar)
        registration = QWidget()
        reg_layout = QHBoxLayout(registration)
        reg_layout.addWidget(self.form, 3)
        reg_layout.addWidget(side_column, 2)

        self.visit_list = VisitListPanel(services.visits)
        self.statute_browser = StatuteBrowser(services.laws)
        self.tabs = QTabWidget()
        self.tabs.addTab(registration, "来访登记")
        self.tabs.addTab(self.visit_list, "来访查询")
        self.tabs.addTab(self.statute_browser, "法律法规库")
        self.law_status = LawStatusPanel(services.laws, self.worker)
        self.tabs.addTab(self.law_status, "法规效力状态")
        self.agenda = AgendaPanel(services.followup, services.access.actor)
        self.tabs.insertTab(1, self.agenda, "待办")
        # Statistics are for 负责人 and up: a 接待员's desk has no such tab rather than one that only refuses.
        self.statistics: StatisticsPanel | None = None
        if services.access.can("statistics"):
            self.statistics = StatisticsPanel(services.statistics(), self.worker, yearly_pdf=self._yearly_report_pdf)
            self.tabs.insertTab(3, self.statistics, "统计")
        if not services.access.can("laws"):
            # Marking and importing laws is the 管理员's; everyone may still read the statuses.
            self.law_status.mark_button.hide()
            self.law_status.import_button.hide()
        self.agenda.count_changed.connect(self._show_agenda_count)
        self.setCentralWidget(self.tabs)
        self.law_status.status_changed.connect(self._library_changed)

        self._open_dialogs: list[VisitDetailDialog] = []
        self.previews: list[DocumentPreviewDialog] = []
        self._build_actions()
        self.form.saved.connect(lambda _saved: self.visit_list.model.refresh())
        self.form.saved.connect(self.document_bar.set_visit)
        self.form.saved.connect(self._offer_remedy_cases)
        self.form.topic_combo.currentTextChanged.connect(self.guide_panel.show_topic)
        self.document_bar.requested.connect(self.prepare_visit_document)
        self.guide_panel.print_requested.connect(self.prepare_guide)
        self.visit_list.visit_activated.connect(self.open_visit)
        self.form.summary_changed.connect(self.match_panel.update_text)
        self.match_panel.apply_requested.connect(self.form.set_classification)
        self.match_panel.matched.connect(lambda result: self.form.set_suggestion(result.to_json(3)))
        # The index loads once the window is on screen: loading it in parallel would compete with
        # building the window for the interpreter and delay the first paint.
        QTimer.singleShot(0, self._load_matcher)
        self.index_label = QLabel("正在准备法条匹配（首次启动需要建立索引），登记和查询可以照常进行……")
        self.index_progress = QProgressBar()
        self.index_progress.setRange(0, 0)  # busy: the build reports no steps
        self.index_progress.setMaximumWidth(160)
        self.user_label = QLabel(self._user_text())
        self.user_label.setToolTip("当前登录的账户；离开座位时请按 Ctrl+L 锁定屏幕")
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.statusBar().showMessage(f"数据库：{services.database.url}")
        self.visit_list.model.refresh()
        self.agenda.refresh()
        self.form.saved.connect(lambda _saved: self.agenda.refresh())
        # A daily backup of the embedded database, a while after start so that it never slows the first visit.
        self._backup_timer = QTimer(self)
        self._backup_timer.setSingleShot(True)
        self._backup_timer.timeout.connect(self.run_scheduled_backup)
        self._backup_timer.start(self.BACKUP_DELAY_MS)
        self.lock_overlays: list[LockOverlay] = []
        self._hidden_for_lock: list[QWidget] = []
        self._actions_for_lock: list[QAction] = []
        self._focus_before_lock: QWidget | None = None
        self.account_dialogs: list[QWidget] = []
        # The desk locks itself when left alone (QSettings desk/lock_minutes, 0 = never).
        self.idle_lock = IdleLock(self, minutes=lock_minutes())

    def run_scheduled_backup(self) -> None:
        """Back up the SQLite database when the newest backup is a day old; a server database is skipped."""
        from reception.backup import backup_if_due, default_folder

        if not self.services.database.is_sqlite:
            return
        url, folder = self.services.database.url, default_folder()

        def done(result) -> None:  # noqa: ANN001 - a BackupResult or None
            if result is not None:
                self.services.audit.record("backup", "", result.path.name, "每日自动备份")
                self.statusBar().showMessage(f"已自动备份数据库：{result.path.name}", 10000)

        self.worker.submit(
            lambda: backup_if_due(url, folder),
            done,
            lambda e: self.statusBar().showMessage(f"自动备份失败：{e}", 15000),
        )

    def _yearly_report_pdf(self, year: int) -> bytes:
        from reception.handouts.fonts import choose_font
        from reception.yearly_report import YearlyReport

        laws = sorted({v.short_title for v in self.services.laws.versions()})
        report = YearlyReport(self.services.database, self.services.settings, laws, access=self.services.access)
        return report.render(year, choose_font(self.services.settings.office().font_path))

    def _show_agenda_count(self, urgent: int) -> None:
        """The title says what is overdue or due today, whichever tab is open; the officer is told at start."""
        self.setWindowTitle(f"接待登记 — 待办 {urgent} 件" if urgent else "接待登记")
        index = self.tabs.indexOf(self.agenda)
        self.tabs.setTabText(index, f"待办（{urgent}）" if urgent else "待办")
        if urgent:
            self.statusBar().showMessage(f"提醒：有 {urgent} 件事项超期或今天到期，请在“待办”中查看。", 15000)

    def _load_matcher(self) -> None:
        # The first start builds the index (several seconds); the desk stays usable meanwhile and says so.
        self.index_progress.show()
        self.index_label.show()

        def done(matcher) -> None:  # noqa: ANN001
            self._index_loaded()
            self.match_panel.set_matcher(matcher)

        def failed(exc: Exception) -> None:
            self._index_loaded()
            self.match_panel.set_failed(f"法律库索引加载失败，暂不能自动匹配：{exc}")

        self.match_worker.submit(self.services.matcher, done, failed)

    def _index_loaded(self) -> None:
        self.index_progress.hide()
        self.index_label.hide()

    def _library_changed(self) -> None:
        """A law's status changed: matching, the browser and new documents must cite accordingly."""
        self.services.reset_matcher()
        self.match_panel.set_failed("法律库已更新，正在重建索引……")
        self._load_matcher()
        self.statute_browser.reload()

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
        self.settings_action = QAction("本单位信息…", self)
        self.settings_action.triggered.connect(lambda: self.open_settings())
        self.password_action = QAction("修改密码…", self)
        self.password_action.triggered.connect(lambda: self.change_password())
        self.lock_action = QAction("锁定屏幕", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock())
        self.accounts_action = QAction("账户管理…", self)
        self.accounts_action.triggered.connect(lambda: self.open_accounts())
        self.audit_action = QAction("审计记录…", self)
        self.audit_action.triggered.connect(lambda: self.open_audit())
        self.office_screen_action = QAction("全部设置（本单位、打印、触摸屏、节假日）…", self)
        self.office_screen_action.triggered.connect(lambda: self.open_office_screen())
        self.content_action = QAction("普法内容编辑与内容包…", self)
        self.content_action.triggered.connect(lambda: self.open_content_editor())
        self.law_import_action = QAction("导入法规新版本 / 版本比较…", self)
        self.law_import_action.triggered.connect(lambda: self.open_law_import())
        file_menu = self.menuBar().addMenu("文件")
        file_menu.addAction(new_action)
        file_menu.addAction(find_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        account_menu = self.menuBar().addMenu("账户")
        account_menu.addAction(self.password_action)
        account_menu.addAction(self.lock_action)
        account_menu.addSeparator()
        account_menu.addAction(self.accounts_action)
        account_menu.addAction(self.audit_action)
        settings_menu = self.menuBar().addMenu("设置")
        settings_menu.addAction(self.settings_action)
        settings_menu.addAction(self.office_screen_action)
        settings_menu.addSeparator()
        settings_menu.addAction(self.content_action)
        settings_menu.addAction(self.law_import_action)
        self.menuBar().addMenu("帮助").addAction(about_action)
        # What a role may not do is not offered; the services refuse it all the same.
        access = self.services.access
        for action, permission in (
            (self.accounts_action, "accounts"),
            (self.audit_action, "audit"),
            (self.settings_action, "settings"),
            (self.office_screen_action, "settings"),
            (self.content_action, "content"),
            (self.law_import_action, "laws"),
        ):
            allowed = access.can(permission)
            action.setVisible(allowed)
            action.setEnabled(allowed)
        settings_menu.menuAction().setVisible(access.can("settings"))

    def _user_text(self) -> str:
        me = self.services.access.current
        return f"{me.display_name}（{me.role}）" if me is not None else "未登录"

    # -- accounts and the lock ----------------------------------------------------------------------------

    def _keep_dialog(self, dialog: QWidget) -> None:
        self.account_dialogs = [d for d in self.account_dialogs if d.isVisible()] + [dialog]

    def change_password(self) -> ChangePasswordDialog:
        from ui.desk.accounts_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services.accounts, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("密码已修改，下次登录请使用新密码。", 8000))
        self._keep_dialog(dialog)
        dialog.open()
        return dialog

    def open_accounts(self) -> AccountsDialog | None:
        from ui.desk.accounts_dialog import AccountsDialog

        if not self.services.access.can("accounts"):
            return None
        dialog = AccountsDialog(self.services.accounts, self)
        self._keep_dialog(dialog)
        dialog.show()
        return dialog

    def open_office_screen(self) -> QWidget:
        from ui.desk.office_settings_screen import OfficeSettingsScreen

        dialog = OfficeSettingsScreen(self.services, self)
        self._keep_dialog(dialog)
        dialog.open()
        return dialog

    def open_content_editor(self) -> QWidget:
        """Published content reaches this desk's documents and matching at once (the services reload it)."""
        from ui.desk.content_editor import ContentEditorDialog

        dialog = ContentEditorDialog(self.services, self)
        self._keep_dialog(dialog)
        dialog.show()
        return dialog

    def open_law_import(self) -> QWidget:
        from ui.desk.law_import_dialog import LawImportDialog

        dialog = LawImportDialog(self.services, self)
        dialog.laws_changed.connect(self._library_changed)
        self._keep_dialog(dialog)
        dialog.show()
        return dialog

    def open_audit(self) -> AuditBrowser | None:
        from ui.desk.audit_browser import AuditBrowser

        if not self.services.access.can("audit"):
            return None
        dialog = AuditBrowser(self.services.audit, self)
        self._keep_dialog(dialog)
        dialog.show()
        return dialog

    @property
    def is_locked(self) -> bool:
        return bool(self.lock_overlays)

    def lock(self) -> LockOverlay:
        """Cover the desk until the logged-in account's password is given again.

        Other windows of the desk (a visit's details, a preview) are hidden meanwhile; a window that is
        modal gets a cover of its own, with its own password field, since it blocks the main window's.
        Nothing is closed or changed: after unlocking everything is as it was, unsaved input included.
        """
        if self.lock_overlays:
            return self.lock_overlays[0]
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        focus = QApplication.focusWidget()
        self._focus_before_lock = focus if focus is not None and self.isAncestorOf(focus) else None
        # Shortcuts (Ctrl+N would start a new registration) must not act behind the cover.
        self._actions_for_lock = [
            action
            for action in self.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if action.isEnabled()
        ]
        for action in self._actions_for_lock:
            action.setEnabled(False)
        overlays = [LockOverlay(self, self.services.accounts)]
        modal: LockOverlay | None = None
        self._hidden_for_lock = []
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible():
                continue
            if widget.windowType() not in (Qt.WindowType.Window, Qt.WindowType.Dialog):
                continue
            if widget.isModal():
                # Hiding a modal dialog would end its exec() as if cancelled; it is covered instead.
                modal = LockOverlay(widget, self.services.accounts, "屏幕已锁定，输入本人密码解锁。")
                overlays.append(modal)
            else:
                widget.hide()
                self._hidden_for_lock.append(widget)
        for overlay in overlays:
            overlay.unlocked.connect(self.unlock)
        self.lock_overlays = overlays
        (modal or overlays[0]).focus()
        return overlays[0]

    def unlock(self) -> None:
        """Remove the covers (after LockOverlay confirmed the password) and give everything back."""
        import shiboken6

        overlays, self.lock_overlays = self.lock_overlays, []
        for overlay in overlays:
            if shiboken6.isValid(overlay):
                overlay.dismiss()
        for action in self._actions_for_lock:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        self._actions_for_lock = []
        for widget in self._hidden_for_lock:
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden_for_lock = []
        self.activateWindow()
        focus, self._focus_before_lock = self._focus_before_lock, None
        if focus is not None and shiboken6.isValid(focus) and focus.isEnabled():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_settings(self, first_start: bool = False) -> OfficeSettingsDialog:
        dialog = OfficeSettingsDialog(self.services.settings, self, first_start=first_start)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("本单位信息已保存", 5000))
        dialog.open()
        return dialog

    def prompt_first_start(self) -> OfficeSettingsDialog | None:
        """On a desk whose office details are not filled in, walk the administrator through them once."""
        if not self.services.access.can("settings") or self.services.settings.office().is_configured:
            return None
        return self.open_settings(first_start=True)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def new_registration(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.form.new_registration()
        self.document_bar.set_cases([])

    def find_visits(self) -> None:
        self.tabs.setCurrentWidget(self.visit_list)
        self.visit_list.search_edit.setFocus()
        self.visit_list.search_edit.selectAll()

    def _officer(self) -> str:
        return self.services.access.actor or self.form.officer_edit.text().strip() or "接待窗口"

    def prepare_visit_document(
        self, kind: str, visit_id: int, roll: bool, decision: dt.date | None, remedy_case: str = ""
    ) -> None:
        """Build the PDF off the UI thread, then preview it; printing or saving records it."""
        handouts = self.services.handouts()

        def job(allow: bool) -> PreparedDocument:
            if kind == "notice":
                return handouts.prepare_notice(
                    visit_id, decision_date=decision, remedy_case=remedy_case or None, allow_placeholders=allow
                )
            return handouts.prepare_receipt(visit_id, narrow=roll, allow_placeholders=allow)

        self._submit_document(job, "正在生成文书……")

    def _submit_document(self, job, message: str, allow: bool = False) -> None:  # noqa: ANN001 - job(allow) -> document
        """Build off the UI thread; where the office details are placeholders, ask before printing them."""
        self.statusBar().showMessage(message)

        def failed(exc: Exception) -> None:
            if isinstance(exc, OfficeNotConfigured) and not allow:
                self.statusBar().clearMessage()
                choice = self._ask_about_placeholders(exc)
                if choice == "anyway":
                    self._submit_document(job, message, allow=True)
                elif choice == "settings":
                    self.open_settings()
                return
            self._document_failed(exc)

        self.worker.submit(lambda: job(allow), self.show_preview, failed)

    def _ask_about_placeholders(self, exc: OfficeNotConfigured) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "本单位信息未设置", str(exc), parent=self)
        settings = box.addButton("填写本单位信息", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("仍然打印", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(settings)
        box.exec()
        clicked = box.clickedButton()
        return "settings" if clicked is settings else "anyway" if clicked is anyway else ""

    def _offer_remedy_cases(self, saved: SavedVisit) -> None:
        handouts = self.services.handouts()
        self.worker.submit(lambda: handouts.remedy_cases(saved.visit_id), self.document_bar.set_cases, lambda _e: None)

    def prepare_guide(self, topic: str, roll: bool) -> None:
        handouts = self.services.handouts()
        self._submit_document(
            lambda allow: handouts.prepare_guide(topic, narrow=roll, allow_placeholders=allow), "正在生成普法指南……"
        )

    def show_preview(self, document: PreparedDocument) -> DocumentPreviewDialog:
        from ui.desk.document_preview import DocumentPreviewDialog

        self.statusBar().showMessage(f"已生成：{document.title}", 5000)
        dialog = DocumentPreviewDialog(document, self.services.handouts(), self.worker, self._officer(), self)
        dialog.issued.connect(lambda issued: self.statusBar().showMessage(f"已记录出具：{issued.document.title}", 5000))
        self.previews = [d for d in self.previews if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def _document_failed(self, exc: Exception) -> None:
        self.statusBar().clearMessage()
        message = "\n".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc)
        QMessageBox.warning(self, "无法生成文书", message)

    def open_visit(self, visit_id: int) -> VisitDetailDialog:
        dialog = VisitDetailDialog(
            self.services.visits.get_detail(visit_id),
            self,
            reveal=lambda: self.services.visits.get_detail(visit_id, reveal_id=True),
        )
        dialog.document_requested.connect(
            lambda kind, roll, vid=visit_id: self.prepare_visit_document(kind, vid, roll, None)
        )
        dialog.explanation_requested.connect(lambda vid=visit_id: self.open_explanation(vid))
        dialog.reclassify_requested.connect(lambda d=dialog: self.open_reclassify(d.detail))
        self._open_dialogs = [d for d in self._open_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def open_reclassify(self, detail) -> ReclassifyDialog:  # noqa: ANN001 - a VisitDetail
        dialog = ReclassifyDialog(
            self.services.followup,
            detail.matter_id,
            (detail.matter_type, detail.topic, detail.route),
            self.services.access.actor,
            self,
            version=detail.matter_version,
        )
        dialog.accepted.connect(
            lambda: (self.visit_list.model.refresh(), self.statusBar().showMessage("已重新分类", 5000))
        )
        self._open_dialogs.append(dialog)
        dialog.open()
        return dialog

    def open_explanation(self, visit_id: int) -> ExplanationDialog:
        dialog = ExplanationDialog(self.services.explanations, visit_id, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("释法记录已保存", 5000))
        self._open_dialogs.append(dialog)
        dialog.open()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "关于",
            "信访接待与释法系统\n依据《信访工作条例》登记、分类、导入法定途径，一对一、面对面释法。",
        )

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if self.form.has_input() and not self.form.confirm(
            "退出前确认", "登记表中有尚未保存的内容，退出后将丢失。确定退出吗？"
        ):
            event.ignore()
            return
        self.form.stop_timers()
        self.idle_lock.stop()
        self.worker.wait()
        self.match_worker.wait()
        super().closeEvent(event)
