"""Indexes that let the list sorted by name walk people in name order and each person's visits in order.

Revision ID: 20261203_0015
Revises: 20261203_0014
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "20261203_0015"
down_revision = "20261203_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_petitioners_name_id", "petitioners", ["name", "id"])
    op.drop_index("ix_petitioners_name", "petitioners")
    op.create_index("ix_visits_petitioner_id_id", "visits", ["petitioner_id", "id"])
    op.drop_index("ix_visits_petitioner_id", "visits")


def downgrade() -> None:
    op.create_index("ix_visits_petitioner_id", "visits", ["petitioner_id"])
    op.drop_index("ix_visits_petitioner_id_id", "visits")
    op.create_index("ix_petitioners_name", "petitioners", ["name"])
    op.drop_index("ix_petitioners_name_id", "petitioners")
