"""Matter follow-up: the day the state began, the office's next due date, acceptance and answer dates,
the extension, the department a matter was transferred to, and whether 复核 closed it.

Matters registered before take the day of their first visit as received_on and state_since; their due dates
need the holiday calendar and are set by the application when they next change state (so they are not in
the 待办 list until then).

Revision ID: 20261203_0007
Revises: 20261203_0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0007"
down_revision = "20261203_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: SQLite adds columns in place, while copying `matters` would have to
    # drop a table that every visit refers to (refused with foreign keys on, in an office's real database).
    columns = [
        sa.Column("state_since", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("extended_days", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("acceptance_due", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("handling_due", sa.Date(), nullable=True),
        sa.Column("first_answered_on", sa.Date(), nullable=True),
        sa.Column("department", sa.String(100), nullable=False, server_default=""),
        sa.Column("final", sa.Boolean(), nullable=False, server_default=sa.false()),
    ]
    for column in columns:
        op.add_column("matters", column)
    op.create_index("ix_matters_due_on", "matters", ["due_on"])
    op.create_index("ix_matters_received_on", "matters", ["received_on"])
    first_visit = "(SELECT MIN(visits.visited_at) FROM visits WHERE visits.matter_id = matters.id)"
    op.execute(f"UPDATE matters SET received_on = DATE({first_visit}), state_since = DATE({first_visit})")


def downgrade() -> None:
    with op.batch_alter_table("matters") as batch:
        batch.drop_index("ix_matters_received_on")
        batch.drop_index("ix_matters_due_on")
        for column in (
            "final", "department", "first_answered_on", "handling_due", "decided_on", "acceptance_due", "received_on",
            "extended_days", "answered_on", "accepted_on", "due_on", "state_since",
        ):  # fmt: skip
            batch.drop_column(column)
