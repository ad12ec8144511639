"""Who sits at the desk: the first administrator, the login, and the lock that covers an unattended window.

The desk shows visitors' names, ID numbers and complaints; a hall's PCs stand where petitioners can see
them. The window is built only after a login, and an officer who walks away is locked out after a few idle
minutes — the lock covers the window without touching the form, so an unsaved registration survives it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reception.accounts import MIN_PASSWORD_LENGTH, AccountService
from reception.errors import UserError, ValidationError
from ui.shared.field_error import ErrorLabel

PASSWORD_HINT = f"至少 {MIN_PASSWORD_LENGTH} 位，须同时包含字母和数字"
LAST_USER_KEY = "desk/last_user"
LOCK_MINUTES_KEY = "desk/lock_minutes"
DEFAULT_LOCK_MINUTES = 10


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    # A long password must not be cut off by a narrow default width on a 125 % screen.
    edit.setMinimumWidth(240)
    return edit


class FormDialog(QDialog):
    """A small form whose service errors appear under the field they concern, the rest on one line.

    Subclasses add fields with `add_field` (keyed like the service's ValidationError), then call
    `finish` and run their service call through `attempt`.
    """

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.inputs: dict[str, QWidget] = {}
        self.field_errors: dict[str, ErrorLabel] = {}
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color:#a00000")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Qt names standard buttons in English unless a translation is loaded.
        self.ok_button.setText("确定")
        self.cancel_button.setText("取消")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

    def add_field(self, key: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        error = ErrorLabel()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            column.addWidget(note)
        column.addWidget(error)
        self.form.addRow(label, column)
        self.inputs[key] = widget
        self.field_errors[key] = error
        return widget

    def finish(self, intro: str = "", ok_text: str = "确定") -> None:
        self.ok_button.setText(ok_text)
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def clear_errors(self) -> None:
        for label in self.field_errors.values():
            label.show_message("")
        self.show_error("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to hold the messages just shown; wrapped labels make Qt's own minimum too small."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        need = (
            layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        )
        if need > self.height():
            self.resize(self.width(), need)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message at its field; one about a field this form does not have goes to the error line."""
        self.clear_errors()
        elsewhere = []
        for key, message in errors.items():
            if key in self.field_errors:
                self.field_errors[key].show_message(message)
            else:
                elsewhere.append(message)
        self.show_error("；".join(elsewhere))
        for key in errors:
            if key in self.inputs:
                self.inputs[key].setFocus()
                break

    def attempt(self, call: Callable[[], object]) -> bool:
        """Run the service call; its refusal stays in the dialog in the service's words, success closes it."""
        self.clear_errors()
        try:
            call()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.accept()
        return True

    def passwords_differ(self, first: QLineEdit, second: QLineEdit, key: str) -> bool:
        """A typo in a hidden password is caught here, before the account gets a password nobody knows."""
        if first.text() == second.text():
            return False
        self.show_errors({key: "两次输入的密码不一致"})
        second.clear()
        return True

    def apply(self) -> None:
        raise NotImplementedError


class FirstAdminDialog(FormDialog):
    """A new installation's first account: the administrator who then adds everyone else."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None):
        super().__init__("首次使用：设置管理员账户", parent)
        self._accounts = accounts
        self.principal = None
        self.username_edit = self.add_field("username", "用户名", QLineEdit(), "登录时输入，2–32 位字母、数字或 _ . -")
        self.name_edit = self.add_field("display_name", "姓名", QLineEdit(), "登记和文书上的接待人，也记入审计记录")
        self.password_edit = self.add_field("password", "密码", password_edit(), PASSWORD_HINT)
        self.password2_edit = self.add_field("password2", "再输一次", password_edit())
        self.username_edit.setText("admin")
        self.finish(
            "本机的数据库中还没有任何账户。请先设置一个管理员账户：管理员可以新建接待员、负责人账户，"
            "修改本单位信息和法规库。请牢记密码，忘记后只能由另一位管理员重设。",
            ok_text="创建并登录",
        )
        self.setMinimumWidth(520)

    def apply(self) -> None:
        if self.passwords_differ(self.password_edit, self.password2_edit, "password2"):
            return

        def create() -> None:
            self.principal = self._accounts.create_first_admin(
                self.username_edit.text(), self.name_edit.text(), self.password_edit.text()
            )

        self.attempt(create)


class LoginDialog(FormDialog):
    """用户名 and 密码; a refusal (wrong password, tries left, locked until when) shows on the error line."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None, office_name: str = ""):
        super().__init__("登录", parent)
        self._accounts = accounts
        self.principal = None
        self.username_edit = self.add_field("username", "用户名", QLineEdit())
        self.password_edit = self.add_field("password", "密码", password_edit())
        heading = QLabel("信访接待与释法系统")
        heading.setObjectName("loginHeading")
        heading.setStyleSheet("font-size:20px; font-weight:bold; color:#1f4e79;")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        office = QLabel(office_name or "接待桌面")
        office.setAlignment(Qt.AlignmentFlag.AlignCenter)
        office.setObjectName("hint")
        self.finish(ok_text="登录")
        self.cancel_button.setText("退出")
        layout = self.layout()
        layout.insertWidget(0, office)
        layout.insertWidget(0, heading)
        layout.insertSpacing(2, 8)
        last = str(QSettings().value(LAST_USER_KEY, "") or "")
        self.username_edit.setText(last)
        (self.password_edit if last else self.username_edit).setFocus()
        self.setMinimumWidth(440)

    def apply(self) -> None:
        username = self.username_edit.text().strip()
        if not username:
            self.show_errors({"username": "请输入用户名"})
            return

        def login() -> None:
            self.principal = self._accounts.login(username, self.password_edit.text())

        # The password is never left in the field after a try, right or wrong.
        ok = self.attempt(login)
        self.password_edit.clear()
        if ok:
            QSettings().setValue(LAST_USER_KEY, username)
        else:
            self.password_edit.setFocus()


def sign_in_dialog(services, parent: QWidget | None = None) -> FormDialog:  # noqa: ANN001 - Services
    """The first-administrator form on a database without accounts, else the login."""
    if not services.accounts.has_accounts():
        return FirstAdminDialog(services.accounts, parent)
    try:
        office = services.settings.office().office_name
    except Exception:  # noqa: BLE001 - the heading is a nicety; a login must never fail over it
        office = ""
    return LoginDialog(services.accounts, parent, office_name=office)


def sign_in(services, parent: QWidget | None = None) -> bool:  # noqa: ANN001 - Services
    """Ask who is at the desk (creating the first administrator if need be); False when cancelled."""
    dialog = sign_in_dialog(services, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted and services.access.current is not None


class LockOverlay(QFrame):
    """An opaque cover over one window while the desk is locked: nothing under it can be seen or used.

    It is a child of the window it covers, stretched over it (menu and status bar included) and kept on
    top. The window's own widgets are disabled, not changed: the form keeps its input, and neither Tab
    nor a shortcut can reach them. The widgets are re-enabled only if they were enabled before.

    Signals:
        unlocked(): the current account's password was confirmed.
    """

    unlocked = Signal()

    def __init__(self, host: QWidget, accounts: AccountService, parent_note: str = ""):
        super().__init__(host)
        self._host = host
        self._accounts = accounts
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "QFrame#lockOverlay { background: #1f3b5c; }"
            "QFrame#lockCard { background: white; border-radius: 10px; }"
            "QLabel#lockTitle { font-size: 26px; font-weight: bold; color: #1f4e79; }"
            "QLabel#lockUser { font-size: 17px; }"
            "QLabel#lockError { color: #c62828; }"
        )
        principal = accounts.access.current
        user = f"{principal.display_name}（{principal.role}）" if principal is not None else ""
        compact = host.width() < 560 or host.height() < 360
        self.title = QLabel("已锁定")
        self.title.setObjectName("lockTitle")
        self.user_label = QLabel(f"当前用户：{user}")
        self.user_label.setObjectName("lockUser")
        # Two set lines rather than word wrap: a wrapped label in a fixed-width card is given one line's height.
        self.note = QLabel(
            parent_note or "离开座位时屏幕已锁定，以保护来访人信息。\n输入本人密码解锁，尚未保存的登记内容不会丢失。"
        )
        self.note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.password_edit = password_edit("本人登录密码")
        self.password_edit.setAccessibleName("解锁密码")
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setObjectName("primary")
        self.error = QLabel("")
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.unlock_button.clicked.connect(self.try_unlock)
        self.password_edit.returnPressed.connect(self.try_unlock)

        card = QFrame()
        card.setObjectName("lockCard")
        column = QVBoxLayout(card)
        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)
        if compact:
            # A small dialog covered by the lock (a question box) still needs a usable password field.
            self.title.setStyleSheet("font-size:18px")
            self.password_edit.setMinimumWidth(120)
            self.note.hide()
            column.setContentsMargins(10, 8, 10, 8)
        else:
            card.setFixedWidth(480)
            column.setContentsMargins(28, 24, 28, 24)
            column.setSpacing(12)
        column.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.user_label, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.note)
        column.addLayout(row)
        column.addWidget(self.error)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self._disabled: list[QWidget] = []
        for child in host.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child is not self and child.isEnabled() and not child.isWindow():
                child.setEnabled(False)
                self._disabled.append(child)
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._host:
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self.setGeometry(self._host.rect())
            elif kind == QEvent.Type.ChildAdded:
                # A widget added to the window later (a toolbar, a docked panel) would be stacked on top.
                QTimer.singleShot(0, self._stay_on_top)
        return False

    def _stay_on_top(self) -> None:
        if self.isVisible():
            self.raise_()

    # Keys and clicks end here: Esc must not close a dialog under the lock, Enter not press its button.
    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.accept()
        self.password_edit.setFocus()

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.accept()

    def wheelEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.accept()

    def focus(self) -> None:
        self._host.activateWindow()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self) -> bool:
        password = self.password_edit.text()
        self.password_edit.clear()
        if not password:
            self._show_error("请输入本人登录密码。")
            return False
        try:
            self._accounts.confirm_password(password)
        except UserError as exc:
            self._show_error(str(exc))
            return False
        self._show_error("")
        self.unlocked.emit()
        return True

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.password_edit.setFocus()

    def dismiss(self) -> None:
        """Take the cover away and give the window its widgets back as they were."""
        self._host.removeEventFilter(self)
        for child in self._disabled:
            child.setEnabled(True)
        self._disabled = []
        self.hide()
        self.deleteLater()


_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class IdleLock(QObject):
    """Locks the window after `minutes` without a key press, click, mouse move or touch anywhere in the app.

    Installed on the application, so a dialog in use counts as activity too. `minutes` 0 turns it off;
    `msec` overrides the interval (tests).
    """

    def __init__(self, window: QWidget, minutes: float = DEFAULT_LOCK_MINUTES, msec: int | None = None):
        super().__init__(window)
        self._window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._idle)
        interval = msec if msec is not None else int(minutes * 60_000)
        self.timer.setInterval(max(0, interval))
        app = QApplication.instance()
        if interval > 0 and app is not None:
            app.installEventFilter(self)
            self.timer.start()

    @property
    def active(self) -> bool:
        return self.timer.interval() > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY:
            self.timer.start()
        return False

    def _idle(self) -> None:
        self._window.lock()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def lock_minutes() -> float:
    """The idle time before the desk locks (QSettings desk/lock_minutes; 0 never locks)."""
    value = QSettings().value(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES)
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return float(DEFAULT_LOCK_MINUTES)
