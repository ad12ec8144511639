"""The .law file format of the shipped library (docs/law_format.md): a TOML header, `+++`, the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field

from reception.lawlib.numerals import article_label
from reception.lawlib.parser import HEADING_RE, LawFileError, ParsedArticle, ParsedLaw, Problem, parse_law_text

# 待核实: reported replaced or amended but not yet verified; never cited as current law until an office
# confirms it is still in force or imports the text that replaced it.
STATUSES = ("现行有效", "已修改", "已废止", "待核实")
COVERAGES = ("full", "excerpt")
SEPARATOR = "+++"
CN_PREFIX = "中华人民共和国"


def short_title_of(title: str) -> str:
    return title[len(CN_PREFIX) :] if title.startswith(CN_PREFIX) else title


@dataclass
class LawVersionData:
    """A law version ready to be stored: metadata plus parsed articles."""

    title: str
    short_title: str
    status: str
    coverage: str
    articles: list[ParsedArticle]
    issuer: str = ""
    version_note: str = ""
    adopted: dt.date | None = None
    effective: dt.date | None = None
    superseded_by: str = ""
    source: str = ""
    selection_note: str = ""
    status_reason: str = ""
    status_date: dt.date | None = None
    extra: dict = field(default_factory=dict)

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        parts = [self.title, self.status, str(self.effective), str(self.adopted), self.coverage]
        if self.status_reason or self.status_date:
            parts += [self.status_reason, str(self.status_date), self.superseded_by]
        for part in parts:
            digest.update(part.encode())
            digest.update(b"\0")
        for article in self.articles:
            digest.update(f"{article.number}.{article.suffix}\0{article.heading}\0{article.text}\0".encode())
        return digest.hexdigest()


def _date(value: object, key: str, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(0, f"文件头的 {key} 不是有效日期：{value}"))
        return None


def parse_law_file(text: str) -> LawVersionData:
    """Read a .law file; raises LawFileError listing every problem (header and numbering)."""
    lines = text.splitlines()
    try:
        cut = lines.index(SEPARATOR)
    except ValueError:
        raise LawFileError([Problem(0, "缺少文件头与正文之间的分隔行 +++")]) from None
    try:
        header = tomllib.loads("\n".join(lines[:cut]))
    except tomllib.TOMLDecodeError as exc:
        raise LawFileError([Problem(0, f"文件头格式错误：{exc}")]) from None
    problems: list[Problem] = []
    for key in ("title", "short_title", "status", "coverage", "effective"):
        if not header.get(key):
            problems.append(Problem(0, f"文件头缺少 {key}"))
    status = header.get("status", "")
    coverage = header.get("coverage", "full")
    if status and status not in STATUSES:
        problems.append(Problem(0, f"status 只能是 {'、'.join(STATUSES)}"))
    if coverage not in COVERAGES:
        problems.append(Problem(0, "coverage 只能是 full 或 excerpt"))
    # Body line numbers are reported as lines of the whole file.
    body = "\n" * (cut + 1) + "\n".join(lines[cut + 1 :])
    parsed = parse_law_text(f"{header.get('title', '')}\n{body}", require_contiguous=coverage == "full")
    for article in parsed.articles:
        article.line -= 1
    problems.extend(Problem(max(p.line - 1, 0), p.message) for p in parsed.problems)
    adopted = _date(header.get("adopted"), "adopted", problems)
    effective = _date(header.get("effective"), "effective", problems)
    status_date = _date(header.get("status_date"), "status_date", problems)
    if problems:
        raise LawFileError(problems)
    known = {
        "title",
        "short_title",
        "issuer",
        "version_note",
        "adopted",
        "effective",
        "status",
        "coverage",
        "superseded_by",
        "source",
        "selection_note",
        "status_reason",
        "status_date",
    }
    return LawVersionData(
        title=header["title"],
        short_title=header["short_title"],
        status=status,
        coverage=coverage,
        articles=parsed.articles,
        issuer=header.get("issuer", ""),
        version_note=header.get("version_note", ""),
        adopted=adopted,
        effective=effective,
        superseded_by=header.get("superseded_by", ""),
        source=header.get("source", ""),
        selection_note=header.get("selection_note", ""),
        status_reason=header.get("status_reason", ""),
        status_date=status_date,
        extra={k: v for k, v in header.items() if k not in known},
    )


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def format_law_file(law: LawVersionData) -> str:
    """Write law in the .law format; parse_law_file(format_law_file(x)) gives x back."""
    header = [
        f"title = {_toml_string(law.title)}",
        f"short_title = {_toml_string(law.short_title)}",
        f"issuer = {_toml_string(law.issuer)}",
        f"version_note = {_toml_string(law.version_note)}",
    ]
    if law.adopted:
        header.append(f"adopted = {law.adopted.isoformat()}")
    if law.effective:
        header.append(f"effective = {law.effective.isoformat()}")
    header += [
        f"status = {_toml_string(law.status)}",
        f"coverage = {_toml_string(law.coverage)}",
        f"superseded_by = {_toml_string(law.superseded_by)}",
        f"source = {_toml_string(law.source)}",
    ]
    if law.status_date:
        header.append(f"status_date = {law.status_date.isoformat()}")
    if law.status_reason:
        header.append(f"status_reason = {_toml_string(law.status_reason)}")
    if law.selection_note:
        header.append(f"selection_note = {_toml_string(law.selection_note)}")
    body: list[str] = []
    last_heading: str | None = None
    for article in law.articles:
        if article.heading != last_heading:
            old_parts = last_heading.split(" / ") if last_heading else []
            new_parts = article.heading.split(" / ") if article.heading else []
            same = 0
            while same < min(len(old_parts), len(new_parts)) and old_parts[same] == new_parts[same]:
                same += 1
            for part in new_parts[same:]:
                # A heading without 第X编/章/节 (e.g. 物权编) needs a "# " mark to stand apart from text.
                body.append(part if HEADING_RE.match(part) else f"# {part}")
            last_heading = article.heading
        body.append(f"{article_label(article.number, article.suffix)}　{article.paragraphs[0]}")
        body.extend(article.paragraphs[1:])
        body.append("")
    return "\n".join(header) + f"\n{SEPARATOR}\n" + "\n".join(body)


def from_parsed(parsed: ParsedLaw, **meta: object) -> LawVersionData:
    title = str(meta.pop("title", parsed.title))
    return LawVersionData(
        title=title,
        short_title=str(meta.pop("short_title", short_title_of(title))),
        articles=parsed.articles,
        **meta,  # type: ignore[arg-type]
    )
