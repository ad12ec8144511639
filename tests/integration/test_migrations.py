"""Alembic: one linear chain, upgrade at start-up is idempotent, models match the migrated schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.base import Base
from db.search import is_managed_by_alembic
from db.session import _alembic_config


def test_revision_chain_is_linear(database):
    script = ScriptDirectory.from_config(_alembic_config(database.engine))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_upgrade_twice_is_a_no_op(database):
    assert database.upgrade() is False


def test_models_match_migrations(database):
    with database.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": is_managed_by_alembic}), Base.metadata
        )
    assert diff == []
