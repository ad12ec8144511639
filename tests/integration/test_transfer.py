"""`reception db migrate-to`: a single PC's database copied into a new server database, checked table by table."""

from __future__ import annotations

import pytest

from reception.cli import main
from reception.services import Services
from reception.visits import VisitQuery
from tests.conftest import ADMIN_PASSWORD, ADMIN_USER, valid_id


@pytest.fixture
def office_with_visits(services, make_input):  # noqa: ANN001, ANN201
    saved = [
        services.visits.register(
            make_input(summary="工地老板拖欠工资三个月", topic="劳动就业", matter_type="申诉求决")
        ),
        services.visits.register(
            make_input(name="李四", id_number=valid_id("19900101", "456"), summary="小区噪音扰民")
        ),
    ]
    services.followup.change(saved[0].matter_id, "accept", actor="李管理")
    return saved


def _migrate(source: str, target: str) -> int:
    return main(["--db", source, "--user", ADMIN_USER, "db", "migrate-to", target])


def _check_copy(url: str, saved) -> None:  # noqa: ANN001
    copy = Services.open(url)
    try:
        copy.accounts.login(ADMIN_USER, ADMIN_PASSWORD)  # accounts came along
        assert [r.visit_no for r in copy.visits.list_page(VisitQuery(text=valid_id()))[0]] == [saved[0].visit_no]
        assert [r.visit_no for r in copy.visits.list_page(VisitQuery(text="拖欠工资"))[0]] == [saved[0].visit_no]
        assert copy.visits.get_detail(saved[0].visit_id).status == "已受理"
        assert copy.audit.verify().ok  # the chain, unbroken, in its new home
        # New work continues the numbering of the old database.
        assert copy.visits.count_visits() == 2
    finally:
        copy.close()


def test_migrate_to_a_new_sqlite_file(db_url, office_with_visits, tmp_path, capsys, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("RECEPTION_PASSWORD", ADMIN_PASSWORD)
    target = f"sqlite:///{(tmp_path / 'hall.sqlite3').as_posix()}"
    assert _migrate(db_url, target) == 0
    out = capsys.readouterr().out
    assert "逐表行数和校验和一致" in out and "visits\t2 行" in out
    _check_copy(target, office_with_visits)


def test_migrate_to_postgresql_then_refuse_a_second_copy(db_url, office_with_visits, fresh_pg_url, capsys, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("RECEPTION_PASSWORD", ADMIN_PASSWORD)
    assert _migrate(db_url, fresh_pg_url) == 0
    _check_copy(fresh_pg_url, office_with_visits)
    # The server plans its first queries with the copied tables' statistics, not with guesses.
    copy = Services.open(fresh_pg_url)
    try:
        with copy.database.engine.connect() as connection:
            analysed = connection.exec_driver_sql(
                "SELECT count(DISTINCT tablename) FROM pg_stats WHERE tablename IN ('visits', 'matters', 'petitioners')"
            ).scalar()
        assert analysed == 3
    finally:
        copy.close()
    capsys.readouterr()
    assert _migrate(db_url, fresh_pg_url) == 2
    assert "目标数据库不是空的" in capsys.readouterr().err
    _check_copy(fresh_pg_url, office_with_visits)  # unchanged by the refused attempt


def test_only_an_administrator_may_copy_everything(db_url, office_with_visits, services, tmp_path, capsys, monkeypatch):  # noqa: ANN001
    services.accounts.add("liu", "刘接待", "接待员", "Desk2026pass")
    monkeypatch.setenv("RECEPTION_PASSWORD", "Desk2026pass")
    target = tmp_path / "hall.sqlite3"
    assert main(["--db", db_url, "--user", "liu", "db", "migrate-to", f"sqlite:///{target.as_posix()}"]) == 2
    assert "需要管理员" in capsys.readouterr().err
