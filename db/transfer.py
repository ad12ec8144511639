"""Copy one database into another of this schema (a single PC's SQLite file into the hall's PostgreSQL).

Every table is copied in foreign-key order with its primary keys, in one transaction on the target, and
checked before it commits: the same number of rows and the same SHA-256 over every row, table by table.
On any difference — or a target that already holds data — nothing is kept. Values are copied as stored:
encrypted numbers stay encrypted with the same key, which has to travel with the data (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Table, func, insert, select, text

from db.base import Base
from db.search import is_managed_by_alembic
from db.session import Database
from db.textsearch import index_body, tsvector_literal

BATCH = 2000


class TransferError(Exception):
    """The copy could not be made or did not check out; the target is unchanged."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


def _value(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_check(connection: Connection, table: Table) -> TableCheck:
    digest = hashlib.sha256()
    rows = 0
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    for row in result:
        digest.update("\x1f".join(_value(v) for v in row).encode("utf-8"))
        digest.update(b"\x1e")
        rows += 1
    return TableCheck(table.name, rows, digest.hexdigest())


def copied_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if is_managed_by_alembic(t.name, "table")]


def transfer(
    source: Database, target: Database, progress: Callable[[str, int], None] | None = None
) -> list[TableCheck]:
    """Copy source into an empty target (both migrated to the same revision, the target by open_database
    alone, so it holds no law library or settings of its own); returns the checks that matched."""
    tables = copied_tables()
    with target.engine.connect() as probe:
        for table in tables:
            if probe.execute(select(func.count()).select_from(table)).scalar():
                raise TransferError(
                    f"目标数据库不是空的（表 {table.name} 中已有数据）：为免混入或覆盖，只能迁移到新建的空数据库。"
                )
    with source.engine.connect() as reader, target.engine.connect() as writer:
        transaction = writer.begin()
        try:
            for table in tables:
                copied = 0
                rows = reader.execution_options(yield_per=BATCH).execute(select(table))
                for chunk in rows.partitions(BATCH):
                    writer.execute(insert(table), [dict(r._mapping) for r in chunk])
                    copied += len(chunk)
                    if progress:
                        progress(table.name, copied)
            _after_copy(writer)
            checks = []
            for table in tables:
                expected, got = table_check(reader, table), table_check(writer, table)
                if expected != got:
                    raise TransferError(
                        f"表 {table.name} 校验不一致：源 {expected.rows} 行，目标 {got.rows} 行；已全部撤销。"
                    )
                checks.append(got)
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
    if target.engine.dialect.name == "postgresql":
        _analyze(target)
    return checks


def _analyze(target: Database) -> None:
    """Give the server's planner the copied tables' statistics at once. Without them it guesses that a
    topic holds a two-hundredth of the matters, and listing a topic of 120,000 by name walked every visit
    (0.55 s a page at a million visits) until autovacuum got round to it. Outside a transaction: statistics
    gathered in one that is then rolled back are lost."""
    with target.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")  # the new database holds only what was just copied


def _after_copy(writer: Connection) -> None:
    """What the target needs beyond the rows: its id sequences past the copied ids, its own text index."""
    if writer.dialect.name == "sqlite":
        statement = "INSERT INTO visit_search (rowid, body) VALUES (:id, :body)"
        encode: Callable[[str], str] = str
    elif writer.dialect.name == "postgresql":
        statement = "INSERT INTO visit_search (visit_id, body) VALUES (:id, CAST(:body AS tsvector))"
        encode = tsvector_literal
        _advance_sequences(writer)
    else:
        return
    last = 0
    while True:
        # In pages by id: a million visits' text never sits in memory at once.
        rows = writer.execute(
            text(
                "SELECT v.id, m.summary, m.involved_unit, m.location, m.jurisdiction, v.explanation, p.name, p.address "
                "FROM visits v JOIN matters m ON m.id = v.matter_id JOIN petitioners p ON p.id = v.petitioner_id "
                "WHERE v.id > :last ORDER BY v.id LIMIT :size"
            ),
            {"last": last, "size": BATCH},
        ).all()
        if not rows:
            return
        writer.execute(text(statement), [{"id": r[0], "body": encode(index_body(*r[1:]))} for r in rows])
        last = rows[-1][0]


def _advance_sequences(writer: Connection) -> None:
    for table in copied_tables():
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].autoincrement is not False and key[0].type.python_type is int:
            writer.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                    f"COALESCE((SELECT MAX({key[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
