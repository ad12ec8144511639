"""Retention (个人信息保护法 第十九条, 第四十七条): the personal fields of matters closed long ago are anonymised.

`reception purge --years 5` lists, as a dry run, the people whose every matter has been closed (已办结,
已并入, 不予受理 with no later step) with no visit in the last N years; with `--yes` their name, ID number,
phone and address, their representatives' details, and the free text of their matters and visits (which
may name them) are replaced, and the search index entry rebuilt from what remains. Types, topics, routes,
dates, statuses, explanations' articles and every count stay, so the statistics are the same after a purge
(tested). Each run is one transaction and one audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select

from db.models import Explanation, Matter, Petitioner, Visit
from db.search import add_to_index, remove_from_index, visit_index_body
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog

ANONYMISED = "（已匿名化）"
CLOSED = ("已办结", "已并入", "不予受理", "已导入法定途径")


@dataclass(frozen=True)
class PurgePlan:
    cutoff: dt.date
    people: int
    visits: int


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class RetentionService:
    def __init__(
        self,
        database: Database,
        audit: AuditLog | None = None,
        today: dt.date | None = None,
        access: AccessControl | None = None,
    ):
        self._db = database
        self.access = access or AccessControl()
        self._audit = audit
        self._today = today

    def _due_people(self, years: int):  # noqa: ANN202 - a select of petitioner ids
        cutoff = _add_years(self._today or dt.date.today(), -years)
        last_visit = select(func.max(Visit.visited_at)).where(Visit.petitioner_id == Petitioner.id).scalar_subquery()
        open_matter = exists().where(and_(Matter.petitioner_id == Petitioner.id, Matter.status.not_in(CLOSED)))
        query = select(Petitioner.id).where(
            Petitioner.name != ANONYMISED, last_visit < dt.datetime.combine(cutoff, dt.time.min), ~open_matter
        )
        return cutoff, query

    def plan(self, years: int = 5) -> PurgePlan:
        self.access.require("maintenance")
        if years < 1:
            raise ValueError(years)
        cutoff, people = self._due_people(years)
        with self._db.unit_of_work() as uow:
            ids = list(uow.session.scalars(people))
            visits = uow.session.scalar(select(func.count(Visit.id)).where(Visit.petitioner_id.in_(ids))) if ids else 0
        return PurgePlan(cutoff, len(ids), int(visits or 0))

    def purge(self, years: int, actor: str) -> PurgePlan:
        self.access.require("maintenance")
        cutoff, people = self._due_people(years)
        with self._db.unit_of_work(write_lock="retention") as uow:
            s = uow.session
            ids = list(s.scalars(people))
            visits = 0
            for person in s.scalars(select(Petitioner).where(Petitioner.id.in_(ids))):
                for visit in s.scalars(select(Visit).where(Visit.petitioner_id == person.id)):
                    matter = s.get(Matter, visit.matter_id)
                    remove_from_index(s, visit.id, visit_index_body(visit, matter, person.name, person.address))
                    visits += 1
                for matter in s.scalars(select(Matter).where(Matter.petitioner_id == person.id)):
                    matter.summary = ANONYMISED
                    matter.involved_unit = matter.location = ""
                for visit in s.scalars(select(Visit).where(Visit.petitioner_id == person.id)):
                    visit.explanation = ""
                    for rep in visit.representatives:
                        rep.name, rep.id_number, rep.id_hash, rep.phone = ANONYMISED, None, None, ""
                for record in s.scalars(
                    select(Explanation)
                    .join(Visit, Explanation.visit_id == Visit.id)
                    .where(Visit.petitioner_id == person.id)
                ):
                    record.points = ""
                    record.documents = ""
                person.name, person.id_number, person.id_hash = ANONYMISED, None, None
                person.phone, person.phone_hash, person.address = "", "", ""
                s.flush()
                for visit in s.scalars(select(Visit).where(Visit.petitioner_id == person.id)):
                    add_to_index(s, visit.id, visit_index_body(visit, s.get(Matter, visit.matter_id), "", ""))
            uow.commit()
        plan = PurgePlan(cutoff, len(ids), visits)
        if self._audit is not None:
            self._audit.record(
                "edit", actor, "到期个人信息匿名化", f"{plan.people}人，{plan.visits}次来访，截至{cutoff.isoformat()}"
            )
        return plan


__all__ = ["ANONYMISED", "PurgePlan", "RetentionService"]
