"""`reception publish`: every QR code the app prints opens a page of the site, and pages fit a 360 px phone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

BASE = "https://xf.test.gov.cn/pufa/"  # the test office's guide address (tests/conftest.py)


@pytest.fixture(scope="module")
def site(tmp_path_factory, template_db):  # noqa: ANN001, ANN201
    """The site published once from the test database, and the content service that wrote it."""
    from reception.content import ContentService
    from reception.publish import publish_site

    db = tmp_path_factory.mktemp("publish") / "reception.sqlite3"
    shutil.copyfile(template_db, db)
    content = ContentService.open(f"sqlite:///{db.as_posix()}")
    out = tmp_path_factory.mktemp("site")
    report = publish_site(content, out)
    yield content, out, report
    content.close()


def _file_for(url: str, out: Path) -> Path:
    assert url.startswith(BASE), url
    path = url[len(BASE) :].strip("/")
    return out / path / "index.html" if path else out / "index.html"


def test_every_qr_code_the_app_prints_opens_a_page(site, services):  # noqa: ANN001
    import datetime as dt

    from reception.guided import Answers

    content, out, report = site
    urls = [services.handouts().guide_content(topic).qr.url for topic in content.guides.topics()]
    urls += [content.guide_content(topic).qr.url for topic in content.guides.topics()]
    urls += [content.case_sheet(case).qr.url for case in content.cases.all()]
    urls.append(content.notice_sheet().qr.url)
    for case, answers in content.advisor.reachable():
        dated = Answers(answers.topic, answers.party, answers.paper, answers.want, dt.date(2026, 11, 20))
        result = content.guided_result(dated, dt.date(2026, 12, 3))
        assert result.case.id == case.id
        urls.append(content.result_sheet(result).qr.url)
    missing = sorted({u for u in urls if not _file_for(u, out).is_file()})
    assert missing == []
    assert report.pages == len(list(out.rglob("index.html")))
    assert report.base_url == BASE


def test_a_notice_qr_code_opens_the_topic_guide(site, services, make_input):  # noqa: ANN001
    content, out, _report = site
    visit = services.visits.register(make_input(matter_type="申诉求决", topic="劳动就业", route="仲裁"))
    notice = services.handouts().notice_content(visit.visit_id)
    guide_codes = [q.url for q in notice.qr if q.url.startswith(BASE)]
    assert guide_codes and all(_file_for(u, out).is_file() for u in guide_codes)


def test_no_link_in_the_site_is_broken(site):  # noqa: ANN001
    _content, out, _report = site
    broken = []
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            if not (page.parent / href).resolve().exists():
                broken.append((str(page.relative_to(out)), href))
    assert broken == []


def test_article_pages_give_version_and_effective_date(site):  # noqa: ANN001
    content, out, _report = site
    article = content.article("劳动争议调解仲裁法", 27)
    page = (out / "law" / "laodongzhengyitiaojiezhongcaifa" / "27" / "index.html").read_text(encoding="utf-8")
    assert "现行有效" in page and "2008年5月1日起施行" in page
    assert all(paragraph in page for paragraph in article.text.split("\n"))


def test_pages_hold_no_script_and_no_personal_data(site):  # noqa: ANN001
    _content, out, _report = site
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text
        assert not re.search(r"\d{17}[\dXx]|1[3-9]\d{9}", text), page


def test_publishing_again_replaces_the_site_and_keeps_other_files(site, tmp_path):  # noqa: ANN001
    from reception.publish import publish_site

    content, _out, _report = site
    (tmp_path / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    first = publish_site(content, tmp_path)
    stale = tmp_path / "old-topic"
    stale.mkdir()
    (stale / "index.html").write_text("old", encoding="utf-8")
    second = publish_site(content, tmp_path)
    assert first.pages == second.pages
    assert not stale.exists() and (tmp_path / "robots.txt").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE_WIDTH = 360


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_pages_fit_a_360px_phone_in_normal_and_large_text(site):  # noqa: ANN001
    from tools.headless_chromium import PhoneBrowser

    content, out, _report = site
    pages = [
        out / "index.html",
        out / "laodongjiuye" / "index.html",
        out / "xinfangxuzhi" / "index.html",
        out / "cases" / content.cases.all()[0].id / "index.html",
        out / "r" / "labor_arbitration_case" / "laodongjiuye" / "index.html",
        out / "law" / "minfadian" / "1165" / "index.html",
        out / "office" / "index.html",
    ]
    with PhoneBrowser(PHONE_WIDTH) as browser:
        # A page wider than the phone makes the browser zoom out or scroll sideways: both fail here.
        widths = {
            str(p.relative_to(out)) + f: browser.layout_width(p.as_uri() + f)[0] for p in pages for f in ("", "#big")
        }
        # The measure itself: a page with a table wider than the phone is caught.
        probe = out / "probe-too-wide.html"
        probe.write_text(
            '<!DOCTYPE html><meta name="viewport" content="width=device-width"><div style="width:600px">宽</div>',
            encoding="utf-8",
        )
        too_wide = browser.layout_width(probe.as_uri())[0]
        probe.unlink()
    assert {k: w for k, w in widths.items() if w > PHONE_WIDTH} == {}
    assert too_wide > PHONE_WIDTH


def test_command_line_publish(tmp_path, db_url, capsys):  # noqa: ANN001
    from reception.cli import main

    assert main(["--db", db_url, "publish", "--out", str(tmp_path / "site")]) == 0
    printed = capsys.readouterr().out
    assert "已生成" in printed and urlparse(BASE).netloc in printed
    assert (tmp_path / "site" / "laodongjiuye" / "index.html").is_file()
