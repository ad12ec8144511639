"""Accounts and roles: logins, lock-out, and every role's forbidden actions refused by the services."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.accounts import (
    ADMIN,
    OFFICER,
    SUPERVISOR,
    AccessControl,
    AccountService,
    AuthenticationError,
    PermissionDeniedError,
)
from reception.cli import main
from reception.errors import ValidationError
from reception.visits import VisitQuery
from tests.conftest import ADMIN_PASSWORD, ADMIN_USER

pytestmark = pytest.mark.both_backends

PASSWORD = "Desk2026pass"


@pytest.fixture
def staff(services):  # noqa: ANN001, ANN201
    """An officer, a second officer and a supervisor beside the template's administrator."""
    ids = {
        "officer": services.accounts.add("liu", "刘接待", OFFICER, PASSWORD),
        "other": services.accounts.add("chen", "陈接待", OFFICER, PASSWORD),
        "head": services.accounts.add("wang", "王科长", SUPERVISOR, PASSWORD),
    }
    services.accounts.logout()
    return ids


def test_a_new_database_asks_for_its_administrator_once(tmp_path):  # noqa: ANN001
    from reception.services import Services

    services = Services.open(f"sqlite:///{(tmp_path / 'first.sqlite3').as_posix()}")
    try:
        assert not services.accounts.has_accounts()
        with pytest.raises(ValidationError) as weak:
            services.accounts.create_first_admin("boss", "张主任", "short")
        assert "password" in weak.value.errors and not services.accounts.has_accounts()
        me = services.accounts.create_first_admin("boss", "张主任", "Boss2026pass")
        assert (me.role, services.access.current) == (ADMIN, me)
        with pytest.raises(PermissionDeniedError):
            services.accounts.create_first_admin("boss2", "李四", "Boss2026pass")
    finally:
        services.close()


def test_password_is_stored_only_as_scrypt(services, staff):  # noqa: ANN001
    from sqlalchemy import text

    with services.database.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts WHERE username = 'liu'")).scalar()
    assert stored.startswith("scrypt$") and PASSWORD not in stored


def test_five_wrong_passwords_lock_the_account_until_the_time_it_names(services, staff):  # noqa: ANN001
    clock = {"now": dt.datetime(2026, 12, 3, 9, 0)}
    accounts = AccountService(services.database, services.access, services.audit, clock=lambda: clock["now"])
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationError, match=f"再输错 {left} 次"):
            accounts.login("liu", "wrong-password1")
    with pytest.raises(AuthenticationError, match="已锁定，请于 09:15 后再试"):
        accounts.login("liu", "wrong-password1")
    # Locked: even the right password is refused until the time has passed.
    with pytest.raises(AuthenticationError, match="09:15"):
        accounts.login("liu", PASSWORD)
    assert services.access.current is None
    clock["now"] = dt.datetime(2026, 12, 3, 9, 16)
    assert accounts.login("liu", PASSWORD).display_name == "刘接待"


def test_an_administrator_unlocks_a_locked_account(services, staff):  # noqa: ANN001
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            services.accounts.login("chen", "not-the-pass1")
    services.accounts.login(ADMIN_USER, ADMIN_PASSWORD)
    services.accounts.unlock(staff["other"])
    assert services.accounts.login("chen", PASSWORD).username == "chen"


