"""释法记录 per visit and the duty-lawyer roster.

Revision ID: 20261203_0008
Revises: 20261203_0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0008"
down_revision = "20261203_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_lawyers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("firm", sa.String(100), nullable=False),
        sa.Column("licence_no", sa.String(32), nullable=False, unique=True),
        sa.Column("duty_days", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "explanations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visits.id"), nullable=False, unique=True),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id"), nullable=False),
        sa.Column("officer", sa.String(50), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("articles", sa.Text(), nullable=False),
        sa.Column("guides", sa.Text(), nullable=False),
        sa.Column("cases", sa.Text(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), sa.ForeignKey("duty_lawyers.id"), nullable=True),
        sa.Column("response", sa.String(8), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),
    )
    op.create_index("ix_explanations_matter_id", "explanations", ["matter_id"])
    op.create_index("ix_explanations_made_on", "explanations", ["made_on"])
    op.create_index("ix_explanations_lawyer_id", "explanations", ["lawyer_id"])


def downgrade() -> None:
    op.drop_table("explanations")
    op.drop_table("duty_lawyers")
