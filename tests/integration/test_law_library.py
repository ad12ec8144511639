"""The shipped law library against the reference texts, the importer on every reference file, bad files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from db.models import LawArticle, LawVersion
from reception.lawlib.lawfile import STATUSES, parse_law_file
from reception.lawlib.library import LawLibrary
from reception.lawlib.parser import LawFileError, parse_law_text
from tests.conftest import SHARED_STATUTES

pytestmark = pytest.mark.skipif(not SHARED_STATUTES.is_dir(), reason="../shared/statutes is not beside the project")

REQUIRED_FULL_TEXTS = (
    "信访工作条例",
    "行政复议法",
    "人民调解法",
    "法律援助法",
    "劳动争议调解仲裁法",
    "国有土地上房屋征收与补偿条例",
    "政府信息公开条例",
    "社会救助暂行办法",
    "保障农民工工资支付条例",
)
# Reference texts older than the version in force (see ../shared/statutes/SOURCES.md): never current here.
OUTDATED_REFERENCES = {"治安管理处罚法", "食品安全法", "信访条例"}


def _ws(text: str) -> str:
    return re.sub(r"[\s\u3000\u2002\u200b]+", "", text)


def reference(short_title: str):  # noqa: ANN201
    path = SHARED_STATUTES / f"{short_title}.md"
    if not path.exists():
        return None
    return {(a.number, a.suffix): a.text for a in parse_law_text(path.read_text(encoding="utf-8")).articles}


def shipped():  # noqa: ANN201
    return [parse_law_file(text) for _name, text in LawLibrary.shipped_files()]


def test_every_shipped_article_matches_the_reference_text():
    compared = 0
    for law in shipped():
        ref = reference(law.short_title)
        if ref is None:
            continue
        for article in law.articles:
            key = (article.number, article.suffix)
            assert key in ref, f"{law.short_title}{article.label} is not in the reference text"
            assert _ws(article.text) == _ws(ref[key]), f"{law.short_title}{article.label} differs from the reference"
            compared += 1
    assert compared > 3000


def test_required_laws_are_shipped_in_full_and_in_force():
    by_title = {law.short_title: law for law in shipped() if law.status == "现行有效"}
    for short_title in REQUIRED_FULL_TEXTS:
        law = by_title[short_title]
        assert law.coverage == "full"
        assert len(law.articles) == len(reference(short_title)), short_title


def test_outdated_reference_texts_are_never_current():
    for law in shipped():
        if law.short_title in OUTDATED_REFERENCES and law.source.startswith("国家法律法规数据库"):
            assert law.status in ("已修改", "已废止"), law.short_title
    library_versions = {(law.short_title, law.status) for law in shipped()}
    assert ("信访条例", "已废止") in library_versions


def test_every_shipped_file_has_title_number_and_effective_date():
    for law in shipped():
        assert law.title and law.effective, law.short_title
        assert law.status in STATUSES
        assert law.articles
        if law.status != "现行有效":
            assert law.status_reason and law.status_date, law.short_title


def test_every_reference_law_is_shipped_in_full():
    """Where a reference text exists, the library ships the whole law, not an excerpt."""
    shipped_laws = {law.short_title: law for law in shipped()}
    for path in SHARED_STATUTES.glob("*.md"):
        if path.name == "SOURCES.md":
            continue
        law = shipped_laws.get(path.stem)
        assert law is not None, f"{path.stem} has a reference text but is not shipped"
        assert law.coverage == "full", path.stem
        assert len(law.articles) == len(reference(path.stem)), path.stem


# The states known on 2026-12-03 (docs/law_status.md): none of these texts may be cited as current law.
KNOWN_NOT_IN_FORCE = {
    "治安管理处罚法": "已修改",
    "食品安全法": "已修改",
    "信访条例": "已废止",
    "村民委员会组织法": "已修改",
    "城市居民委员会组织法": "已修改",
    "环境保护法": "待核实",
    "大气污染防治法": "待核实",
    "水污染防治法": "待核实",
    "噪声污染防治法": "待核实",
}


def test_the_known_states_ship_with_the_library(services):
    versions = {v.short_title: v for v in services.laws.versions()}
    for law, status in KNOWN_NOT_IN_FORCE.items():
        assert versions[law].status == status, law
        assert not versions[law].in_force, law
        assert versions[law].warnings, law
    missing = {m.short_title for m in services.laws.missing_laws()}
    assert set(KNOWN_NOT_IN_FORCE) | {"生态环境法典"} <= missing
    assert services.laws.article("环境保护法", 6) is None


def test_an_office_marks_a_law_and_every_citation_follows(services):
    from reception.errors import ValidationError

    assert services.laws.article("劳动合同法", 30) is not None
    with pytest.raises(ValidationError) as refused:
        services.laws.mark_status("劳动合同法", "已废止")
    assert "reason" in refused.value.errors
    with pytest.raises(ValidationError):
        services.laws.mark_status("不存在的法", "已废止", reason="x")
    info = services.laws.mark_status("劳动合同法", "已修改", superseded_by="劳动合同法（新）", reason="测试修改")
    assert not info.in_force and info.status == "已修改"
    assert services.laws.article("劳动合同法", 30) is None
    assert any(m.short_title == "劳动合同法" for m in services.laws.missing_laws())
    # A later mark that the law is in force after all puts it back.
    services.laws.mark_status("劳动合同法", "现行有效", reason="核实仍然有效")
    assert services.laws.article("劳动合同法", 30) is not None


def test_an_amendment_from_a_future_day_keeps_the_text_in_force_until_then(services):
    import datetime as dt

    services.laws.mark_status("工会法", "已修改", status_date=dt.date(2099, 1, 1), reason="将来修改")
    version = next(v for v in services.laws.versions() if v.short_title == "工会法")
    assert version.in_force and any("前仍然有效" in w for w in version.warnings)


def test_laws_command_lists_status_and_marks(db_url, capsys, cli_admin):
    import json

    from reception.cli import main

    assert main(["--db", db_url, "laws", "--json"]) == 0
    rows = {row["short_title"]: row for row in json.loads(capsys.readouterr().out)}
    assert len(rows) >= 60
    assert rows["环境保护法"]["status"] == "待核实" and not rows["环境保护法"]["in_force"]
    assert rows["劳动合同法"]["coverage"] == "full" and rows["劳动合同法"]["article_count"] == 98
    assert main(["--db", db_url, "laws", "mark", "环境保护法", "--status", "现行有效", "--reason", "经核实仍有效"]) == 0
    assert "现行有效" in capsys.readouterr().out
    assert main(["--db", db_url, "laws", "mark", "环境保护法", "--status", "已废止"]) == 2
    assert "原因" in capsys.readouterr().err


def test_library_answers_from_the_version_in_force(services):
    article = services.laws.article("劳动争议调解仲裁法", 27)
    assert article is not None and article.text.startswith("劳动争议申请仲裁的时效期间为一年。")
    assert "2008年5月1日起施行" in article.citation
    assert services.laws.article("治安管理处罚法", 2) is None  # only the superseded 2012 text is shipped
    xinfang = [v for v in services.laws.versions() if v.short_title in ("信访条例", "信访工作条例")]
    assert {(v.short_title, v.in_force) for v in xinfang} == {("信访条例", False), ("信访工作条例", True)}


@pytest.mark.parametrize(
    "path", sorted(p for p in SHARED_STATUTES.glob("*.md") if p.name != "SOURCES.md"), ids=lambda p: p.stem
)
def test_importer_reads_every_reference_file(services, path):
    ref = reference(path.stem)
    law = services.laws.read_official_text(path.read_bytes(), path.name, effective=dt.date(2020, 1, 1))
    assert len(law.articles) == len(ref)
    assert {(a.number, a.suffix): a.text for a in law.articles} == ref


def test_import_stores_a_new_version_that_takes_over(services, tmp_path):
    text = (SHARED_STATUTES / "人民调解法.md").read_text(encoding="utf-8")
    source = tmp_path / "人民调解法.txt"
    source.write_text(text.replace("#", ""), encoding="gb18030")
    report = services.laws.import_file(source, effective=dt.date(2026, 1, 1))
    assert report.article_count == 35 and report.short_title == "人民调解法"
    current = [v for v in services.laws.versions() if v.short_title == "人民调解法" and v.in_force]
    assert [v.origin for v in current] == ["imported"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("人民调解法\n第一条　甲。\n第三条　丙。\n第四条　本法自2011年1月1日起施行。", "不连续"),
        ("人民调解法\n第一条　甲。\n第二条　乙。\n第二条　乙。\n第三条　本法自2011年1月1日起施行。", "重复"),
        ("", "空"),
        ("人民调解法\n第一条　甲。\n第二条　乙。", "施行日期"),
    ],
    ids=["gap", "duplicate", "empty", "no-effective-date"],
)
def test_bad_files_change_nothing(services, database, tmp_path, content, message):
    before = _counts(database)
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LawFileError, match=message):
        services.laws.import_file(path)
    assert _counts(database) == before


def test_wrong_encoding_changes_nothing(services, database, tmp_path):
    before = _counts(database)
    path = tmp_path / "latin.txt"
    path.write_bytes("Loi sur la médiation, article premier: éàü".encode("latin-1") * 30)
    with pytest.raises(LawFileError, match="编码"):
        services.laws.import_file(path)
    assert _counts(database) == before


def _counts(database) -> tuple[int, int]:  # noqa: ANN001
    with database.unit_of_work() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(LawVersion)),
            uow.session.scalar(select(func.count()).select_from(LawArticle)),
        )
