"""Test set-up: offscreen Qt, every path and database in tmp_path, automatic `gui` marker for tests/ui."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_STATUTES = Path(__file__).resolve().parents[1].parent / "shared" / "statutes"


def pytest_collection_modifyitems(config, items):  # noqa: ANN001 - pytest hook
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


ADMIN_USER, ADMIN_NAME, ADMIN_PASSWORD = "admin", "李管理", "Admin2026x"


@pytest.fixture(scope="session")
def key_file(tmp_path_factory) -> Path:  # noqa: ANN001
    """One data key for the session: the template database's numbers are encrypted with it and every test
    copies that database."""
    return tmp_path_factory.mktemp("key") / "data.key"


@pytest.fixture(scope="session")
def match_cache(tmp_path_factory) -> Path:
    """The matcher's index and trained models, built by the first test that needs them and lent to the rest.

    Each test has its own data folder, so each would otherwise build the index and train the models again
    (about 20 s each on a slow machine, two thirds of the suite's time). The files are content-keyed: a test
    with other laws or examples gets its own.
    """
    return tmp_path_factory.mktemp("match-cache")


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path, monkeypatch, key_file, match_cache):  # noqa: ANN001
    """No test touches the real user data folder, QSettings, database or key."""
    cache = tmp_path / "data" / "cache"
    cache.mkdir(parents=True)
    # Hard links: the matcher replaces a cache file (write to a temporary, then rename) and never writes into one.
    for built in match_cache.iterdir():
        os.link(built, cache / built.name)
    monkeypatch.setenv("RECEPTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECEPTION_DB_URL", raising=False)
    monkeypatch.delenv("RECEPTION_USER", raising=False)
    monkeypatch.delenv("RECEPTION_PASSWORD", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("RECEPTION_KEY_FILE", str(key_file))
    yield
    for built in cache.glob("*"):
        if built.suffix in {".pickle", ".txt", ".jieba"} and not (match_cache / built.name).exists():
            # copy2 keeps the times: jieba trusts its cache only when it is newer than the dictionary.
            shutil.copy2(built, match_cache / built.name)


def log_in_as_admin(services) -> None:  # noqa: ANN001
    """Act as the template's administrator without paying scrypt in every test (logins are tested in
    tests/integration/test_accounts.py)."""
    from reception.accounts import ADMIN, Principal

    services.access.current = Principal(1, ADMIN_USER, ADMIN_NAME, ADMIN)


def _test_office():  # noqa: ANN202
    from reception.settings import OfficeSettings

    return OfficeSettings(
        office_name="测试市信访局",
        address="测试市人民路1号信访接待大厅",
        phone="0512-12345678",
        guide_base_url="https://xf.test.gov.cn/pufa/",
        query_base_url="https://xf.test.gov.cn/chaxun",
    )


@pytest.fixture
def unconfigured_services(tmp_path):  # noqa: ANN001, ANN201
    """A new database whose office details nobody has filled in yet."""
    from reception.services import Services

    services = Services.open(f"sqlite:///{(tmp_path / 'new.sqlite3').as_posix()}")
    services.accounts.create_first_admin(ADMIN_USER, ADMIN_NAME, ADMIN_PASSWORD)
    yield services
    services.close()


def _build_template(url: str, key_file: Path) -> None:
    """Migrate url, load the shipped law library, add the administrator and the office's details."""
    from reception.services import Services

    previous = os.environ.get("RECEPTION_KEY_FILE")
    os.environ["RECEPTION_KEY_FILE"] = str(key_file)
    try:
        services = Services.open(url)
    finally:
        if previous is None:
            os.environ.pop("RECEPTION_KEY_FILE")
        else:
            os.environ["RECEPTION_KEY_FILE"] = previous
    services.accounts.create_first_admin(ADMIN_USER, ADMIN_NAME, ADMIN_PASSWORD)
    # An office that has filled in its details, as one would before printing for petitioners; the tests of
    # an unconfigured office use the `unconfigured_services` fixture.
    services.settings.save_office(_test_office())
    if services.database.is_sqlite:
        with services.database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory, key_file) -> Path:  # noqa: ANN001
    """A migrated SQLite database with the shipped law library and its administrator, built once and copied
    for each test."""
    path = tmp_path_factory.mktemp("template") / "reception.sqlite3"
    _build_template(f"sqlite:///{path.as_posix()}", key_file)
    return path


