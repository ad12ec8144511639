"""The law library service: shipped and imported law versions in the database, and article look-ups."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select

from db.models import LawArticle, LawVersion
from db.session import Database
from reception.lawlib.lawfile import STATUSES, LawVersionData, from_parsed, parse_law_file, short_title_of
from reception.lawlib.parser import LawFileError, Problem, decode_law_bytes, parse_law_text
from resources import resource_dir

_CN_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"


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


@dataclass(frozen=True)
class MissingLaw:
    short_title: str
    title: str
    reason: str


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

    def __init__(self, database: Database, today: dt.date | None = None):
        self._db = database
        self._today = today

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
        with self._db.unit_of_work() as uow:
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
        law = self.read_official_text(
            path.read_bytes(), path.name, source=str(options.pop("source", path.name)), **options
        )  # type: ignore[arg-type]
        return self.store_imported(law)

    def store_imported(self, law: LawVersionData) -> ImportReport:
        digest = law.content_hash()
        with self._db.unit_of_work() as uow:
            session = uow.session
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
            row = self._store(session, law, "imported", digest)
            report = ImportReport(row.id, law.title, law.short_title, len(law.articles), law.effective, bool(same))
            uow.commit()
        return report

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
            in_force = self._in_force_ids(v for v, _ in rows)
            return [
                LawVersionInfo(
                    v.id,
                    v.short_title,
                    v.title,
                    v.issuer,
                    v.version_note,
                    v.adopted,
                    v.effective,
                    v.status,
                    v.coverage,
                    v.origin,
                    n or 0,
                    v.id in in_force,
                    v.superseded_by,
                    v.source,
                )
                for v, n in rows
            ]

    def _in_force_ids(self, versions: Iterable[LawVersion]) -> set[int]:
        today = self.today()
        best: dict[str, LawVersion] = {}
        for v in versions:
            if v.status != "现行有效" or (v.effective and v.effective > today):
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
            return self._in_force_ids(uow.session.scalars(select(LawVersion)).all())

    def articles(self, version_ids: Iterable[int] | None = None) -> list[ArticleView]:
        """Articles of the given versions (default: every version in force), in statute order."""
        ids = set(version_ids) if version_ids is not None else self.in_force_version_ids()
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(
                select(LawArticle, LawVersion)
                .join(LawVersion, LawArticle.law_version_id == LawVersion.id)
                .where(LawVersion.id.in_(ids))
                .order_by(LawVersion.short_title, LawArticle.seq)
            ).all()
        return [_view(article, version) for article, version in rows]

    def article(self, short_title: str, number: int, suffix: int = 0) -> ArticleView | None:
        """The article of the version in force, or None when the library does not hold it."""
        ids = self.in_force_version_ids()
        with self._db.unit_of_work() as uow:
            row = uow.session.execute(
                select(LawArticle, LawVersion)
                .join(LawVersion, LawArticle.law_version_id == LawVersion.id)
                .where(
                    LawVersion.id.in_(ids),
                    LawVersion.short_title == short_title,
                    LawArticle.number == number,
                    LawArticle.suffix == suffix,
                )
            ).first()
        return _view(*row) if row else None

    def search(self, query: str, limit: int = 200, in_force_only: bool = True) -> list[ArticleView]:
        """Articles whose text or law title contains every space-separated part of query."""
        parts = [p for p in query.split() if p]
        if not parts:
            return []
        stmt = select(LawArticle, LawVersion).join(LawVersion, LawArticle.law_version_id == LawVersion.id)
        if in_force_only:
            stmt = stmt.where(LawVersion.id.in_(self.in_force_version_ids()))
        for part in parts:
            stmt = stmt.where(LawArticle.text.contains(part, autoescape=True) | LawVersion.title.contains(part))
        with self._db.unit_of_work() as uow:
            rows = uow.session.execute(stmt.order_by(LawVersion.short_title, LawArticle.seq).limit(limit)).all()
        return [_view(article, version) for article, version in rows]

    def missing_laws(self) -> list[MissingLaw]:
        """Laws the app should cite but whose text in force is not in the library (resources/laws/gaps.toml)."""
        gaps_file = resource_dir("laws", "gaps.toml")
        if not gaps_file.is_file():
            return []
        data = tomllib.loads(gaps_file.read_text(encoding="utf-8"))
        present = {v.short_title for v in self.versions() if v.in_force}
        return [
            MissingLaw(m["short_title"], m.get("title", m["short_title"]), m.get("reason", ""))
            for m in data.get("missing", [])
            if m["short_title"] not in present or m.get("always_report", False)
        ]


def _view(article: LawArticle, version: LawVersion) -> ArticleView:
    return ArticleView(
        short_title=version.short_title,
        title=version.title,
        label=article.label,
        number=article.number,
        suffix=article.suffix,
        text=article.text,
        heading=article.heading,
        effective=version.effective,
        status=version.status,
        version_id=version.id,
    )


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
