"""Indexes the period's statistics read instead of the rows: visits and explanations by date with the
columns counted, matters by the day of their first answer.

Revision ID: 20261205_0016
Revises: 20261203_0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "20261205_0016"
down_revision = "20261203_0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_visits_visited_at_counted", "visits", ["visited_at", "matter_id", "petitioner_id", "headcount"])
    op.create_index("ix_explanations_made_on_counted", "explanations", ["made_on", "visit_id", "lawyer_id"])
    op.drop_index("ix_explanations_made_on", "explanations")
    op.create_index("ix_matters_first_answered_on", "matters", ["first_answered_on"])


def downgrade() -> None:
    op.drop_index("ix_matters_first_answered_on", "matters")
    op.create_index("ix_explanations_made_on", "explanations", ["made_on"])
    op.drop_index("ix_explanations_made_on_counted", "explanations")
    op.drop_index("ix_visits_visited_at_counted", "visits")
