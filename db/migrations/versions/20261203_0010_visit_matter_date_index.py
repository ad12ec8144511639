"""Index visits by (matter, visit time): the statistics ask, for each visit, whether its matter had an
earlier one (a repeat visit).

Revision ID: 20261203_0010
Revises: 20261203_0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "20261203_0010"
down_revision = "20261203_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_visits_matter_visited_at", "visits", ["matter_id", "visited_at"])


def downgrade() -> None:
    op.drop_index("ix_visits_matter_visited_at", table_name="visits")
