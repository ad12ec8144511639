"""Documents as the petitioner receives them: text extracted with pdftotext, QR codes read back with zbar."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from db.models import Handout
from reception.handouts.fonts import CID_FALLBACK, choose_font
from tests.conftest import valid_id

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "zbarimg", "pdfinfo")),
    reason="poppler-utils and zbar-tools are installed by .ci/run",
)

SPACE = re.compile(r"\s+")


def pdf_text(pdf: bytes, tmp_path: Path, *extra: str) -> str:
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    crop: list[str] = []
    if not extra and "(A4)" in info:
        # Leave out the running footer (drawn below 16 mm), which pdftotext would otherwise put between
        # the lines of a paragraph that continues on the next page.
        crop = ["-x", "0", "-y", "0", "-W", "595", "-H", str(round(842 - 17 * 72 / 25.4))]
    return subprocess.run(
        ["pdftotext", *crop, *extra, str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def flat(text: str) -> str:
    return SPACE.sub("", text)


def qr_urls(pdf: bytes, tmp_path: Path) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(source), str(tmp_path / "page")], check=True)
    urls: list[str] = []
    for page in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True)
        urls += [line for line in result.stdout.splitlines() if line]
    return urls


def page_size(pdf: bytes, tmp_path: Path) -> tuple[float, float, int]:
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return float(width), float(height), pages


def test_notice_prints_exact_articles_and_computed_dates(handouts, register, tmp_path):
    saved = register(matter_type="申诉求决", topic="政务公开与行政行为", route="行政程序")
    document = handouts.prepare_notice(saved.visit_id, issued_on=dt.date(2026, 11, 22))
    text = flat(pdf_text(document.pdf, tmp_path))
    assert "权利义务与救济途径告知书" in text
    assert document.content.citations, "the notice cites articles"
    for article in document.content.citations:
        assert flat(article.text) in text, article.citation
        assert flat(f"《{article.title}》{article.label}") in text
        assert f"{article.effective.year}年{article.effective.month}月{article.effective.day}日起施行" in text
    # 60 days for 行政复议 from the day of the notice (the issue's own example), 6 months for 行政诉讼.
    assert "可于2027年1月21日（估算）前申请行政复议" in text
    # 2027-05-22 is a Saturday; the direct lawsuit is offered only outside the cases where review comes first.
    assert "不属于上述须先复议的情形、不申请复议而直接起诉的，可于2027年5月24日（估算）前向人民法院提起行政诉讼" in text
    assert "申请政府信息公开，行政机关不予公开" in text
    assert "2026年12月7日前书面告知您是否受理" in text
    # The ID number is masked unless staff ask for it.
    assert valid_id() not in text and valid_id()[-4:] in text


def test_decision_date_moves_the_dates(handouts, register, tmp_path):
    saved = register(topic="政务公开与行政行为", route="行政程序")
    document = handouts.prepare_notice(
        saved.visit_id, issued_on=dt.date(2026, 11, 22), decision_date=dt.date(2026, 8, 4)
    )
    text = flat(pdf_text(document.pdf, tmp_path))
    # 2026-08-04 + 60 = 10-03, inside the National Day break: moved to 10-08.
    assert "可于2026年10月8日前申请行政复议" in text
    assert "按决定日期2026年8月4日起算" in text


def test_full_id_only_when_asked(handouts, register, tmp_path):
    saved = register()
    document = handouts.prepare_notice(saved.visit_id, show_full_id=True)
    assert valid_id() in flat(pdf_text(document.pdf, tmp_path))


def test_notice_qr_codes_open_the_guide_and_the_progress_page(handouts, register, services, tmp_path):
    saved = register()
    document = handouts.prepare_notice(saved.visit_id)
    urls = qr_urls(document.pdf, tmp_path)
    office = services.settings.office()
    assert sorted(urls) == sorted(
        [office.guide_base_url + "laodongjiuye", handouts.query_url(office, saved.visit_no, saved.query_code)]
    )
    text = flat(pdf_text(document.pdf, tmp_path))
    assert "扫码查询本事项办理进度" in text and "扫码阅读普法指南" in text


def test_receipt_has_query_code_time_limits_and_a_working_qr(handouts, register, tmp_path):
    saved = register()
    for narrow in (False, True):
        document = handouts.prepare_receipt(saved.visit_id, narrow=narrow)
        text = flat(pdf_text(document.pdf, tmp_path))
        assert f"{saved.query_code[:4]}-{saved.query_code[4:]}" in text
        assert "2026年12月7日前书面告知您是否受理" in text
        assert "60日内办结" in text and "不得超过30日" in text and "30日内请求复查" in text
        (url,) = qr_urls(document.pdf, tmp_path / ("n" if narrow else "w"))
        query = parse_qs(urlparse(url).query)
        assert query == {"no": [saved.visit_no], "code": [saved.query_code]}
    width, height, pages = page_size(document.pdf, tmp_path)
    assert round(width / 72 * 25.4) == 80 and pages == 1 and height > width


def test_long_matter_and_many_citations_flow_onto_further_pages_without_overlap(handouts, register, services, tmp_path):
    summary = "。".join(f"第{i}件事：包工头拖欠工资，老板说等工程款到了再给，已经找了劳动监察{i}次" for i in range(60))
    saved = register(summary=summary)
    keys = [("劳动合同法", n, 0) for n in range(30, 51)]
    document = handouts.prepare_notice(saved.visit_id, citations=keys)
    _w, _h, pages = page_size(document.pdf, tmp_path)
    assert pages >= 3
    text = flat(pdf_text(document.pdf, tmp_path))
    assert flat(summary) in text
    for number in range(30, 51):
        article = services.laws.article("劳动合同法", number)
        assert flat(article.text) in text
    # No two text lines on a page may overlap (nothing drawn over anything else).
    layout = pdf_text(document.pdf, tmp_path, "-bbox-layout")
    for page in re.findall(r"<page .*?</page>", layout, flags=re.S):
        boxes = [
            tuple(float(v) for v in m)
            for m in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)
        ]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 1 or overlap_y <= 1, (a, b)


def _ink_share(png: Path) -> float:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    small = image.scaled(200, 280)
    dark = sum(
        1 for y in range(small.height()) for x in range(small.width()) if small.pixelColor(x, y).lightness() < 128
    )
    return dark / (small.width() * small.height())


@pytest.mark.parametrize("embedded", [True, False], ids=["truetype", "cid-fallback"])
def test_both_font_paths_give_readable_chinese(handouts, tmp_path, monkeypatch, embedded):
    font = choose_font() if embedded else choose_font("", allow_system=False)
    if embedded and not font.embedded:
        pytest.skip("no TrueType CJK font on this machine (.ci/run installs fonts-wqy-microhei)")
    monkeypatch.setattr(handouts, "font", lambda: font)
    document = handouts.prepare_guide("劳动就业")
    assert document.font.embedded is embedded
    assert (font.name == CID_FALLBACK) is not embedded
    text = pdf_text(document.pdf, tmp_path)
    assert document.content.title in flat(text)
    source = tmp_path / "g.pdf"
    source.write_bytes(document.pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p*.png")
    assert _ink_share(png) > 0.01, "page is blank"


def test_issue_records_and_reprint_is_identical(handouts, register, services, tmp_path):
    saved = register()
    document = handouts.prepare_notice(saved.visit_id, issued_on=dt.date(2026, 11, 22))
    issued = handouts.issue(document, "刘接待")
    # Later changes to the office settings do not change a reprint.
    office = services.settings.office()
    office.phone = "0512-00000000"
    services.settings.save_office(office)
    again = handouts.reprint(issued.handout_id, "刘接待")
    assert again.identical_to_original
    assert again.document.pdf == document.pdf
    rows = handouts.history(saved.visit_id)
    assert [(r.kind, r.reprint_of) for r in rows] == [("notice", issued.handout_id), ("notice", None)]
    with services.database.unit_of_work() as uow:
        stored = uow.session.scalars(select(Handout)).all()
        assert {h.content_hash for h in stored} == {document.content_hash}
    history = services.visits.get_detail(saved.visit_id).history
    assert [e.kind for e in history].count("handout_issued") == 2


def test_issue_needs_someone_responsible(handouts):
    from reception.errors import ValidationError

    document = handouts.prepare_guide("劳动就业")
    with pytest.raises(ValidationError):
        handouts.issue(document, "  ")


def test_every_topic_guide_prints_on_one_or_two_pages(handouts, tmp_path):
    from reception.vocab import TOPICS

    assert handouts.guides.topics() == list(TOPICS)
    for topic in TOPICS:
        document = handouts.prepare_guide(topic)
        _w, _h, pages = page_size(document.pdf, tmp_path)
        assert 1 <= pages <= 2, (topic, pages)
        # Articles that do not fit keep their exact citation (title + number), never a shortened text.
        text = flat(pdf_text(document.pdf, tmp_path))
        for article in document.content.citations:
            assert f"《{article.title}》{article.label}" in text, (topic, article.label)
        roll = handouts.prepare_guide(topic, narrow=True)
        width, _h, pages = page_size(roll.pdf, tmp_path)
        assert pages == 1 and round(width / 72 * 25.4) == 80


def test_cli_produces_each_document(register, db_url, tmp_path, capsys, cli_admin):
    from reception.cli import main

    saved = register()
    for argv in (
        ["handout", "notice", "--visit", str(saved.visit_id)],
        ["handout", "receipt", "--visit", str(saved.visit_id), "--receipt80"],
        ["handout", "guide", "--topic", "劳动就业"],
    ):
        out = tmp_path / f"{argv[1]}.pdf"
        assert main(["--db", db_url, *argv, "--out", str(out)]) == 0
        assert out.read_bytes().startswith(b"%PDF")
    assert main(["--db", db_url, "handout", "notice", "--visit", "999999", "--out", str(tmp_path / "x.pdf")]) == 2
    error = capsys.readouterr().err
    assert error.strip() and "Traceback" not in error


def test_admin_entered_holiday_schedule_replaces_the_estimate(register, services, db_url, tmp_path, capsys, cli_admin):
    from reception.cli import main

    saved = register(matter_type="申诉求决", topic="政务公开与行政行为", route="行政程序")
    # A made-up schedule for the test: 21 January 2027 off, so the 60-day period ends a day later.
    assert main(["--db", db_url, "holidays", "set", "2027", "--off", "2027-01-01..2027-01-03,2027-01-21"]) == 0
    assert main(["--db", db_url, "holidays", "set", "2027", "--off", "2027-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--db", db_url, "holidays", "list"]) == 0
    assert "2027年：放假4天" in capsys.readouterr().out
    from reception.services import Services
    from tests.conftest import log_in_as_admin

    fresh = Services.open(db_url)
    log_in_as_admin(fresh)
    try:
        document = fresh.handouts().prepare_notice(saved.visit_id, issued_on=dt.date(2026, 11, 22))
        text = flat(pdf_text(document.pdf, tmp_path))
    finally:
        fresh.close()
    assert "可于2027年1月22日前申请行政复议" in text
    assert "2027年1月21日（估算）" not in text
