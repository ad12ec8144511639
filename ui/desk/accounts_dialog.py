"""账户管理 (管理员) and 修改密码 (anyone): the screens over reception.accounts.AccountService.

Every rule (who may do it, what a username or password must be, that one administrator always remains) is
the service's; these dialogs only show its answers in its own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reception.accounts import OFFICER, ROLES, AccountService, AccountView
from reception.errors import UserError, ValidationError
from ui.desk.login import PASSWORD_HINT, FormDialog, password_edit
from ui.shared.screen import fit_to_screen

COLUMNS = ("用户名", "姓名", "角色", "状态", "最近登录")
ROLE_NOTES = {
    "接待员": "登记、释法、出具文书，查看本人和当天的来访",
    "负责人": "另可查看全部来访、统计、导出导入、审计记录，重新分类或改派事项",
    "管理员": "另可管理账户、本单位信息、普法内容和法规库",
}


def account_status(account: AccountView, now: dt.datetime | None = None) -> str:
    if not account.active:
        return "已停用"
    now = now or dt.datetime.now()
    if account.locked_until is not None and account.locked_until > now:
        return f"锁定至 {account.locked_until:%H:%M}"
    return "正常"


def is_locked(account: AccountView, now: dt.datetime | None = None) -> bool:
    return account.locked_until is not None and account.locked_until > (now or dt.datetime.now())


def _role_combo(current: str = OFFICER) -> QComboBox:
    combo = QComboBox()
    for role in ROLES:
        combo.addItem(role, role)
        combo.setItemData(combo.count() - 1, ROLE_NOTES.get(role, ""), Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class NewAccountDialog(FormDialog):
    def __init__(self, accounts: AccountService, parent: QWidget | None = None):
        super().__init__("新建账户", parent)
        self._accounts = accounts
        self.account_id: int | None = None
        self.username_edit = self.add_field("username", "用户名", QLineEdit(), "登录时输入，2–32 位字母、数字或 _ . -")
        self.name_edit = self.add_field("display_name", "姓名", QLineEdit(), "登记和文书上的接待人")
        self.role_combo = self.add_field("role", "角色", _role_combo())
        self.role_note = QLabel()
        self.role_note.setObjectName("hint")
        self.role_note.setWordWrap(True)
        self.form.addRow("", self.role_note)
        self.password_edit = self.add_field("password", "初始密码", password_edit(), PASSWORD_HINT)
        self.password2_edit = self.add_field("password2", "再输一次", password_edit())
        self.role_combo.currentIndexChanged.connect(self._show_role_note)
        self._show_role_note()
        self.finish("初始密码请当面告知本人，并提醒其登录后在“账户 → 修改密码”中改为只有自己知道的密码。", "创建")
        self.setMinimumWidth(520)

    def _show_role_note(self) -> None:
        self.role_note.setText(ROLE_NOTES.get(self.role_combo.currentData(), ""))

    def apply(self) -> None:
        if self.passwords_differ(self.password_edit, self.password2_edit, "password2"):
            return

        def add() -> None:
            self.account_id = self._accounts.add(
                self.username_edit.text(),
                self.name_edit.text(),
                self.role_combo.currentData(),
                self.password_edit.text(),
            )

        self.attempt(add)


class RoleDialog(FormDialog):
    def __init__(self, accounts: AccountService, account: AccountView, parent: QWidget | None = None):
        super().__init__("修改角色", parent)
        self._accounts = accounts
        self.account = account
        self.role_combo = self.add_field("role", "角色", _role_combo(account.role))
        self.finish(f"账户：{account.display_name}（{account.username}），当前角色：{account.role}。")
        self.setMinimumWidth(420)

    def apply(self) -> None:
        self.attempt(lambda: self._accounts.set_role(self.account.account_id, self.role_combo.currentData()))


class ResetPasswordDialog(FormDialog):
    def __init__(self, accounts: AccountService, account: AccountView, parent: QWidget | None = None):
        super().__init__("重设密码", parent)
        self._accounts = accounts
        self.account = account
        self.password_edit = self.add_field("password", "新密码", password_edit(), PASSWORD_HINT)
        self.password2_edit = self.add_field("password2", "再输一次", password_edit())
        self.finish(
            f"为“{account.display_name}”（{account.username}）设置新密码，同时解除锁定。"
            "请把新密码当面告知本人，并提醒其登录后修改。",
            "重设",
        )
        self.setMinimumWidth(460)

    def apply(self) -> None:
        if self.passwords_differ(self.password_edit, self.password2_edit, "password2"):
            return
        self.attempt(lambda: self._accounts.reset_password(self.account.account_id, self.password_edit.text()))


class ChangePasswordDialog(FormDialog):
    """账户 → 修改密码: the logged-in user's own password, confirmed by the old one."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None):
        super().__init__("修改密码", parent)
        self._accounts = accounts
        self.old_edit = self.add_field("old_password", "原密码", password_edit())
        self.password_edit = self.add_field("password", "新密码", password_edit(), PASSWORD_HINT)
        self.password2_edit = self.add_field("password2", "再输一次", password_edit())
        me = accounts.access.current
        self.finish(f"修改当前账户“{me.display_name}”的登录密码。" if me is not None else "", "修改")
        self.setMinimumWidth(460)

    def apply(self) -> None:
        if self.passwords_differ(self.password_edit, self.password2_edit, "password2"):
            return
        self.attempt(lambda: self._accounts.change_own_password(self.old_edit.text(), self.password_edit.text()))


