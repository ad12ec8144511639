"""The shipped law library against the reference texts, the importer on every reference file, bad files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from db.models import LawArticle, LawVersion
from reception.lawlib.lawfile import parse_law_file
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
        assert law.status in ("现行有效", "已修改", "已废止")
        assert law.articles


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
