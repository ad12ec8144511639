"""Following a matter through the states 信访工作条例 sets, with the office's due dates.

registered (已登记) → accepted (已受理) / not accepted (不予受理) / transferred (已转送) / routed into a lawful
channel (已导入法定途径), each decided and told within 15 days (第二十二条, 第二十三条) → in handling (办理中:
60 days from acceptance, one extension of at most 30 days with a reason, 第三十四条) → answered (已答复) →
复查 requested within 30 days of the answer (复查中; the office answers in 30 days, 第三十五条) → 复查 answered →
复核 requested within 30 days (复核中; answer in 30 days, 第三十六条) → closed (已办结). After 复核 the same
facts and reasons are not accepted again (第三十六条第三款): `final` is set and a returning person is told.

Every change is a MatterEvent (who, when, from, to, the day it took effect); a change the regulation does
not allow is refused with a message that says why. The office's next due date is kept on the matter
(`due_on`) so that the 待办 list is one indexed query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Matter, MatterEvent, Visit
from db.session import ConcurrentEditError, Database, UnitOfWork
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.deadlines import DeadlineService
from reception.errors import ConflictError, NotFoundError, UserError, ValidationError
from reception.lawlib.numerals import article_label
from reception.vocab import ROUTES

REGISTERED, ACCEPTED, NOT_ACCEPTED, TRANSFERRED, ROUTED_OUT = "已登记", "已受理", "不予受理", "已转送", "已导入法定途径"
HANDLING, ANSWERED, REVIEWING, REVIEW_ANSWERED = "办理中", "已答复", "复查中", "复查已答复"
RECHECKING, CLOSED, MERGED = "复核中", "已办结", "已并入"

# action: (label, states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "accept": ("受理", (REGISTERED,), ACCEPTED),
    "reject": ("不予受理", (REGISTERED,), NOT_ACCEPTED),
    "transfer": ("转送、交办", (REGISTERED,), TRANSFERRED),
    "route_out": ("导入法定途径", (REGISTERED, ACCEPTED, NOT_ACCEPTED), ROUTED_OUT),
    "start": ("开始办理", (ACCEPTED,), HANDLING),
    "extend": ("延长办理期限", (HANDLING,), HANDLING),
    "answer": ("出具处理意见", (ACCEPTED, HANDLING), ANSWERED),
    "request_review": ("请求复查", (ANSWERED,), REVIEWING),
    "answer_review": ("出具复查意见", (REVIEWING,), REVIEW_ANSWERED),
    "request_recheck": ("请求复核", (REVIEW_ANSWERED,), RECHECKING),
    "answer_recheck": ("出具复核意见", (RECHECKING,), CLOSED),
    "close": ("办结", (ANSWERED, REVIEW_ANSWERED, TRANSFERRED, NOT_ACCEPTED, ROUTED_OUT), CLOSED),
}
# The states in which the office owes the next step by a date.
OPEN_STATES = (REGISTERED, ACCEPTED, HANDLING, REVIEWING, RECHECKING)
MAX_EXTENSION_DAYS = 30
PETITIONER_WINDOW = {"request_review": "petition_review", "request_recheck": "petition_recheck"}


@dataclass(frozen=True)
class DueItem:
    matter_id: int
    status: str
    topic: str
    summary: str
    due_on: dt.date
    days_left: int  # negative: overdue
    basis: str  # 《信访工作条例》第三十四条
    version: int = 1  # the matter's version when listed (FollowUpService.change's expected_version)


@dataclass(frozen=True)
class Agenda:
    overdue: tuple[DueItem, ...]
    today: tuple[DueItem, ...]
    this_week: tuple[DueItem, ...]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week)


class TransitionRefused(UserError):
    pass


def _load(data: str) -> dict:
    try:
        return json.loads(data or "{}")
    except json.JSONDecodeError:
        return {}


def _commit(uow: UnitOfWork) -> None:
    try:
        uow.commit()
    except ConcurrentEditError as exc:
        raise ConflictError("这件事项同时被其他人修改，您的操作没有保存。请关闭窗口、重新打开后再办理。") from exc


def _check_version(session, matter: Matter, expected: int | None) -> None:  # noqa: ANN001 - a Session
    """Refuse a change made from a screen that shows an older state of the matter, naming who changed it."""
    if expected is None or matter.version == expected:
        return
    last = session.scalars(
        select(MatterEvent).where(MatterEvent.matter_id == matter.id).order_by(MatterEvent.id.desc()).limit(1)
    ).first()
    who = f"{last.actor}于{last.occurred_at:%H:%M}" if last is not None and last.actor else "其他人"
    raise ConflictError(
        f"这件事项刚被{who}修改过（现为“{matter.status}”），您的操作没有保存。请关闭窗口、重新打开后再办理。"
    )


class FollowUpService:
    def __init__(
        self,
        database: Database,
        deadlines: DeadlineService,
        clock: Callable[[], dt.datetime] | None = None,
        access: AccessControl | None = None,
        audit: AuditLog | None = None,
    ):
        self._db = database
        self.deadlines = deadlines
        self.access = access or AccessControl()
        self._audit = audit
        self._clock = clock or (lambda: dt.datetime.now().replace(microsecond=0))

    # ---- due dates ----

    def _due(self, period: str, start: dt.date, extended: bool = False) -> dt.date:
        return self.deadlines.due(period, start, extended=extended).due

    def due_for(self, status: str, on: dt.date) -> tuple[dt.date | None, str]:
        """The office's due date in `status`, counted from the day the state began, and its period."""
        period = {
            REGISTERED: "petition_acceptance",
            ACCEPTED: "petition_handling",
            HANDLING: "petition_handling",
            REVIEWING: "petition_review_answer",
            RECHECKING: "petition_recheck_answer",
        }.get(status)
        if period is None:
            return None, ""
        return self._due(period, on), period

    # ---- changes ----

    def change(
        self,
        matter_id: int,
        action: str,
        *,
        actor: str,
        on: dt.date | None = None,
        reason: str = "",
        department: str = "",
        route: str = "",
        days: int = 0,
        expected_version: int | None = None,
    ) -> str:
        """Apply one step of the procedure; returns the new state. Refused (TransitionRefused) when the
        regulation does not allow it from the current state, with the reason; refused (ConflictError) when
        `expected_version` — the matter's version the officer's screen shows — is no longer current."""
        self.access.require("matter.followup")
        if action not in TRANSITIONS:
            raise ValidationError({"action": f"未知的操作：{action}"})
        if not actor.strip():
            raise ValidationError({"actor": "请填写经办人"})
        label, sources, target = TRANSITIONS[action]
        today = self._clock().date()
        on = on or today
        if on > today:
            raise ValidationError({"on": "日期不能晚于今天"})
        with self._db.unit_of_work(write_lock="followup") as uow:
            matter = uow.session.get(Matter, matter_id)
            if matter is None:
                raise NotFoundError(f"没有编号为 {matter_id} 的信访事项")
            _check_version(uow.session, matter, expected_version)
            if matter.status not in sources:
                allowed = "、".join(sources)
                raise TransitionRefused(
                    f"事项当前为“{matter.status}”，不能{label}（只有“{allowed}”的事项可以{label}）。"
                )
            if matter.state_since and on < matter.state_since:
                raise ValidationError({"on": f"日期不能早于上一步的日期 {matter.state_since.isoformat()}"})
            data: dict = {"from": matter.status, "to": target, "on": on.isoformat()}
            if action in ("reject", "extend", "route_out", "transfer") and not (
                reason.strip() or department.strip() or route
            ):
                raise ValidationError({"reason": f"{label}须写明理由"})
            if action == "transfer":
                if not department.strip():
                    raise ValidationError({"department": "请填写转送、交办的机关或部门"})
                matter.department = department.strip()[:100]
                data["department"] = matter.department
            if action == "route_out":
                if route not in ROUTES:
                    raise ValidationError({"route": "请选择导入的法定途径"})
                matter.route = route
                data["route"] = route
            if action == "extend":
                if matter.extended_days:
                    raise TransitionRefused("办理期限只能延长一次（《信访工作条例》第三十四条）。")
                if not 1 <= days <= MAX_EXTENSION_DAYS:
                    raise ValidationError(
                        {"days": f"延长期限为1到{MAX_EXTENSION_DAYS}日（《信访工作条例》第三十四条）"}
                    )
                if not reason.strip():
                    raise ValidationError({"reason": "延长办理期限须写明理由，并告知信访人"})
                matter.extended_days = days
                data["days"] = days
            if action in PETITIONER_WINDOW and matter.answered_on is not None:
                window = self._due(PETITIONER_WINDOW[action], matter.answered_on)
                if on > window:
                    article = "第三十五条" if action == "request_review" else "第三十六条"
                    raise TransitionRefused(
                        f"{label}应当自收到书面答复之日起30日内提出（《信访工作条例》{article}），"
                        f"本事项答复于{matter.answered_on.isoformat()}，期限到{window.isoformat()}为止。"
                    )
            if action in ("accept", "reject", "transfer", "route_out") and matter.decided_on is None:
                matter.decided_on = on
            if action == "accept":
                matter.accepted_on = on
            if action in ("answer", "answer_review"):
                matter.answered_on = on
            if action == "answer" and matter.first_answered_on is None:
                matter.first_answered_on = on
            if action == "answer_recheck":
                matter.answered_on = on
                matter.final = True
            if reason.strip():
                data["reason"] = reason.strip()
            matter.status = target
            if action != "extend":
                matter.state_since = on
            if target in (ACCEPTED, HANDLING) and matter.extended_days and matter.accepted_on:
                due = self._extend(matter.accepted_on, matter.extended_days)
            else:
                start = matter.accepted_on if target in (ACCEPTED, HANDLING) else matter.state_since
                due = self.due_for(target, start or on)[0]
            matter.due_on = due
            if target in (ACCEPTED, HANDLING):
                matter.handling_due = due
            data["due_on"] = due.isoformat() if due else None
            uow.session.add(
                MatterEvent(
                    matter_id=matter.id,
                    kind="status",
                    actor=actor.strip()[:50],
                    detail=f"{label}：{data['from']} → {target}" + (f"（{reason.strip()}）" if reason.strip() else ""),
                    data=json.dumps(data, ensure_ascii=False),
                )
            )
            _commit(uow)
        self._record(matter_id, f"{label}：{data['from']} → {target}")
        return target

    def _extend(self, accepted_on: dt.date, days: int) -> dt.date:
        """60 days from acceptance, then `days` more (at most 30), the last day moved off rest days."""
        from dataclasses import replace

        from reception.deadlines import compute_due

        base = self.deadlines.periods["petition_handling"]
        calendar = self.deadlines.calendar()
        nominal = compute_due(base, accepted_on, calendar).due
        return compute_due(replace(base, length=days, extension=0), nominal, calendar).due

    def reclassify(
        self,
        matter_id: int,
        *,
        actor: str,
        matter_type: str = "",
        topic: str = "",
        route: str = "",
        expected_version: int | None = None,
    ) -> None:
        from reception.vocab import MATTER_TYPES, TOPICS

        self.access.require("matter.reassign")
        errors = {}
        if matter_type and matter_type not in MATTER_TYPES:
            errors["matter_type"] = "请选择类别"
        if topic and topic not in TOPICS:
            errors["topic"] = "请选择主题"
        if route and route not in ROUTES:
            errors["route"] = "请选择途径"
        if errors:
            raise ValidationError(errors)
        with self._db.unit_of_work(write_lock="followup") as uow:
            matter = uow.session.get(Matter, matter_id)
            if matter is None:
                raise NotFoundError(f"没有编号为 {matter_id} 的信访事项")
            _check_version(uow.session, matter, expected_version)
            before = {"matter_type": matter.matter_type, "topic": matter.topic, "route": matter.route}
            matter.matter_type = matter_type or matter.matter_type
            matter.topic = topic or matter.topic
            matter.route = route or matter.route
            after = {"matter_type": matter.matter_type, "topic": matter.topic, "route": matter.route}
            uow.session.add(
                MatterEvent(
                    matter_id=matter.id,
                    kind="reclassified",
                    actor=actor.strip()[:50],
                    detail="重新分类："
                    + "、".join(f"{before[k] or '未分类'}→{after[k]}" for k in after if before[k] != after[k]),
                    data=json.dumps({"before": before, "after": after}, ensure_ascii=False),
                )
            )
            _commit(uow)
        self._record(matter_id, "重新分类：" + json.dumps(after, ensure_ascii=False))

    def attach_visit(self, visit_id: int, matter_id: int, *, actor: str) -> None:
        """A later visit about the same thing joins the earlier matter; the matter it opened is marked
        merged (kept, with its history) and leaves the statistics of matters."""
        self.access.require("matter.reassign")
        with self._db.unit_of_work(write_lock="followup") as uow:
            visit = uow.session.get(Visit, visit_id)
            target = uow.session.get(Matter, matter_id)
            if visit is None or target is None:
                raise NotFoundError("没有这次来访或这个事项")
            if visit.matter_id == matter_id:
                return
            if target.petitioner_id != visit.petitioner_id:
                raise TransitionRefused("只能并入同一信访人的事项。")
            old = uow.session.get(Matter, visit.matter_id)
            others = uow.session.scalar(
                select(func.count(Visit.id)).where(Visit.matter_id == old.id, Visit.id != visit.id)
            )
            visit.matter_id = target.id
            uow.session.add(
                MatterEvent(
                    matter_id=target.id, kind="visit_attached", actor=actor[:50], detail=f"并入来访 {visit.visit_no}"
                )
            )
            if not others:
                old.status = MERGED
                old.due_on = None
                uow.session.add(
                    MatterEvent(
                        matter_id=old.id, kind="merged", actor=actor[:50], detail=f"并入事项 {target.id}",
                        data=json.dumps({"into": target.id}),
                    )
                )  # fmt: skip
            _commit(uow)
        self._record(matter_id, f"并入来访 {visit_id}")

    def _record(self, matter_id: int, detail: str) -> None:
        """Every change of a matter in the audit trail too (the matter's history says what; this says who
        was logged in, and from which terminal)."""
        if self._audit is not None:
            self._audit.record("edit", "", f"事项 {matter_id}", detail)

    # ---- 待办 ----

    def agenda(self, today: dt.date | None = None) -> Agenda:
        me = self.access.require("visit.view")
        today = today or self._clock().date()
        week_end = today + dt.timedelta(days=7)
        query = (
            select(Matter.id, Matter.status, Matter.topic, Matter.summary, Matter.due_on, Matter.version)
            .where(Matter.due_on.is_not(None), Matter.due_on <= week_end, Matter.status.in_(OPEN_STATES))
            .order_by(Matter.due_on, Matter.id)
        )
        if not me.can("visit.view_all"):
            # A 接待员 follows the matters they received; the office's whole list is the 负责人's.
            query = query.where(Matter.id.in_(select(Visit.matter_id).where(Visit.officer == me.display_name)))
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(query).all()
        items = []
        for matter_id, status, topic, summary, due_on, version in rows:
            period = self.due_for(status, due_on)[1]
            p = self.deadlines.periods[period]
            items.append(
                DueItem(
                    matter_id,
                    status,
                    topic,
                    summary[:60],
                    due_on,
                    (due_on - today).days,
                    f"《{p.law}》{article_label(p.article)}",
                    version,
                )
            )
        return Agenda(
            tuple(i for i in items if i.days_left < 0),
            tuple(i for i in items if i.days_left == 0),
            tuple(i for i in items if i.days_left > 0),
        )

    def final_matters(self, petitioner_id: int) -> list[int]:
        """Matters of this person closed after 复核: the same facts and reasons are not accepted again."""
        with self._db.unit_of_work() as uow:
            return list(
                uow.session.scalars(
                    select(Matter.id).where(Matter.petitioner_id == petitioner_id, Matter.final.is_(True))
                )
            )


def final_notice(matter_ids: list[int]) -> str:
    if not matter_ids:
        return ""
    listed = "、".join(str(i) for i in matter_ids)
    return (
        f"该信访人的事项（编号 {listed}）已经复核。对复核意见不服、仍以同一事实和理由提出的投诉请求，"
        "不再受理（《信访工作条例》第三十六条第三款）；新的事实或理由可以登记。"
    )
