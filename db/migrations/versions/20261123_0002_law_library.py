"""Law library: law versions and their articles.

Revision ID: 20261123_0002
Revises: 20261122_0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261123_0002"
down_revision = "20261122_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "law_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("short_title", sa.String(64), nullable=False),
        sa.Column("title", sa.String(128), nullable=False),
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("version_note", sa.Text(), nullable=False),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("coverage", sa.String(8), nullable=False),
        sa.Column("superseded_by", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_law_versions"),
    )
    op.create_index("ix_law_versions_short_title", "law_versions", ["short_title"])
    op.create_index("ix_law_versions_content_hash", "law_versions", ["content_hash"])
    op.create_table(
        "law_articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("law_version_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("suffix", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(24), nullable=False),
        sa.Column("heading", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_law_articles"),
        sa.ForeignKeyConstraint(
            ["law_version_id"], ["law_versions.id"], name="fk_law_articles_law_version_id_law_versions"
        ),
        sa.UniqueConstraint("law_version_id", "number", "suffix", name="uq_law_articles_law_version_id"),
    )
    op.create_index("ix_law_articles_law_version_id", "law_articles", ["law_version_id"])


def downgrade() -> None:
    op.drop_table("law_articles")
    op.drop_table("law_versions")
