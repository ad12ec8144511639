"""An office's own content over the shipped content, and content packs that carry it from office to office.

Three kinds of content file, each in the shipped files' TOML format so that one parser checks them all:
topic guides (resources/guides/<topic>.toml), a topic's teaching cases (resources/cases/<topic>.toml) and
the classification guide (resources/classification/guide.toml). An office edits a copy (a draft, previewed,
then published); the published copy replaces the shipped file for every desk and kiosk on the database.

A content pack (`reception content export|import FILE`, a zip) holds all content as the office uses it, the
law versions it imported (.law format) and its law-status marks, with a manifest of SHA-256 sums. Importing
checks every file first and shows what would change; a pack with any problem changes nothing, and a good one
is applied in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.models import ContentItem, LawStatusMark, LawVersion
from db.session import Database
from reception.accounts import AccessControl
from reception.audit import AuditLog
from reception.errors import UserError, ValidationError
from reception.lawlib.numerals import article_label
from resources import read_text

if TYPE_CHECKING:
    from reception.lawlib.library import LawLibrary
    from reception.settings import SettingsService

PACK_FORMAT = "reception-content-pack"
PACK_VERSION = 1
KIND_LABELS = {"guide": "普法指南", "cases": "以案释法案例", "classification": "分类指引"}


class PackError(UserError):
    """A content pack that cannot be imported; `problems` lists every reason, nothing was changed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("内容包不能导入，未作任何改动：\n" + "\n".join(f"· {p}" for p in problems))


@dataclass(frozen=True)
class ContentEntry:
    kind: str
    key: str
    state: str  # 出厂 | 本单位版本 | 有未发布的草稿
    updated_by: str = ""
    updated_at: dt.datetime | None = None


@dataclass
class PackPlan:
    """What importing a pack would change."""

    content: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, 新增|修改|不变)
    laws: list[tuple[str, str]] = field(default_factory=list)  # (title and version, 新增|已有)
    marks: list[tuple[str, str]] = field(default_factory=list)  # (law, status)

    def changes(self) -> int:
        return (
            sum(1 for *_k, what in self.content if what != "不变")
            + sum(1 for _t, what in self.laws if what == "新增")
            + len(self.marks)
        )

    def lines(self) -> list[str]:
        out = [f"{KIND_LABELS[k]}·{key}：{what}" for k, key, what in self.content if what != "不变"]
        out += [f"法规 {title}：{what}" for title, what in self.laws]
        out += [f"法规效力标记 {law}：{status}" for law, status in self.marks]
        unchanged = sum(1 for *_k, what in self.content if what == "不变")
        return out + ([f"另有 {unchanged} 个内容文件与本单位现用的相同"] if unchanged else [])


@dataclass(frozen=True)
class ContentPreview:
    """A content file as readers would meet it, built from a text that need not be saved or published."""

    kind: str
    key: str
    title: str
    html: str  # the kiosk's (and phone page's) body; for the classification guide a summary of its topics
    pdf: bytes = b""  # the printout, b"" where the kind prints nothing
    pdf_title: str = ""
    note: str = ""  # what the preview shows, and what it leaves out
    missing_characters: tuple[str, ...] = ()  # printed as □: no font could draw them


def _shipped_texts(kind: str) -> dict[str, str]:
    """The shipped files of a kind (a copy: callers lay the office's versions over it)."""
    return dict(_read_shipped(kind))


@cache
def _read_shipped(kind: str) -> dict[str, str]:
    # Shipped files do not change while the app runs: read once, not at every lookup and pack entry.
    if kind == "guide":
        from reception.guides import shipped_guide_texts

        return shipped_guide_texts()
    if kind == "cases":
        from reception.cases import shipped_case_texts

        return shipped_case_texts()
    return {"guide": read_text("classification", "guide.toml")}


