"""Alembic environment: runs against the engine handed over by db.session (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from db import models  # noqa: F401 - registers the tables on Base.metadata
from db.base import Base
from db.search import is_managed_by_alembic

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from db.session import create_db_engine

        engine = create_db_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=is_managed_by_alembic,
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `reception db upgrade`")
run_migrations_online()
