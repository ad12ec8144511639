"""An office's own content (draft, preview, publish, revert), content packs between offices, and law diffs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import zipfile

import pytest
from sqlalchemy import func, select

from db.models import ContentItem, LawStatusMark, LawVersion
from reception.accounts import OFFICER, PermissionDeniedError
from reception.content_store import PackError
from reception.errors import ValidationError
from reception.services import Services
from resources import resource_dir
from tests.conftest import log_in_as_admin

pytestmark = pytest.mark.both_backends

NEW_TITLE = 'title = "孩子上学的事，先看这一页"'


def _edited_guide(services) -> str:  # noqa: ANN001
    text = services.content.text("guide", "教育")
    first_line = next(line for line in text.splitlines() if line.startswith("title = "))
    return text.replace(first_line, NEW_TITLE)


def _test_law_version():  # noqa: ANN202
    """A made-up later version of a shipped law, for these tests only: article 3 reworded, 64 added."""
    from reception.lawlib.lawfile import parse_law_file
    from reception.lawlib.parser import ParsedArticle

    law = parse_law_file(resource_dir("laws", "义务教育法@2018-12-29.law").read_text(encoding="utf-8"))
    articles = []
    for article in law.articles:
        if article.number == 3:
            article = dataclasses.replace(article, paragraphs=["（测试用改写）义务教育必须贯彻国家的教育方针。"])
        articles.append(article)
    articles.append(ParsedArticle(64, 0, ["（测试用新增条文）本法自测试之日起施行。"], 999, articles[-1].heading))
    return dataclasses.replace(
        law, articles=articles, effective=dt.date(2030, 1, 1), adopted=dt.date(2029, 6, 1), source="测试"
    )


def test_draft_preview_publish_and_revert(services):  # noqa: ANN001
    edited = _edited_guide(services)
    services.content.save_draft("guide", "教育", edited)
    # A draft is what the editor previews, not what the desk prints.
    assert services.content.text("guide", "教育", draft=True) == edited
    assert services.handouts().guide_content("教育").title != "孩子上学的事，先看这一页"
    services.content.publish("guide", "教育")
    assert services.handouts().guide_content("教育").title == "孩子上学的事，先看这一页"
    from reception.content import ContentService

    kiosk = ContentService.open(services.database.url)
    try:
        assert kiosk.guides.get("教育").title == "孩子上学的事，先看这一页"  # the kiosk shows it too
    finally:
        kiosk.close()
    states = {(e.kind, e.key): e.state for e in services.content.entries()}
    assert states[("guide", "教育")] == "本单位版本" and states[("guide", "劳动就业")] == "出厂"
    services.content.revert("guide", "教育")
    assert services.handouts().guide_content("教育").title != "孩子上学的事，先看这一页"
    assert [e.detail for e in services.audit.browse(action="edit")][:2] == ["恢复为出厂内容", "发布"]


def test_a_broken_draft_is_refused_and_an_officer_cannot_edit(services):  # noqa: ANN001
    with pytest.raises(ValidationError, match="普法指南“教育”有误"):
        services.content.save_draft("guide", "教育", 'topic = "教育"\ntitle = ')
    with services.database.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ContentItem)) == 0
    services.accounts.add("liu", "刘接待", OFFICER, "Desk2026pass")
    services.accounts.login("liu", "Desk2026pass")
    with pytest.raises(PermissionDeniedError):
        services.content.save_draft("guide", "教育", _edited_guide(services))


def _state(services) -> tuple:  # noqa: ANN001
    with services.database.unit_of_work() as uow:
        s = uow.session
        return (
            sorted((r.kind, r.key, r.body) for r in s.scalars(select(ContentItem))),
            s.scalar(select(func.count()).select_from(LawVersion)),
            s.scalar(select(func.count()).select_from(LawStatusMark)),
        )


@pytest.fixture
def city_pack(services, tmp_path):  # noqa: ANN001, ANN201
    """A city office's content: an edited guide, an imported law version and a law-status mark, exported."""
    services.content.save_draft("guide", "教育", _edited_guide(services))
    services.content.publish("guide", "教育")
    services.laws.store_imported(_test_law_version())
    services.laws.mark_status("环境保护法", "待核实", reason="市局通知：核实是否已被生态环境法典取代")
    pack = tmp_path / "city.zip"
    assert services.content.export_pack(pack) > 40
    return pack


@pytest.fixture
def county(request, tmp_path, city_pack, backend):  # noqa: ANN001, ANN201
    """Another office's database: a fresh copy of the template (on the same backend)."""
    if backend == "postgresql":
        from tests.conftest import pg_database

        with pg_database(request.getfixturevalue("pg_template")) as url:
            services = Services.open(url)
            log_in_as_admin(services)
            yield services
            services.close()
        return
    target = tmp_path / "county.sqlite3"
    shutil.copyfile(request.getfixturevalue("template_db"), target)
    services = Services.open(f"sqlite:///{target.as_posix()}")
    log_in_as_admin(services)
    yield services
    services.close()