def _citations(kind: str, key: str, text: str) -> list[tuple[str, int, int]]:
    if kind == "guide":
        from reception.guides import parse_guide_file
        from reception.remedies import RemedyBook

        return [(a.law, a.number, a.suffix) for a in parse_guide_file(text, key, RemedyBook()).articles]
    from reception.cases import parse_case_file

    return [(c.law, c.number, 0) for case in parse_case_file(text, key) for c in case.articles]


def check_text(kind: str, key: str, text: str) -> None:
    """Parse text as the app will (raises ValidationError with a Chinese reason)."""
    try:
        if kind == "guide":
            from reception.guides import parse_guide_file
            from reception.remedies import RemedyBook

            parse_guide_file(text, key, RemedyBook())
        elif kind == "cases":
            from reception.cases import parse_case_file

            parse_case_file(text, key)
        elif kind == "classification":
            from reception.matching.guide import parse_guide

            if key != "guide":
                raise ValueError(f"未知的分类指引文件：{key}")
            guide = parse_guide(text)
            if not guide.topics:
                raise ValueError("分类指引中没有主题")
        else:
            raise ValueError(f"未知的内容类别：{kind}")
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure is the editor's to fix, in words
        raise ValidationError({"text": f"{KIND_LABELS.get(kind, kind)}“{key}”有误：{exc}"}) from exc


