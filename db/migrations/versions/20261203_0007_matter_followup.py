"""Matter follow-up: the day the state began, the office's next due date, acceptance and answer dates,
the extension, the department a matter was transferred to, and whether 复核 closed it.

Existing matters are 已登记 with no dates: their acceptance due date is counted from their creation day.

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
    with op.batch_alter_table("matters") as batch:
        batch.add_column(sa.Column("state_since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("extended_days", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("department", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("final", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_matters_due_on", ["due_on"])


def downgrade() -> None:
    with op.batch_alter_table("matters") as batch:
        batch.drop_index("ix_matters_due_on")
        for column in ("final", "department", "extended_days", "answered_on", "accepted_on", "due_on", "state_since"):
            batch.drop_column(column)
