"""A desk on the hall's PostgreSQL server that loses the connection keeps the form and saves when it is back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from reception.visits import VisitQuery
from tests.conftest import PG_URL, valid_id


def _server_accepts(db_url: str, accepting: bool) -> None:
    """What a server restart or a cut cable looks like to a desk: its connections dropped, new ones refused."""
    name = make_url(db_url).database
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(accepting).lower()}')
        if not accepting:
            connection.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            )
    admin.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_lost_connection_keeps_the_form_and_saves_once_when_back(qtbot, main_window, db_url, backend):  # noqa: ANN001
    form = main_window.form
    form.retry_timer.setInterval(300)
    form.name_edit.setText("赵建国")
    form.id_edit.setText(valid_id(birth="19700505"))
    form.summary_edit.setPlainText("包工头跑了，工钱没给")
    _server_accepts(db_url, False)
    try:
        qtbot.keyClick(form.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "连接中断" in form.status_label.text(), timeout=10000)
        assert form.name_edit.text() == "赵建国" and "工钱" in form.summary_edit.toPlainText()
        # Still down: the retries keep failing quietly and the form stays as it is.
        qtbot.wait(800)
        assert form.name_edit.text() == "赵建国"
    finally:
        _server_accepts(db_url, True)
    with qtbot.waitSignal(form.saved, timeout=10000) as blocker:
        pass
    saved = blocker.args[0]
    assert "已保存" in form.status_label.text() and form.name_edit.text() == ""
    rows = main_window.services.visits.list_page(VisitQuery(text=valid_id(birth="19700505")))[0]
    assert [r.visit_no for r in rows] == [saved.visit_no]  # saved exactly once
