"""Tables of the reception desk: petitioners, visits, matters and each matter's append-only history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base

# Ciphertext of an ID or phone number is about 70 characters. SQLite does not enforce VARCHAR lengths and
# cannot change a column's declared type without copying tables every visit refers to, so its columns keep
# their first declaration; a server database has them widened by migration 0012.
_CIPHERTEXT = String(18).with_variant(String(120), "postgresql")
_CIPHERTEXT_PHONE = String(32).with_variant(String(120), "postgresql")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Petitioner(Base):
    """A person who comes to the hall. Known people are found again by ID number (or phone)."""

    __tablename__ = "petitioners"
    # The list sorted by name walks this index person by person (with visits' (petitioner_id, id) below).
    __table_args__ = (Index("ix_petitioners_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    gender: Mapped[str] = mapped_column(String(4), default="未说明")
    # ID and phone numbers are stored encrypted (AES-GCM, reception.protection): `id_number` and `phone`
    # hold ciphertext; `id_hash` and `phone_hash` hold keyed hashes of the normalised numbers, which is
    # what lookups compare. NULL / "" for anonymous visitors and people who gave no phone.
    id_number: Mapped[str | None] = mapped_column(_CIPHERTEXT, unique=True)
    phone: Mapped[str] = mapped_column(_CIPHERTEXT_PHONE, default="")
    id_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    phone_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    visits: Mapped[list[Visit]] = relationship(back_populates="petitioner")


class Matter(Base):
    """A 信访事项: what is asked for, how it is classified and routed, and where it stands."""

    __tablename__ = "matters"

    id: Mapped[int] = mapped_column(primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    involved_unit: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    jurisdiction: Mapped[str] = mapped_column(String(100), default="")
    # Empty string = not yet classified; values come from reception.vocab. Empty rather than NULL keeps
    # keyset pagination on these sortable columns simple and index-friendly.
    matter_type: Mapped[str] = mapped_column(String(8), default="", index=True)
    topic: Mapped[str] = mapped_column(String(16), default="", index=True)
    route: Mapped[str] = mapped_column(String(16), default="", index=True)
    status: Mapped[str] = mapped_column(String(8), default="已登记", index=True)
    # Follow-up (reception.followup): the day the current state began, the office's next due date (None
    # when it owes nothing), and the dates the regulation counts from.
    state_since: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    # For 及时受理率 and 按期办结率: the due dates as they stood, the day acceptance was decided (受理, 不予受理,
    # 转送 or 导入法定途径) and the first answer.
    received_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the first visit's day
    acceptance_due: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    handling_due: Mapped[dt.date | None] = mapped_column(Date)
    first_answered_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    department: Mapped[str] = mapped_column(String(100), default="")  # transferred to (转送、交办)
    final: Mapped[bool] = mapped_column(Boolean, default=False)  # closed after 复核 (第三十六条第三款)
    # Raised by every change (SQLAlchemy's version counter): a change made from a stale view is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    events: Mapped[list[MatterEvent]] = relationship(
        back_populates="matter", order_by="MatterEvent.id", cascade="save-update"
    )


class Visit(Base):
    """One 来访 at the hall; a group visit records its headcount and up to five representatives."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_visited_at_id", "visited_at", "id"),
        Index("ix_visits_officer_id", "officer", "id"),
        # Repeat visits: "an earlier visit of the same matter" is one index probe per visit.
        Index("ix_visits_matter_visited_at", "matter_id", "visited_at"),
        # A person's visits in order: repeat-visit lookups, and the list sorted by name.
        Index("ix_visits_petitioner_id_id", "petitioner_id", "id"),
        # The period's statistics read everything they count from this index, never the visits' rows.
        Index("ix_visits_visited_at_counted", "visited_at", "matter_id", "petitioner_id", "headcount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_no: Mapped[str] = mapped_column(String(20), unique=True)
    # Typed by the petitioner on the progress-query page; random, never derived from the id.
    query_code: Mapped[str] = mapped_column(String(12), unique=True)
    visited_at: Mapped[dt.datetime] = mapped_column(DateTime)
    officer: Mapped[str] = mapped_column(String(50))
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    petitioner: Mapped[Petitioner] = relationship(back_populates="visits")
    matter: Mapped[Matter] = relationship()
    representatives: Mapped[list[VisitRepresentative]] = relationship(
        back_populates="visit", order_by="VisitRepresentative.position", cascade="all, delete-orphan"
    )


class VisitRepresentative(Base):
    """A representative chosen by a group visit (信访工作条例: no more than five)."""

    __tablename__ = "visit_representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(_CIPHERTEXT)  # ciphertext, as for Petitioner
    phone: Mapped[str] = mapped_column(_CIPHERTEXT_PHONE, default="")
    id_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    visit: Mapped[Visit] = relationship(back_populates="representatives")


class MatterEvent(Base):
    """One line of a matter's history. Rows are only ever inserted (enforced here and by triggers)."""

    __tablename__ = "matter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(50), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    # Machine-readable payload (JSON text) for later statistics, e.g. confirmed classification.
    data: Mapped[str] = mapped_column(Text, default="{}")

    matter: Mapped[Matter] = relationship(back_populates="events")


class Setting(Base):
    """Office-wide settings kept in the database (office name, address, QR base URLs …)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(MatterEvent, "before_update")
@event.listens_for(MatterEvent, "before_delete")
def _refuse_history_rewrite(mapper, connection, target) -> None:  # noqa: ANN001 - SQLAlchemy hook signature
    raise RuntimeError("matter_events is append-only")


class LawVersion(Base):
    """One version of one law or regulation (shipped with the app or imported by an office)."""

    __tablename__ = "law_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_title: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(128))
    issuer: Mapped[str] = mapped_column(String(64), default="")
    version_note: Mapped[str] = mapped_column(Text, default="")
    adopted: Mapped[dt.date | None] = mapped_column(Date)
    effective: Mapped[dt.date | None] = mapped_column(Date)
    # 现行有效 / 已修改 / 已废止 / 待核实 as shipped or imported; an office's LawStatusMark overrides it.
    # Which version is in force on a day is derived from this and the dates.
    status: Mapped[str] = mapped_column(String(8))
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_date: Mapped[dt.date | None] = mapped_column(Date)  # the day the status took or takes effect
    coverage: Mapped[str] = mapped_column(String(8), default="full")
    superseded_by: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(8), default="shipped")  # shipped | imported
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    articles: Mapped[list[LawArticle]] = relationship(
        back_populates="law_version", order_by="LawArticle.seq", cascade="all, delete-orphan"
    )


class LawStatusMark(Base):
    """An office's statement that a law version is amended, repealed, replaced or still in force.

    Kept apart from law_versions so that a mark survives a new shipped copy of the same text; the newest
    mark for a (short_title, version_effective) pair wins, and older marks stay as history.
    """

    __tablename__ = "law_status_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_title: Mapped[str] = mapped_column(String(64), index=True)
    version_effective: Mapped[dt.date | None] = mapped_column(Date)  # None: every version of the law
    status: Mapped[str] = mapped_column(String(8))
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    superseded_by: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    marked_by: Mapped[str] = mapped_column(String(50), default="")
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class LawArticle(Base):
    """One article (条) of a law version, with its exact text and the headings it stands under."""

    __tablename__ = "law_articles"
    __table_args__ = (UniqueConstraint("law_version_id", "number", "suffix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_version_id: Mapped[int] = mapped_column(ForeignKey("law_versions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    suffix: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(24))
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    law_version: Mapped[LawVersion] = relationship(back_populates="articles")


class Handout(Base):
    """A document issued (printed, saved or scanned): what, for which matter, when, by whom or which kiosk.

    `snapshot` holds the document's content as issued (JSON), so a reprint rebuilds the same pages even
    after the guide, the settings or the law library have changed; `content_hash` is the PDF's SHA-256.
    """

    __tablename__ = "handouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # notice | receipt | guide
    paper: Mapped[str] = mapped_column(String(8), default="a4")  # a4 | roll80
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    topic: Mapped[str] = mapped_column(String(16), default="", index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    issued_by: Mapped[str] = mapped_column(String(50), default="")  # staff name, or "kiosk:<name>"
    reprint_of: Mapped[int | None] = mapped_column(ForeignKey("handouts.id"))
    font: Mapped[str] = mapped_column(String(300), default="")
    pages: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)


class KioskUsage(Base):
    """One anonymous event of the hall's touch screen: a page, a search, a guided result, a print, a QR
    code shown, a rating. Nothing links it to a person or a session; the hour is kept, not the minute,
    so that a row cannot be matched to someone seen at the screen."""

    __tablename__ = "kiosk_usage"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    hour: Mapped[int] = mapped_column(Integer, default=0)
    terminal: Mapped[str] = mapped_column(String(50), default="")
    kind: Mapped[str] = mapped_column(String(16), index=True)  # page | search | result | print | qr | rating
    topic: Mapped[str] = mapped_column(String(16), default="", index=True)
    item: Mapped[str] = mapped_column(String(80), default="")  # page name, case id, rating …


class DutyLawyer(Base):
    """A lawyer on the hall's duty roster (一进三参: lawyers take part in receiving petitioners)."""

    __tablename__ = "duty_lawyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    firm: Mapped[str] = mapped_column(String(100), default="")
    licence_no: Mapped[str] = mapped_column(String(32), unique=True)  # 执业证号
    duty_days: Mapped[str] = mapped_column(String(20), default="")  # ISO weekdays, "1,3,5"
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Explanation(Base):
    """The 释法记录 of one visit: what was explained, by whom, with which lawyer, and how the person took it.

    Editable on the day it was made; later corrections are MatterEvents (kind explanation_corrected), so a
    record shown to an inspector is the one written at the time.
    """

    __tablename__ = "explanations"
    # The period's explanation counts read the index alone, not the records' text.
    __table_args__ = (Index("ix_explanations_made_on_counted", "made_on", "visit_id", "lawyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    officer: Mapped[str] = mapped_column(String(50))
    made_on: Mapped[dt.date] = mapped_column(Date)
    articles: Mapped[str] = mapped_column(Text, default="[]")  # JSON ["劳动合同法:82", …]
    guides: Mapped[str] = mapped_column(Text, default="[]")  # JSON topics whose guide was explained or handed over
    cases: Mapped[str] = mapped_column(Text, default="[]")  # JSON teaching-case ids
    points: Mapped[str] = mapped_column(Text, default="")  # 释法要点
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("duty_lawyers.id"), index=True)
    response: Mapped[str] = mapped_column(String(8), default="")  # 接受引导 | 转法定途径 | 坚持信访 | 其他
    documents: Mapped[str] = mapped_column(Text, default="")  # papers handed over


class ImportedRow(Base):
    """A ledger row already imported (`reception import-visits`): importing the same file again adds nothing."""

    __tablename__ = "imported_rows"

    row_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"))
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AuditEntry(Base):
    """One line of the audit trail (reception.audit): append-only and hash-chained, so that a row deleted,
    inserted, edited or moved is detected by `reception audit verify`."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(50), default="", index=True)
    terminal: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Account(Base):
    """A staff account (reception.accounts). The password is kept only as a scrypt hash."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))  # the name printed as 接待人 and kept in the trail
    role: Mapped[str] = mapped_column(String(8))  # 接待员 | 负责人 | 管理员
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class ContentItem(Base):
    """An office's own version of one content file (a topic guide, a topic's teaching cases, the
    classification guide), in the shipped file's TOML format (reception.content_store). The published
    text is what desks, kiosks and printouts use; a draft is what the editor previews until it is published."""

    __tablename__ = "content_items"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # guide | cases | classification
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # the topic, or "guide" / "thesaurus"
    body: Mapped[str | None] = mapped_column(Text)  # published; None while only a draft exists
    draft: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200), default="")  # 本单位编辑 | 内容包 <file>
    updated_by: Mapped[str] = mapped_column(String(50), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
