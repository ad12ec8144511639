"""释法记录 and the duty-lawyer roster (一进三参).

For each visit: which articles, guides and cases were explained (pre-filled from what the desk printed for
it), by whom, whether a duty lawyer took part, how the petitioner responded, which papers were handed over.
A record is editable on the day it was made and frozen after it: a later correction is a MatterEvent with
what changed, so the record an inspector reads is the one written at the time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from db.models import DutyLawyer, Explanation, Handout, MatterEvent, Visit
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.errors import NotFoundError, UserError, ValidationError
from reception.remedies import Citation

RESPONSES = ("接受引导", "转法定途径", "坚持信访", "其他")
WEEKDAYS = "一二三四五六日"


@dataclass
class ExplanationInput:
    officer: str = ""
    articles: list[str] = field(default_factory=list)  # "劳动合同法:82"
    guides: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    points: str = ""
    lawyer_id: int | None = None
    response: str = ""
    documents: str = ""


@dataclass(frozen=True)
class ExplanationRecord:
    visit_id: int
    matter_id: int
    officer: str
    made_on: dt.date
    articles: tuple[str, ...]
    guides: tuple[str, ...]
    cases: tuple[str, ...]
    points: str
    lawyer: str
    response: str
    documents: str
    frozen: bool


@dataclass(frozen=True)
class LawyerRow:
    lawyer_id: int
    name: str
    firm: str
    licence_no: str
    duty_days: tuple[int, ...]
    active: bool

    @property
    def duty_text(self) -> str:
        return "、".join("周" + WEEKDAYS[d - 1] for d in self.duty_days)


class RecordFrozen(UserError):
    pass


class ExplanationService:
    def __init__(
        self,
        database: Database,
        clock: Callable[[], dt.datetime] | None = None,
        access: AccessControl | None = None,
        audit: AuditLog | None = None,
    ):
        self._db = database
        self.access = access or AccessControl()
        self._audit = audit
        self._clock = clock or (lambda: dt.datetime.now().replace(microsecond=0))

    # ---- roster ----

    def add_lawyer(self, name: str, firm: str, licence_no: str, duty_days: list[int]) -> int:
        self.access.require("settings")
        errors = {}
        if not name.strip():
            errors["name"] = "请填写律师姓名"
        if not licence_no.strip().isdigit() or len(licence_no.strip()) != 17:
            errors["licence_no"] = "执业证号应为17位数字"
        if any(d not in range(1, 8) for d in duty_days):
            errors["duty_days"] = "值班日应为周一到周日（1—7）"
        if errors:
            raise ValidationError(errors)
        with self._db.unit_of_work(write_lock="explanations") as uow:
            if uow.session.scalar(select(DutyLawyer.id).where(DutyLawyer.licence_no == licence_no.strip())):
                raise ValidationError({"licence_no": "该执业证号已在名册中"})
            row = DutyLawyer(
                name=name.strip()[:50],
                firm=firm.strip()[:100],
                licence_no=licence_no.strip(),
                duty_days=",".join(str(d) for d in sorted(set(duty_days))),
            )
            uow.session.add(row)
            uow.session.flush()
            lawyer_id = row.id
            uow.commit()
        return lawyer_id

    def lawyers(self, on: dt.date | None = None) -> list[LawyerRow]:
        """The active roster; with a date, those on duty that day first."""
        with self._db.unit_of_work() as uow:
            rows = uow.session.scalars(select(DutyLawyer).where(DutyLawyer.active.is_(True)).order_by(DutyLawyer.id))
            found = [
                LawyerRow(
                    r.id, r.name, r.firm, r.licence_no, tuple(int(d) for d in r.duty_days.split(",") if d), r.active
                )
                for r in rows
            ]
        if on is not None:
            found.sort(key=lambda r: on.isoweekday() not in r.duty_days)
        return found

    # ---- records ----

    def prefill(self, visit_id: int) -> ExplanationInput:
        """What the desk already knows was explained: the articles and guides of the documents printed."""
        self.access.require("visit.view")
        with self._db.unit_of_work() as uow:
            visit = uow.session.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError(f"没有编号为 {visit_id} 的来访")
            handouts = uow.session.execute(
                select(Handout.kind, Handout.topic, Handout.snapshot).where(Handout.visit_id == visit_id)
            ).all()
            officer = visit.officer
        articles: list[str] = []
        guides: list[str] = []
        documents: list[str] = []
        labels = {"notice": "权利义务与救济途径告知书", "receipt": "来访登记回执", "guide": "普法指南"}
        for kind, topic, snapshot in handouts:
            documents.append(labels.get(kind, kind) + (f"（{topic}）" if kind == "guide" else ""))
            if kind == "guide" and topic and topic not in guides:
                guides.append(topic)
            data = json.loads(snapshot or "{}")
            for key in ("citations", "basis"):
                for article in data.get(key, []) or []:
                    spec = f"{article.get('short_title')}:{article.get('number')}"
                    if article.get("short_title") and spec not in articles:
                        articles.append(spec)
        return ExplanationInput(
            officer=officer, articles=articles, guides=guides, documents="、".join(dict.fromkeys(documents))
        )

    def _validate(self, data: ExplanationInput) -> None:
        errors = {}
        if not data.officer.strip():
            errors["officer"] = "请填写释法人"
        if data.response and data.response not in RESPONSES:
            errors["response"] = "请选择信访人的态度：" + "、".join(RESPONSES)
        for spec in data.articles:
            try:
                Citation.parse(spec)
            except ValueError:
                errors["articles"] = f"法条应写成“法律简称:条号”：{spec}"
        if errors:
            raise ValidationError(errors)

    def save(self, visit_id: int, data: ExplanationInput) -> None:
        """Create the visit's record, or change it on the day it was made; refused (RecordFrozen) later."""
        self.access.require("visit.register")
        self._validate(data)
        today = self._clock().date()
        with self._db.unit_of_work(write_lock="explanations") as uow:
            visit = uow.session.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError(f"没有编号为 {visit_id} 的来访")
            row = uow.session.scalar(select(Explanation).where(Explanation.visit_id == visit_id))
            if row is None:
                row = Explanation(visit_id=visit_id, matter_id=visit.matter_id, made_on=today)
                uow.session.add(row)
            elif row.made_on != today:
                raise RecordFrozen(
                    f"释法记录已于{row.made_on.isoformat()}当日结束后冻结，不能再修改；如需更正，请记录更正说明。"
                )
            row.officer = data.officer.strip()[:50]
            row.articles = json.dumps(data.articles, ensure_ascii=False)
            row.guides = json.dumps(data.guides, ensure_ascii=False)
            row.cases = json.dumps(data.cases, ensure_ascii=False)
            row.points = data.points.strip()
            row.lawyer_id = data.lawyer_id
            row.response = data.response
            row.documents = data.documents.strip()
            uow.commit()
        if self._audit is not None:
            self._audit.record("edit", "", f"释法记录 来访{visit_id}", "保存")

    def correct(self, visit_id: int, *, actor: str, text: str) -> None:
        """A correction of a frozen record, kept beside it in the matter's history."""
        self.access.require("visit.register")
        if not text.strip():
            raise ValidationError({"text": "请写明更正的内容"})
        with self._db.unit_of_work(write_lock="explanations") as uow:
            row = uow.session.scalar(select(Explanation).where(Explanation.visit_id == visit_id))
            if row is None:
                raise NotFoundError("这次来访还没有释法记录")
            uow.session.add(
                MatterEvent(
                    matter_id=row.matter_id,
                    kind="explanation_corrected",
                    actor=actor.strip()[:50],
                    detail="释法记录更正：" + text.strip(),
                    data=json.dumps({"visit_id": visit_id}, ensure_ascii=False),
                )
            )
            uow.commit()
        if self._audit is not None:
            self._audit.record("edit", "", f"释法记录 来访{visit_id}", "更正")

    def get(self, visit_id: int) -> ExplanationRecord | None:
        self.access.require("visit.view")
        today = self._clock().date()
        with self._db.unit_of_work() as uow:
            row = uow.session.scalar(select(Explanation).where(Explanation.visit_id == visit_id))
            if row is None:
                return None
            lawyer = uow.session.get(DutyLawyer, row.lawyer_id) if row.lawyer_id else None
            return ExplanationRecord(
                row.visit_id,
                row.matter_id,
                row.officer,
                row.made_on,
                tuple(json.loads(row.articles)),
                tuple(json.loads(row.guides)),
                tuple(json.loads(row.cases)),
                row.points,
                f"{lawyer.name}（{lawyer.firm}）" if lawyer else "",
                row.response,
                row.documents,
                row.made_on != today,
            )
