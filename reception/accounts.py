"""Staff accounts, roles and the check every service makes before it acts.

Three roles, each with everything the one before it may do: 接待员 registers, explains and prints and sees
its own and today's visits; 负责人 also sees every visit, statistics, exports, imports, the audit trail and
reassigns matters; 管理员 also keeps accounts, settings, content and the law library. The check is made by
the services (AccessControl.require), so a forbidden action is refused the same way from the desk, the
command line or a test. The kiosk has no account and never reaches these services.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Account
from db.session import Database
from reception.audit import AuditLog
from reception.errors import UserError, ValidationError
from reception.passwords import hash_secret, secret_matches

OFFICER, SUPERVISOR, ADMIN = "接待员", "负责人", "管理员"
ROLES = (OFFICER, SUPERVISOR, ADMIN)
_RANK = {role: rank for rank, role in enumerate(ROLES)}

# Each protected action: the lowest role allowed, and how a refusal names it.
PERMISSIONS: dict[str, tuple[str, str]] = {
    "visit.register": (OFFICER, "登记来访"),
    "visit.view": (OFFICER, "查看来访记录"),
    "visit.view_id": (OFFICER, "查看完整身份证号"),
    "matter.followup": (OFFICER, "记录办理情况"),
    "handout.print": (OFFICER, "出具文书"),
    "visit.view_all": (SUPERVISOR, "查看全部来访记录"),
    "matter.reassign": (SUPERVISOR, "重新分类或改派事项"),
    "statistics": (SUPERVISOR, "查看和导出统计"),
    "export.personal": (SUPERVISOR, "导出含个人信息的数据"),
    "import": (SUPERVISOR, "导入来访台账"),
    "audit": (SUPERVISOR, "查看和导出审计记录"),
    "accounts": (ADMIN, "管理账户"),
    "settings": (ADMIN, "修改设置"),
    "content": (ADMIN, "维护普法内容"),
    "laws": (ADMIN, "维护法规库"),
    "maintenance": (ADMIN, "备份、恢复和清理数据"),
}

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")


class AuthenticationError(UserError):
    """A login that did not succeed; the message says why and, when locked, until when."""


class PermissionDeniedError(UserError):
    """An action the current account's role does not allow (or no one is logged in)."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: the logged-in account."""

    account_id: int
    username: str
    display_name: str
    role: str

    def can(self, permission: str) -> bool:
        lowest, _ = PERMISSIONS[permission]
        return _RANK[self.role] >= _RANK[lowest]


@dataclass(frozen=True)
class AccountView:
    account_id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: dt.datetime | None
    last_login: dt.datetime | None


class AccessControl:
    """Who is logged in to this running app, and the check each service makes before it acts."""

    def __init__(self) -> None:
        self.current: Principal | None = None

    def require(self, permission: str) -> Principal:
        lowest, label = PERMISSIONS[permission]
        principal = self.current
        if principal is None:
            raise PermissionDeniedError(f"请先登录，才能{label}。")
        if not principal.can(permission):
            raise PermissionDeniedError(
                f"当前账户“{principal.display_name}”（{principal.role}）无权{label}，需要{lowest}或以上的账户。"
            )
        return principal

    def can(self, permission: str) -> bool:
        return self.current is not None and self.current.can(permission)

    @property
    def actor(self) -> str:
        """The name the audit trail and the records keep for who did it."""
        return self.current.display_name if self.current is not None else ""


def _locked_message(until: dt.datetime) -> str:
    return f"密码连续输错 {MAX_FAILED_LOGINS} 次，账户已锁定，请于 {until:%H:%M} 后再试，或请管理员解锁。"


