"""Registering visits, finding them again, and telling the officer about earlier visits (重复访)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, tuple_, union
from sqlalchemy.orm import Session

from db.models import Explanation, Matter, MatterEvent, Petitioner, Visit, VisitRepresentative
from db.search import add_to_index, free_text_condition, visit_index_body
from db.session import Database
from db.textsearch import query_terms
from reception.accounts import AccessControl, PermissionDeniedError
from reception.audit import AuditLog
from reception.deadlines import DeadlineService
from reception.errors import NotFoundError, ValidationError
from reception.protection import FieldCipher
from reception.validation import check_text, mask_id_number, normalize_id_number, normalize_phone
from reception.vocab import GENDERS, MATTER_STATUSES, MATTER_TYPES, ROUTES, TOPICS

MAX_REPRESENTATIVES = 5
MAX_HEADCOUNT = 9999
# No 0/O, 1/I/L: a query code is read aloud and typed from paper.
_QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8

ANONYMOUS_NAME = "匿名来访人"


@dataclass
class RepresentativeInput:
    name: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass
class VisitInput:
    """What the registration form collects. Field names are the keys of ValidationError.errors."""

    name: str = ""
    gender: str = "未说明"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    visited_at: dt.datetime | None = None
    officer: str = ""
    headcount: int = 1
    representatives: list[RepresentativeInput] = field(default_factory=list)
    summary: str = ""
    involved_unit: str = ""
    location: str = ""
    jurisdiction: str = ""
    matter_type: str = ""
    topic: str = ""
    route: str = ""
    explanation: str = ""
    # What the matcher suggested when the officer saved (kept beside what was confirmed, for statistics).
    suggestion: dict | None = None
    # An earlier matter of the same person this visit is about (offered by the repeat-visit notice); None
    # opens a new matter.
    matter_id: int | None = None
    # Chosen by the desk before its first attempt to save (new_query_code()), so that saving again after a
    # lost connection finds the visit the first attempt may have stored instead of registering it twice.
    query_code: str = ""


@dataclass(frozen=True)
class SavedVisit:
    visit_id: int
    matter_id: int
    visit_no: str
    query_code: str


@dataclass(frozen=True)
class VisitRow:
    """One line of the visit list: personal numbers already masked."""

    visit_id: int
    visit_no: str
    visited_at: dt.datetime
    name: str
    id_masked: str
    phone_masked: str
    matter_type: str
    topic: str
    status: str
    officer: str
    headcount: int
    summary: str
    is_anonymous: bool


@dataclass(frozen=True)
class EarlierVisit:
    visit_id: int
    visit_no: str
    visited_at: dt.datetime
    topic: str
    summary: str
    explanation: str
    status: str
    matter_id: int = 0


@dataclass(frozen=True)
class RepeatInfo:
    """Earlier visits of the person being registered, newest first (at most `limit` listed)."""

    count: int
    visits: tuple[EarlierVisit, ...]
    # False when neither number was complete and valid, so nothing was looked up yet.
    searched: bool = True
    # Matters of this person closed after 复核: the same facts and reasons are not accepted again.
    final_matters: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventView:
    occurred_at: dt.datetime
    kind: str
    actor: str
    detail: str


@dataclass(frozen=True)
class VisitDetail:
    visit_id: int
    visit_no: str
    query_code: str
    visited_at: dt.datetime
    officer: str
    headcount: int
    is_anonymous: bool
    name: str
    gender: str
    id_number: str  # masked unless asked for in full (get_detail(reveal_id=True), audited)
    phone: str
    address: str
    representatives: tuple[RepresentativeInput, ...]
    matter_id: int
    summary: str
    involved_unit: str
    location: str
    jurisdiction: str
    matter_type: str
    topic: str
    route: str
    status: str
    explanation: str
    history: tuple[EventView, ...]
    id_revealed: bool = False
    matter_version: int = 1  # what a change made from this view must still find (FollowUpService)


SORT_KEYS = ("visited_at", "visit_no", "name", "officer", "matter_type", "topic", "status")


@dataclass(frozen=True)
class VisitQuery:
    """A search of the visit list. `text` may be a name, an ID number, a phone number or any words.

    Words also find their everyday or legal equivalents (欠薪 finds 拖欠工资), and a text that is exactly
    a type, topic, route or status name also finds visits so classified. The classification fields
    narrow the list to one value each; empty means any.
    """

    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort_key: str = "visited_at"
    descending: bool = True
    matter_type: str = ""
    topic: str = ""
    route: str = ""
    status: str = ""


@dataclass(frozen=True)
class PageCursor:
    """Where the next page starts: the sort value and id of the last row shown (keyset paging)."""

    sort_value: object
    visit_id: int


_ID_LIKE_RE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
_PHONE_LIKE_RE = re.compile(r"^[+\d][\d\- ]{5,}$")


def _petitioner_in(condition) -> ColumnElement[bool]:  # noqa: ANN001 - a SQLAlchemy condition
    """Visits of petitioners matching condition, phrased so SQLite drives the search from the index."""
    return Visit.petitioner_id.in_(select(Petitioner.id).where(condition))


def _person_visits(session: Session, id_hash: str | None = None, phone_hash: str | None = None) -> ColumnElement[bool]:
    """Visits of the person whose ID number (as petitioner or as a group's representative) or phone has this
    keyed hash. The few visit ids are fetched first and handed to the query as a list: an OR of sub-selects
    under ORDER BY … LIMIT makes PostgreSQL walk every visit by date looking for them."""
    parts = []
    if id_hash:
        parts.append(select(Visit.id).where(_petitioner_in(Petitioner.id_hash == id_hash)))
        parts.append(select(VisitRepresentative.visit_id).where(VisitRepresentative.id_hash == id_hash))
    if phone_hash:
        parts.append(select(Visit.id).where(_petitioner_in(Petitioner.phone_hash == phone_hash)))
    if not parts:
        return false()
    return Visit.id.in_(list(session.scalars(union(*parts))))


@cache
def _equivalents() -> dict[str, tuple[str, ...]]:
    """Each word of the matcher's thesaurus with the words it stands for, in both directions.

    The thesaurus maps everyday words to the law's (欠薪 → 拖欠工资); a search needs the way back
    too, because summaries are written both ways. Loaded on the first search, not at start-up.
    """
    from reception.matching.retrieval import load_thesaurus

    linked: dict[str, dict[str, None]] = {}
    for everyday, legal in load_thesaurus().items():
        for word in legal:
            linked.setdefault(everyday, {})[word] = None
            linked.setdefault(word, {})[everyday] = None
    return {word: tuple(others) for word, others in linked.items()}


def search_terms(text: str) -> list[tuple[str, ...]]:
    """The query's terms, each with its equivalents: a visit must contain one word of every group."""
    equivalents = _equivalents()
    groups = []
    for term in query_terms(text):
        words = [term, *(w for w in equivalents.get(term, ()) if w != term)]
        # A word containing another of the group finds nothing more, only costs an index lookup.
        groups.append(tuple(w for w in words if not any(o != w and len(o) > 1 and o in w for o in words)))
    return groups


# A classification name typed as the search text (劳动就业) finds the visits classified so; some
# names are both a topic and a route (涉法涉诉), and then either counts.
_CLASSIFICATION_COLUMNS = (
    (MATTER_TYPES, Matter.matter_type),
    (TOPICS, Matter.topic),
    (ROUTES, Matter.route),
    (MATTER_STATUSES, Matter.status),
)


# Below this many matching matters, a condition on matters is driven from their index and the few
# visits sorted; from it on, matches are dense enough that walking the list in display order and
# checking each visit's matter fills a page sooner. Either plan alone takes about 0.5 s on 1,000,000
# visits in its bad case (benchmarks/visit_list.py); the probe costs a millisecond on an indexed column
# (route has no index: 50 ms).
_DENSE_MATTERS = 20_000
_FEW_MATTERS = 2_000


def _matter_condition(session: Session, criterion: ColumnElement[bool]) -> ColumnElement[bool]:
    """Visits whose matter meets criterion, phrased for the query plan that suits how many do."""
    matching = list(session.scalars(select(Matter.id).where(criterion).limit(_DENSE_MATTERS)))
    if len(matching) >= _DENSE_MATTERS:
        return select(Matter.id).where(Matter.id == Visit.matter_id, criterion).exists()
    if len(matching) <= _FEW_MATTERS:
        # A short list of ids, not a sub-select: PostgreSQL cannot estimate a rare value and would walk
        # every visit by date looking for it.
        return Visit.matter_id.in_(matching) if matching else false()
    return Visit.matter_id.in_(select(Matter.id).where(criterion))


def _classified_as(session: Session, name: str) -> ColumnElement[bool] | None:
    columns = [column for names, column in _CLASSIFICATION_COLUMNS if name in names]
    if not columns:
        return None
    return _matter_condition(session, or_(*(column == name for column in columns)))


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return phone
    return phone[:3] + "****" + phone[-4:]


def new_query_code() -> str:
    return "".join(secrets.choice(_QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def format_query_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class VisitService:
    """Use cases around visits. Each call opens its own unit of work; callers never see a Session."""

    def __init__(
        self,
        database: Database,
        clock: Callable[[], dt.datetime] | None = None,
        deadlines: DeadlineService | None = None,
        audit: AuditLog | None = None,
        access: AccessControl | None = None,
        cipher: FieldCipher | None = None,
    ):
        self._db = database
        self.audit = audit
        # Nobody logged in unless the caller shares the app's AccessControl: protected calls are refused.
        self.access = access or AccessControl()
        if cipher is None:
            raise ValueError("VisitService needs the database's FieldCipher (Services.open builds it)")
        self._cipher = cipher
        self._clock = clock or (lambda: dt.datetime.now().replace(microsecond=0))
        # A new matter is due to be accepted or not, and told, within 15 days (信访工作条例 第二十三条).
        self._deadlines = deadlines or DeadlineService()

    @property
    def database_url(self) -> str:
        return self._db.url

    # -- registration ---------------------------------------------------------------------------

    def validate(self, data: VisitInput) -> VisitInput:
        """Return a cleaned copy of data, or raise ValidationError naming every bad field."""
        errors: dict[str, str] = {}
        clean = VisitInput(**{**data.__dict__, "representatives": list(data.representatives)})
        today = self._clock().date()

        if clean.query_code and not (
            len(clean.query_code) == QUERY_CODE_LENGTH and set(clean.query_code) <= set(_QUERY_CODE_ALPHABET)
        ):
            errors["query_code"] = "查询码格式不对"
        clean.id_number = data.id_number.strip()
        if clean.id_number:
            try:
                parsed = normalize_id_number(clean.id_number, today)
            except ValueError as exc:
                errors["id_number"] = str(exc)
            else:
                clean.id_number = parsed.value
                if clean.gender not in ("男", "女"):
                    clean.gender = parsed.gender
                elif clean.gender != parsed.gender:
                    errors["gender"] = f"性别与身份证号不符（身份证号显示为{parsed.gender}）"
        anonymous = not clean.id_number

        clean.name = data.name.strip()
        if message := check_text(clean.name, "姓名", max_len=50, required=not anonymous):
            errors["name"] = message if clean.name or not anonymous else "请填写姓名"
        if clean.gender not in GENDERS:
            errors["gender"] = "性别只能选择：男、女、未说明"

        clean.phone = data.phone.strip()
        if clean.phone:
            try:
                clean.phone = normalize_phone(clean.phone)
            except ValueError as exc:
                errors["phone"] = str(exc)

        if message := check_text(data.address, "住址", max_len=200):
            errors["address"] = message
        clean.address = data.address.strip()

        if data.visited_at is None:
            errors["visited_at"] = "请填写来访时间"
        elif data.visited_at > self._clock() + dt.timedelta(minutes=5):
            errors["visited_at"] = "来访时间不能晚于现在"
        elif data.visited_at.year < 2000:
            errors["visited_at"] = "来访时间不合理，请核对"
        else:
            clean.visited_at = data.visited_at.replace(microsecond=0)

        clean.officer = data.officer.strip()
        if message := check_text(clean.officer, "接待人员", max_len=50, required=True):
            errors["officer"] = message

        if not isinstance(data.headcount, int) or data.headcount < 1:
            errors["headcount"] = "来访人数至少为1人"
        elif data.headcount > MAX_HEADCOUNT:
            errors["headcount"] = f"来访人数不能超过{MAX_HEADCOUNT}人"

        reps = [r for r in data.representatives if r.name.strip() or r.id_number.strip() or r.phone.strip()]
        if len(reps) > MAX_REPRESENTATIVES:
            errors["representatives"] = "多人走访应推选代表，代表人数不超过5人（《信访工作条例》第十八条）"
        elif isinstance(data.headcount, int) and len(reps) > max(data.headcount - 1, 0) and reps:
            errors["representatives"] = "代表人数不能多于来访人数"
        cleaned_reps: list[RepresentativeInput] = []
        for index, rep in enumerate(reps[:MAX_REPRESENTATIVES]):
            key = f"representatives.{index}"
            rep_clean = RepresentativeInput(rep.name.strip(), rep.id_number.strip(), rep.phone.strip())
            if message := check_text(rep_clean.name, f"代表{index + 1}姓名", max_len=50, required=True):
                errors[key] = message
            if rep_clean.id_number:
                try:
                    rep_clean.id_number = normalize_id_number(rep_clean.id_number, today).value
                except ValueError as exc:
                    errors[key] = f"代表{index + 1}：{exc}"
            if rep_clean.phone:
                try:
                    rep_clean.phone = normalize_phone(rep_clean.phone)
                except ValueError as exc:
                    errors[key] = f"代表{index + 1}：{exc}"
            cleaned_reps.append(rep_clean)
        clean.representatives = cleaned_reps

        if message := check_text(data.summary, "诉求摘要", max_len=4000, required=True, multiline=True):
            errors["summary"] = message
        for key, label, limit in (
            ("involved_unit", "涉及单位", 200),
            ("location", "地点", 200),
            ("jurisdiction", "问题属地", 100),
        ):
            if message := check_text(getattr(data, key), label, max_len=limit):
                errors[key] = message
            setattr(clean, key, getattr(data, key).strip())
        if message := check_text(data.explanation, "释法要点", max_len=4000, multiline=True):
            errors["explanation"] = message

        for key, allowed, label in (
            ("matter_type", MATTER_TYPES, "类型"),
            ("topic", TOPICS, "事项主题"),
            ("route", ROUTES, "处理途径"),
        ):
            if getattr(data, key) and getattr(data, key) not in allowed:
                errors[key] = f"{label}“{getattr(data, key)}”不在规定的分类中"

        if errors:
            raise ValidationError(errors)
        return clean

    def register(self, data: VisitInput) -> SavedVisit:
        """Validate and save a visit with its matter in one transaction; nothing is saved on error."""
        me = self.access.require("visit.register")
        if not data.officer.strip():
            data = replace(data, officer=me.display_name)
        clean = self.validate(data)
        if data.query_code:
            earlier = self._saved_with_code(data.query_code)
            if earlier is not None:
                return earlier
        # Serialised with other registrations: two desks registering the same new person at once must
        # find one record, not create two (or fail on the unique ID hash).
        with self._db.unit_of_work(write_lock="register") as uow:
            result = self.save_validated(uow.session, clean)
            uow.commit()
        if self.audit is not None:
            self.audit.record("register", me.display_name, result.visit_no)
        return result

    def save_validated(self, session: Session, clean: VisitInput) -> SavedVisit:
        """Add a validated visit (and its matter, events and index entry) to the caller's transaction:
        a ledger import saves a whole batch, or nothing, this way."""
        assert clean.visited_at is not None
        received = clean.visited_at.date()
        if clean.matter_id is not None:
            matter = session.get(Matter, clean.matter_id)
            if matter is None:
                raise ValidationError({"matter_id": "没有这个事项"})
            if clean.id_number:
                petitioner = self._petitioner_for(session, clean)
            else:
                # Someone without an ID number, found again by phone: the matter's person, not a new one.
                petitioner = session.get(Petitioner, matter.petitioner_id)
                self._set_phone(petitioner, clean.phone)
                petitioner.address = clean.address or petitioner.address
            if matter.petitioner_id != petitioner.id:
                raise ValidationError({"matter_id": "只能并入同一信访人的事项"})
        else:
            petitioner = self._petitioner_for(session, clean)
            matter = Matter(
                petitioner_id=petitioner.id,
                summary=clean.summary,
                involved_unit=clean.involved_unit,
                location=clean.location,
                jurisdiction=clean.jurisdiction,
                matter_type=clean.matter_type,
                topic=clean.topic,
                route=clean.route,
                status="已登记",
                state_since=received,
                received_on=received,
            )
            matter.due_on = matter.acceptance_due = self._deadlines.due("petition_acceptance", received).due
            session.add(matter)
            session.flush()
        query_code = clean.query_code or self._unused_query_code(session)
        visit = Visit(
            visit_no=f"TMP-{query_code}",
            query_code=query_code,
            visited_at=clean.visited_at,
            officer=clean.officer,
            headcount=clean.headcount,
            # Anonymous means unidentified: a visitor who gives a name but no ID number is not.
            is_anonymous=not clean.id_number and not clean.name,
            explanation=clean.explanation,
            petitioner_id=petitioner.id,
            matter_id=matter.id,
        )
        visit.representatives = [
            VisitRepresentative(
                position=i + 1,
                name=r.name,
                id_number=self._cipher.encrypt(r.id_number or None),
                id_hash=self._cipher.lookup_hash(r.id_number),
                phone=self._cipher.encrypt(r.phone) or "",
            )
            for i, r in enumerate(clean.representatives)
        ]
        session.add(visit)
        session.flush()
        visit.visit_no = f"XF{clean.visited_at:%Y%m%d}{visit.id:06d}"
        session.add(
            MatterEvent(
                matter_id=matter.id,
                occurred_at=self._clock(),
                kind="registered" if clean.matter_id is None else "visit_attached",
                actor=clean.officer,
                detail=f"来访登记（{visit.visit_no}）" + ("，并入本事项" if clean.matter_id is not None else ""),
                data=json.dumps(
                    {"visit_id": visit.id, "type": clean.matter_type, "topic": clean.topic, "route": clean.route},
                    ensure_ascii=False,
                ),
            )
        )
        if clean.matter_type or clean.topic or clean.route:
            session.add(
                MatterEvent(
                    matter_id=matter.id,
                    occurred_at=self._clock(),
                    kind="classified",
                    actor=clean.officer,
                    detail="接待人员确认分类："
                    + " / ".join(v for v in (clean.matter_type, clean.topic, clean.route) if v),
                    data=json.dumps(
                        {
                            "confirmed": {"type": clean.matter_type, "topic": clean.topic, "route": clean.route},
                            "suggested": clean.suggestion,
                        },
                        ensure_ascii=False,
                    ),
                )
            )
        if clean.explanation:
            session.add(
                MatterEvent(
                    matter_id=matter.id,
                    occurred_at=self._clock(),
                    kind="explained",
                    actor=clean.officer,
                    detail=clean.explanation,
                )
            )
        add_to_index(session, visit.id, visit_index_body(visit, matter, petitioner.name, petitioner.address))
        return SavedVisit(visit.id, matter.id, visit.visit_no, query_code)

    def _petitioner_for(self, session: Session, clean: VisitInput) -> Petitioner:
        """The known person with this ID number (contact details refreshed), or a new record."""
        petitioner = None
        id_hash = self._cipher.lookup_hash(clean.id_number)
        if id_hash:
            petitioner = session.scalars(select(Petitioner).where(Petitioner.id_hash == id_hash)).first()
        if petitioner is None:
            petitioner = Petitioner(
                name=clean.name or (ANONYMOUS_NAME if not clean.id_number else ""),
                gender=clean.gender,
                id_number=self._cipher.encrypt(clean.id_number or None),
                id_hash=id_hash,
                address=clean.address,
                created_at=self._clock(),
            )
            self._set_phone(petitioner, clean.phone)
            session.add(petitioner)
        else:
            petitioner.name = clean.name
            petitioner.gender = clean.gender
            self._set_phone(petitioner, clean.phone)
            petitioner.address = clean.address or petitioner.address
        session.flush()
        return petitioner

    def _set_phone(self, petitioner: Petitioner, phone: str) -> None:
        """A new number replaces the one on file; no number keeps it."""
        if phone:
            petitioner.phone = self._cipher.encrypt(phone) or ""
            petitioner.phone_hash = self._cipher.lookup_hash(phone) or ""

    def _saved_with_code(self, query_code: str) -> SavedVisit | None:
        with self._db.unit_of_work() as uow:
            row = uow.session.execute(
                select(Visit.id, Visit.matter_id, Visit.visit_no).where(Visit.query_code == query_code)
            ).first()
        return SavedVisit(row[0], row[1], row[2], query_code) if row else None

    @staticmethod
    def _unused_query_code(session: Session) -> str:
        while True:
            code = new_query_code()
            if session.scalar(select(func.count()).where(Visit.query_code == code)) == 0:
                return code

    # -- repeat visits ----------------------------------------------------------------------------

    def earlier_visits(self, id_number: str = "", phone: str = "", limit: int = 10) -> RepeatInfo:
        """Earlier visits of the person with this ID number or phone (either may be partial input).

        Input that is not (yet) a valid number gives an empty answer rather than an error, because
        this is called while the officer is still typing.
        """
        id_hash = phone_hash = None
        try:
            if id_number.strip():
                id_hash = self._cipher.lookup_hash(normalize_id_number(id_number, self._clock().date()).value)
        except ValueError:
            pass
        try:
            if phone.strip():
                phone_hash = self._cipher.lookup_hash(normalize_phone(phone))
        except ValueError:
            pass
        if not id_hash and not phone_hash:
            return RepeatInfo(0, (), searched=False)
        # The repeat-visit notice is part of registering: every officer sees a person's earlier visits.
        self.access.require("visit.register")
        with self._db.unit_of_work() as uow:
            where = _person_visits(uow.session, id_hash, phone_hash)
            count = uow.session.scalar(select(func.count(Visit.id)).where(where)) or 0
            rows = uow.session.execute(
                select(
                    Visit.id,
                    Visit.visit_no,
                    Visit.visited_at,
                    Matter.topic,
                    Matter.summary,
                    # What was explained: the 释法记录's points where one was made, else the form's note.
                    case(
                        (func.length(func.coalesce(Explanation.points, "")) > 0, Explanation.points),
                        else_=Visit.explanation,
                    ),
                    Matter.status,
                    Matter.id,
                )
                .join(Petitioner, Visit.petitioner_id == Petitioner.id)
                .join(Matter, Visit.matter_id == Matter.id)
                .outerjoin(Explanation, Explanation.visit_id == Visit.id)
                .where(where)
                .order_by(Visit.visited_at.desc(), Visit.id.desc())
                .limit(limit)
            ).all()
            final = tuple(
                uow.session.scalars(
                    select(Matter.id)
                    .join(Visit, Visit.matter_id == Matter.id)
                    .join(Petitioner, Visit.petitioner_id == Petitioner.id)
                    .where(where, Matter.final.is_(True))
                    .distinct()
                    .order_by(Matter.id)
                )
            )
        return RepeatInfo(count, tuple(EarlierVisit(*row) for row in rows), final_matters=final)

    # -- list and detail --------------------------------------------------------------------------

    def _sort_column(self, key: str):  # noqa: ANN202 - a SQLAlchemy column
        return {
            "visited_at": Visit.visited_at,
            "visit_no": Visit.id,
            "name": Petitioner.name,
            "officer": Visit.officer,
            "matter_type": Matter.matter_type,
            "topic": Matter.topic,
            "status": Matter.status,
        }[key]

    def list_page(
        self, query: VisitQuery, after: PageCursor | None = None, limit: int = 200
    ) -> tuple[list[VisitRow], PageCursor | None]:
        """One page of the visit list, newest (or per sort key) first, and the cursor of the next page."""
        if query.sort_key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {query.sort_key}")
        sort_col = self._sort_column(query.sort_key)
        self.access.require("visit.view")
        with self._db.unit_of_work() as uow:
            session = uow.session
            # First find the page's ids touching as few tables as the sort needs (every filter is on
            # visits), then load the 200 display rows. Joining first would join every match, which on
            # a common word means tens of thousands of random reads before the sort.
            # By name, the order is name, person, visit: both indexes (petitioners (name, id), visits
            # (petitioner_id, id)) then deliver a page in order, where (name, visit) would make PostgreSQL
            # sort every visit. The sort value of a name cursor is (name, person).
            by_person = sort_col.table is Petitioner.__table__
            order = [sort_col, Visit.petitioner_id, Visit.id] if by_person else [sort_col, Visit.id]
            keys = select(Visit.id, *order[:-1])
            if by_person:
                keys = keys.join(Petitioner, Visit.petitioner_id == Petitioner.id)
            elif sort_col.table is Matter.__table__:
                keys = keys.join(Matter, Visit.matter_id == Matter.id)
            for condition in self._filters(session, query):
                keys = keys.where(condition)
            if after is not None:
                values = [*after.sort_value, after.visit_id] if by_person else [after.sort_value, after.visit_id]
                key, bound = tuple_(*order), tuple_(*values)
                keys = keys.where(key < bound if query.descending else key > bound)
                # Redundant with the row comparison, but an index range PostgreSQL can start from.
                keys = keys.where(sort_col <= values[0] if query.descending else sort_col >= values[0])
            keys = keys.order_by(*(c.desc() if query.descending else c.asc() for c in order))
            page = session.execute(keys.limit(limit)).all()
            details = {
                r[0]: r
                for r in session.execute(
                    select(
                        Visit.id,
                        Visit.visit_no,
                        Visit.visited_at,
                        Petitioner.name,
                        Petitioner.id_number,
                        Petitioner.phone,
                        Matter.matter_type,
                        Matter.topic,
                        Matter.status,
                        Visit.officer,
                        Visit.headcount,
                        func.substr(Matter.summary, 1, 80),
                        Visit.is_anonymous,
                    )
                    .join(Petitioner, Visit.petitioner_id == Petitioner.id)
                    .join(Matter, Visit.matter_id == Matter.id)
                    .where(Visit.id.in_([row[0] for row in page]))
                )
            }
        rows = [details[row[0]] for row in page]
        result = [
            VisitRow(
                visit_id=r[0],
                visit_no=r[1],
                visited_at=r[2],
                name=r[3],
                id_masked=mask_id_number(self._cipher.decrypt(r[4])),
                phone_masked=mask_phone(self._cipher.decrypt(r[5])),
                matter_type=r[6],
                topic=r[7],
                status=r[8],
                officer=r[9],
                headcount=r[10],
                summary=(r[11] or "").replace("\n", " "),
                is_anonymous=r[12],
            )
            for r in rows
        ]
        last = page[-1] if page else None
        cursor = None
        if last is not None and len(page) == limit:
            cursor = PageCursor(tuple(last[1:]) if len(last) > 2 else last[1], last[0])
        return result, cursor

    def _visible_to_me(self) -> ColumnElement[bool] | None:
        """What a 接待员 may see: the visits they received and today's; None for roles that see all."""
        me = self.access.require("visit.view")
        if me.can("visit.view_all"):
            return None
        today = dt.datetime.combine(self._clock().date(), dt.time())
        return or_(Visit.officer == me.display_name, Visit.visited_at >= today)

    def _filters(self, session: Session, query: VisitQuery) -> list:
        conditions = []
        visible = self._visible_to_me()
        if visible is not None:
            conditions.append(visible)
        classification = [
            column == value
            for column, value in (
                (Matter.matter_type, query.matter_type),
                (Matter.topic, query.topic),
                (Matter.route, query.route),
                (Matter.status, query.status),
            )
            if value
        ]
        if classification:
            conditions.append(_matter_condition(session, and_(*classification)))
        if query.date_from:
            conditions.append(Visit.visited_at >= dt.datetime.combine(query.date_from, dt.time()))
        if query.date_to:
            conditions.append(Visit.visited_at < dt.datetime.combine(query.date_to + dt.timedelta(days=1), dt.time()))
        text = query.text.strip()
        if not text:
            return conditions
        if _ID_LIKE_RE.match(text):
            try:
                number = normalize_id_number(text).value
            except ValueError:
                number = text.upper()
            conditions.append(_person_visits(session, id_hash=self._cipher.lookup_hash(number)))
            return conditions
        if _PHONE_LIKE_RE.match(text):
            # Numbers are stored encrypted: only a whole number is found (its keyed hash), not a prefix.
            try:
                phone_hash = self._cipher.lookup_hash(normalize_phone(text))
            except ValueError:
                phone_hash = self._cipher.lookup_hash(text.replace(" ", ""))
            conditions.append(_person_visits(session, phone_hash=phone_hash))
            return conditions
        name_ids = select(Petitioner.id).where(Petitioner.name >= text, Petitioner.name < text + "\U0010ffff")
        alternatives = [Visit.petitioner_id.in_(name_ids)]
        alternatives += [
            c
            for c in (free_text_condition(session, search_terms(text)), _classified_as(session, text))
            if c is not None
        ]
        conditions.append(or_(*alternatives))
        return conditions

    def get_detail(self, visit_id: int, *, reveal_id: bool = False, purpose: str = "") -> VisitDetail:
        """One visit in full, ID numbers masked; reveal_id shows them whole and is recorded in the audit
        trail with its purpose (查看 on screen, 打印 on paper)."""
        visible = self._visible_to_me()
        me = self.access.require("visit.view_id") if reveal_id else None
        with self._db.unit_of_work() as uow:
            visit = uow.session.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError(f"找不到编号为{visit_id}的来访记录")
            if visible is not None and not uow.session.scalar(
                select(func.count(Visit.id)).where(Visit.id == visit_id, visible)
            ):
                raise PermissionDeniedError("接待员只能查看本人接待的和当天的来访记录；请向负责人申请查阅。")
            p, m = visit.petitioner, visit.matter

            def shown(stored: str | None) -> str:
                number = self._cipher.decrypt(stored)
                return number if reveal_id else mask_id_number(number)

            detail = VisitDetail(
                visit_id=visit.id,
                visit_no=visit.visit_no,
                query_code=visit.query_code,
                visited_at=visit.visited_at,
                officer=visit.officer,
                headcount=visit.headcount,
                is_anonymous=visit.is_anonymous,
                name=p.name,
                gender=p.gender,
                id_number=shown(p.id_number),
                phone=self._cipher.decrypt(p.phone),
                address=p.address,
                representatives=tuple(
                    RepresentativeInput(r.name, shown(r.id_number), self._cipher.decrypt(r.phone))
                    for r in visit.representatives
                ),
                matter_id=m.id,
                summary=m.summary,
                involved_unit=m.involved_unit,
                location=m.location,
                jurisdiction=m.jurisdiction,
                matter_type=m.matter_type,
                topic=m.topic,
                route=m.route,
                status=m.status,
                explanation=visit.explanation,
                history=tuple(EventView(e.occurred_at, e.kind, e.actor, e.detail) for e in m.events),
                id_revealed=reveal_id,
                matter_version=m.version,
            )
            has_numbers = bool(p.id_number) or any(r.id_number for r in visit.representatives)
        if me is not None and self.audit is not None and has_numbers:
            self.audit.record("view_id", me.display_name, detail.visit_no, purpose or "查看")
        return detail

    def count_visits(self) -> int:
        with self._db.unit_of_work() as uow:
            return uow.session.scalar(select(func.count(Visit.id))) or 0


EVENT_LABELS: dict[str, str] = {
    "registered": "登记",
    "explained": "释法",
    "classified": "分类确认",
    "status": "办理",
    "status_changed": "状态变更",
    "handout_issued": "出具文书",
    "reclassified": "重新分类",
    "visit_attached": "并入来访",
    "merged": "并入其他事项",
    "explanation_corrected": "释法记录更正",
}


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)
