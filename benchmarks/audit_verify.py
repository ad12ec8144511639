"""Audit trail at scale: verify a chain of 1,000,000 entries (target < 10 s), and append one more.

python benchmarks/audit_verify.py [--entries 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    from sqlalchemy import insert

    from db.models import AuditEntry
    from db.session import open_database
    from reception.accounts import AccessControl, AccountService
    from reception.audit import GENESIS, AuditLog, entry_hash

    path = Path(tempfile.mkdtemp(prefix="audit-bench-")) / "audit.sqlite3"
    database = open_database(f"sqlite:///{path.as_posix()}")
    began = time.perf_counter()
    prev = GENESIS
    start = dt.datetime(2024, 1, 1, 8, 0)
    batch = []
    with database.engine.begin() as connection:
        for n in range(1, args.entries + 1):
            at = start + dt.timedelta(seconds=n * 30)
            actor, action, target = f"接待员{n % 7}", ("register", "print", "view_id", "export")[n % 4], f"XF{n:012d}"
            digest = entry_hash(prev, n, at, actor, "接待窗口1", action, target, "")
            batch.append(
                {"id": n, "at": at, "actor": actor, "terminal": "接待窗口1", "action": action, "target": target,
                 "detail": "", "prev_hash": prev, "hash": digest}
            )  # fmt: skip
            prev = digest
            if len(batch) == 50_000:
                connection.execute(insert(AuditEntry), batch)
                batch = []
        if batch:
            connection.execute(insert(AuditEntry), batch)
    print(f"seeded {args.entries:,} chained entries in {time.perf_counter() - began:.1f} s")
    # Reading the trail is an administrator's right since accounts came in: sign one in first (which
    # appends two entries to the chain, as on a real first start).
    access = AccessControl()
    audit = AuditLog(database, terminal="接待窗口1", access=access)
    accounts = AccountService(database, access, audit)
    accounts.create_first_admin("bench", "基准测试", "Bench2026pass")
    accounts.login("bench", "Bench2026pass")
    began = time.perf_counter()
    result = audit.verify()
    elapsed = time.perf_counter() - began
    print(f"verify: {result.text()} in {elapsed:.2f} s; target 10 s → ratio {elapsed / 10:.2f}")
    began = time.perf_counter()
    for _ in range(100):
        audit.record("print", "刘接待", "XF-BENCH")
    print(f"append one entry: {(time.perf_counter() - began) * 10:.2f} ms (mean of 100)")
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
