"""Law status with reason and date, offices' status marks, and subject-first topics.

Revision ID: 20261203_0004
Revises: 20261123_0003
Create Date: 2026-12-03

Topics now name what a matter is about (docs/topics.md). Stored matters keep their text; their topic
moves as follows: 检举控告 (reports of officials' misconduct) is now called 纪检监察; 建议意见 had no
subject, and goes to 政务公开与行政行为, the topic for government work in general, with its type
建议意见 unchanged so that no suggestion is lost from the statistics by type.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0004"
down_revision = "20261123_0003"
branch_labels = None
depends_on = None

TOPIC_MOVES = {"检举控告": "纪检监察", "建议意见": "政务公开与行政行为"}


def upgrade() -> None:
    with op.batch_alter_table("law_versions") as batch:
        batch.add_column(sa.Column("status_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("status_date", sa.Date(), nullable=True))
    op.create_table(
        "law_status_marks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("short_title", sa.String(64), nullable=False),
        sa.Column("version_effective", sa.Date(), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("superseded_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(50), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_law_status_marks"),
    )
    op.create_index("ix_law_status_marks_short_title", "law_status_marks", ["short_title"])
    matters = sa.table("matters", sa.column("topic", sa.String))
    handouts = sa.table("handouts", sa.column("topic", sa.String))
    for old, new in TOPIC_MOVES.items():
        op.execute(matters.update().where(matters.c.topic == old).values(topic=new))
        op.execute(handouts.update().where(handouts.c.topic == old).values(topic=new))


def downgrade() -> None:
    matters = sa.table("matters", sa.column("topic", sa.String))
    op.execute(matters.update().where(matters.c.topic == "纪检监察").values(topic="检举控告"))
    op.drop_index("ix_law_status_marks_short_title", "law_status_marks")
    op.drop_table("law_status_marks")
    with op.batch_alter_table("law_versions") as batch:
        batch.drop_column("status_date")
        batch.drop_column("status_reason")
