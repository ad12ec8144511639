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
