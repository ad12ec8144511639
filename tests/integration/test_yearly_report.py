"""The yearly report: a document written from the figures, with charts, a table and the definitions."""

from __future__ import annotations

import datetime as dt
import random
import subprocess

import pytest


@pytest.fixture
def seeded(tmp_path):  # noqa: ANN001, ANN201
    from benchmarks.yearly_stats import seed

    url = f"sqlite:///{(tmp_path / 'year.sqlite3').as_posix()}"
    seed(url, 1500, 2026, random.Random(3))
    return url


def test_report_reads_as_a_report_and_counts_like_the_statistics(seeded, tmp_path):  # noqa: ANN001
    from db.session import open_database
    from reception.accounts import ADMIN, AccessControl, Principal
    from reception.handouts.fonts import choose_font
    from reception.settings import OfficeSettings, SettingsService
    from reception.statistics import StatisticsService
    from reception.yearly_report import DEFINITIONS, YearlyReport

    database = open_database(seeded)
    access = AccessControl()
    access.current = Principal(1, "admin", "李管理", ADMIN)
    settings = SettingsService(database, access=access)
    settings.save_office(OfficeSettings(office_name="测试市信访局", address="人民路1号", phone="0000-1234567"))
    report = YearlyReport(
        database, settings, ["劳动合同法", "民法典", "信访工作条例"], today=dt.date(2026, 12, 31), access=access
    )
    figures = report.figures(2026)
    total = (
        StatisticsService(database, today=dt.date(2026, 12, 31), access=access)
        .report(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        .total
    )
    assert figures.total.visits == total.visits and sum(figures.by_month.values()) == total.visits
    text = "".join(line for _h, lines in report.paragraphs(figures) for line in lines)
    assert f"共登记来访{total.visits}批次" in text and "同比" in text
    assert "《劳动合同法》" in text
    pdf = report.render(2026, choose_font(""))
    database.dispose()
    target = tmp_path / "report.pdf"
    target.write_bytes(pdf)
    extracted = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(extracted.split())
    assert "普法责任制落实情况报告" in compact and "负责人（签字）" in compact
    assert all(name in compact for name, _text in DEFINITIONS)
    assert "图1" in compact and "图2" in compact


def test_report_command(seeded, tmp_path, capsys, cli_admin):  # noqa: ANN001
    from reception.cli import main

    out = tmp_path / "2026.pdf"
    assert main(["--db", seeded, "accounts", "init", "--username", "admin", "--name", "李管理"]) == 0
    assert main(["--db", seeded, "report", "--year", "2026", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_laws_cases_and_months_are_counted_as_the_records_say(seeded):  # noqa: ANN001
    from sqlalchemy import func, insert, select

    from db.models import Explanation, Visit
    from db.session import open_database
    from reception.accounts import ADMIN, AccessControl, Principal
    from reception.settings import SettingsService
    from reception.statistics import StatisticsService
    from reception.yearly_report import YearlyReport

    database = open_database(seeded)
    with database.engine.begin() as connection:
        # A record citing two articles of one law counts once for that law.
        visit_id, matter_id, day = connection.execute(
            select(Visit.id, Visit.matter_id, func.date(Visit.visited_at))
            .where(Visit.visited_at >= dt.datetime(2026, 3, 1), ~Visit.id.in_(select(Explanation.visit_id)))
            .order_by(Visit.id)
            .limit(1)
        ).one()
        connection.execute(
            insert(Explanation).values(
                visit_id=visit_id, matter_id=matter_id, officer="接待员1", made_on=dt.date.fromisoformat(day),
                articles='["民法典:1079", "民法典:1080", "信访工作条例:31"]', cases='["hunyin-01"]',
            )
        )  # fmt: skip
        in_year = Explanation.made_on.between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        expected = {
            law: connection.scalar(
                select(func.count(Explanation.id)).where(in_year, Explanation.articles.like(f'%"{law}:%'))
            )
            for law in ("劳动合同法", "民法典", "信访工作条例", "社会保险法")
        }
        expected_cases = connection.scalar(select(func.count(Explanation.id)).where(in_year, Explanation.cases != "[]"))
    access = AccessControl()
    access.current = Principal(1, "admin", "李管理", ADMIN)
    laws = ["信访工作条例", "劳动合同法", "民法典"]  # 社会保险法 is cited but not a law the library knows
    figures = YearlyReport(
        database, SettingsService(database, access=access), laws, today=dt.date(2026, 12, 31), access=access
    ).figures(2026)
    months = StatisticsService(database, today=dt.date(2026, 12, 31), access=access).figures(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), "month"
    )
    database.dispose()
    assert dict(figures.laws_cited) == {law: expected[law] for law in laws}
    assert [n for _law, n in figures.laws_cited] == sorted(expected[law] for law in laws)[::-1]
    assert expected["民法典"] > 0 and expected["社会保险法"] > 0
    assert figures.cases_used == expected_cases > 0
    assert figures.by_month == {int(key[5:]): f.visits for key, f in months.items() if key}
    assert len(figures.by_month) == 12
