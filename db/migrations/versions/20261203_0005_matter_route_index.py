"""Index matters.route: the visit list filters by route as it does by type, topic and status.

Revision ID: 20261203_0005
Revises: 20261203_0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "20261203_0005"
down_revision = "20261203_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_matters_route", "matters", ["route"])


def downgrade() -> None:
    op.drop_index("ix_matters_route", table_name="matters")
