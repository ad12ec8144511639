"""Backups of the embedded SQLite database and restoring one (`reception backup`, `reception restore`).

A backup is taken online with SQLite's backup API (the desk may keep working), into a temporary file that
is checked (`PRAGMA integrity_check`) and only then renamed to its final name: a backup killed half-way
leaves no file that looks finished. Old backups are rotated (the newest `keep` stay). A restore checks the
backup first, keeps the current database aside, and puts the backup in place the same way; it is refused,
with nothing changed, for a file that is not a sound database of this app.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.session import sqlite_file
from reception.errors import UserError

PREFIX = "reception-"
SUFFIX = ".sqlite3"
DEFAULT_KEEP = 14


class BackupError(UserError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    removed: tuple[Path, ...]  # older backups rotated away


def _database_file(url: str) -> Path:
    path = sqlite_file(url)
    if path is None:
        raise BackupError("备份和恢复只用于本机的 SQLite 数据库；服务器数据库（PostgreSQL）请用服务器自己的备份工具。")
    return path


def check_file(path: Path) -> str:
    """ "" when the file is a sound database of this app, else what is wrong with it (in Chinese)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                return f"文件已损坏（{result}）"
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        return f"不是有效的数据库文件（{exc}）"
    if not {"alembic_version", "visits", "matters"} <= tables:
        return "不是本系统的数据库"
    return ""


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup into target (written beside, then renamed: never a half-written final file)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=1024)
    problem = check_file(partial)
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupError(f"备份校验未通过：{problem}")
    os.replace(partial, target)


def default_folder() -> Path:
    from reception.config import data_dir

    return data_dir() / "backups"


def backup(url: str, folder: Path, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> BackupResult:
    source = _database_file(url)
    if not source.exists():
        raise BackupError(f"找不到数据库文件：{source}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    _copy_database(source, target)
    backups = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    removed = tuple(backups[: max(0, len(backups) - keep)])
    for old in removed:
        old.unlink(missing_ok=True)
    return BackupResult(target, removed)


def restore(url: str, backup_file: Path, now: dt.datetime | None = None) -> Path:
    """Put backup_file in place of the database; returns where the current database was kept."""
    target = _database_file(url)
    problem = check_file(backup_file)
    if problem:
        raise BackupError(f"不能用 {backup_file.name} 恢复：{problem}。当前数据库没有任何改动。")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    if target.exists():
        _copy_database(target, aside)
    _copy_database(backup_file, target)
    for extra in ("-wal", "-shm"):
        # The old database's write-ahead log must not be replayed onto the restored file.
        Path(str(target) + extra).unlink(missing_ok=True)
    return aside


def backup_if_due(
    url: str, folder: Path, *, max_age: dt.timedelta = dt.timedelta(hours=24), keep: int = DEFAULT_KEEP
) -> BackupResult | None:
    """The desk's scheduled backup: one when the newest is older than max_age (or there is none)."""
    newest = latest_backup(folder)
    if newest is not None and dt.datetime.now() - dt.datetime.fromtimestamp(newest.stat().st_mtime) < max_age:
        return None
    return backup(url, folder, keep=keep)


def latest_backup(folder: Path) -> Path | None:
    backups = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    return backups[-1] if backups else None


__all__ = ["BackupError", "BackupResult", "backup", "backup_if_due", "check_file", "latest_backup", "restore"]
