"""Importing a 来访登记台账 kept in Excel or CSV (`reception import-visits FILE`).

The usual column headings are recognised (登记日期, 姓名, 身份证号, 联系电话, 住址, 诉求摘要, 类别, 主题, 途径,
办理情况, 接待人, 人数 …); another layout is described by a mapping file (TOML: `[columns]` heading = field).
Every row goes through the registration form's validation. Good rows are saved in batches, one transaction
each: a batch is saved whole or not at all. Rejected rows are reported with their row number and reasons.
A row already imported (same date, person, ID number and summary) is skipped, so importing the same file
twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from db.models import ImportedRow, Matter
from db.session import Database
from reception.errors import UserError, ValidationError
from reception.visits import VisitInput, VisitService
from reception.vocab import MATTER_STATUSES

# heading in the ledger → field of VisitInput (or "status" for 办理情况)
DEFAULT_COLUMNS = {
    "登记日期": "visited_at",
    "来访日期": "visited_at",
    "日期": "visited_at",
    "来访时间": "visited_at",
    "姓名": "name",
    "信访人": "name",
    "性别": "gender",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "联系电话": "phone",
    "电话": "phone",
    "住址": "address",
    "地址": "address",
    "诉求摘要": "summary",
    "诉求": "summary",
    "反映问题": "summary",
    "主要诉求": "summary",
    "类别": "matter_type",
    "主题": "topic",
    "问题类别": "topic",
    "途径": "route",
    "涉及单位": "involved_unit",
    "接待人": "officer",
    "接待人员": "officer",
    "人数": "headcount",
    "来访人数": "headcount",
    "办理情况": "status",
    "释法要点": "explanation",
}
BATCH = 500


@dataclass
class Rejected:
    row: int  # as numbered in the spreadsheet (the heading is row 1)
    reasons: list[str]


@dataclass
class ImportReport:
    source: str
    rows: int = 0
    imported: int = 0
    skipped: int = 0  # already imported before
    rejected: list[Rejected] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"台账：{self.source}",
            f"共 {self.rows} 行：导入 {self.imported} 行，已导入过而跳过 {self.skipped} 行，不符合要求 {len(self.rejected)} 行。",
        ]
        for item in self.rejected:
            lines.append(f"第{item.row}行：" + "；".join(item.reasons))
        return "\n".join(lines)


class LedgerError(UserError):
    pass


def read_rows(path: Path) -> tuple[list[str], list[list[object]]]:
    """Headings and rows of the first sheet (.xlsx) or of a CSV file (UTF-8, with or without BOM, or GBK)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    elif path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LedgerError(f"无法识别 {path.name} 的文字编码，请另存为 UTF-8 或 Excel 文件")
        rows = [list(r) for r in csv.reader(text.splitlines())]
    else:
        raise LedgerError("台账应为 .xlsx 或 .csv 文件")
    while rows and not any(str(c or "").strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise LedgerError(f"{path.name} 是空的")
    return [str(c or "").strip() for c in rows[0]], rows[1:]


def load_mapping(path: Path | None) -> dict[str, str]:
    if path is None:
        return dict(DEFAULT_COLUMNS)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k).strip(): str(v) for k, v in data.get("columns", {}).items()}


def _date(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9, 0))
    text = (
        str(value or "")
        .strip()
        .replace("/", "-")
        .replace(".", "-")
        .replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
    )
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = dt.datetime.strptime(text, pattern)
            return parsed if "%H" in pattern else parsed.replace(hour=9)
        except ValueError:
            continue
    return None


def row_hash(values: dict[str, str]) -> str:
    key = "|".join(values.get(k, "") for k in ("visited_at", "name", "id_number", "phone", "summary"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class LedgerImporter:
    def __init__(self, database: Database, visits: VisitService):
        self._db = database
        self._visits = visits

    def import_file(self, path: Path, *, mapping: Path | None = None, officer: str = "台账导入") -> ImportReport:
        self._visits.access.require("import")
        headings, rows = read_rows(path)
        columns = load_mapping(mapping)
        fields_at = {i: columns[h] for i, h in enumerate(headings) if h in columns}
        if "visited_at" not in fields_at.values() or "summary" not in fields_at.values():
            raise LedgerError(
                "台账中找不到“登记日期”和“诉求摘要”两列；其他格式的台账请用 --mapping 文件说明各列对应的内容。"
                f"（找到的列：{'、'.join(h for h in headings if h)}）"
            )
        report = ImportReport(path.name)
        prepared: list[tuple[int, VisitInput, str, str]] = []
        for number, row in enumerate(rows, start=2):
            if not any(str(c or "").strip() for c in row):
                continue
            report.rows += 1
            values = {field_name: row[i] if i < len(row) else None for i, field_name in fields_at.items()}
            text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
            reasons = []
            visited_at = _date(values.get("visited_at"))
            if visited_at is None:
                reasons.append(f"登记日期无法识别：{text.get('visited_at', '')}")
            headcount = 1
            if text.get("headcount"):
                try:
                    headcount = int(float(text["headcount"]))
                except ValueError:
                    reasons.append(f"人数应为数字：{text['headcount']}")
            status = text.get("status", "")
            if status and status not in MATTER_STATUSES:
                status = ""  # free text such as "已答复群众" stays out of the state machine
            data = VisitInput(
                name=text.get("name", ""),
                gender=text.get("gender", "") or "未说明",
                id_number=text.get("id_number", ""),
                phone=text.get("phone", ""),
                address=text.get("address", ""),
                visited_at=visited_at,
                officer=text.get("officer", "") or officer,
                headcount=headcount,
                summary=text.get("summary", ""),
                involved_unit=text.get("involved_unit", ""),
                matter_type=text.get("matter_type", ""),
                topic=text.get("topic", ""),
                route=text.get("route", ""),
                explanation=text.get("explanation", ""),
            )
            if not reasons:
                try:
                    data = self._visits.validate(data)
                except ValidationError as exc:
                    reasons += list(exc.errors.values())
            if reasons:
                report.rejected.append(Rejected(number, reasons))
                continue
            text["visited_at"] = data.visited_at.isoformat() if data.visited_at else ""
            text["id_number"] = data.id_number
            prepared.append((number, data, row_hash(text), status))
        for start in range(0, len(prepared), BATCH):
            self._save_batch(prepared[start : start + BATCH], report, str(path)[:200])
        return report

    def _save_batch(self, batch: list[tuple[int, VisitInput, str, str]], report: ImportReport, source: str) -> None:
        with self._db.unit_of_work(write_lock="ledger") as uow:
            session = uow.session
            seen = set()
            imported = 0
            skipped = 0
            for _number, data, digest, status in batch:
                if digest in seen or session.get(ImportedRow, digest) is not None:
                    skipped += 1
                    continue
                seen.add(digest)
                saved = self._visits.save_validated(session, data)
                if status and status != "已登记":
                    matter = session.get(Matter, saved.matter_id)
                    matter.status = status
                    matter.due_on = None  # a ledger's history is not re-counted against today's due dates
                session.add(ImportedRow(row_hash=digest, visit_id=saved.visit_id, source=source))
                imported += 1
            uow.commit()
        report.imported += imported
        report.skipped += skipped
