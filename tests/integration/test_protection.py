"""ID and phone numbers encrypted at rest, the key outside the database, and 查阅复制 for a person."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from sqlalchemy import text

from reception.protection import KeyMissingError
from reception.services import Services
from reception.visits import RepresentativeInput, VisitQuery
from tests.conftest import log_in_as_admin, valid_id

pytestmark = pytest.mark.both_backends


def _raw(services, sql: str):  # noqa: ANN001, ANN202
    with services.database.engine.connect() as connection:
        return connection.execute(text(sql)).all()


def test_numbers_are_ciphertext_in_the_file_and_still_found(services, make_input):  # noqa: ANN001
    rep_id = valid_id("19750505", "222")
    saved = services.visits.register(
        make_input(representatives=[RepresentativeInput("赵代表", rep_id, "13700001111")], headcount=3)
    )
    [(stored_id, stored_phone, id_hash, phone_hash)] = _raw(
        services, "SELECT id_number, phone, id_hash, phone_hash FROM petitioners"
    )
    assert valid_id() not in stored_id and "13800138000" not in stored_phone
    assert stored_id.startswith("v1:") and len(id_hash) == len(phone_hash) == 64
    [(rep_stored, rep_phone)] = _raw(services, "SELECT id_number, phone FROM visit_representatives")
    assert rep_id not in rep_stored and "13700001111" not in rep_phone
    if services.database.is_sqlite:
        # Nothing readable in the file itself either (WAL included).
        from db.session import sqlite_file

        services.database.dispose()
        folder = sqlite_file(services.database.url).parent
        raw = b"".join(p.read_bytes() for p in folder.glob("reception.sqlite3*"))
        assert valid_id().encode() not in raw and b"13800138000" not in raw and rep_id.encode() not in raw
    # Found again by whole numbers: the person's, the representative's, the phone.
    for query in (valid_id(), rep_id, "13800138000"):
        assert [r.visit_no for r in services.visits.list_page(VisitQuery(text=query))[0]] == [saved.visit_no], query
    assert services.visits.earlier_visits(id_number=valid_id()).count == 1
    assert services.visits.get_detail(saved.visit_id, reveal_id=True).representatives[0].id_number == rep_id


@pytest.mark.sqlite_only
def test_a_missing_key_is_a_clear_message_and_nothing_is_written(db_url, tmp_path, monkeypatch):  # noqa: ANN001
    from db.session import sqlite_file

    path = sqlite_file(db_url)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    missing = tmp_path / "elsewhere" / "data.key"
    monkeypatch.setenv("RECEPTION_KEY_FILE", str(missing))
    with pytest.raises(KeyMissingError) as info:
        Services.open(db_url)
    assert "找不到数据库的加密密钥" in str(info.value) and str(missing) in str(info.value)
    assert "未作任何改动" in str(info.value)
    assert not missing.exists()  # no new key that would write numbers nobody can read with the old one
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_another_office_s_key_is_refused(db_url, tmp_path, monkeypatch):  # noqa: ANN001
    other = tmp_path / "other.key"
    other.write_bytes(bytes(range(32)))
    monkeypatch.setenv("RECEPTION_KEY_FILE", str(other))
    with pytest.raises(KeyMissingError, match="不匹配"):
        Services.open(db_url)


def test_a_new_key_file_is_private(tmp_path, monkeypatch):  # noqa: ANN001
    key = tmp_path / "fresh" / "data.key"
    monkeypatch.setenv("RECEPTION_KEY_FILE", str(key))
    Services.open(f"sqlite:///{(tmp_path / 'fresh.sqlite3').as_posix()}").close()
    assert key.stat().st_size == 32 and key.stat().st_mode & 0o077 == 0


def test_an_older_database_is_backed_up_then_encrypted_in_place(tmp_path, monkeypatch):  # noqa: ANN001
    """A database written before encryption (revision 0011), holding numbers in the clear, is backed up
    and then encrypted at the first start; lookups work, the backup holds the file as it was."""
    from alembic import command

    from db.session import _alembic_config, create_db_engine

    monkeypatch.setenv("RECEPTION_KEY_FILE", str(tmp_path / "office.key"))
    db = tmp_path / "office.sqlite3"
    engine = create_db_engine(f"sqlite:///{db.as_posix()}")
    command.upgrade(_alembic_config(engine), "20261203_0011")
    number = valid_id("19660606", "345")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO petitioners (id, name, gender, id_number, phone, address, created_at) "
                "VALUES (1, '孙老人', '男', :n, '13912345678', '', '2025-03-09 10:00:00')"
            ),
            {"n": number},
        )
        connection.execute(
            text(
                "INSERT INTO matters (id, petitioner_id, summary, involved_unit, location, jurisdiction, matter_type, topic, route, status, extended_days, department, final, created_at, updated_at) "
                "VALUES (1, 1, '养老金', '', '', '', '', '', '', '已登记', 0, '', 0, '2025-03-09 10:00:00', '2025-03-09 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO visits (id, visit_no, query_code, visited_at, officer, headcount, is_anonymous, explanation, petitioner_id, matter_id, created_at) "
                "VALUES (1, 'XF1', 'CODE1', '2025-03-09 10:00:00', '刘', 1, 0, '', 1, 1, '2025-03-09 10:00:00')"
            )
        )
    engine.dispose()
    services = Services.open(f"sqlite:///{db.as_posix()}")
    try:
        [(stored, id_hash)] = _raw(services, "SELECT id_number, id_hash FROM petitioners")
        assert stored.startswith("v1:") and id_hash
        services.accounts.create_first_admin("admin", "李管理", "Admin2026x")
        assert [r.visit_no for r in services.visits.list_page(VisitQuery(text=number))[0]] == ["XF1"]
        assert [r.visit_no for r in services.visits.list_page(VisitQuery(text="13912345678"))[0]] == ["XF1"]
        [backup_entry] = services.audit.browse(action="backup")
        assert "加密" in backup_entry.detail
    finally:
        services.close()
    [backup] = (tmp_path / "data" / "backups").glob("*.sqlite3")
    import sqlite3

    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT id_number FROM petitioners").fetchone()[0] == number


def test_a_person_gets_what_the_office_holds_about_them(services, make_input, tmp_path, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main
    from reception.errors import ValidationError
    from reception.handouts.fonts import choose_font

    first = services.visits.register(make_input(topic="劳动就业", matter_type="申诉求决"))
    second = services.visits.register(make_input(summary="又来问工资的事"))
    services.visits.register(make_input(name="别人", id_number=valid_id("19900101", "456"), phone="13600000000"))
    export = services.person_export()
    with pytest.raises(ValidationError, match="用途"):
        export.export(valid_id(), "", choose_font(""))
    record, pdf = export.export(valid_id(), "本人申请查阅复制", choose_font(""))
    assert record.name == "王秀英" and record.id_number == valid_id() and record.phone == "13800138000"
    assert {v.visit_no for v in record.visits} == {first.visit_no, second.visit_no}
    [entry] = services.audit.browse(action="export")
    assert "本人申请查阅复制" in entry.detail and valid_id() not in entry.target
    out = tmp_path / "person.pdf"
    log_in_as_admin(services)
    assert (
        main(
            [
                "--db",
                services.database.url,
                "person",
                "export",
                "--id",
                valid_id(),
                "--purpose",
                "本人申请",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    pdf_text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert valid_id() in pdf_text and first.visit_no in pdf_text and "别人" not in pdf_text
    assert "第四十五条" in pdf_text and "测试市信访局将所存有的" in pdf_text.replace("\n", "")
