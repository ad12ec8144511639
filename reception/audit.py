"""The audit trail: who did what, when, from which terminal — append-only and hash-chained.

Each entry holds the hash of the one before it and a hash over its own number, time, actor, terminal,
action, target and detail. `verify()` walks the chain in order and names the first entry where it breaks:
a deleted entry leaves a gap in the numbers, an edited one no longer matches its hash, an inserted or moved
one does not follow the hash before it. The app's own SQL cannot change or delete entries (triggers on
SQLite); the chain is what shows tampering by anyone who edits the file itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.models import AuditEntry
from db.session import Database

if TYPE_CHECKING:
    from reception.accounts import AccessControl

GENESIS = "0" * 64
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "view_id": "查看完整身份证号",
    "register": "登记来访",
    "edit": "修改",
    "print": "出具文书",
    "export": "导出",
    "import": "导入",
    "settings": "修改设置",
    "law_status": "标记法规效力",
    "account": "账户管理",
    "backup": "备份",
    "restore": "恢复",
}


@dataclass(frozen=True)
class AuditView:
    entry_id: int
    at: dt.datetime
    actor: str
    terminal: str
    action: str
    target: str
    detail: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: int | None = None  # the first entry number where the chain breaks
    reason: str = ""

    def text(self) -> str:
        if self.ok:
            return f"审计记录完整：共 {self.checked} 条，逐条校验通过。"
        return f"审计记录在第 {self.broken_at} 条处不连续：{self.reason}（已校验 {self.checked} 条）。"


def entry_hash(
    prev_hash: str, entry_id: int, at: dt.datetime, actor: str, terminal: str, action: str, target: str, detail: str
) -> str:
    payload = json.dumps(
        [entry_id, at.isoformat(timespec="seconds"), actor, terminal, action, target, detail], ensure_ascii=False
    )
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(
        self,
        database: Database,
        terminal: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        access: AccessControl | None = None,
    ):
        self._db = database
        self._access = access
        self.terminal = terminal if terminal is not None else socket.gethostname()[:100]
        self._clock = clock or (lambda: dt.datetime.now().replace(microsecond=0))

    def _require(self, permission: str) -> None:
        from reception.accounts import AccessControl

        (self._access or AccessControl()).require(permission)

    def record(self, action: str, actor: str = "", target: str = "", detail: str = "") -> int:
        """Append one entry in its own transaction; returns its number. Without an actor, the logged-in
        account is the actor."""
        if action not in ACTIONS:
            raise ValueError(action)
        if not actor and self._access is not None:
            actor = self._access.actor
        with self._db.unit_of_work(write_lock="audit") as uow:
            session = uow.session
            last = session.execute(
                select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
            ).first()
            entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            at = self._clock()
            actor, target = actor.strip()[:50], target[:100]
            digest = entry_hash(prev, entry_id, at, actor, self.terminal, action, target, detail)
            session.add(
                AuditEntry(
                    id=entry_id, at=at, actor=actor, terminal=self.terminal, action=action, target=target,
                    detail=detail, prev_hash=prev, hash=digest,
                )
            )  # fmt: skip
            uow.commit()
        return entry_id

    def browse(
        self,
        *,
        actor: str = "",
        action: str = "",
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 200,
        before_id: int | None = None,
    ) -> list[AuditView]:
        """Newest first, filtered; `before_id` continues a page (the last entry number already shown)."""
        self._require("audit")
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action == action)
        if start:
            query = query.where(AuditEntry.at >= dt.datetime.combine(start, dt.time.min))
        if end:
            query = query.where(AuditEntry.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        with self._db.unit_of_work() as uow:
            return [
                AuditView(e.id, e.at, e.actor, e.terminal, e.action, e.target, e.detail)
                for e in uow.session.scalars(query)
            ]

    def verify(self) -> VerifyResult:
        """Walk the whole chain in order (streamed, a million entries in seconds)."""
        self._require("audit")
        checked = 0
        expected_id, prev = 1, GENESIS
        columns = (
            AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.terminal, AuditEntry.action,
            AuditEntry.target, AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.hash,
        )  # fmt: skip
        with self._db.engine.connect() as connection:
            rows = connection.execution_options(stream_results=True, yield_per=5000).execute(
                select(*columns).order_by(AuditEntry.id)
            )
            for entry_id, at, actor, terminal, action, target, detail, prev_hash, digest in rows:
                if entry_id != expected_id:
                    reason = "此前的记录被删除" if entry_id > expected_id else "记录编号重复或顺序被改动"
                    return VerifyResult(False, checked, expected_id, reason)
                if prev_hash != prev:
                    return VerifyResult(False, checked, entry_id, "与前一条记录的链接不符（记录被插入、调换或替换）")
                if entry_hash(prev, entry_id, at, actor, terminal, action, target, detail) != digest:
                    return VerifyResult(False, checked, entry_id, "记录内容被修改")
                checked += 1
                expected_id, prev = entry_id + 1, digest
        return VerifyResult(True, checked)

    def export(self, path: Path) -> int:
        """All entries as CSV (UTF-8 with BOM, for Excel and WPS), with the chain's hashes and the check."""
        self._require("audit")
        result = self.verify()
        count = 0
        with self._db.engine.connect() as connection, open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["编号", "时间", "操作人", "终端", "操作", "对象", "内容", "前一条哈希", "本条哈希"])
            rows = connection.execution_options(stream_results=True, yield_per=5000).execute(
                select(
                    AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.terminal, AuditEntry.action,
                    AuditEntry.target, AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.hash,
                ).order_by(AuditEntry.id)
            )  # fmt: skip
            for entry_id, at, actor, terminal, action, target, detail, prev_hash, digest in rows:
                writer.writerow(
                    [
                        entry_id,
                        at.isoformat(sep=" "),
                        actor,
                        terminal,
                        ACTIONS.get(action, action),
                        target,
                        detail,
                        prev_hash,
                        digest,
                    ]
                )
                count += 1
            writer.writerow([])
            writer.writerow(["校验结果", result.text()])
        return count
