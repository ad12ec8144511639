"""What the office holds about one person, for the person (个人信息保护法 第四十五条: 查阅、复制).

Found by ID number (its keyed hash), gathered read-only — the person's record, every visit with what was
explained and which documents were handed over, every matter with its history — and written as an A4 PDF.
Only a 负责人 may do it, with a stated purpose, and the export is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy import select

from db.models import Explanation, Handout, Matter, MatterEvent, Petitioner, Visit, VisitRepresentative
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.errors import NotFoundError, ValidationError
from reception.handouts.fonts import FontChoice
from reception.handouts.layout import build_a4, make_styles, para
from reception.protection import FieldCipher
from reception.validation import mask_id_number, normalize_id_number

KIND_NAMES = {"notice": "权利义务与救济途径告知书", "receipt": "来访登记回执", "guide": "普法指南"}


@dataclass(frozen=True)
class VisitHeld:
    visit_no: str
    visited_at: dt.datetime
    officer: str
    headcount: int
    explanation: str
    explained_points: str
    documents: tuple[str, ...]
    representative: bool  # the person came as a group's representative, not as the petitioner


@dataclass(frozen=True)
class MatterHeld:
    matter_id: int
    summary: str
    involved_unit: str
    classification: str
    status: str
    history: tuple[tuple[dt.datetime, str, str], ...]


@dataclass(frozen=True)
class PersonRecord:
    name: str
    gender: str
    id_number: str
    phone: str
    address: str
    first_recorded: dt.datetime | None
    visits: tuple[VisitHeld, ...]
    matters: tuple[MatterHeld, ...]


class PersonExport:
    def __init__(self, database: Database, cipher: FieldCipher, audit: AuditLog, access: AccessControl):
        self._db = database
        self._cipher = cipher
        self._audit = audit
        self.access = access

    def gather(self, id_number: str) -> PersonRecord:
        self.access.require("export.personal")
        try:
            number = normalize_id_number(id_number).value
        except ValueError as exc:
            raise ValidationError({"id_number": str(exc)}) from exc
        id_hash = self._cipher.lookup_hash(number)
        with self._db.unit_of_work() as uow:
            s = uow.session
            person = s.scalars(select(Petitioner).where(Petitioner.id_hash == id_hash)).first()
            as_rep = list(s.scalars(select(VisitRepresentative.visit_id).where(VisitRepresentative.id_hash == id_hash)))
            if person is None and not as_rep:
                raise NotFoundError("本单位没有存有这个身份证号的人员记录。")
            own = list(s.scalars(select(Visit).where(Visit.petitioner_id == person.id))) if person else []
            rep_visits = list(s.scalars(select(Visit).where(Visit.id.in_(as_rep)))) if as_rep else []
            visits = sorted({v.id: v for v in own + rep_visits}.values(), key=lambda v: (v.visited_at, v.id))
            rep_ids = set(as_rep) - {v.id for v in own}
            held_visits = []
            for v in visits:
                explanation = s.scalars(select(Explanation).where(Explanation.visit_id == v.id)).first()
                documents = tuple(
                    f"{h.issued_at:%Y-%m-%d} {KIND_NAMES.get(h.kind, h.kind)}"
                    for h in s.scalars(select(Handout).where(Handout.visit_id == v.id).order_by(Handout.id))
                )
                held_visits.append(
                    VisitHeld(
                        v.visit_no, v.visited_at, v.officer, v.headcount, v.explanation,
                        explanation.points if explanation else "", documents, v.id in rep_ids,
                    )
                )  # fmt: skip
            matter_ids = sorted({v.matter_id for v in visits})
            held_matters = []
            for m in s.scalars(select(Matter).where(Matter.id.in_(matter_ids)).order_by(Matter.id)):
                events = s.scalars(
                    select(MatterEvent).where(MatterEvent.matter_id == m.id).order_by(MatterEvent.occurred_at)
                )
                held_matters.append(
                    MatterHeld(
                        m.id,
                        m.summary,
                        m.involved_unit,
                        "／".join(x for x in (m.matter_type, m.topic, m.route) if x) or "未分类",
                        m.status,
                        tuple((e.occurred_at, e.kind, e.detail) for e in events),
                    )
                )
            if person is not None:
                return PersonRecord(
                    person.name, person.gender, number, self._cipher.decrypt(person.phone), person.address,
                    person.created_at, tuple(held_visits), tuple(held_matters),
                )  # fmt: skip
            rep = s.scalars(select(VisitRepresentative).where(VisitRepresentative.id_hash == id_hash)).first()
            return PersonRecord(
                rep.name, "", number, self._cipher.decrypt(rep.phone), "", None, tuple(held_visits), tuple(held_matters)
            )

    def export(self, id_number: str, purpose: str, font: FontChoice, office: str = "") -> tuple[PersonRecord, bytes]:
        """The record and its PDF; refused without a purpose, recorded in the audit trail."""
        me = self.access.require("export.personal")
        if not purpose.strip():
            raise ValidationError({"purpose": "请写明导出的用途（例如：本人依法申请查阅复制）"})
        record = self.gather(id_number)
        pdf = render(record, font, office)
        self._audit.record(
            "export", me.display_name, f"个人信息 {mask_id_number(record.id_number)}",
            f"用途：{purpose.strip()}；来访 {len(record.visits)} 次，事项 {len(record.matters)} 件",
        )  # fmt: skip
        return record, pdf


def render(record: PersonRecord, font: FontChoice, office: str = "") -> bytes:
    from reception.visits import event_label

    s = make_styles(font)
    title = "个人信息查阅复制件"
    story = [para(title, s.title), Spacer(1, 3 * mm)]
    story.append(
        para(
            f"根据《中华人民共和国个人信息保护法》第四十五条，{office or '本单位'}将所存有的您的个人信息及相关来访记录"
            f"提供如下。制作日期：{dt.date.today():%Y年%m月%d日}。",
            s.body,
        )
    )
    story.append(para("一、基本信息", s.heading))
    for label, value in (
        ("姓名", record.name),
        ("性别", record.gender),
        ("身份证号", record.id_number),
        ("联系电话", record.phone or "未留"),
        ("住址", record.address or "未留"),
        ("首次登记", f"{record.first_recorded:%Y-%m-%d}" if record.first_recorded else "—"),
    ):
        if value:
            story.append(para(f"{label}：{value}", s.body))
    story.append(para(f"二、来访记录（共 {len(record.visits)} 次）", s.heading))
    for v in record.visits:
        role = "（作为代表）" if v.representative else ""
        story.append(para(f"{v.visited_at:%Y-%m-%d %H:%M}　登记编号 {v.visit_no}{role}　接待人：{v.officer}", s.body))
        for label, value in (("接待说明", v.explanation), ("释法要点", v.explained_points)):
            if value.strip():
                story.append(para(f"{label}：{value}", s.small))
        if v.documents:
            story.append(para("出具文书：" + "；".join(v.documents), s.small))
    story.append(para(f"三、信访事项（共 {len(record.matters)} 件）", s.heading))
    for m in record.matters:
        story.append(para(f"事项 {m.matter_id}：{m.summary}", s.body))
        story.append(para(f"分类：{m.classification}　当前状态：{m.status}", s.small))
        if m.involved_unit:
            story.append(para(f"涉及单位：{m.involved_unit}", s.small))
        for at, kind, detail in m.history:
            story.append(para(f"{at:%Y-%m-%d} {event_label(kind)}{('：' + detail) if detail else ''}", s.small))
    story.append(Spacer(1, 6 * mm))
    story.append(para("如认为上述信息不准确或不完整，可以请求更正、补充（个人信息保护法第四十六条）。", s.body))
    story.append(Spacer(1, 10 * mm))
    story.append(para(f"{office or '本单位'}（盖章）", s.body))
    return build_a4(story, font, title, f"{office}　个人信息查阅复制件" if office else "个人信息查阅复制件")


def record_as_json(record: PersonRecord) -> str:
    """The same record as data (for a person who asks for it in a machine-readable form)."""
    from dataclasses import asdict

    return json.dumps(asdict(record), ensure_ascii=False, default=str, indent=2)