class AccountsDialog(QDialog):
    """The accounts of this installation and what a 管理员 may change about them."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("账户管理")
        self._accounts = accounts
        self.rows: list[AccountView] = []
        self.sub_dialogs: list[QDialog] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        for column, width in enumerate((130, 130, 90, 130)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.new_button = QPushButton("新建账户…")
        self.new_button.setObjectName("primary")
        self.role_button = QPushButton("修改角色…")
        self.reset_button = QPushButton("重设密码…")
        self.unlock_button = QPushButton("解除锁定")
        self.active_button = QPushButton("停用")
        self.refresh_button = QPushButton("刷新")
        self.close_button = QPushButton("关闭")
        self.message = QLabel("")
        self.message.setObjectName("saveStatus")
        self.message.setWordWrap(True)

        self.new_button.clicked.connect(self.new_account)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.active_button.clicked.connect(self.toggle_active)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        buttons = QHBoxLayout()
        for button in (self.new_button, self.role_button, self.reset_button, self.unlock_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        intro = QLabel(
            "接待员：登记、释法、出具文书；负责人：另可查看全部来访、统计和审计记录；管理员：另可管理账户和设置。"
            "密码连续输错 5 次的账户锁定 15 分钟，可在此解除。"
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, 760, 480)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        try:
            self.rows = self._accounts.list()
        except UserError as exc:
            self.rows = []
            self._say(str(exc), error=True)
        now = dt.datetime.now()
        self.table.setRowCount(len(self.rows))
        for row, account in enumerate(self.rows):
            last = f"{account.last_login:%Y-%m-%d %H:%M}" if account.last_login else "从未登录"
            cells = (account.username, account.display_name, account.role, account_status(account, now), last)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, account.account_id)
                if not account.active:
                    item.setForeground(Qt.GlobalColor.gray)
                elif column == 3 and is_locked(account, now):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select(selected.account_id)
        self._update_buttons()

    def selected(self) -> AccountView | None:
        row = self.table.currentRow()
        if not self.table.selectionModel().hasSelection() or not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def select(self, account_id: int) -> None:
        for row, account in enumerate(self.rows):
            if account.account_id == account_id:
                self.table.selectRow(row)
                return

    def select_username(self, username: str) -> None:
        for row, account in enumerate(self.rows):
            if account.username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        account = self.selected()
        chosen = account is not None
        for button in (self.role_button, self.reset_button, self.active_button):
            button.setEnabled(chosen)
        self.unlock_button.setEnabled(chosen and is_locked(account))
        self.active_button.setText("启用" if chosen and not account.active else "停用")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("state", "error" if error else "ok")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # -- the changes ------------------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: Callable[[], str]) -> QDialog:
        def accepted() -> None:
            self.refresh()
            self._say(done())

        dialog.accepted.connect(accepted)
        self.sub_dialogs = [d for d in self.sub_dialogs if d.isVisible()] + [dialog]
        dialog.open()
        return dialog

    def new_account(self) -> NewAccountDialog:
        dialog = NewAccountDialog(self._accounts, self)

        def done() -> str:
            if dialog.account_id is not None:
                self.select(dialog.account_id)
            return f"已新建账户“{dialog.name_edit.text().strip()}”（{dialog.role_combo.currentData()}）。"

        self._open(dialog, done)
        return dialog

    def change_role(self) -> RoleDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = RoleDialog(self._accounts, account, self)
        self._open(dialog, lambda: f"“{account.display_name}”的角色已改为{dialog.role_combo.currentData()}。")
        return dialog

    def reset_password(self) -> ResetPasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = ResetPasswordDialog(self._accounts, account, self)
        self._open(dialog, lambda: f"已重设“{account.display_name}”的密码。")
        return dialog

    def _change(self, call: Callable[[], None], success: str) -> bool:
        try:
            call()
        except ValidationError as exc:
            self._say("；".join(exc.errors.values()), error=True)
            return False
        except UserError as exc:
            self._say(str(exc), error=True)
            return False
        self.refresh()
        self._say(success)
        return True

    def unlock_selected(self) -> bool:
        account = self.selected()
        if account is None:
            return False
        return self._change(
            lambda: self._accounts.unlock(account.account_id), f"已解除“{account.display_name}”的锁定。"
        )

    def toggle_active(self) -> bool:
        account = self.selected()
        if account is None:
            return False
        activate = not account.active
        verb = "启用" if activate else "停用"
        return self._change(
            lambda: self._accounts.set_active(account.account_id, activate), f"已{verb}“{account.display_name}”的账户。"
        )