def check_password(password: str) -> str | None:
    """Why a new password is not good enough, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少 {MIN_PASSWORD_LENGTH} 位"
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        return "密码须同时包含字母和数字"
    return None


class AccountService:
    def __init__(
        self,
        database: Database,
        access: AccessControl,
        audit: AuditLog,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        self._db = database
        self.access = access
        self._audit = audit
        self._clock = clock or (lambda: dt.datetime.now().replace(microsecond=0))

    # -- first start --------------------------------------------------------------------------------

    def has_accounts(self) -> bool:
        with self._db.unit_of_work() as uow:
            return (uow.session.scalar(select(func.count(Account.id))) or 0) > 0

    def create_first_admin(self, username: str, display_name: str, password: str) -> Principal:
        """The administrator a new installation asks for; refused once any account exists. Logs it in."""
        if self.has_accounts():
            raise PermissionDeniedError("已经设置过管理员账户，请用已有账户登录。")
        self._insert(username, display_name, ADMIN, password)
        self._audit.record("account", display_name.strip(), username.strip(), "首次启动设置管理员账户")
        return self.login(username, password)

    # -- logging in -----------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Principal:
        """Check the password (counting failures, locking after five) and make the account current."""
        principal = self._check(username.strip(), password, "login")
        self.access.current = principal
        return principal

    def confirm_password(self, password: str) -> Principal:
        """Unlock an idle-locked window: the current account's password, counted like a login."""
        if self.access.current is None:
            raise PermissionDeniedError("请先登录。")
        return self._check(self.access.current.username, password, "unlock")

    def logout(self) -> None:
        self.access.current = None

    def _check(self, username: str, password: str, purpose: str) -> Principal:
        now = self._clock()
        with self._db.unit_of_work(write_lock="accounts") as uow:
            account = uow.session.scalars(select(Account).where(Account.username == username)).first()
            if account is None or not account.active:
                # Same words as a wrong password: a login screen does not confirm which names exist.
                uow.commit()
                self._audit.record("login_failed", username[:50], username[:100], "无此账户或账户已停用")
                raise AuthenticationError("用户名或密码不正确。")
            if account.locked_until is not None and account.locked_until > now:
                name, until = account.display_name, account.locked_until
                uow.commit()  # ends the write-locked transaction before the audit trail takes its own
                self._audit.record("login_failed", name, username, "账户锁定期间尝试登录")
                raise AuthenticationError(_locked_message(until))
            if not secret_matches(password, account.password_hash):
                account.failed_logins += 1
                left = MAX_FAILED_LOGINS - account.failed_logins
                if left <= 0:
                    account.locked_until = now + LOCKOUT
                    account.failed_logins = 0
                    message = _locked_message(account.locked_until)
                else:
                    message = f"用户名或密码不正确，再输错 {left} 次账户将被锁定 {LOCKOUT.seconds // 60} 分钟。"
                name = account.display_name
                uow.commit()
                self._audit.record(
                    "login_failed", name, username, "解锁时密码错误" if purpose == "unlock" else "密码错误"
                )
                raise AuthenticationError(message)
            account.failed_logins = 0
            account.locked_until = None
            account.last_login = now
            principal = Principal(account.id, account.username, account.display_name, account.role)
            uow.commit()
        self._audit.record("login", principal.display_name, username, "解锁" if purpose == "unlock" else "登录")
        return principal

    # -- administration -------------------------------------------------------------------------------

    def list(self) -> list[AccountView]:
        self.access.require("accounts")
        with self._db.unit_of_work() as uow:
            return [
                AccountView(a.id, a.username, a.display_name, a.role, a.active, a.locked_until, a.last_login)
                for a in uow.session.scalars(select(Account).order_by(Account.id))
            ]

    def add(self, username: str, display_name: str, role: str, password: str) -> int:
        admin = self.access.require("accounts")
        account_id = self._insert(username, display_name, role, password)
        self._audit.record("account", admin.display_name, username.strip(), f"新建账户，角色{role}")
        return account_id

    def _insert(self, username: str, display_name: str, role: str, password: str) -> int:
        username, display_name = username.strip(), display_name.strip()
        errors = {}
        if not _USERNAME_RE.match(username):
            errors["username"] = "用户名为 2–32 位字母、数字或 _ . -"
        if not display_name:
            errors["display_name"] = "请填写姓名（打印在文书上的接待人）"
        elif len(display_name) > 50:
            errors["display_name"] = "姓名过长"
        if role not in ROLES:
            errors["role"] = "角色只能是：" + "、".join(ROLES)
        problem = check_password(password)
        if problem:
            errors["password"] = problem
        with self._db.unit_of_work(write_lock="accounts") as uow:
            if not errors.get("username") and uow.session.scalar(
                select(func.count(Account.id)).where(Account.username == username)
            ):
                errors["username"] = "这个用户名已经有人使用"
            if errors:
                raise ValidationError(errors)
            account = Account(
                username=username,
                display_name=display_name,
                role=role,
                password_hash=hash_secret(password),
                created_at=self._clock(),
            )
            uow.session.add(account)
            uow.commit()
            return account.id

    def _change(self, account_id: int, what: str, change: Callable[[Account], None]) -> None:
        admin = self.access.require("accounts")
        with self._db.unit_of_work(write_lock="accounts") as uow:
            account = uow.session.get(Account, account_id)
            if account is None:
                raise ValidationError({"account": "没有这个账户"})
            change(account)
            self._keep_an_admin(uow.session)
            username = account.username
            uow.commit()
        self._audit.record("account", admin.display_name, username, what)

    @staticmethod
    def _keep_an_admin(session) -> None:  # noqa: ANN001 - a Session
        session.flush()
        admins = session.scalar(select(func.count(Account.id)).where(Account.role == ADMIN, Account.active.is_(True)))
        if not admins:
            raise ValidationError({"role": "至少要保留一个启用的管理员账户"})

    def set_role(self, account_id: int, role: str) -> None:
        if role not in ROLES:
            raise ValidationError({"role": "角色只能是：" + "、".join(ROLES)})
        self._change(account_id, f"角色改为{role}", lambda a: setattr(a, "role", role))

    def set_active(self, account_id: int, active: bool) -> None:
        self._change(account_id, "启用账户" if active else "停用账户", lambda a: setattr(a, "active", active))

    def unlock(self, account_id: int) -> None:
        def clear(account: Account) -> None:
            account.locked_until = None
            account.failed_logins = 0

        self._change(account_id, "解除锁定", clear)

    def reset_password(self, account_id: int, password: str) -> None:
        problem = check_password(password)
        if problem:
            raise ValidationError({"password": problem})
        digest = hash_secret(password)

        def apply(account: Account) -> None:
            account.password_hash = digest
            account.locked_until = None
            account.failed_logins = 0

        self._change(account_id, "重设密码", apply)

    def change_own_password(self, old: str, new: str) -> None:
        me = self.access.current
        if me is None:
            raise PermissionDeniedError("请先登录。")
        problem = check_password(new)
        if problem:
            raise ValidationError({"password": problem})
        with self._db.unit_of_work(write_lock="accounts") as uow:
            account = uow.session.get(Account, me.account_id)
            if account is None or not secret_matches(old, account.password_hash):
                raise ValidationError({"old_password": "原密码不正确"})
            account.password_hash = hash_secret(new)
            uow.commit()
        self._audit.record("account", me.display_name, me.username, "修改本人密码")
