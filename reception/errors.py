"""Two kinds of error: ones the user can act on (shown kindly) and bugs (logged, crash dialog)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

# The operating system's reasons in the words of the screen; strerror is English (or the OS language).
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中的某一段是文件而不是文件夹",
    errno.EEXIST: "同名的文件已经存在",
    errno.EISDIR: "这是一个文件夹",
    errno.EACCES: "当前用户没有权限",
    errno.EPERM: "当前用户没有权限",
    errno.EROFS: "所在的磁盘是只读的",
    errno.ENOSPC: "磁盘空间已满",
    errno.EBUSY: "文件正被其他程序使用",
}


class UserError(Exception):
    """A problem the user can fix; its message is plain Chinese meant for the screen."""


class ValidationError(UserError):
    """Input that cannot be saved. Carries one message per offending field.

    Args:
        errors: mapping of field name (as in the service's input dataclass) to a Chinese message.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class ConflictError(UserError):
    """Someone else changed the record since this user opened it; nothing was saved."""


class NotFoundError(UserError):
    """A record that was asked for does not exist."""


class DatabaseUnavailable(UserError):
    """The database cannot be opened or written as asked; the message names the file, the cause and the remedy.

    Args:
        location: the file (absolute path) or, for a server database, the address without its password.
        cause: what went wrong, in Chinese.
        action: what the user should do about it, in Chinese.
    """

    def __init__(self, location: str, cause: str, action: str, title: str = "无法打开数据库"):
        self.location = location
        self.cause = cause
        self.action = action
        super().__init__(f"{title}：{location}\n原因：{cause}\n处理：{action}")


def database_error(exc: BaseException, url: str) -> DatabaseUnavailable | None:
    """The user-facing form of a failure to open or use the database at url, or None when exc is a bug.

    Covers what a user can fix: an unparsable address, a missing, read-only, locked, full or foreign file,
    a folder that cannot be created, a database written by a newer version. Callers log exc themselves
    (it holds the driver's own words) and show only the returned message.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from db.session import DatabaseMissingError, sqlite_file

    try:
        path = sqlite_file(url)
    except ArgumentError:
        return DatabaseUnavailable(
            url or "（空）", "这不是有效的数据库地址。", _url_advice(url), title="数据库地址无法识别"
        )
    backend = make_url(url).get_backend_name()
    if isinstance(exc, NoSuchModuleError) and "sqlalchemy.dialects" in str(exc):
        return DatabaseUnavailable(
            _safe_url(url),
            f"不支持“{backend}”类型的数据库。",
            "本系统使用 SQLite 数据库，地址应写成 sqlite:///完整路径/reception.sqlite3。",
            title="数据库地址无法使用",
        )
    location = str(path.absolute()) if path is not None else _safe_url(url)
    if isinstance(exc, DatabaseMissingError):
        return DatabaseUnavailable(
            location,
            "该数据库文件不存在（可能是路径写错了），为免误用，没有新建空数据库。",
            "请检查 --db 或环境变量 RECEPTION_DB_URL 中的路径；如确实要在这里新建一个空数据库，"
            f'请运行：reception --db "{url}" db upgrade',
            title="找不到数据库文件",
        )
    if isinstance(exc, OSError) and path is not None and exc.filename and _is_on_path(exc.filename, path):
        return DatabaseUnavailable(
            location,
            f"无法创建数据库所在的文件夹 {exc.filename}（{os_error_text(exc)}）。",
            "请检查路径是否写对；路径中的某一段如果是文件而不是文件夹，或当前用户没有权限，请换一个位置。",
        )
    if isinstance(exc, ModuleNotFoundError) and backend != "sqlite" and exc.name:
        return DatabaseUnavailable(
            location,
            f"缺少连接此类数据库所需的驱动程序 {exc.name}。",
            "请改用 SQLite 数据库文件（sqlite:///完整路径），或请管理员安装该驱动。",
        )
    if type(exc).__module__.startswith("alembic") and "Can't locate revision" in str(exc):
        return DatabaseUnavailable(
            location,
            "该数据库由更新版本的本程序创建或升级过，当前版本无法识别它的结构。",
            "请把本程序升级到与数据库一致（或更新）的版本后再打开；不要用旧版本修改它。",
        )
    if isinstance(exc, DBAPIError):
        return _driver_error(str(exc.orig), location, path)
    return None


def is_connection_lost(exc: BaseException, url: str) -> bool:
    """A server database that cannot be reached right now (network, restart): worth retrying, unlike a
    refusal. SQLite files never count: their errors are not transient in this way."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    try:
        if make_url(url).get_backend_name() == "sqlite":
            return False
    except Exception:  # noqa: BLE001 - an unparsable address is not a lost connection
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    text = str(exc.orig).lower()
    return any(
        words in text
        for words in ("connection", "server closed", "terminating", "could not connect", "timeout", "not accepting")
    )


def _driver_error(text: str, location: str, file: Path | None) -> DatabaseUnavailable:
    message = text.lower()
    if "readonly" in message or "read-only" in message:
        return DatabaseUnavailable(
            location,
            "数据库文件或它所在的文件夹是只读的，当前用户不能写入。",
            "请让管理员给当前用户该文件及其文件夹的读写权限；如果文件在光盘、只读U盘或只读共享上，请先复制到本机。",
            title="无法写入数据库",
        )
    if "not a database" in message or "malformed" in message:
        return DatabaseUnavailable(
            location,
            "这个文件不是本系统的数据库，或已经损坏。",
            "请检查路径是否指向 reception.sqlite3；如文件已损坏，请用最近的备份恢复，并联系管理员。",
        )
    if "locked" in message or "busy" in message:
        return DatabaseUnavailable(
            location,
            "数据库正被其他程序占用（可能另一台电脑或另一个窗口正在写入）。",
            "请稍等片刻后重试；如一直如此，请关闭其他正在使用该数据库的接待程序后再试。",
            title="数据库暂时无法使用",
        )
    if "full" in message:
        return DatabaseUnavailable(
            location, "磁盘空间已满。", "请清理磁盘空间或把数据库移到空间充足的磁盘后重试。", title="无法写入数据库"
        )
    if "disk i/o" in message:
        return DatabaseUnavailable(
            location,
            "读写数据库文件时出错（磁盘、U盘或网络共享可能出了故障）。",
            "请检查存储设备或网络连接后重试；如反复出现，请联系管理员检查磁盘并从备份恢复。",
        )
    if "unable to open" in message and file is not None:
        if file.is_dir():
            cause = "这是一个文件夹，不是数据库文件。"
            action = "请在路径末尾写上数据库文件名，例如 …/reception.sqlite3。"
        elif not file.parent.is_dir():
            cause = "数据库所在的文件夹不存在。"
            action = "请检查路径是否写对。"
        elif file.exists() and not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)):
            # SQLite in WAL mode writes two files beside the database, so the folder must be writable too.
            cause = "数据库文件或它所在的文件夹是只读的，当前用户不能写入。"
            action = "请让管理员给当前用户该文件及其文件夹的读写权限；如果文件在只读U盘或只读共享上，请先复制到本机。"
        else:
            cause = "当前用户没有权限打开这个文件或它所在的文件夹。"
            action = "请让管理员给当前用户该文件及其文件夹的读写权限，或换一个有权限的位置。"
        return DatabaseUnavailable(location, cause, action)
    return DatabaseUnavailable(
        location,
        f"数据库报告错误：{text}",
        "请检查数据库地址和网络连接；如无法解决，请把这段信息告知管理员。",
    )


def os_error_text(exc: OSError) -> str:
    """Why a file operation failed, in Chinese (for messages that name the file themselves)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _url_advice(url: str) -> str:
    example = "sqlite:///完整路径/reception.sqlite3（Windows 如 sqlite:///D:/信访/reception.sqlite3）"
    if url and "://" not in url:
        # A bare file path is the usual slip; show the address it was meant to be.
        return f"数据库地址要写成 {example}。您要用的可能是：sqlite:///{Path(url).expanduser().absolute().as_posix()}"
    return f"数据库地址要写成 {example}。"


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _is_on_path(filename: object, path: Path) -> bool:
    """Whether filename is the database file or one of its folders (the mkdir that failed was ours)."""
    target = Path(str(filename)).absolute()
    full = path.absolute()
    return target == full or target in full.parents
