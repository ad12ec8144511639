"""Anonymous usage counts of the touch-screen kiosk (pages, searches, results, prints, QR codes, ratings).

Revision ID: 20261203_0006
Revises: 20261203_0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0006"
down_revision = "20261203_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_usage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("terminal", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(16), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
    )
    op.create_index("ix_kiosk_usage_day", "kiosk_usage", ["day"])
    op.create_index("ix_kiosk_usage_kind", "kiosk_usage", ["kind"])
    op.create_index("ix_kiosk_usage_topic", "kiosk_usage", ["topic"])


def downgrade() -> None:
    op.drop_table("kiosk_usage")
