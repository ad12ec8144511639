"""释法记录: pre-filled from what was printed, editable on the day, frozen after; the duty-lawyer roster."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.explanations import ExplanationInput, ExplanationService, RecordFrozen

pytestmark = pytest.mark.both_backends


@pytest.fixture
def clock():  # noqa: ANN201
    return {"now": dt.datetime(2026, 11, 22, 10, 0)}


@pytest.fixture
def records(services, clock):  # noqa: ANN001, ANN201
    return ExplanationService(services.database, clock=lambda: clock["now"], access=services.access)


def test_prefilled_from_the_documents_printed_for_the_visit(register, handouts, records):  # noqa: ANN001
    saved = register()
    handouts.issue(handouts.prepare_notice(saved.visit_id), "刘接待")
    handouts.issue(handouts.prepare_guide("劳动就业"), "刘接待")
    prefill = records.prefill(saved.visit_id)
    assert "劳动争议调解仲裁法:27" in prefill.articles
    assert prefill.officer == "刘接待"
    assert "权利义务与救济途径告知书" in prefill.documents


def test_editable_the_same_day_then_frozen_and_corrected_as_an_event(services, register, records, clock):  # noqa: ANN001
    saved = register()
    lawyer = records.add_lawyer("周律师", "某某律师事务所", "13201200010012345", [1, 3])
    records.save(
        saved.visit_id,
        ExplanationInput(
            officer="刘接待", articles=["劳动合同法:82"], points="讲了二倍工资", lawyer_id=lawyer, response="接受引导"
        ),
    )
    records.save(
        saved.visit_id,
        ExplanationInput(officer="刘接待", articles=["劳动合同法:82", "劳动争议调解仲裁法:27"], response="转法定途径"),
    )
    record = records.get(saved.visit_id)
    assert record.articles == ("劳动合同法:82", "劳动争议调解仲裁法:27") and not record.frozen
    clock["now"] = dt.datetime(2026, 11, 23, 9, 0)
    assert records.get(saved.visit_id).frozen
    with pytest.raises(RecordFrozen, match="冻结"):
        records.save(saved.visit_id, ExplanationInput(officer="刘接待", response="坚持信访"))
    records.correct(saved.visit_id, actor="王科长", text="信访人当日表示接受引导，去仲裁")
    assert records.get(saved.visit_id).response == "转法定途径", "the frozen record is not changed"
    assert any("释法记录更正" in e.detail for e in services.visits.get_detail(saved.visit_id).history)


def test_bad_input_is_refused_at_the_field(register, records):  # noqa: ANN001
    from reception.errors import ValidationError

    saved = register()
    with pytest.raises(ValidationError) as caught:
        records.save(saved.visit_id, ExplanationInput(officer="", articles=["劳动合同法第82条"], response="不知道"))
    assert set(caught.value.errors) == {"officer", "articles", "response"}
    assert records.get(saved.visit_id) is None


def test_roster_puts_the_lawyers_on_duty_first(records):  # noqa: ANN001
    from reception.errors import ValidationError

    records.add_lawyer("甲律师", "甲律所", "13201200010010001", [1])
    records.add_lawyer("乙律师", "乙律所", "13201200010010002", [4])
    with pytest.raises(ValidationError):
        records.add_lawyer("丙律师", "丙律所", "13201200010010002", [2])
    with pytest.raises(ValidationError):
        records.add_lawyer("丁律师", "丁律所", "123", [9])
    thursday = dt.date(2026, 12, 3)
    assert [r.name for r in records.lawyers(thursday)] == ["乙律师", "甲律师"]
    assert records.lawyers()[0].duty_text == "周一"


def test_roster_from_the_command_line(db_url, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    assert (
        main(
            [
                "--db",
                db_url,
                "lawyers",
                "add",
                "--name",
                "吴律师",
                "--firm",
                "某所",
                "--licence",
                "13201200010015555",
                "--days",
                "2,4",
            ]
        )
        == 0
    )
    assert main(["--db", db_url, "lawyers", "list"]) == 0
    assert "吴律师" in capsys.readouterr().out
    assert main(["--db", db_url, "lawyers", "add", "--name", "吴律师", "--licence", "123"]) == 2


def test_the_repeat_notice_shows_what_the_record_says_was_explained(services, register, records):  # noqa: ANN001
    from tests.conftest import valid_id

    saved = register()
    records.save(saved.visit_id, ExplanationInput(officer="刘接待", points="已告知一年内申请劳动仲裁，仲裁不收费"))
    info = services.visits.earlier_visits(id_number=valid_id())
    assert info.visits[0].explanation == "已告知一年内申请劳动仲裁，仲裁不收费"