class ContentStore:
    def __init__(
        self,
        database: Database,
        audit: AuditLog | None = None,
        access: AccessControl | None = None,
        on_change: Callable[[], None] | None = None,
        laws: LawLibrary | None = None,
    ):
        self._db = database
        self._audit = audit
        # Reading is open (the kiosk reads published content); editing and importing need 管理员.
        self.access = access or AccessControl()
        self._on_change = on_change
        self._laws = laws

    def _check(self, kind: str, key: str, text: str, also: frozenset[tuple[str, int, int]] = frozenset()) -> None:
        """Parse text as the app will, and with the law library at hand, refuse a citation the office added
        of an article that is not in force: what it writes must not cite what the library cannot show as
        current law. (Citations of the shipped file are the shipped library's business: a law marked
        replaced is printed with the notice that its text in force has to be imported.)"""
        check_text(kind, key, text)
        if self._laws is None or kind == "classification":
            return
        shipped = set(_citations(kind, key, _shipped_texts(kind)[key]))
        missing = [
            f"《{law}》{article_label(number, suffix)}"
            for law, number, suffix in dict.fromkeys(_citations(kind, key, text))
            if (law, number, suffix) not in shipped | also and self._laws.article(law, number, suffix) is None
        ]
        if missing:
            raise ValidationError(
                {
                    "text": f"{KIND_LABELS[kind]}“{key}”引用的{'、'.join(missing)}不在法规库的现行文本中，请改正或先导入该法律。"
                }
            )

    # ---- reading ----

    def _rows(self) -> list[ContentItem]:
        with self._db.unit_of_work() as uow:
            return list(uow.session.scalars(select(ContentItem)))

    def texts(self, kind: str) -> dict[str, str]:
        """The published content of a kind: shipped files with the office's published versions over them."""
        texts = _shipped_texts(kind)
        for row in self._rows():
            if row.kind == kind and row.body is not None:
                texts[row.key] = row.body
        return texts

    def text(self, kind: str, key: str, *, draft: bool = False) -> str:
        for row in self._rows():
            if row.kind == kind and row.key == key:
                if draft and row.draft is not None:
                    return row.draft
                if row.body is not None:
                    return row.body
        return _shipped_texts(kind)[key]

    def entries(self) -> list[ContentEntry]:
        rows = {(r.kind, r.key): r for r in self._rows()}
        out = []
        for kind in KIND_LABELS:
            for key in sorted(_shipped_texts(kind)):
                row = rows.get((kind, key))
                if row is None:
                    out.append(ContentEntry(kind, key, "出厂"))
                else:
                    state = "有未发布的草稿" if row.draft is not None else "本单位版本"
                    out.append(ContentEntry(kind, key, state, row.updated_by, row.updated_at))
        return out

    # ---- editing ----

    def save_draft(self, kind: str, key: str, text: str) -> None:
        me = self.access.require("content")
        self._known(kind, key)
        self._check(kind, key, text)
        with self._db.unit_of_work(write_lock="content_store") as uow:
            row = uow.session.get(ContentItem, (kind, key))
            if row is None:
                row = ContentItem(kind=kind, key=key, body=None)
                uow.session.add(row)
            row.draft, row.updated_by, row.updated_at = text, me.display_name, _now()
            uow.commit()

    def publish(self, kind: str, key: str) -> None:
        """The draft becomes what every desk, kiosk and printout uses."""
        me = self.access.require("content")
        with self._db.unit_of_work(write_lock="content_store") as uow:
            row = uow.session.get(ContentItem, (kind, key))
            if row is None or row.draft is None:
                raise ValidationError({"text": "没有待发布的草稿"})
            self._check(kind, key, row.draft)
            row.body, row.draft, row.source = row.draft, None, "本单位编辑"
            row.updated_by, row.updated_at = me.display_name, _now()
            uow.commit()
        self._changed("edit", me.display_name, f"{KIND_LABELS[kind]} {key}", "发布")

    def revert(self, kind: str, key: str) -> None:
        """Back to the shipped file (the office's version and any draft are removed)."""
        me = self.access.require("content")
        with self._db.unit_of_work(write_lock="content_store") as uow:
            row = uow.session.get(ContentItem, (kind, key))
            if row is not None:
                uow.session.delete(row)
            uow.commit()
        self._changed("edit", me.display_name, f"{KIND_LABELS[kind]} {key}", "恢复为出厂内容")

    def _known(self, kind: str, key: str) -> None:
        if kind not in KIND_LABELS or key not in _shipped_texts(kind):
            raise ValidationError({"key": f"没有这个内容文件：{kind}/{key}"})

    def _changed(self, action: str, actor: str, target: str, detail: str) -> None:
        if self._audit is not None:
            self._audit.record(action, actor, target[:100], detail)
        if self._on_change is not None:
            self._on_change()

    # ---- preview ----

    def preview(self, kind: str, key: str, text: str, laws: LawLibrary, settings: SettingsService) -> ContentPreview:
        """text as the kiosk page and the printout would show it once published (nothing is saved).

        Raises ValidationError as save_draft does. Slow (parses the library, lays out a PDF): call it off the
        UI thread."""
        self._known(kind, key)
        self._check(kind, key, text)
        if kind == "classification":
            return _classification_preview(key, text)
        from reception.content import ContentService
        from reception.handouts.layout import collect_missing
        from reception.pages import PageBuilder

        # The kiosk's own service over this database, with the draft in place of the published file: the
        # page and the printout come from the same code as the kiosk's and the desk's.
        content = ContentService(self._db, laws, settings)
        if kind == "guide":
            from reception.guides import GuideLibrary

            content.guides = GuideLibrary(content.remedies, {key: text})
            page = PageBuilder(content, ttl=0).guide(key)
            with collect_missing() as missing:
                pdf = content.render_pdf(content.guide_content(key))
            return ContentPreview(
                kind,
                key,
                page.title,
                _page_html(page),
                pdf,
                "普法指南（A4）",
                "网页为触摸屏和手机上显示的页面；打印件为窗口和触摸屏打印的普法指南。",
                tuple(missing),
            )
        from reception.cases import CaseError, CaseLibrary

        texts = {**self.texts("cases"), key: text}
        try:
            content.cases = CaseLibrary(texts)
        except CaseError as exc:  # e.g. an id another topic's file already uses
            raise ValidationError({"text": f"{KIND_LABELS[kind]}“{key}”有误：{exc}"}) from exc
        cases = content.cases.for_topic(key)
        if not cases:
            return ContentPreview(
                kind, key, f"以案释法：{key}", "<p>这个文件中没有案例。</p>", note="没有可预览的案例。"
            )
        builder = PageBuilder(content, ttl=0)
        html = "".join(_page_html(builder.case(case.id)) for case in cases)
        with collect_missing() as missing:
            pdf = content.render_pdf(content.case_sheet(cases[0]))
        return ContentPreview(
            kind,
            key,
            f"以案释法：{key}（{len(cases)} 个案例）",
            html,
            pdf,
            f"案例单页：{cases[0].title}",
            f"网页依次显示本主题的 {len(cases)} 个案例（触摸屏上每个案例一页）；打印件为第一个案例的单页，"
            "其余案例打印出来的版式相同。",
            tuple(missing),
        )

    # ---- packs ----

    def export_pack(self, path: Path) -> int:
        """Write every content file as used here, imported laws and law-status marks; returns the file count."""
        me = self.access.require("content")
        files: dict[str, bytes] = {}
        for kind in KIND_LABELS:
            for key, text in self.texts(kind).items():
                files[f"content/{kind}/{key}.toml"] = text.encode("utf-8")
        from reception.lawlib.lawfile import format_law_file

        with self._db.unit_of_work() as uow:
            for version in uow.session.scalars(select(LawVersion).where(LawVersion.origin == "imported")):
                data = _law_data(version)
                files[f"laws/{version.short_title}_{version.effective or 'undated'}.law"] = format_law_file(
                    data
                ).encode("utf-8")
            marks = [
                {
                    "short_title": m.short_title,
                    "version_effective": m.version_effective.isoformat() if m.version_effective else None,
                    "status": m.status,
                    "status_date": m.status_date.isoformat() if m.status_date else None,
                    "superseded_by": m.superseded_by,
                    "reason": m.reason,
                    "marked_by": m.marked_by,
                }
                for m in uow.session.scalars(select(LawStatusMark).order_by(LawStatusMark.id))
            ]
        files["law_status.json"] = json.dumps(marks, ensure_ascii=False, indent=1).encode("utf-8")
        manifest = {
            "format": PACK_FORMAT,
            "version": PACK_VERSION,
            "created_at": _now().isoformat(),
            "created_by": me.display_name,
            "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(files.items())},
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            pack.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, body in sorted(files.items()):
                pack.writestr(name, body)
        path.write_bytes(buffer.getvalue())
        if self._audit is not None:
            self._audit.record("export", me.display_name, path.name[:100], f"内容包，{len(files)} 个文件")
        return len(files)

    def plan_import(self, path: Path) -> tuple[PackPlan, dict]:
        """What the pack would change, after checking every file in it (PackError lists every problem)."""
        self.access.require("content")
        problems: list[str] = []
        try:
            with zipfile.ZipFile(path) as pack:
                names = set(pack.namelist())
                if "manifest.json" not in names:
                    raise PackError(["缺少 manifest.json：这不是本系统导出的内容包"])
                manifest = json.loads(pack.read("manifest.json").decode("utf-8"))
                if manifest.get("format") != PACK_FORMAT:
                    raise PackError(["manifest.json 的格式标识不对：这不是本系统导出的内容包"])
                if manifest.get("version", 0) > PACK_VERSION:
                    raise PackError(["内容包由更新版本的程序导出，请先升级本程序"])
                files = {}
                for name, digest in manifest.get("files", {}).items():
                    if name not in names:
                        problems.append(f"清单中的文件缺失：{name}")
                        continue
                    body = pack.read(name)
                    if hashlib.sha256(body).hexdigest() != digest:
                        problems.append(f"文件校验和不符（可能已损坏或被改动）：{name}")
                        continue
                    files[name] = body.decode("utf-8")
        except zipfile.BadZipFile as exc:
            raise PackError([f"文件不是有效的内容包（zip）：{path.name}"]) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackError([f"内容包中的文件无法读取：{exc}"]) from exc
        plan, parsed = PackPlan(), {"content": [], "laws": [], "marks": []}
        in_use: dict[str, dict[str, str]] = {}
        # Content in the pack may cite a law the pack brings along.
        brought = frozenset(
            (law.short_title, a.number, a.suffix)
            for name, text in files.items()
            if name.startswith("laws/")
            for law in [_parse_law_quietly(text)]
            if law is not None
            for a in law.articles
        )
        for name, text in sorted(files.items()):
            if name.startswith("content/"):
                parts = name.removeprefix("content/").removesuffix(".toml").split("/")
                if len(parts) != 2 or parts[0] not in KIND_LABELS or parts[1] not in _shipped_texts(parts[0]):
                    problems.append(f"未知的内容文件：{name}")
                    continue
                kind, key = parts
                try:
                    self._check(kind, key, text, brought)
                except ValidationError as exc:
                    problems.append(f"{name}：{exc.errors['text']}")
                    continue
                if kind not in in_use:
                    in_use[kind] = self.texts(kind)
                current = in_use[kind].get(key)
                plan.content.append((kind, key, "不变" if current == text else "修改"))
                parsed["content"].append((kind, key, text))
            elif name.startswith("laws/"):
                from reception.lawlib.lawfile import parse_law_file

                try:
                    law = parse_law_file(text)
                except Exception as exc:  # noqa: BLE001 - reported with the file's name
                    problems.append(f"{name}：法规文件有误：{exc}")
                    continue
                with self._db.unit_of_work() as uow:
                    known = uow.session.scalar(
                        select(LawVersion.id).where(LawVersion.content_hash == law.content_hash())
                    )
                label = f"{law.title}（{law.effective or '施行日期不详'}）"
                plan.laws.append((label, "已有" if known else "新增"))
                if not known:
                    parsed["laws"].append(law)
            elif name == "law_status.json":
                marks = json.loads(text)
                existing = self._existing_marks()
                for mark in marks:
                    if mark.get("status") not in ("现行有效", "已修改", "已废止", "待核实"):
                        problems.append(f"law_status.json：未知的效力状态 {mark.get('status')}")
                        continue
                    identity = (
                        mark["short_title"],
                        mark.get("version_effective"),
                        mark["status"],
                        mark.get("reason", ""),
                    )
                    if identity not in existing:
                        plan.marks.append((mark["short_title"], mark["status"]))
                        parsed["marks"].append(mark)
            else:
                problems.append(f"未知的文件：{name}")
        if problems:
            raise PackError(problems)
        return plan, parsed

    def _existing_marks(self) -> set[tuple]:
        with self._db.unit_of_work() as uow:
            return {
                (m.short_title, m.version_effective.isoformat() if m.version_effective else None, m.status, m.reason)
                for m in uow.session.scalars(select(LawStatusMark))
            }

    def import_pack(self, path: Path) -> PackPlan:
        """Apply a checked pack in one transaction; on any error nothing is changed."""
        me = self.access.require("content")
        plan, parsed = self.plan_import(path)
        from reception.lawlib.library import LawLibrary

        shipped = {kind: _shipped_texts(kind) for kind in KIND_LABELS}
        with self._db.unit_of_work(write_lock="content_store") as uow:
            session = uow.session
            for kind, key, text in parsed["content"]:
                row = session.get(ContentItem, (kind, key))
                if text == shipped[kind][key]:
                    # The same as the shipped file: follow future updates of it rather than pin a copy.
                    if row is not None:
                        session.delete(row)
                    continue
                if row is None:
                    row = ContentItem(kind=kind, key=key)
                    session.add(row)
                row.body, row.draft, row.source = text, None, f"内容包 {path.name}"[:200]
                row.updated_by, row.updated_at = me.display_name, _now()
            for law in parsed["laws"]:
                LawLibrary.add_imported_version(session, law)
            for mark in parsed["marks"]:
                session.add(
                    LawStatusMark(
                        short_title=mark["short_title"],
                        version_effective=_date(mark.get("version_effective")),
                        status=mark["status"],
                        status_date=_date(mark.get("status_date")),
                        superseded_by=mark.get("superseded_by", ""),
                        reason=mark.get("reason", ""),
                        marked_by=mark.get("marked_by", "") or me.display_name,
                    )
                )
            uow.commit()
        self._changed("import", me.display_name, path.name, f"内容包：{plan.changes()} 处改动")
        return plan


def _parse_law_quietly(text: str):  # noqa: ANN202 - a LawVersionData or None
    from reception.lawlib.lawfile import parse_law_file

    try:
        return parse_law_file(text)
    except Exception:  # noqa: BLE001 - reported with its file name when the pack's laws are checked
        return None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _law_data(version: LawVersion):  # noqa: ANN202 - a LawVersionData
    from reception.lawlib.lawfile import LawVersionData
    from reception.lawlib.parser import ParsedArticle

    articles = [
        ParsedArticle(a.number, a.suffix, a.text.split("\n"), a.seq, a.heading)
        for a in sorted(version.articles, key=lambda a: a.seq)
    ]
    return LawVersionData(
        title=version.title,
        short_title=version.short_title,
        status=version.status,
        coverage=version.coverage,
        articles=articles,
        issuer=version.issuer,
        version_note=version.version_note,
        adopted=version.adopted,
        effective=version.effective,
        superseded_by=version.superseded_by,
        source=version.source,
        status_reason=version.status_reason,
        status_date=version.status_date,
    )


def _page_html(page) -> str:  # noqa: ANN001 - a reception.pages.Page
    """A page's title, body and the buttons the kiosk shows beside it (as a list)."""
    from html import escape

    html = f"<h1>{escape(page.title)}</h1>{page.body}"
    if page.links:
        groups: dict[str, list[str]] = {}
        for link in page.links:
            groups.setdefault(link.group, []).append(link.label)
        html += '<p class="note">页面旁的按钮：</p>' + "".join(
            f"<h2>{escape(group)}</h2><ul>" + "".join(f"<li>{escape(label)}</li>" for label in labels) + "</ul>"
            for group, labels in groups.items()
        )
    return html


def _classification_preview(key: str, text: str) -> ContentPreview:
    """The classification guide prints nothing and has no page: what it holds, topic by topic."""
    from html import escape

    from reception.matching.guide import parse_guide

    guide = parse_guide(text)
    rows = "".join(
        f"<tr><td>{escape(t.name)}</td><td>{escape(t.department)}</td><td align='right'>{len(t.cues)}</td>"
        f"<td align='right'>{len(t.negative_cues)}</td><td align='right'>{len(t.key_articles)}</td></tr>"
        for t in guide.topics
    )
    html = (
        f"<h1>分类指引{('（' + escape(guide.version) + '）') if guide.version else ''}</h1>"
        f"<p>类型 {len(guide.types)} 个，主题 {len(guide.topics)} 个，途径 {len(guide.routes)} 个，"
        f"情形 {len(guide.situations)} 个。</p>"
        "<table border='1' cellspacing='0' cellpadding='4'>"
        "<tr><th>主题</th><th>主管部门</th><th>提示词</th><th>排除词</th><th>关键法条</th></tr>"
        f"{rows}</table>"
    )
    if guide.problems:
        html += (
            '<h2>以下内容不在规定分类中，已略过</h2><ul class="warn">'
            + "".join(f"<li>{escape(p)}</li>" for p in guide.problems)
            + "</ul>"
        )
    return ContentPreview(
        "classification",
        key,
        "分类指引",
        html,
        note="分类指引不在触摸屏上显示、也不打印，只用于来访登记时的自动分类；这里列出各主题的提示词数量。",
    )
