"""Test set-up: offscreen Qt, every path and database in tmp_path, automatic `gui` marker for tests/ui."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_STATUTES = Path(__file__).resolve().parents[1].parent / "shared" / "statutes"


def pytest_collection_modifyitems(config, items):  # noqa: ANN001 - pytest hook
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path, monkeypatch):  # noqa: ANN001
    """No test touches the real user data folder, QSettings or database."""
    monkeypatch.setenv("RECEPTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECEPTION_DB_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


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
    yield services
    services.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:  # noqa: ANN001
    """A migrated database with the shipped law library, built once and copied for each test."""
    from reception.services import Services

    path = tmp_path_factory.mktemp("template") / "reception.sqlite3"
    services = Services.open(f"sqlite:///{path.as_posix()}")
    # An office that has filled in its details, as one would before printing for petitioners; the tests of
    # an unconfigured office use the `unconfigured_services` fixture.
    services.settings.save_office(_test_office())
    with services.database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()
    return path


@pytest.fixture
def db_url(tmp_path, template_db) -> str:  # noqa: ANN001
    import shutil

    target = tmp_path / "reception.sqlite3"
    shutil.copyfile(template_db, target)
    return f"sqlite:///{target.as_posix()}"


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
