"""The law library service: shipped and imported law versions in the database, and article look-ups."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Row, Select, delete, func, select

from db.models import LawArticle, LawStatusMark, LawVersion
from db.session import Database
from reception.accounts import AccessControl
from reception.lawlib.lawfile import STATUSES, LawVersionData, from_parsed, parse_law_file, short_title_of
from reception.lawlib.parser import LawFileError, Problem, decode_law_bytes, parse_law_text
from resources import resource_dir

_CN_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"


if TYPE_CHECKING:
    from reception.audit import AuditLog


@dataclass(frozen=True)
class ArticleView:
    """An article as shown or printed: always with law title, article number and effective date."""

    short_title: str
    title: str
    label: str
    number: int
    suffix: int
    text: str
    heading: str
    effective: dt.date | None
    status: str
    version_id: int

    @property
    def citation(self) -> str:
        effective = f"，{self.effective:%Y年%-m月%-d日}起施行" if self.effective else ""
        return f"《{self.title}》{self.label}（{self.version_label}{effective}）"

    @property
    def version_label(self) -> str:
        return "现行有效" if self.status == "现行有效" else self.status


@dataclass(frozen=True)
class LawVersionInfo:
    version_id: int
    short_title: str
    title: str
    issuer: str
    version_note: str
    adopted: dt.date | None
    effective: dt.date | None
    status: str
    coverage: str
    origin: str
    article_count: int
    in_force: bool
    superseded_by: str
    source: str
    status_reason: str = ""
    status_date: dt.date | None = None
    marked_by: str = ""

    @property
    def warnings(self) -> tuple[str, ...]:
        """What an officer must know before relying on this version."""
        notes = []
        if self.coverage == "excerpt":
            notes.append("仅收录部分条文（摘录）")
        if self.status != "现行有效":
            when = f"自{self.status_date:%Y年%-m月%-d日}起" if self.status_date else ""
            if self.status == "待核实":
                notes.append(f"待核实：据报道{when}由{self.superseded_by or '新法'}取代")
            else:
                replaced = f"，由{self.superseded_by}取代" if self.superseded_by else ""
                notes.append(f"{self.status}{'（' + when + '）' if when else ''}{replaced}")
            if self.in_force:
                notes.append("在上述日期前仍然有效")
        elif not self.in_force and self.effective and self.effective > dt.date.today():
            notes.append(f"{self.effective:%Y年%-m月%-d日}起施行，尚未生效")
        if self.status_reason:
            notes.append(self.status_reason)
        if self.marked_by:
            notes.append(f"状态由{self.marked_by}标记")
        return tuple(notes)


@dataclass(frozen=True)
class MissingLaw:
    short_title: str
    title: str
    reason: str


@dataclass(frozen=True)
class _Status:
    status: str
    status_date: dt.date | None
    superseded_by: str
    reason: str
    marked_by: str = ""


@dataclass(frozen=True)
class ImportReport:
    version_id: int | None
    title: str
    short_title: str
    article_count: int
    effective: dt.date | None
    replaced: bool


class LawLibrary:
    """Laws in the database. Shipped versions come from resources/laws/*.law; offices import more."""

    def __init__(
        self,
        database: Database,
        today: dt.date | None = None,
        audit: AuditLog | None = None,
        access: AccessControl | None = None,
    ):
        self._db = database
        self._today = today
        self.audit = audit
        # Shipped texts load at every start without an account; an office's imports and marks need 管理员.
        self.access = access or AccessControl()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- loading ---------------------------------------------------------------------------------

    @staticmethod
    def shipped_files() -> list[tuple[str, str]]:
        folder = resource_dir("laws")
        return sorted(
            (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".law")
        )

    def sync_shipped(self) -> int:
        """Store shipped law files whose content is not in the database yet; returns how many were added.

        A shipped file whose content changed (a corrected or updated text in a new app version) replaces
        the older shipped row of the same short title and effective date; imported versions are kept.
        """
        parsed = [parse_law_file(text) for _name, text in self.shipped_files()]
        added = 0
        with self._db.unit_of_work(write_lock="library") as uow:
            session = uow.session
            known = set(session.scalars(select(LawVersion.content_hash).where(LawVersion.origin == "shipped")))
            for law in parsed:
                digest = law.content_hash()
                if digest in known:
                    continue
                stale = session.scalars(
                    select(LawVersion).where(
                        LawVersion.origin == "shipped",
                        LawVersion.short_title == law.short_title,
                        LawVersion.effective == law.effective,
                    )
                ).all()
                for row in stale:
                    session.execute(delete(LawArticle).where(LawArticle.law_version_id == row.id))
                    session.delete(row)
                self._store(session, law, "shipped", digest)
                added += 1
            uow.commit()
        return added

    @staticmethod
    def _store(session, law: LawVersionData, origin: str, digest: str) -> LawVersion:  # noqa: ANN001
        row = LawVersion(
            short_title=law.short_title,
            title=law.title,
            issuer=law.issuer,
            version_note=law.version_note,
            adopted=law.adopted,
            effective=law.effective,
            status=law.status,
            status_reason=law.status_reason,
            status_date=law.status_date,
            coverage=law.coverage,
            superseded_by=law.superseded_by,
            source=law.source,
            origin=origin,
            content_hash=digest,
        )
        row.articles = [
            LawArticle(seq=i, number=a.number, suffix=a.suffix, label=a.label, heading=a.heading, text=a.text)
            for i, a in enumerate(law.articles)
        ]
        session.add(row)
        session.flush()
        return row

    # -- importing -------------------------------------------------------------------------------

    def read_official_text(
        self,
        data: bytes,
        filename: str = "",
        *,
        short_title: str | None = None,
        effective: dt.date | None = None,
        status: str = "现行有效",
        issuer: str = "",
        source: str = "",
    ) -> LawVersionData:
        """Parse an official text (.txt/.md/.docx bytes) into a full law version, or raise LawFileError."""
        text = decode_law_bytes(data, filename)
        parsed = parse_law_text(text, require_contiguous=True)
        problems = list(parsed.problems)
        if status not in STATUSES:
            problems.append(Problem(0, f"状态只能是 {'、'.join(STATUSES)}"))
        if not parsed.title or len(parsed.title) > 60:
            problems.append(Problem(1, "第一行应为法律名称"))
        effective = effective or _effective_date_in(parsed.articles)
        if effective is None and not problems:
            problems.append(Problem(0, "正文中找不到施行日期（“自……起施行”），请用 --effective 指定"))
        if problems:
            raise LawFileError(problems)
        return from_parsed(
            parsed,
            title=parsed.title,
            short_title=short_title or short_title_of(parsed.title),
            status=status,
            coverage="full",
            issuer=issuer,
            version_note="；".join(line for line in parsed.preamble if _has_date(line)),
            adopted=_last_date(parsed.preamble),
            effective=effective,
            source=source or filename,
        )

    def import_file(self, path: Path, **options: object) -> ImportReport:
        """Import an official text as a new law version; a file with any problem changes nothing."""
        self.access.require("laws")
        law = self.read_official_text(
            path.read_bytes(), path.name, source=str(options.pop("source", path.name)), **options
        )  # type: ignore[arg-type]
        return self.store_imported(law)

    def store_imported(self, law: LawVersionData) -> ImportReport:
        self.access.require("laws")
        with self._db.unit_of_work(write_lock="library") as uow:
            report = self.add_imported_version(uow.session, law)
            uow.commit()
        return report

    @classmethod
    def add_imported_version(cls, session, law: LawVersionData) -> ImportReport:  # noqa: ANN001 - a Session
        """Add law to the caller's transaction (a content pack imports laws with everything else, or
        nothing); an earlier import of the same law and date is replaced, an identical text is kept."""
        digest = law.content_hash()
        existing = session.scalars(select(LawVersion).where(LawVersion.content_hash == digest)).first()
        if existing is not None:
            return ImportReport(existing.id, law.title, law.short_title, len(law.articles), law.effective, False)
        same = session.scalars(
            select(LawVersion).where(
                LawVersion.short_title == law.short_title,
                LawVersion.effective == law.effective,
                LawVersion.origin == "imported",
            )
        ).all()
        for row in same:
            session.execute(delete(LawArticle).where(LawArticle.law_version_id == row.id))
            session.delete(row)
        row = cls._store(session, law, "imported", digest)
        return ImportReport(row.id, law.title, law.short_title, len(law.articles), law.effective, bool(same))

    # -- reading ---------------------------------------------------------------------------------

    def versions(self) -> list[LawVersionInfo]:
        """Every stored version, grouped by short title, newest first."""
        counts = (
            select(LawArticle.law_version_id, func.count(LawArticle.id).label("n"))
            .group_by(LawArticle.law_version_id)
            .subquery()
        )
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(
                select(LawVersion, counts.c.n)
                .outerjoin(counts, counts.c.law_version_id == LawVersion.id)
                .order_by(LawVersion.short_title, LawVersion.effective.desc())
            ).all()
            marks = self._marks(uow.session)
            in_force = self._in_force_ids((v for v, _ in rows), marks)
            infos = []
            for v, n in rows:
                st = self._status_of(v, marks)
                infos.append(
                    LawVersionInfo(
                        v.id,
                        v.short_title,
                        v.title,
                        v.issuer,
                        v.version_note,
                        v.adopted,
                        v.effective,
                        st.status,
                        v.coverage,
                        v.origin,
                        n or 0,
                        v.id in in_force,
                        st.superseded_by,
                        v.source,
                        st.reason,
                        st.status_date,
                        st.marked_by,
                    )
                )
            return infos

    @staticmethod
    def _marks(session) -> dict[tuple[str, dt.date | None], LawStatusMark]:  # noqa: ANN001
        """The newest office mark per (law, version); a later mark replaces an earlier one."""
        marks: dict[tuple[str, dt.date | None], LawStatusMark] = {}
        for mark in session.scalars(select(LawStatusMark).order_by(LawStatusMark.marked_at, LawStatusMark.id)):
            marks[(mark.short_title, mark.version_effective)] = mark
        return marks

    @staticmethod
    def _status_of(version: LawVersion, marks: dict[tuple[str, dt.date | None], LawStatusMark]) -> _Status:
        mark = marks.get((version.short_title, version.effective))
        if mark is not None:
            return _Status(mark.status, mark.status_date, mark.superseded_by, mark.reason, mark.marked_by or "本机构")
        return _Status(version.status, version.status_date, version.superseded_by, version.status_reason)

    def _in_force_ids(
        self, versions: Iterable[LawVersion], marks: dict[tuple[str, dt.date | None], LawStatusMark]
    ) -> set[int]:
        today = self.today()
        best: dict[str, LawVersion] = {}
        for v in versions:
            st = self._status_of(v, marks)
            # A version amended or repealed from a future day stays in force until that day.
            lapsed = st.status != "现行有效" and not (st.status_date and st.status_date > today)
            if lapsed or (v.effective and v.effective > today):
                continue
            current = best.get(v.short_title)
            if current is None or (v.effective or dt.date.min, v.origin == "imported", v.id) > (
                current.effective or dt.date.min,
                current.origin == "imported",
                current.id,
            ):
                best[v.short_title] = v
        return {v.id for v in best.values()}

    def in_force_version_ids(self) -> set[int]:
        with self._db.unit_of_work() as uow:
            return self._in_force_ids(uow.session.scalars(select(LawVersion)).all(), self._marks(uow.session))

    def mark_status(
        self,
        short_title: str,
        status: str,
        *,
        version_effective: dt.date | None = None,
        status_date: dt.date | None = None,
        superseded_by: str = "",
        reason: str = "",
        marked_by: str = "",
    ) -> LawVersionInfo:
        """Record an office's statement about a law's status; from then on the library cites accordingly.

        The mark applies to one version (by default the newest one the library holds), so that a text
        imported later is not caught by it. Raises ValidationError, one Chinese message per field, for an
        unknown law, version or status, or a change that names neither a reason nor a replacement.
        """
        from reception.errors import ValidationError

        me = self.access.require("laws")

        if status not in STATUSES:
            raise ValidationError({"status": f"状态只能是 {'、'.join(STATUSES)}"})
        if status != "现行有效" and not (reason.strip() or superseded_by.strip()):
            raise ValidationError({"reason": "请写明由什么法律取代，或者修改、废止的原因"})
        with self._db.unit_of_work(write_lock="library") as uow:
            versions = uow.session.scalars(select(LawVersion).where(LawVersion.short_title == short_title)).all()
            if not versions:
                raise ValidationError({"short_title": f"法律库中没有《{short_title}》"})
            if version_effective is None:
                version_effective = max((v.effective for v in versions if v.effective), default=None)
            elif all(v.effective != version_effective for v in versions):
                raise ValidationError({"version": f"《{short_title}》没有 {version_effective} 施行的版本"})
            uow.session.add(
                LawStatusMark(
                    short_title=short_title,
                    version_effective=version_effective,
                    status=status,
                    status_date=status_date,
                    superseded_by=superseded_by.strip(),
                    reason=reason.strip(),
                    marked_by=marked_by.strip() or me.display_name,
                )
            )
            uow.commit()
        infos = [v for v in self.versions() if v.short_title == short_title]
        if self.audit is not None:
            self.audit.record("law_status", me.display_name, short_title, f"{status}：{reason}")
        return next((v for v in infos if v.effective == version_effective), infos[0])

    def articles(self, version_ids: Iterable[int] | None = None) -> list[ArticleView]:
        """Articles of the given versions (default: every version in force), in statute order."""
        ids = set(version_ids) if version_ids is not None else self.in_force_version_ids()
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(
                _select_views().where(LawVersion.id.in_(ids)).order_by(LawVersion.short_title, LawArticle.seq)
            ).all()
        return [_view(row) for row in rows]

    def diff(self, short_title: str, old: dt.date | None = None, new: dt.date | None = None) -> LawDiff:
        """Two stored versions of a law compared (by default the two newest); ValidationError when the
        library does not hold both."""
        from reception.errors import ValidationError

        versions = [v for v in self.versions() if v.short_title == short_title]
        if len(versions) < 2:
            raise ValidationError({"law": f"法规库中《{short_title}》只有 {len(versions)} 个版本，无从比较"})
        by_date = {v.effective: v for v in versions}
        try:
            newer = by_date[new] if new else versions[0]
            older = by_date[old] if old else next(v for v in versions if v.version_id != newer.version_id)
        except (KeyError, StopIteration) as exc:
            dates = "、".join(str(v.effective) for v in versions)
            raise ValidationError({"law": f"《{short_title}》没有这个施行日期的版本（已有：{dates}）"}) from exc
        return diff_versions(
            self.articles([older.version_id]),
            self.articles([newer.version_id]),
            short_title,
            (f"{older.effective or '施行日期不详'}版", f"{newer.effective or '施行日期不详'}版"),
        )

    def article(self, short_title: str, number: int, suffix: int = 0) -> ArticleView | None:
        """The article of the version in force, or None when the library does not hold it."""
        ids = self.in_force_version_ids()
        with self._db.unit_of_work() as uow:
            row = uow.session.execute(
                _select_views().where(
                    LawVersion.id.in_(ids),
                    LawVersion.short_title == short_title,
                    LawArticle.number == number,
                    LawArticle.suffix == suffix,
                )
            ).first()
        return _view(row) if row else None

    def search(self, query: str, limit: int = 200, in_force_only: bool = True) -> list[ArticleView]:
        """Articles whose text or law title contains every space-separated part of query."""
        parts = [p for p in query.split() if p]
        if not parts:
            return []
        stmt = _select_views()
        if in_force_only:
            stmt = stmt.where(LawVersion.id.in_(self.in_force_version_ids()))
        for part in parts:
            stmt = stmt.where(LawArticle.text.contains(part, autoescape=True) | LawVersion.title.contains(part))
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(stmt.order_by(LawVersion.short_title, LawArticle.seq).limit(limit)).all()
        return [_view(row) for row in rows]

    def missing_laws(self) -> list[MissingLaw]:
        """Laws the app should cite but whose text in force is not in the library (resources/laws/gaps.toml)."""
        gaps_file = resource_dir("laws", "gaps.toml")
        if not gaps_file.is_file():
            return []
        data = tomllib.loads(gaps_file.read_text(encoding="utf-8"))
        versions = self.versions()
        present = {v.short_title for v in versions if v.in_force}
        missing = [
            MissingLaw(m["short_title"], m.get("title", m["short_title"]), m.get("reason", ""))
            for m in data.get("missing", [])
            if m["short_title"] not in present or m.get("always_report", False)
        ]
        listed = {m.short_title for m in missing}
        # A law the library holds only in replaced or unverified versions needs its text in force.
        for v in versions:
            if v.short_title in present or v.short_title in listed:
                continue
            listed.add(v.short_title)
            replaced = f"已由{v.superseded_by}取代或修改。" if v.superseded_by else ""
            missing.append(
                MissingLaw(
                    v.short_title, v.title, v.status_reason or f"{v.status}。{replaced}请导入现行有效的官方文本。"
                )
            )
        return missing

    def law_summaries(self, every_version: bool = False) -> list[dict]:
        """One row per law (its version in force, else its newest), or per version: for lists and JSON."""
        chosen: dict[str, LawVersionInfo] = {}
        rows: list[LawVersionInfo] = []
        for v in self.versions():  # grouped by law, newest version first
            if every_version:
                rows.append(v)
            elif v.short_title not in chosen or (v.in_force and not chosen[v.short_title].in_force):
                chosen[v.short_title] = v
        rows = rows if every_version else list(chosen.values())
        return [
            {
                "short_title": v.short_title,
                "title": v.title,
                "version": v.version_note,
                "effective": v.effective.isoformat() if v.effective else None,
                "status": v.status,
                "status_date": v.status_date.isoformat() if v.status_date else None,
                "superseded_by": v.superseded_by,
                "in_force": v.in_force,
                "coverage": v.coverage,
                "origin": v.origin,
                "article_count": v.article_count,
                "warnings": list(v.warnings),
            }
            for v in rows
        ]

    def not_in_force_notice(self, short_title: str) -> str | None:
        """A sentence for screen and paper when the library holds a law but no version of it in force."""
        versions = [v for v in self.versions() if v.short_title == short_title]
        if not versions or any(v.in_force for v in versions):
            return None
        v = versions[0]
        replaced = f"（{v.superseded_by}）" if v.superseded_by else ""
        return (
            f"《{v.title}》本系统收录的文本{v.status}{replaced}，现行文本须导入后才能引用，请以现行有效的官方文本为准。"
        )


# ArticleView's fields and the columns they are read from. Plain columns rather than mapped objects: the
# matcher reads every article at start-up, and building eleven thousand ORM instances took a quarter of its
# load time.
_VIEW_COLUMNS = {
    "short_title": LawVersion.short_title,
    "title": LawVersion.title,
    "label": LawArticle.label,
    "number": LawArticle.number,
    "suffix": LawArticle.suffix,
    "text": LawArticle.text,
    "heading": LawArticle.heading,
    "effective": LawVersion.effective,
    "status": LawVersion.status,
    "version_id": LawVersion.id,
}


def _select_views() -> Select:
    return select(*_VIEW_COLUMNS.values()).join(LawVersion, LawArticle.law_version_id == LawVersion.id)


def _view(row: Row) -> ArticleView:
    return ArticleView(**dict(zip(_VIEW_COLUMNS, row, strict=True)))


def _has_date(line: str) -> bool:
    import re

    return re.search(_CN_DATE, line) is not None


def _last_date(lines: list[str]) -> dt.date | None:
    import re

    found = None
    for line in lines:
        for y, m, d in re.findall(_CN_DATE, line):
            try:
                found = dt.date(int(y), int(m), int(d))
            except ValueError:
                continue
    return found


def _effective_date_in(articles) -> dt.date | None:  # noqa: ANN001
    import re

    for article in reversed(articles[-5:]):
        match = re.search(_CN_DATE + r"起施行", article.text)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


__all__ = ["ArticleView", "ImportReport", "LawFileError", "LawLibrary", "LawVersionInfo", "MissingLaw"]


@dataclass(frozen=True)
class LawDiff:
    """What changed between two versions of one law, article by article (matched by article number)."""

    short_title: str
    old_label: str
    new_label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[tuple[str, str, str], ...]  # (article label, old text, new text)
    unchanged: int

    def lines(self) -> list[str]:
        import difflib

        out = [f"《{self.short_title}》{self.old_label} → {self.new_label}："]
        out.append(
            f"新增 {len(self.added)} 条，删除 {len(self.removed)} 条，修改 {len(self.changed)} 条，未变 {self.unchanged} 条"
        )
        out += [f"+ {label}" for label in self.added]
        out += [f"- {label}" for label in self.removed]
        for label, old, new in self.changed:
            out.append(f"~ {label}")
            for line in difflib.ndiff(old.split("\n"), new.split("\n")):
                if line.startswith(("+ ", "- ")):
                    out.append(f"    {line}")
        return out


def diff_versions(old: list[ArticleView], new: list[ArticleView], short_title: str, labels: tuple[str, str]) -> LawDiff:
    """Articles are matched by number (第X条之N too): an amended law keeps its numbering or renumbers,
    and a renumbered article shows as removed here and added there — which is what a reader must check."""
    before = {(a.number, a.suffix): a for a in old}
    after = {(a.number, a.suffix): a for a in new}
    added = tuple(after[k].label for k in sorted(after.keys() - before.keys()))
    removed = tuple(before[k].label for k in sorted(before.keys() - after.keys()))
    changed = tuple(
        (after[k].label, before[k].text, after[k].text)
        for k in sorted(before.keys() & after.keys())
        if before[k].text != after[k].text
    )
    unchanged = len(before.keys() & after.keys()) - len(changed)
    return LawDiff(short_title, labels[0], labels[1], added, removed, changed, unchanged)
