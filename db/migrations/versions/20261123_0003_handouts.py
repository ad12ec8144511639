"""Handouts: every document issued, with a content snapshot for identical reprints.

Revision ID: 20261123_0003
Revises: 20261123_0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261123_0003"
down_revision = "20261123_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handouts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("paper", sa.String(8), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(16), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(50), nullable=False),
        sa.Column("reprint_of", sa.Integer(), nullable=True),
        sa.Column("font", sa.String(300), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_handouts"),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name="fk_handouts_visit_id_visits"),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name="fk_handouts_matter_id_matters"),
        sa.ForeignKeyConstraint(["reprint_of"], ["handouts.id"], name="fk_handouts_reprint_of_handouts"),
    )
    op.create_index("ix_handouts_kind", "handouts", ["kind"])
    op.create_index("ix_handouts_visit_id", "handouts", ["visit_id"])
    op.create_index("ix_handouts_matter_id", "handouts", ["matter_id"])
    op.create_index("ix_handouts_topic", "handouts", ["topic"])
    op.create_index("ix_handouts_issued_at", "handouts", ["issued_at"])


def downgrade() -> None:
    op.drop_table("handouts")
