"""A hall's server database: what SQLite had from the start, PostgreSQL gets here; matters get a version.

On PostgreSQL: the history and the audit trail refuse UPDATE and DELETE (a trigger, as on SQLite), and the
visit text index is a table of tsvectors with a GIN index — the same CJK bigrams the SQLite FTS5 index
holds (db.textsearch), written as tsvector literals so no server-side parser or locale is involved.
Everywhere: `matters.version`, which each change of a matter raises, so that two officers editing the same
matter cannot silently overwrite each other.

Revision ID: 20261203_0013
Revises: 20261203_0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0013"
down_revision = "20261203_0012"
branch_labels = None
depends_on = None

_APPEND_ONLY = ("matter_events", "audit_log")


def upgrade() -> None:
    op.add_column("matters", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION reception_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
    )
    for table in _APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION reception_append_only()"
        )
    op.execute("CREATE TABLE visit_search (visit_id integer PRIMARY KEY, body tsvector NOT NULL)")
    op.execute("CREATE INDEX visit_search_body ON visit_search USING gin (body)")
    _index_existing_visits()


def _index_existing_visits() -> None:
    from db.textsearch import index_body, tsvector_literal

    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT v.id, m.summary, m.involved_unit, m.location, m.jurisdiction, v.explanation, p.name, p.address "
            "FROM visits v JOIN matters m ON m.id = v.matter_id JOIN petitioners p ON p.id = v.petitioner_id"
        )
    ).all()
    batch = [{"id": row[0], "body": tsvector_literal(index_body(*row[1:]))} for row in rows]
    for start in range(0, len(batch), 5000):
        bind.execute(
            sa.text("INSERT INTO visit_search (visit_id, body) VALUES (:id, CAST(:body AS tsvector))"),
            batch[start : start + 5000],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS visit_search")
        for table in _APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS reception_append_only()")
    with op.batch_alter_table("matters") as batch:
        batch.drop_column("version")