# ---- PostgreSQL ----------------------------------------------------------------------------------------
# Modules marked `both_backends` run each test that uses a database on SQLite and on the PostgreSQL
# server named by RECEPTION_TEST_PG_URL (.ci/run starts one); without it the PostgreSQL runs are skipped
# with the reason shown. Tests marked `sqlite_only` (file-level checks) stay on SQLite.

PG_URL = os.environ.get("RECEPTION_TEST_PG_URL", "")
_NO_PG = "RECEPTION_TEST_PG_URL is not set: no PostgreSQL server to run this test against"


def pytest_generate_tests(metafunc):  # noqa: ANN001 - pytest hook
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("both_backends") is None:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        return
    metafunc.parametrize(
        "backend",
        ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason=_NO_PG))],
        indirect=True,
    )


@pytest.fixture
def backend(request) -> str:  # noqa: ANN001
    return getattr(request, "param", "sqlite")


def _pg_admin():  # noqa: ANN202 - an Engine in autocommit mode, for CREATE / DROP DATABASE
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template(key_file) -> str:  # noqa: ANN001
    """The PostgreSQL twin of template_db: a database built once per session and cloned for each test."""
    name = f"reception_template_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    _build_template(pg_database_url(name), key_file)
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@contextlib.contextmanager
def pg_database(template: str = "template0"):  # noqa: ANN201 - yields a URL
    """A new PostgreSQL database for one test, cloned from template (empty: template0), dropped after it."""
    import uuid

    if not PG_URL:
        pytest.skip(_NO_PG)
    name = f"reception_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE "{template}"')
    try:
        yield pg_database_url(name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def fresh_pg_url() -> str:
    with pg_database() as url:
        yield url


@pytest.fixture
def db_url(request, tmp_path, backend) -> str:  # noqa: ANN001
    if backend == "postgresql":
        if not PG_URL:
            pytest.skip(_NO_PG)
        with pg_database(request.getfixturevalue("pg_template")) as url:
            yield url
        return
    import shutil

    target = tmp_path / "reception.sqlite3"
    shutil.copyfile(request.getfixturevalue("template_db"), target)
    yield f"sqlite:///{target.as_posix()}"


@pytest.fixture
def database(db_url):  # noqa: ANN001, ANN201
    from db.session import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def services(db_url):  # noqa: ANN001, ANN201
    from reception.services import Services

    services = Services.open(db_url)
    log_in_as_admin(services)
    yield services
    services.close()


@pytest.fixture
def visit_service(services):  # noqa: ANN001, ANN201
    return services.visits


def valid_id(birth: str = "19800101", seq: str = "123", region: str = "110105") -> str:
    """Build an 18-digit ID number with a correct check digit (for tests)."""
    from reception.validation import id_check_digit

    body = region + birth + seq
    return body + id_check_digit(body)


@pytest.fixture
def make_input():  # noqa: ANN201
    from reception.visits import VisitInput

    def factory(**overrides) -> VisitInput:  # noqa: ANN003
        values = dict(
            name="王秀英",
            id_number=valid_id(),
            phone="13800138000",
            visited_at=dt.datetime(2026, 11, 20, 9, 30),
            officer="刘接待",
            summary="在建筑工地干了八个月，包工头跑了，工资一分没拿到",
            involved_unit="某建筑劳务公司",
        )
        values.update(overrides)
        return VisitInput(**values)

    return factory


@pytest.fixture
def cli_admin(monkeypatch):  # noqa: ANN001, ANN201
    """The command line logged in as the template's administrator (as a script would, from the environment)."""
    monkeypatch.setenv("RECEPTION_USER", ADMIN_USER)
    monkeypatch.setenv("RECEPTION_PASSWORD", ADMIN_PASSWORD)
