"""Engine creation (SQLite pragmas), schema upgrade at start-up, and the unit of work."""

from __future__ import annotations

import errno
import zlib
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlparse

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI hook signature
    # The driver's own implicit transactions are off: _sqlite_begin sends BEGIN, so that a unit of work that
    # writes can take the write lock up front (BEGIN IMMEDIATE) instead of failing half-way when another
    # process wrote after it read (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the list read while a save writes; synchronous=FULL makes a returned commit survive
    # a power cut as well as a killed process; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Several processes (desk, kiosk, a command) may write at once; a writer waits its turn this long.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:  # noqa: ANN001 - a Connection
    immediate = connection.get_execution_options().get("write_lock")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
        event.listen(engine, "begin", _sqlite_begin)
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


class ConcurrentEditError(Exception):
    """A row changed by someone else between reading and writing it (its version counter moved on)."""


class UnitOfWork:
    """One session per operation; nothing is written unless commit() is called before the block ends."""

    def __init__(self, session_factory: sessionmaker[Session], write_lock: str = ""):
        self._session_factory = session_factory
        self._write_lock = write_lock
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        if self._write_lock:
            # Units of work that read, then write what they read (the next audit number, "is this person
            # known?") run one at a time across every process and terminal of the hall.
            connection = self.session.connection(execution_options={"write_lock": True})
            if connection.dialect.name == "postgresql":
                key = zlib.crc32(self._write_lock.encode())
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")
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
        from sqlalchemy.orm.exc import StaleDataError

        try:
            self.session.commit()
        except StaleDataError as exc:
            raise ConcurrentEditError(str(exc)) from exc


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

    def unit_of_work(self, write_lock: str = "") -> UnitOfWork:
        """A unit of work; with write_lock (a name), one that holds the database's write lock (SQLite) or
        the named lock (PostgreSQL) from its start, so that concurrent ones of the same kind queue."""
        return UnitOfWork(self.session_factory, write_lock)

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
