"""Staff accounts; keyed-hash lookup columns for ID and phone numbers, which are now stored encrypted.

The numbers themselves are encrypted by the application at its next start (reception.protection), after a
backup: the key lives outside the database and a migration must not need it.

Revision ID: 20261203_0012
Revises: 20261203_0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261203_0012"
down_revision = "20261203_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("username", name="uq_accounts_username"),
    )
    op.add_column("petitioners", sa.Column("id_hash", sa.String(64), nullable=True))
    op.add_column("petitioners", sa.Column("phone_hash", sa.String(64), nullable=False, server_default=""))
    op.add_column("visit_representatives", sa.Column("id_hash", sa.String(64), nullable=True))
    op.create_index("ix_petitioners_id_hash", "petitioners", ["id_hash"], unique=True)
    op.create_index("ix_petitioners_phone_hash", "petitioners", ["phone_hash"])
    op.create_index("ix_visit_representatives_id_hash", "visit_representatives", ["id_hash"])
    # An index over ciphertext finds nothing; lookups go through the hashes.
    op.drop_index("ix_petitioners_phone", "petitioners")
    op.drop_index("ix_visit_representatives_id_number", "visit_representatives")
    if op.get_bind().dialect.name != "sqlite":
        for table in ("petitioners", "visit_representatives"):
            op.alter_column(table, "id_number", type_=sa.String(120), existing_nullable=True)
            op.alter_column(table, "phone", type_=sa.String(120), existing_nullable=False)


def downgrade() -> None:
    op.create_index("ix_visit_representatives_id_number", "visit_representatives", ["id_number"])
    op.create_index("ix_petitioners_phone", "petitioners", ["phone"])
    op.drop_index("ix_visit_representatives_id_hash", "visit_representatives")
    op.drop_index("ix_petitioners_phone_hash", "petitioners")
    op.drop_index("ix_petitioners_id_hash", "petitioners")
    with op.batch_alter_table("visit_representatives") as batch:
        batch.drop_column("id_hash")
    with op.batch_alter_table("petitioners") as batch:
        batch.drop_column("phone_hash")
        batch.drop_column("id_hash")
    op.drop_table("accounts")
