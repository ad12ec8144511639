"""Initial schema: petitioners, matters, visits, representatives, matter history, settings.

Revision ID: 20261122_0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261122_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "petitioners",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default=""),
        sa.Column("gender", sa.String(4), nullable=False, server_default="未说明"),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(32), nullable=False, server_default=""),
        sa.Column("address", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_petitioners"),
        sa.UniqueConstraint("id_number", name="uq_petitioners_id_number"),
    )
    op.create_index("ix_petitioners_name", "petitioners", ["name"])
    op.create_index("ix_petitioners_phone", "petitioners", ["phone"])

    op.create_table(
        "matters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petitioner_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("involved_unit", sa.String(200), nullable=False, server_default=""),
        sa.Column("location", sa.String(200), nullable=False, server_default=""),
        sa.Column("jurisdiction", sa.String(100), nullable=False, server_default=""),
        sa.Column("matter_type", sa.String(8), nullable=False, server_default=""),
        sa.Column("topic", sa.String(16), nullable=False, server_default=""),
        sa.Column("route", sa.String(16), nullable=False, server_default=""),
        sa.Column("status", sa.String(8), nullable=False, server_default="已登记"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_matters"),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioners.id"], name="fk_matters_petitioner_id_petitioners"),
    )
    op.create_index("ix_matters_petitioner_id", "matters", ["petitioner_id"])
    op.create_index("ix_matters_matter_type", "matters", ["matter_type"])
    op.create_index("ix_matters_topic", "matters", ["topic"])
    op.create_index("ix_matters_status", "matters", ["status"])

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_no", sa.String(20), nullable=False),
        sa.Column("query_code", sa.String(12), nullable=False),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.Column("officer", sa.String(50), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("is_anonymous", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("explanation", sa.Text(), nullable=False, server_default=""),
        sa.Column("petitioner_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
        sa.UniqueConstraint("visit_no", name="uq_visits_visit_no"),
        sa.UniqueConstraint("query_code", name="uq_visits_query_code"),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioners.id"], name="fk_visits_petitioner_id_petitioners"),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name="fk_visits_matter_id_matters"),
    )
    op.create_index("ix_visits_petitioner_id", "visits", ["petitioner_id"])
    op.create_index("ix_visits_matter_id", "visits", ["matter_id"])
    op.create_index("ix_visits_visited_at_id", "visits", ["visited_at", "id"])
    op.create_index("ix_visits_officer_id", "visits", ["officer", "id"])

    op.create_table(
        "visit_representatives",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(32), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_visit_representatives"),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name="fk_visit_representatives_visit_id_visits"),
    )
    op.create_index("ix_visit_representatives_visit_id", "visit_representatives", ["visit_id"])
    op.create_index("ix_visit_representatives_id_number", "visit_representatives", ["id_number"])

    op.create_table(
        "matter_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(50), nullable=False, server_default=""),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("data", sa.Text(), nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("id", name="pk_matter_events"),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name="fk_matter_events_matter_id_matters"),
    )
    op.create_index("ix_matter_events_matter_id", "matter_events", ["matter_id"])

    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )

    if op.get_bind().dialect.name == "sqlite":
        # History must not be rewritten even by hand-made SQL; PostgreSQL gets its own rules later.
        op.execute(
            "CREATE TRIGGER matter_events_no_update BEFORE UPDATE ON matter_events "
            "BEGIN SELECT RAISE(ABORT, 'matter_events is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER matter_events_no_delete BEFORE DELETE ON matter_events "
            "BEGIN SELECT RAISE(ABORT, 'matter_events is append-only'); END"
        )
        # Contentless full-text index over CJK bigrams of each visit's text (rowid = visits.id).
        op.execute("CREATE VIRTUAL TABLE visit_search USING fts5(body, content='', tokenize='unicode61')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS visit_search")
        op.execute("DROP TRIGGER IF EXISTS matter_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS matter_events_no_delete")
    for table in ("settings", "matter_events", "visit_representatives", "visits", "matters", "petitioners"):
        op.drop_table(table)
