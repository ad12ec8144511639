"""Matter follow-up: every state change the regulation allows, every one it refuses, and the due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.followup import TRANSITIONS, FollowUpService, TransitionRefused, final_notice
from reception.vocab import MATTER_STATUSES

pytestmark = pytest.mark.both_backends

# 2026-09-28 is a Monday before the National Day holiday (10-01 … 10-07 in 2026, chinesecalendar).
REGISTERED_ON = dt.datetime(2026, 9, 28, 9, 30)


@pytest.fixture
def follow(services):  # noqa: ANN001, ANN201
    from reception.deadlines import DeadlineService

    clock = {"now": dt.datetime(2026, 12, 3, 10, 0)}
    service = FollowUpService(services.database, DeadlineService(), clock=lambda: clock["now"], access=services.access)
    service.clock = clock
    return service


@pytest.fixture
def matter(services, make_input):  # noqa: ANN001, ANN201
    saved = services.visits.register(
        make_input(visited_at=REGISTERED_ON, matter_type="申诉求决", topic="劳动就业", route="仲裁")
    )
    return saved.matter_id


def _matter(services, matter_id):  # noqa: ANN001, ANN202
    from db.models import Matter

    with services.database.unit_of_work() as uow:
        return uow.session.get(Matter, matter_id)


def test_a_new_matter_is_due_for_acceptance_in_15_days_holidays_moved(services, matter):  # noqa: ANN001
    m = _matter(services, matter)
    assert m.status == "已登记" and m.state_since == REGISTERED_ON.date()
    # 09-28 + 15 days = 10-13 (a Tuesday, a working day after the holiday).
    assert m.due_on == dt.date(2026, 10, 13)


def test_the_whole_procedure_to_final(services, matter, follow):  # noqa: ANN001
    follow.change(matter, "accept", actor="刘接待", on=dt.date(2026, 10, 9))
    m = _matter(services, matter)
    assert m.status == "已受理" and m.accepted_on == dt.date(2026, 10, 9)
    assert m.due_on == dt.date(2026, 12, 8)  # 60 days from 10-09
    follow.change(matter, "start", actor="刘接待", on=dt.date(2026, 10, 10))
    follow.change(matter, "extend", actor="王科长", on=dt.date(2026, 11, 20), days=30, reason="需要现场核查")
    assert _matter(services, matter).due_on == dt.date(2027, 1, 7)  # 12-08 + 30 days
    follow.change(matter, "answer", actor="刘接待", on=dt.date(2026, 11, 25))
    m = _matter(services, matter)
    assert m.status == "已答复" and m.due_on is None, "after the answer the office owes nothing until a request"
    follow.change(matter, "request_review", actor="刘接待", on=dt.date(2026, 11, 30))
    assert _matter(services, matter).due_on == dt.date(2026, 12, 30)
    follow.change(matter, "answer_review", actor="上级机关", on=dt.date(2026, 12, 1))
    follow.change(matter, "request_recheck", actor="刘接待", on=dt.date(2026, 12, 2))
    follow.change(matter, "answer_recheck", actor="复核机关", on=dt.date(2026, 12, 3))
    m = _matter(services, matter)
    assert m.status == "已办结" and m.final
    assert follow.final_matters(m.petitioner_id) == [matter]
    assert "不再受理" in final_notice([matter]) and "第三十六条第三款" in final_notice([matter])
    details = [e.detail for e in services.visits.get_detail(1).history]
    assert any("受理：已登记 → 已受理" in d for d in details)


ALL_STATES = tuple(s for s in MATTER_STATUSES if s != "已并入")


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_each_action_is_refused_from_every_state_it_does_not_start_from(services, matter, follow, action):  # noqa: ANN001
    from db.models import Matter

    _label, sources, _target = TRANSITIONS[action]
    for state in ALL_STATES:
        if state in sources:
            continue
        with services.database.unit_of_work() as uow:
            uow.session.get(Matter, matter).status = state
            uow.commit()
        with pytest.raises(TransitionRefused, match=f"当前为“{state}”"):
            follow.change(matter, action, actor="刘接待", reason="理由", department="县人社局", route="仲裁", days=10)


def test_extension_once_at_most_30_days_with_a_reason(services, matter, follow):  # noqa: ANN001
    from reception.errors import ValidationError

    follow.change(matter, "accept", actor="刘接待", on=dt.date(2026, 10, 9))
    follow.change(matter, "start", actor="刘接待", on=dt.date(2026, 10, 9))
    with pytest.raises(ValidationError, match="1到30日"):
        follow.change(matter, "extend", actor="王科长", days=31, reason="复杂")
    with pytest.raises(ValidationError):
        follow.change(matter, "extend", actor="王科长", days=10)
    follow.change(matter, "extend", actor="王科长", days=10, reason="复杂")
    with pytest.raises(TransitionRefused, match="只能延长一次"):
        follow.change(matter, "extend", actor="王科长", days=5, reason="还要延长")


def test_review_requested_after_30_days_is_refused(services, matter, follow):  # noqa: ANN001
    follow.change(matter, "accept", actor="刘接待", on=dt.date(2026, 10, 9))
    follow.change(matter, "answer", actor="刘接待", on=dt.date(2026, 10, 20))
    with pytest.raises(TransitionRefused, match="30日内"):
        follow.change(matter, "request_review", actor="刘接待", on=dt.date(2026, 11, 20))
    follow.change(matter, "request_review", actor="刘接待", on=dt.date(2026, 11, 19))


def test_transfer_and_route_out_need_where(services, matter, follow, make_input):  # noqa: ANN001
    from reception.errors import ValidationError

    with pytest.raises(ValidationError):
        follow.change(matter, "transfer", actor="刘接待", reason="属地")
    follow.change(matter, "transfer", actor="刘接待", department="某县人力资源和社会保障局", reason="属地管理")
    m = _matter(services, matter)
    assert m.status == "已转送" and m.department == "某县人力资源和社会保障局" and m.due_on is None
    other = services.visits.register(make_input(visited_at=REGISTERED_ON)).matter_id
    with pytest.raises(ValidationError):
        follow.change(other, "route_out", actor="刘接待", route="不存在")
    follow.change(other, "route_out", actor="刘接待", route="仲裁", reason="劳动争议先仲裁")
    assert _matter(services, other).route == "仲裁"


def test_dates_in_the_future_or_before_the_last_step_are_refused(services, matter, follow):  # noqa: ANN001
    from reception.errors import ValidationError

    with pytest.raises(ValidationError, match="晚于今天"):
        follow.change(matter, "accept", actor="刘接待", on=dt.date(2026, 12, 4))
    with pytest.raises(ValidationError, match="早于"):
        follow.change(matter, "accept", actor="刘接待", on=dt.date(2026, 9, 1))


def test_agenda_sorts_overdue_today_and_this_week(services, follow, make_input):  # noqa: ANN001
    today = dt.date(2026, 12, 3)
    overdue = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 1, 9))).matter_id
    due_today = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 18, 9))).matter_id
    due_soon = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 20, 9))).matter_id
    later = services.visits.register(make_input(visited_at=dt.datetime(2026, 12, 2, 9))).matter_id
    agenda = follow.agenda(today)
    assert [i.matter_id for i in agenda.overdue] == [overdue]
    assert [i.matter_id for i in agenda.today] == [due_today]
    assert [i.matter_id for i in agenda.this_week] == [due_soon]
    assert later not in [i.matter_id for i in agenda.overdue + agenda.today + agenda.this_week]
    assert agenda.overdue[0].days_left < 0 and agenda.overdue[0].basis == "《信访工作条例》第二十三条"
    follow.change(overdue, "reject", actor="刘接待", reason="不属于信访事项", on=today)
    assert overdue not in [i.matter_id for i in follow.agenda(today).overdue]


def test_a_second_visit_joins_the_earlier_matter(services, make_input, follow):  # noqa: ANN001
    first = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 2, 9)))
    again = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 20, 9), matter_id=first.matter_id))
    assert again.matter_id == first.matter_id
    separate = services.visits.register(make_input(visited_at=dt.datetime(2026, 11, 25, 9)))
    follow.attach_visit(separate.visit_id, first.matter_id, actor="刘接待")
    assert _matter(services, separate.matter_id).status == "已并入"
    assert services.visits.get_detail(separate.visit_id).matter_id == first.matter_id


def test_a_matter_of_another_person_cannot_be_joined(services, make_input):  # noqa: ANN001
    from reception.errors import ValidationError
    from tests.conftest import valid_id

    first = services.visits.register(make_input())
    with pytest.raises(ValidationError):
        services.visits.register(make_input(id_number=valid_id(seq="456"), name="李四", matter_id=first.matter_id))


def test_reclassify_keeps_the_history(services, matter, follow):  # noqa: ANN001
    follow.reclassify(matter, actor="王科长", topic="社会保障", route="行政程序")
    m = _matter(services, matter)
    assert (m.topic, m.route) == ("社会保障", "行政程序")
    assert any("重新分类" in e.detail for e in services.visits.get_detail(1).history)


def test_a_returning_person_after_recheck_is_told_it_is_final(services, make_input, follow):  # noqa: ANN001
    from tests.conftest import valid_id

    saved = services.visits.register(make_input(visited_at=dt.datetime(2026, 10, 9, 9)))
    for action, day in [
        ("accept", 9), ("answer", 12), ("request_review", 13), ("answer_review", 14), ("request_recheck", 15), ("answer_recheck", 16),
    ]:  # fmt: skip
        follow.change(saved.matter_id, action, actor="刘接待", on=dt.date(2026, 10, day))
    info = services.visits.earlier_visits(id_number=valid_id())
    assert info.final_matters == (saved.matter_id,)
    assert services.visits.earlier_visits(id_number=valid_id(seq="789")).final_matters == ()


def test_two_officers_on_the_same_matter_the_second_is_told_not_overwritten(services, follow, make_input):  # noqa: ANN001
    from reception.errors import ConflictError

    followup = follow
    saved = services.visits.register(make_input(visited_at=REGISTERED_ON))
    seen_by_both = services.visits.get_detail(saved.visit_id).matter_version
    followup.change(saved.matter_id, "accept", actor="甲", expected_version=seen_by_both)
    with pytest.raises(ConflictError, match="刚被甲于.*修改过（现为“已受理”）"):
        followup.change(saved.matter_id, "reject", actor="乙", reason="不属于", expected_version=seen_by_both)
    with pytest.raises(ConflictError):
        followup.reclassify(saved.matter_id, actor="乙", topic="教育", expected_version=seen_by_both)
    assert services.visits.get_detail(saved.visit_id).status == "已受理"
    # From a fresh view the same officer can go on.
    fresh = services.visits.get_detail(saved.visit_id).matter_version
    assert fresh > seen_by_both
    followup.reclassify(saved.matter_id, actor="乙", topic="教育", expected_version=fresh)
