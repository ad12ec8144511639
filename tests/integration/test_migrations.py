"""Alembic: one linear chain, upgrade at start-up is idempotent, models match the migrated schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.base import Base
from db.search import is_managed_by_alembic
from db.session import _alembic_config

pytestmark = pytest.mark.both_backends


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


def test_an_office_database_with_visits_upgrades_to_follow_up(tmp_path):  # noqa: ANN001
    """A database at the revision before follow-up, holding a matter and its visits, upgrades in place and
    its matter takes the day of its first visit."""
    from alembic import command
    from sqlalchemy import text

    from db.session import create_db_engine

    engine = create_db_engine(f"sqlite:///{(tmp_path / 'office.sqlite3').as_posix()}")
    config = _alembic_config(engine)
    command.upgrade(config, "20261203_0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO petitioners (id, name, gender, phone, address, created_at) VALUES (1, '王某', '男', '', '', '2026-03-09 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO matters (id, petitioner_id, summary, involved_unit, location, jurisdiction, matter_type, topic, route, status, created_at, updated_at) VALUES (1, 1, '欠薪', '', '', '', '', '', '', '已登记', '2026-12-01 08:00:00', '2026-12-01 08:00:00')"
            )
        )
        for visit_id, day in ((1, "2026-03-09 10:00:00"), (2, "2026-04-01 09:00:00")):
            connection.execute(
                text(
                    "INSERT INTO visits (id, visit_no, query_code, visited_at, officer, headcount, is_anonymous, explanation, petitioner_id, matter_id, created_at) VALUES (:id, :no, :code, :at, '刘', 1, 0, '', 1, 1, :at)"
                ),
                {"id": visit_id, "no": f"XF{visit_id}", "code": f"code{visit_id}", "at": day},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT received_on, state_since, due_on, status FROM matters WHERE id = 1")
        ).one()
        visits = connection.execute(text("SELECT COUNT(*) FROM visits")).scalar()
    engine.dispose()
    assert (str(row[0]), str(row[1]), row[2], row[3], visits) == ("2026-03-09", "2026-03-09", None, "已登记", 2)
