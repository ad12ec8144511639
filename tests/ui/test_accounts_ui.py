"""The desk's accounts on screen: first administrator, login, the lock, account management, the audit trail."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from reception.accounts import OFFICER, SUPERVISOR
from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD, ADMIN_USER

OFFICER_PASSWORD = "Officer2026x"


def _close(window) -> None:  # noqa: ANN001 - a MainWindow built by the test itself
    window.form.stop_timers()
    window.idle_lock.stop()
    window.worker.wait()
    window.match_worker.wait()


def _when_modal(qtbot, act) -> None:  # noqa: ANN001
    """Run act(dialog) once a modal dialog is on screen (for exec(), which blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            act(dialog)

    QTimer.singleShot(0, poll)


# -- first start and login --------------------------------------------------------------------------------


def test_first_start_creates_the_administrator_and_logs_in(qtbot, tmp_path):  # noqa: ANN001
    from reception.services import Services
    from ui.desk.login import FirstAdminDialog, sign_in

    services = Services.open(f"sqlite:///{(tmp_path / 'first.sqlite3').as_posix()}")
    try:
        assert not services.accounts.has_accounts()
        seen: list[str] = []

        def fill(dialog: FirstAdminDialog) -> None:
            seen.append(type(dialog).__name__)
            dialog.username_edit.setText("a")  # too short
            dialog.name_edit.setText(ADMIN_NAME)  # QTest types ASCII only
            qtbot.keyClicks(dialog.password_edit, "short1")
            qtbot.keyClicks(dialog.password2_edit, "short1")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            seen.append(dialog.field_errors["username"].text())
            seen.append(dialog.field_errors["password"].text())
            dialog.username_edit.setText(ADMIN_USER)
            dialog.password_edit.setText(ADMIN_PASSWORD)
            dialog.password2_edit.setText(ADMIN_PASSWORD + "!")  # a typo in the hidden repeat
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            seen.append(dialog.field_errors["password2"].text())
            assert not services.accounts.has_accounts()
            qtbot.keyClicks(dialog.password2_edit, ADMIN_PASSWORD)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        _when_modal(qtbot, fill)
        assert sign_in(services) is True
        assert seen[0] == "FirstAdminDialog"
        assert "2–32" in seen[1] and "至少 8 位" in seen[2]
        assert seen[3] == "两次输入的密码不一致"
        me = services.access.current
        assert (me.username, me.display_name, me.role) == (ADMIN_USER, ADMIN_NAME, "管理员")
        assert services.accounts.has_accounts()
    finally:
        services.close()


def test_login_counts_wrong_passwords_then_locks(qtbot, services):  # noqa: ANN001
    from ui.desk.login import LoginDialog

    services.accounts.logout()
    dialog = LoginDialog(services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, ADMIN_USER)
    qtbot.keyClicks(dialog.password_edit, "wrong-pass1")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter submits
    assert "再输错 4 次" in dialog.error.text() and dialog.error.isVisible()
    assert dialog.password_edit.text() == "" and dialog.isVisible()
    assert services.access.current is None

    qtbot.keyClicks(dialog.password_edit, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert services.access.current.username == ADMIN_USER

    services.accounts.logout()
    again = LoginDialog(services.accounts)
    qtbot.addWidget(again)
    again.show()
    assert again.username_edit.text() == ADMIN_USER  # remembered from the last login
    for _ in range(5):
        qtbot.keyClicks(again.password_edit, "wrong-pass1")
        qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert "已锁定" in again.error.text() and "后再试" in again.error.text()
    qtbot.keyClicks(again.password_edit, ADMIN_PASSWORD)  # even the right password waits now
    qtbot.keyClick(again.password_edit, Qt.Key.Key_Return)
    assert "已锁定" in again.error.text() and services.access.current is None


def test_sign_in_offers_the_login_and_cancelling_returns_false(qtbot, services):  # noqa: ANN001
    from ui.desk.login import LoginDialog, sign_in

    services.accounts.logout()
    kinds: list[str] = []

    def cancel(dialog: QDialog) -> None:
        kinds.append(type(dialog).__name__)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    _when_modal(qtbot, cancel)
    assert sign_in(services) is False
    assert kinds == [LoginDialog.__name__]

    def log_in(dialog: QDialog) -> None:
        dialog.username_edit.setText(ADMIN_USER)
        qtbot.keyClicks(dialog.password_edit, ADMIN_PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    _when_modal(qtbot, log_in)
    assert sign_in(services) is True and services.access.current.display_name == ADMIN_NAME


# -- the lock -----------------------------------------------------------------------------------------------


def test_lock_covers_the_window_and_keeps_the_form(qtbot, main_window):  # noqa: ANN001
    form = main_window.form
    form.name_edit.setText("赵建国")  # QTest types ASCII only
    assert main_window.user_label.text() == f"{ADMIN_NAME}（管理员）"
    qtbot.keyClick(form.name_edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # 锁定屏幕
    assert main_window.is_locked
    overlay = main_window.lock_overlays[0]
    assert overlay.isVisible() and overlay.geometry() == main_window.rect()
    assert "已锁定" in overlay.title.text() and ADMIN_NAME in overlay.user_label.text()
    # Whatever is clicked, it is the cover; whatever is typed goes to its password field.
    centre = form.name_edit.mapTo(main_window, form.name_edit.rect().center())
    hit = main_window.childAt(centre)
    assert hit is overlay or overlay.isAncestorOf(hit)
    assert QApplication.focusWidget() is overlay.password_edit
    qtbot.keyClicks(form.name_edit, "XYZ")
    qtbot.mouseClick(form.name_edit, Qt.MouseButton.LeftButton)
    assert form.name_edit.text() == "赵建国" and not form.name_edit.hasFocus()
    # Ctrl+N (new registration, which would clear the form) does nothing behind the cover.
    qtbot.keyClick(overlay.password_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert form.name_edit.text() == "赵建国" and form.asked == []
    main_window.resize(1000, 700)
    assert overlay.geometry() == main_window.rect()

    qtbot.keyClicks(overlay.password_edit, "not-my-pass1")
    qtbot.keyClick(overlay.password_edit, Qt.Key.Key_Return)
    assert main_window.is_locked and "再输错 4 次" in overlay.error.text()
    qtbot.keyClicks(overlay.password_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(overlay.unlock_button, Qt.MouseButton.LeftButton)
    assert not main_window.is_locked
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=2000)
    assert form.name_edit.text() == "赵建国" and form.name_edit.isEnabled()
    qtbot.keyClicks(form.name_edit, "Li")
    assert form.name_edit.text() == "赵建国Li"


def test_lock_hides_open_windows_and_covers_a_modal_one(qtbot, main_window):  # noqa: ANN001
    browser = main_window.open_audit()
    password = main_window.change_password()  # window-modal
    assert browser.isVisible() and password.isVisible()
    password.old_edit.setText("half-typed")
    main_window.lock()
    assert not browser.isVisible()  # its entries are not left on screen
    assert password.isVisible() and len(main_window.lock_overlays) == 2
    cover = main_window.lock_overlays[1]
    assert cover.parent() is password and not password.old_edit.isEnabled()
    qtbot.keyClick(cover.password_edit, Qt.Key.Key_Escape)  # Esc does not cancel the dialog under the cover
    assert password.isVisible()
    qtbot.keyClicks(cover.password_edit, ADMIN_PASSWORD)
    qtbot.keyClick(cover.password_edit, Qt.Key.Key_Return)
    assert not main_window.is_locked
    assert browser.isVisible() and password.isVisible() and password.old_edit.text() == "half-typed"
    assert password.old_edit.isEnabled()
    password.reject()
    browser.close()
    browser.worker.wait()


def test_idle_lock_fires_after_the_interval_and_activity_restarts_it(qtbot, main_window):  # noqa: ANN001
    from ui.desk.login import IdleLock

    watch = IdleLock(main_window, msec=2000)
    qtbot.wait(600)
    before = watch.timer.remainingTime()
    qtbot.keyClick(main_window.form.name_edit, Qt.Key.Key_A)
    assert watch.timer.remainingTime() > before + 300
    watch.stop()
    assert not IdleLock(main_window, minutes=0).active  # 0 minutes: never locks

    quick = IdleLock(main_window, msec=150)
    qtbot.waitUntil(lambda: main_window.is_locked, timeout=3000)
    quick.stop()
    assert main_window.form.name_edit.text() == "a"
    assert main_window.lock_overlays[0].try_unlock() is False  # an empty field is not a password
    main_window.lock_overlays[0].password_edit.setText(ADMIN_PASSWORD)
    assert main_window.lock_overlays[0].try_unlock() is True and not main_window.is_locked


# -- roles in the main window -----------------------------------------------------------------------------


def _visible_menu(window, title: str) -> list[str]:  # noqa: ANN001
    for action in window.menuBar().actions():
        if action.text() == title:
            return [a.text() for a in action.menu().actions() if a.isVisible() and not a.isSeparator()]
    return []


def test_an_officer_sees_no_administration(qtbot, services):  # noqa: ANN001
    from ui.desk.main_window import MainWindow

    services.accounts.add("zhang", "张接待", OFFICER, OFFICER_PASSWORD)
    services.accounts.login("zhang", OFFICER_PASSWORD)
    window = MainWindow(services)
    qtbot.addWidget(window)
    try:
        assert _visible_menu(window, "账户") == ["修改密码…", "锁定屏幕"]
        assert not window.accounts_action.isEnabled() and not window.audit_action.isEnabled()
        assert not window.settings_action.isVisible()
        settings_menu = next(a for a in window.menuBar().actions() if a.text() == "设置")
        assert not settings_menu.isVisible()
        assert window.statistics is None
        assert "统计" not in [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert window.open_accounts() is None and window.open_audit() is None
        assert window.prompt_first_start() is None
        assert window.user_label.text() == "张接待（接待员）"
    finally:
        _close(window)


def test_an_administrator_sees_accounts_and_audit(main_window):  # noqa: ANN001
    assert _visible_menu(main_window, "账户") == ["修改密码…", "锁定屏幕", "账户管理…", "审计记录…"]
    assert main_window.statistics is not None
    assert "统计" in [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]


# -- account management -------------------------------------------------------------------------------------


def _table(dialog) -> list[list[str]]:  # noqa: ANN001
    return [
        [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
        for r in range(dialog.table.rowCount())
    ]


def test_accounts_dialog_creates_an_officer_who_can_log_in(qtbot, services):  # noqa: ANN001
    from ui.desk.accounts_dialog import AccountsDialog

    dialog = AccountsDialog(services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _table(dialog)[0][:4] == [ADMIN_USER, ADMIN_NAME, "管理员", "正常"]

    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    new = dialog.sub_dialogs[-1]
    assert new.isVisible() and new.role_combo.currentText() == OFFICER
    qtbot.keyClicks(new.username_edit, ADMIN_USER)  # taken
    new.name_edit.setText("张接待")
    qtbot.keyClicks(new.password_edit, "abcdefgh")  # no digit
    qtbot.keyClicks(new.password2_edit, "abcdefgh")
    qtbot.mouseClick(new.ok_button, Qt.MouseButton.LeftButton)
    assert "已经有人使用" in new.field_errors["username"].text()
    assert "字母和数字" in new.field_errors["password"].text()
    assert new.isVisible() and len(_table(dialog)) == 1
    new.username_edit.setText("zhang")
    new.password_edit.setText(OFFICER_PASSWORD)
    new.password2_edit.setText(OFFICER_PASSWORD)
    qtbot.mouseClick(new.ok_button, Qt.MouseButton.LeftButton)
    assert not new.isVisible()
    rows = _table(dialog)
    assert [r[:4] for r in rows] == [
        [ADMIN_USER, ADMIN_NAME, "管理员", "正常"],
        ["zhang", "张接待", OFFICER, "正常"],
    ]
    assert rows[1][4] == "从未登录" and "已新建账户" in dialog.message.text()
    assert dialog.selected().username == "zhang"

    principal = services.accounts.login("zhang", OFFICER_PASSWORD)
    assert principal.role == OFFICER


def test_accounts_dialog_unlocks_changes_roles_and_keeps_an_admin(qtbot, services):  # noqa: ANN001
    from reception.errors import UserError
    from ui.desk.accounts_dialog import AccountsDialog

    services.accounts.add("wang", "王负责", OFFICER, OFFICER_PASSWORD)
    for _ in range(5):
        with pytest.raises(UserError):
            services.accounts.login("wang", "wrong-pass1")
    dialog = AccountsDialog(services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_username("wang")
    assert _table(dialog)[1][3].startswith("锁定至 ")
    assert dialog.unlock_button.isEnabled()
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert _table(dialog)[1][3] == "正常" and not dialog.unlock_button.isEnabled()

    role = dialog.change_role()
    role.role_combo.setCurrentIndex(role.role_combo.findData(SUPERVISOR))
    qtbot.mouseClick(role.ok_button, Qt.MouseButton.LeftButton)
    assert _table(dialog)[1][2] == SUPERVISOR and "负责人" in dialog.message.text()

    reset = dialog.reset_password()
    reset.password_edit.setText("short")
    reset.password2_edit.setText("short")
    qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    assert "至少 8 位" in reset.field_errors["password"].text() and reset.isVisible()
    reset.password_edit.setText("NewPass2026")
    reset.password2_edit.setText("NewPass2026")
    qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    assert not reset.isVisible()

    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)  # 停用 王负责
    assert _table(dialog)[1][3] == "已停用" and dialog.active_button.text() == "启用"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert _table(dialog)[1][3] == "正常"

    dialog.select_username(ADMIN_USER)  # the only administrator
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "至少要保留一个启用的管理员账户" in dialog.message.text()
    assert dialog.message.property("state") == "error" and _table(dialog)[0][3] == "正常"

    assert services.accounts.login("wang", "NewPass2026").role == SUPERVISOR


def test_change_own_password(qtbot, main_window):  # noqa: ANN001
    accounts = main_window.services.accounts
    dialog = main_window.change_password()
    qtbot.keyClicks(dialog.old_edit, "not-the-old1")
    qtbot.keyClicks(dialog.password_edit, "Changed2026")
    qtbot.keyClicks(dialog.password2_edit, "Changed2026")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.field_errors["old_password"].text() == "原密码不正确" and dialog.isVisible()
    dialog.old_edit.setText(ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert accounts.login(ADMIN_USER, "Changed2026").username == ADMIN_USER


# -- the audit trail -------------------------------------------------------------------------------------------


def test_audit_browser_pages_filters_verifies_and_exports(qtbot, services, tmp_path):  # noqa: ANN001
    from ui.desk.audit_browser import PAGE_SIZE, AuditBrowser

    for number in range(450):
        services.audit.record("print", "王接待", f"XF-2026-{number:04d}", "补打回执")
    total = len(services.audit.browse(limit=10_000))
    browser = AuditBrowser(services.audit)
    qtbot.addWidget(browser)
    browser.resize(1100, 600)
    browser.show()
    model = browser.model
    assert model.rowCount() == PAGE_SIZE and "向下滚动加载更多" in browser.count_label.text()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "编号", "时间", "操作人", "终端", "操作", "对象", "内容",
    ]  # fmt: skip
    assert model.index(0, 4).data() == "出具文书" and model.index(0, 5).data() == "XF-2026-0449"
    # Scrolling to the end of the table asks for the next page.
    browser.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PAGE_SIZE, timeout=3000)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == total
    ids = [int(model.index(r, 0).data()) for r in range(model.rowCount())]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == total

    assert browser.start_edit.text() == "不限" and browser.end_edit.text() == "不限"
    browser.set_action("account")
    assert model.rowCount() >= 1
    assert {model.index(r, 4).data() for r in range(model.rowCount())} == {"账户管理"}
    browser.clear_filters()
    browser.actor_edit.setText("王接待")
    qtbot.keyClick(browser.actor_edit, Qt.Key.Key_Return)
    assert {model.index(r, 2).data() for r in range(model.rowCount())} == {"王接待"}
    browser.show_today()
    assert browser.start_edit.date() == QDate.currentDate() and model.rowCount() == PAGE_SIZE
    browser.end_edit.setDate(QDate.currentDate().addDays(-1))  # an empty range
    assert model.rowCount() == 0

    qtbot.mouseClick(browser.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: browser.verify_result is not None, timeout=20000)
    assert browser.verify_result.ok and "完整" in browser.status.text()
    qtbot.waitUntil(lambda: not browser.worker.is_busy(), timeout=5000)
    assert not browser.progress.isVisible() and browser.verify_button.isEnabled()

    target = tmp_path / "审计记录.csv"
    browser.export_to(target)
    qtbot.waitUntil(lambda: browser.exported is not None, timeout=20000)
    assert browser.exported == total and "已导出" in browser.status.text()
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:7] == ["编号", "时间", "操作人", "终端", "操作", "对象", "内容"]
    assert sum(1 for row in rows if len(row) > 4 and row[4] == "出具文书") == 450
    assert "完整" in rows[-1][1]
    browser.worker.wait()


def test_audit_browser_refuses_an_officer(qtbot, services):  # noqa: ANN001
    from ui.desk.audit_browser import AuditBrowser

    services.accounts.add("zhang", "张接待", OFFICER, OFFICER_PASSWORD)
    services.accounts.login("zhang", OFFICER_PASSWORD)
    browser = AuditBrowser(services.audit)
    qtbot.addWidget(browser)
    assert browser.model.rowCount() == 0
    assert "无权" in browser.status.text() and browser.status.property("state") == "error"
