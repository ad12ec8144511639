"""Write the shipped library's .law files from official texts (one Markdown or text file per law).

Run from the project root: `python docs/build_law_files.py DIR` where DIR holds one official text per law,
named by short title (e.g. the reference texts in ../shared/statutes). A law already shipped keeps its
header (title, issuer, dates, status, source) and gets the full text; a law not yet shipped takes its
header from NEW_LAWS below. Status facts known today (amended, repealed, reported replaced) are applied
from STATUS_FACTS, so that the library never ships a replaced text as current law.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.lawlib.lawfile import LawVersionData, format_law_file, parse_law_file, short_title_of  # noqa: E402
from reception.lawlib.parser import parse_law_text  # noqa: E402

LAWS = Path(__file__).resolve().parents[1] / "resources" / "laws"
NPC = "全国人民代表大会常务委员会"
STATE_COUNCIL = "国务院"
SOURCE = "国家法律法规数据库公布文本（经 LawRefBook/Laws 整理本核对）"

# short title -> (issuer, adopted, effective): for laws shipped for the first time. Effective dates are the
# text's own 施行 article, or for an amendment (修正) the date its decision took effect.
NEW_LAWS: dict[str, tuple[str, dt.date, dt.date]] = {
    "军人抚恤优待条例": ("国务院、中央军事委员会", dt.date(2024, 8, 5), dt.date(2024, 10, 1)),
    "农村集体经济组织法": (NPC, dt.date(2024, 6, 28), dt.date(2025, 5, 1)),
    "农民专业合作社法": (NPC, dt.date(2017, 12, 27), dt.date(2018, 7, 1)),
    "劳动保障监察条例": (STATE_COUNCIL, dt.date(2004, 11, 1), dt.date(2004, 12, 1)),
    "土地管理法实施条例": (STATE_COUNCIL, dt.date(2021, 7, 2), dt.date(2021, 9, 1)),
    "城市居民委员会组织法": (NPC, dt.date(2018, 12, 29), dt.date(2018, 12, 29)),
    "妇女权益保障法": (NPC, dt.date(2022, 10, 30), dt.date(2023, 1, 1)),
    "工会法": (NPC, dt.date(2021, 12, 24), dt.date(2022, 1, 1)),
    "社会保险经办条例": (STATE_COUNCIL, dt.date(2023, 8, 16), dt.date(2023, 12, 1)),
    "突发事件应对法": (NPC, dt.date(2024, 6, 28), dt.date(2024, 11, 1)),
    "行政复议法实施条例": (STATE_COUNCIL, dt.date(2007, 5, 29), dt.date(2007, 8, 1)),
    "退役军人保障法": (NPC, dt.date(2020, 11, 11), dt.date(2021, 1, 1)),
}

_ECO_CODE = (
    "据新闻报道，《中华人民共和国生态环境法典》已于2026年3月12日由第十四届全国人民代表大会第四次会议通过，"
    "将三十余部生态环境法律的内容编入法典，报道称其自2026年8月15日起施行。本文本可能已被法典替代，"
    "具体废止范围尚未核实。核实之前本系统不把本法作为现行法引用；请核实后导入法典官方文本，或在“法规状态”中确认本法仍然有效。"
)
_COMMITTEES = "2025年修正、2026年1月1日起施行的新文本尚未收录。本文本（2018年修正）不作为现行法引用；请用“导入法规”导入官方公布的现行文本。"

# short title -> (status, status_date, superseded_by, status_reason)
STATUS_FACTS: dict[str, tuple[str, dt.date | None, str, str]] = {
    "治安管理处罚法": (
        "已修改",
        dt.date(2026, 1, 1),
        "治安管理处罚法（2025年6月27日修订，2026年1月1日起施行）",
        "2025年6月27日修订、2026年1月1日起施行的新法共144条，条文序号已调整。本文本（2012年修正）不作为现行法引用；请导入官方公布的修订文本。",
    ),
    "食品安全法": (
        "已修改",
        dt.date(2025, 12, 1),
        "食品安全法（2025年9月12日修正，2025年12月1日起施行）",
        "2025年9月12日修正、2025年12月1日起施行。本文本（2021年修正）不作为现行法引用；请导入官方公布的现行文本。",
    ),
    "信访条例": (
        "已废止",
        dt.date(2022, 5, 1),
        "信访工作条例",
        "《信访工作条例》自2022年5月1日起施行，本条例不再适用。",
    ),
    "村民委员会组织法": ("已修改", dt.date(2026, 1, 1), "村民委员会组织法（2025年10月28日修正）", _COMMITTEES),
    "城市居民委员会组织法": ("已修改", dt.date(2026, 1, 1), "城市居民委员会组织法（2025年修正）", _COMMITTEES),
    "环境保护法": ("待核实", dt.date(2026, 8, 15), "生态环境法典", _ECO_CODE),
    "大气污染防治法": ("待核实", dt.date(2026, 8, 15), "生态环境法典", _ECO_CODE),
    "水污染防治法": ("待核实", dt.date(2026, 8, 15), "生态环境法典", _ECO_CODE),
    "噪声污染防治法": ("待核实", dt.date(2026, 8, 15), "生态环境法典", _ECO_CODE),
}


# Notes on versions that stay in force but need a warning wherever they are listed.
IN_FORCE_NOTES = {
    "行政复议法实施条例": "本条例（2007年）早于2023年修订的《行政复议法》，两者规定不一致的，以《行政复议法》为准。",
}


def shipped_by_title() -> dict[str, tuple[Path, LawVersionData]]:
    found = {}
    for path in sorted(LAWS.glob("*.law")):
        law = parse_law_file(path.read_text(encoding="utf-8"))
        found[law.short_title] = (path, law)
    return found


def build(source_dir: Path) -> list[str]:
    shipped = shipped_by_title()
    written = []
    for path in sorted(source_dir.glob("*.md")):
        short = path.stem
        parsed = parse_law_text(path.read_text(encoding="utf-8"), require_contiguous=True)
        if not parsed.articles:
            continue
        if parsed.problems:
            raise SystemExit(f"{path}: {parsed.problems[0]}")
        old_path, old = shipped.get(short, (None, None))
        if old is not None:
            law = old
            law.articles = parsed.articles
            law.coverage = "full"
            law.selection_note = ""
        elif short in NEW_LAWS:
            issuer, adopted, effective = NEW_LAWS[short]
            law = LawVersionData(
                title=parsed.title,
                short_title=short_title_of(parsed.title),
                status="现行有效",
                coverage="full",
                articles=parsed.articles,
                issuer=issuer,
                version_note="；".join(parsed.preamble).rstrip("）"),
                adopted=adopted,
                effective=effective,
                source=SOURCE,
            )
        else:
            continue
        if short in STATUS_FACTS:
            law.status, law.status_date, law.superseded_by, law.status_reason = STATUS_FACTS[short]
        elif short in IN_FORCE_NOTES:
            law.status_reason = IN_FORCE_NOTES[short]
        target = LAWS / f"{short}@{law.effective.isoformat()}.law"
        if old_path is not None and old_path != target:
            old_path.unlink()
        target.write_text(format_law_file(law), encoding="utf-8")
        written.append(target.name)
    return written


if __name__ == "__main__":
    for name in build(Path(sys.argv[1])):
        print(name)