def test_a_county_takes_the_city_s_content(services, city_pack, county, tmp_path):  # noqa: ANN001
    plan, _ = county.content.plan_import(city_pack)
    lines = "\n".join(plan.lines())
    assert "普法指南·教育：修改" in lines and "法规 中华人民共和国义务教育法（2030-01-01）：新增" in lines
    assert "法规效力标记 环境保护法：待核实" in lines
    before = _state(county)
    assert before == _state(county)  # planning changed nothing
    county.content.import_pack(city_pack)
    assert county.handouts().guide_content("教育").title == "孩子上学的事，先看这一页"
    assert {v.status for v in county.laws.versions() if v.short_title == "环境保护法"} == {"待核实"}
    assert county.laws.diff("义务教育法").changed  # the imported version is there
    # The county now uses exactly the city's set: its own export carries the same files.
    again = tmp_path / "county.zip"
    county.content.export_pack(again)
    with zipfile.ZipFile(city_pack) as a, zipfile.ZipFile(again) as b:
        files_a = json.loads(a.read("manifest.json"))["files"]
        files_b = json.loads(b.read("manifest.json"))["files"]
    assert files_a == files_b
    # Importing the same pack again changes nothing.
    assert county.content.plan_import(city_pack)[0].changes() == 0


def _rewrite(pack, target, change) -> None:  # noqa: ANN001
    with zipfile.ZipFile(pack) as source:
        files = {name: source.read(name) for name in source.namelist()}
    change(files)
    with zipfile.ZipFile(target, "w") as out:
        for name, body in files.items():
            out.writestr(name, body)


def test_a_bad_pack_is_refused_with_nothing_changed(city_pack, county, tmp_path):  # noqa: ANN001
    before = _state(county)
    tampered = tmp_path / "tampered.zip"

    def edit_without_manifest(files: dict) -> None:
        files["content/guide/教育.toml"] = files["content/guide/教育.toml"].replace(b"\xe5", b"\xe6", 1)

    _rewrite(city_pack, tampered, edit_without_manifest)
    with pytest.raises(PackError, match="校验和不符"):
        county.content.import_pack(tampered)

    broken = tmp_path / "broken.zip"

    def break_a_case_file(files: dict) -> None:
        body = files["content/cases/劳动就业.toml"].replace(b'route = "', b'route = "no such route ', 1)
        files["content/cases/劳动就业.toml"] = body
        manifest = json.loads(files["manifest.json"])
        manifest["files"]["content/cases/劳动就业.toml"] = hashlib.sha256(body).hexdigest()
        files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()

    _rewrite(city_pack, broken, break_a_case_file)
    with pytest.raises(PackError) as info:
        county.content.import_pack(broken)
    assert "content/cases/劳动就业.toml" in str(info.value) and "未作任何改动" in str(info.value)
    not_a_pack = tmp_path / "notes.zip"
    not_a_pack.write_bytes(b"not a zip at all")
    with pytest.raises(PackError, match="不是有效的内容包"):
        county.content.import_pack(not_a_pack)
    assert _state(county) == before


def test_law_diff_names_added_removed_and_changed_articles(services, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    services.laws.store_imported(_test_law_version())
    diff = services.laws.diff("义务教育法")
    assert diff.added == ("第六十四条",) and diff.removed == ()
    assert [label for label, _old, _new in diff.changed] == ["第三条"]
    assert diff.unchanged == 62
    backwards = services.laws.diff("义务教育法", old=dt.date(2030, 1, 1), new=dt.date(2018, 12, 29))
    assert backwards.removed == ("第六十四条",) and backwards.old_label == "2030-01-01版"
    with pytest.raises(ValidationError, match="只有 1 个版本"):
        services.laws.diff("劳动合同法")
    assert main(["--db", services.database.url, "laws", "diff", "义务教育法"]) == 0
    out = capsys.readouterr().out
    assert "新增 1 条，删除 0 条，修改 1 条" in out and "~ 第三条" in out and "（测试用改写）" in out


def test_content_citing_an_article_not_in_force_is_refused(services):  # noqa: ANN001
    """An office's case must not cite what the library cannot show as current law."""
    text = services.content.text("cases", "教育")
    first = next(line for line in text.splitlines() if line.strip().startswith("articles = "))
    edited = text.replace(first, 'articles = ["义务教育法:999"]', 1)
    with pytest.raises(ValidationError, match="《义务教育法》第九百九十九条不在法规库的现行文本中"):
        services.content.save_draft("cases", "教育", edited)
    with services.database.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ContentItem)) == 0
