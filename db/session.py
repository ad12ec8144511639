"""Engine creation (SQLite pragmas), schema upgrade at start-up, and the unit of work."""

from __future__ import annotations

import errno
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlparse

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI hook signature
    cursor = dbapi_connection.cursor()
    # WAL lets the list read while a save writes; synchronous=FULL makes a returned commit survive
    # a power cut as well as a killed process; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class DatabaseMissingError(FileNotFoundError):
    """An existing database was asked for and its SQLite file is not there; nothing was created."""


def sqlite_file(url: str | URL) -> Path | None:
    """The file a SQLite URL names, None for an in-memory database or another backend.

    Raises sqlalchemy.exc.ArgumentError when url cannot be parsed at all.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database or ""
    if name in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    if parsed.query.get("uri") in ("true", "1") and name.startswith("file:"):
        # With uri=true the driver reads "file:/path?..." as an SQLite URI, not as a file called "file:/path".
        name = unquote(urlparse(name).path)
        if not name or name == ":memory:":
            return None
    return Path(name)


def require_existing(url: str | URL) -> None:
    """Raise DatabaseMissingError when url names a SQLite file that does not exist (nothing is created)."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseMissingError(errno.ENOENT, "database file does not exist", str(path))


def create_db_engine(url: str) -> Engine:
    """Create an engine for url; SQLite files get their folder created and the pragmas above."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine):  # noqa: ANN202 - alembic is imported lazily to keep start-up fast
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> bool:
    """Bring the database to the newest schema. Returns True when a migration ran."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic_config(engine)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return False
    command.upgrade(config, "head")
    return True


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class UnitOfWork:
    """One session per operation; nothing is written unless commit() is called before the block ends."""

    def __init__(self, session_factory: sessionmaker[Session]):
        self._session_factory = session_factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches objects without expiring them,
        # so values read inside the block stay readable after it.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class Database:
    """An opened database: the engine plus a factory of units of work. Services receive one of these."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_db_engine(url)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def upgrade(self) -> bool:
        return upgrade_schema(self.engine)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, upgrade: bool = True, create: bool = True) -> Database:
    """Open (and by default migrate) the database at url.

    With create=False a SQLite file that does not exist raises DatabaseMissingError instead of being
    created empty: a mistyped path must not look like a database whose records all vanished.
    """
    if not create:
        require_existing(url)
    database = Database(url)
    if upgrade:
        database.upgrade()
    return database
