"""The audit trail: what is recorded, and tampering of every kind detected at its first broken entry."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from reception.audit import AuditLog

pytestmark = pytest.mark.both_backends


def _sql(db_url: str, *statements: str) -> list:
    """Plain SQL on the database, outside the app (as a DBA or someone with the file would run it)."""
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            results = [connection.execute(text(statement)) for statement in statements]
            return [result.all() if result.returns_rows else [] for result in results]
    finally:
        engine.dispose()


def _tamper(db_url: str, *statements: str) -> None:
    """What someone in control of the database does: switch the append-only guard off, then change rows."""
    if db_url.startswith("sqlite"):
        guard = ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"]
    else:
        guard = ["ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"]
    _sql(db_url, *guard, *statements)


@pytest.fixture
def trail(services, db_url):  # noqa: ANN001, ANN201
    """Five entries numbered 1–5: the template database's own entries are removed first."""
    _tamper(db_url, "DELETE FROM audit_log")
    audit = AuditLog(services.database, terminal="接待窗口1", access=services.access)
    for n in range(1, 6):
        audit.record("export", f"操作员{n}", f"文件{n}.xlsx")
    return audit


def test_the_desk_records_registration_printing_settings_and_law_marks(services, register, handouts):  # noqa: ANN001
    saved = register()
    handouts.issue(handouts.prepare_notice(saved.visit_id), "刘接待")
    services.settings.save_office(services.settings.office())
    services.laws.mark_status("治安管理处罚法", "已修改", reason="2025年修订", marked_by="王科长")
    actions = [(e.action, e.actor) for e in reversed(services.audit.browse())]
    # The trail names the logged-in account, whatever name was typed on the form.
    assert ("register", "李管理") in actions and ("print", "李管理") in actions
    assert ("settings", "李管理") in actions and ("law_status", "李管理") in actions
    printed = next(e for e in services.audit.browse(action="print"))
    assert saved.visit_no in printed.target
    assert services.audit.verify().ok


def test_an_intact_chain_verifies(trail):  # noqa: ANN001
    result = trail.verify()
    assert result.ok and result.checked == 5


def test_the_app_cannot_change_or_delete_entries(services, db_url):  # noqa: ANN001
    services.audit.record("export", "刘接待", "a.xlsx")
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(db_url, "UPDATE audit_log SET actor = 'x' WHERE actor = '刘接待'")
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(db_url, "DELETE FROM audit_log WHERE actor = '刘接待'")


@pytest.mark.parametrize(
    ("statements", "broken_at", "reason"),
    [
        (["DELETE FROM audit_log WHERE id = 3"], 3, "删除"),
        (["UPDATE audit_log SET actor = '别人' WHERE id = 2"], 2, "修改"),
        (["UPDATE audit_log SET detail = '改过' WHERE id = 5"], 5, "修改"),
        # A forged entry squeezed in with a copied hash: it does not match its own content.
        (
            [
                "UPDATE audit_log SET id = id + 100 WHERE id >= 3",
                "INSERT INTO audit_log (id, at, actor, terminal, action, target, detail, prev_hash, hash) "
                "SELECT 3, at, '伪造', terminal, action, target, detail, hash, hash FROM audit_log WHERE id = 2",
                "UPDATE audit_log SET id = id - 99 WHERE id >= 103",
            ],
            3,
            "修改",
        ),
        # Two entries swapped.
        (
            [
                "UPDATE audit_log SET id = 100 WHERE id = 2",
                "UPDATE audit_log SET id = 2 WHERE id = 4",
                "UPDATE audit_log SET id = 4 WHERE id = 100",
            ],
            2,
            "链接",
        ),
    ],
)
def test_tampering_is_found_at_the_first_broken_entry(services, trail, db_url, statements, broken_at, reason):  # noqa: ANN001
    _tamper(db_url, *statements)
    result = AuditLog(services.database, access=services.access).verify()
    assert not result.ok
    assert result.broken_at == broken_at
    assert reason in result.reason
    assert f"第 {broken_at} 条" in result.text()


def test_a_forged_entry_with_a_correct_hash_breaks_the_next_link(services, trail, db_url):  # noqa: ANN001
    """Someone who knows the hashing inserts a well-formed entry 3: entry 4 (the old 3) still names the
    hash of entry 2, so the chain breaks there."""
    import datetime as dt

    from reception.audit import entry_hash

    [[(prev,)]] = _sql(db_url, "SELECT hash FROM audit_log WHERE id = 2")
    at = dt.datetime(2026, 12, 3, 12, 0)
    forged = entry_hash(prev, 3, at, "伪造", "接待窗口1", "export", "假文件", "")
    _tamper(
        db_url,
        "UPDATE audit_log SET id = id + 100 WHERE id >= 3",
        "UPDATE audit_log SET id = id - 99 WHERE id >= 103",
        "INSERT INTO audit_log (id, at, actor, terminal, action, target, detail, prev_hash, hash) "
        f"VALUES (3, '{at.isoformat(sep=' ')}', '伪造', '接待窗口1', 'export', '假文件', '', '{prev}', '{forged}')",
    )
    result = AuditLog(services.database, access=services.access).verify()
    assert (result.ok, result.broken_at) == (False, 4) and "链接" in result.reason


def test_export_writes_every_entry_with_the_check(trail, tmp_path):  # noqa: ANN001
    target = tmp_path / "audit.csv"
    assert trail.export(target) == 5
    text = target.read_text(encoding="utf-8-sig")
    assert text.count("导出") >= 5 and "审计记录完整" in text


def test_audit_commands(db_url, capsys, trail, cli_admin):  # noqa: ANN001
    from reception.cli import main

    assert main(["--db", db_url, "audit", "verify"]) == 0
    assert "审计记录完整" in capsys.readouterr().out
    assert main(["--db", db_url, "audit", "list", "--limit", "2"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    _tamper(db_url, "DELETE FROM audit_log WHERE id = 1")
    assert main(["--db", db_url, "audit", "verify"]) == 1
    assert "第 1 条" in capsys.readouterr().out