def test_unknown_user_and_wrong_password_read_the_same_and_are_audited(services, staff):  # noqa: ANN001
    with pytest.raises(AuthenticationError) as unknown:
        services.accounts.login("nobody", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        services.accounts.login("liu", "wrong-password1")
    assert str(unknown.value).startswith("用户名或密码不正确") and str(wrong.value).startswith("用户名或密码不正确")
    services.accounts.login(ADMIN_USER, ADMIN_PASSWORD)
    failed = services.audit.browse(action="login_failed")
    assert {e.target for e in failed} == {"nobody", "liu"}
    assert services.audit.browse(action="login")[0].actor == "李管理"


def test_a_disabled_account_cannot_log_in_and_the_last_admin_stays(services, staff):  # noqa: ANN001
    services.accounts.login(ADMIN_USER, ADMIN_PASSWORD)
    services.accounts.set_active(staff["officer"], False)
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员"):
        services.accounts.set_role(1, OFFICER)
    services.accounts.logout()
    with pytest.raises(AuthenticationError):
        services.accounts.login("liu", PASSWORD)


def test_an_officer_is_refused_what_is_not_theirs_by_the_services(services, staff, make_input):  # noqa: ANN001
    services.accounts.login("liu", PASSWORD)
    mine = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 20, 9, 30), officer=""))
    services.accounts.login("chen", PASSWORD)
    theirs = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 21, 9, 30), officer=""))
    services.accounts.login("liu", PASSWORD)
    listed = [r.visit_no for r in services.visits.list_page(VisitQuery())[0]]
    assert listed == [mine.visit_no]  # not the colleague's earlier visit
    assert services.visits.get_detail(mine.visit_id).officer == "刘接待"  # the officer is the account
    with pytest.raises(PermissionDeniedError, match="本人接待的和当天的"):
        services.visits.get_detail(theirs.visit_id)
    refusals = {
        "statistics": lambda: services.statistics().report(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        "accounts": lambda: services.accounts.add("zhao", "赵六", OFFICER, PASSWORD),
        "settings": lambda: services.settings.save_office(services.settings.office()),
        "laws": lambda: services.laws.mark_status("环境保护法", "已废止", reason="测试"),
        "purge": lambda: services.retention().plan(5),
        "audit": lambda: services.audit.verify(),
        "reassign": lambda: services.followup.reclassify(mine.matter_id, actor="刘接待", topic="教育"),
        "person export": lambda: services.person_export().gather(make_input().id_number),
        "full ID of another's visit": lambda: services.visits.get_detail(theirs.visit_id, reveal_id=True),
    }
    for name, call in refusals.items():
        with pytest.raises(PermissionDeniedError) as refused:
            call()
        assert "刘接待" in str(refused.value) or "本人接待" in str(refused.value), name
    # What an officer may do still works.
    assert services.visits.get_detail(mine.visit_id, reveal_id=True).id_number == make_input().id_number


def test_a_supervisor_sees_everything_but_cannot_administer(services, staff, make_input):  # noqa: ANN001
    services.accounts.login("liu", PASSWORD)
    services.visits.register(make_input(officer=""))
    services.accounts.login("wang", PASSWORD)
    assert len(services.visits.list_page(VisitQuery())[0]) == 1
    assert services.statistics().report(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).total.visits == 1
    assert services.audit.verify().ok
    for call in (
        lambda: services.accounts.list(),
        lambda: services.settings.save_office(services.settings.office()),
        lambda: services.retention().purge(5, actor="王科长"),
    ):
        with pytest.raises(PermissionDeniedError, match="需要管理员"):
            call()


def test_nobody_logged_in_is_refused_everything_personal(services, make_input):  # noqa: ANN001
    services.visits.register(make_input())
    services.accounts.logout()
    for call in (
        lambda: services.visits.list_page(VisitQuery()),
        lambda: services.visits.register(make_input()),
        lambda: services.visits.earlier_visits(id_number=make_input().id_number),
        lambda: services.followup.agenda(),
        lambda: services.explanations.get(1),
    ):
        with pytest.raises(PermissionDeniedError, match="请先登录"):
            call()
    # A service built without the app's AccessControl acts for nobody.
    assert AccessControl().current is None


def test_the_command_line_asks_for_an_account(db_url, capsys, monkeypatch):  # noqa: ANN001
    assert main(["--db", db_url, "stats", "--from", "2026-01-01", "--to", "2026-12-31"]) == 2
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("RECEPTION_PASSWORD", "wrong-password1")
    assert main(["--db", db_url, "--user", ADMIN_USER, "stats", "--from", "2026-01-01", "--to", "2026-12-31"]) == 2
    assert "用户名或密码不正确" in capsys.readouterr().err
    monkeypatch.setenv("RECEPTION_PASSWORD", ADMIN_PASSWORD)
    assert (
        main(
            [
                "--db",
                db_url,
                "--user",
                ADMIN_USER,
                "accounts",
                "add",
                "--username",
                "liu",
                "--name",
                "刘接待",
                "--role",
                "接待员",
            ]
        )
        == 0
    )
    assert main(["--db", db_url, "--user", ADMIN_USER, "accounts", "list"]) == 0
    assert "liu\t刘接待\t接待员\t启用" in capsys.readouterr().out
    # The officer cannot run statistics from the command line either.
    assert main(["--db", db_url, "--user", "liu", "stats", "--from", "2026-01-01", "--to", "2026-12-31"]) == 2
    assert "需要负责人" in capsys.readouterr().err
