"""Importing a 来访登记台账: validated rows in whole batches, rejected rows reported, nothing imported twice."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import valid_id

pytestmark = pytest.mark.both_backends

HEAD = [
    "序号",
    "登记日期",
    "姓名",
    "身份证号",
    "联系电话",
    "住址",
    "诉求摘要",
    "类别",
    "主题",
    "办理情况",
    "接待人",
    "人数",
]
WANG = valid_id("19600101", "111")


def _rows():  # noqa: ANN202
    return [
        [
            1,
            dt.date(2026, 1, 5),
            "王某",
            WANG,
            "13800000001",
            "某村",
            "工地欠薪三个月",
            "申诉求决",
            "劳动就业",
            "已办结",
            "刘",
            1,
        ],
        [2, "2026/03/01", "王某", WANG, "13800000001", "某村", "欠薪仍未解决", "申诉求决", "劳动就业", "", "刘", 1],
        [3, "2026年4月2日", "李某", "", "13900000002", "", "低保被取消", "", "社会救助", "", "", 1],
        [
            4,
            "2026-05-06",
            "赵某",
            valid_id("19800303", "333"),
            "",
            "",
            "征地补偿太低",
            "申诉求决",
            "征地拆迁",
            "",
            "张",
            12,
        ],
        [5, "不记得", "钱某", "", "", "", "噪声扰民", "", "", "", "", 1],
        [6, "2026-06-01", "孙某", "110101199001011234", "", "", "物业乱收费", "", "", "", "", 1],
        [7, "2026-07-01", "周某", "", "", "", "", "", "", "", "", 1],
        [8, "2026-07-02", "吴某", "", "", "", "要求公开征收批文", "建议意见", "政务公开与行政行为", "", "", "两人"],
    ]


@pytest.fixture
def ledger_xlsx(tmp_path):  # noqa: ANN001, ANN201
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for row in _rows():
        sheet.append(row)
    path = tmp_path / "来访登记台账.xlsx"
    book.save(path)
    return path


def test_good_rows_imported_bad_rows_reported_by_number(services, ledger_xlsx):  # noqa: ANN001
    from reception.ledger import LedgerImporter

    report = LedgerImporter(services.database, services.visits).import_file(ledger_xlsx)
    assert (report.rows, report.imported, report.skipped) == (8, 4, 0)
    rejected = {r.row: r.reasons for r in report.rejected}
    assert set(rejected) == {6, 7, 8, 9}  # spreadsheet rows 6–9 hold entries 5–8
    assert "登记日期无法识别" in rejected[6][0]
    assert any("身份证" in reason for reason in rejected[7])
    assert any("诉求" in reason for reason in rejected[8])
    assert any("人数" in reason for reason in rejected[9])
    assert "第6行" in report.text()


def test_importing_the_same_file_twice_imports_nothing(services, ledger_xlsx):  # noqa: ANN001
    from reception.ledger import LedgerImporter

    importer = LedgerImporter(services.database, services.visits)
    importer.import_file(ledger_xlsx)
    again = importer.import_file(ledger_xlsx)
    assert (again.imported, again.skipped) == (0, 4)
    assert services.visits.count_visits() == 4


def test_stats_on_the_imported_ledger_match_a_hand_count(tmp_path, db_url, ledger_xlsx, capsys, cli_admin):  # noqa: ANN001
    """Counted by hand from _rows(): 4 good rows in 2026; people 3 (王 twice); 赵's group of 12 is a group
    visit; no repeat visit (each ledger row opens its own matter); by topic 劳动就业 2, 社会救助 1, 征地拆迁 1."""
    import json

    from reception.cli import main

    assert main(["--db", db_url, "import-visits", str(ledger_xlsx)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "stats", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "topic", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    total = payload["total"]
    assert (total["visits"], total["people"], total["group_visits"], total["repeat_visits"]) == (4, 3, 1, 0)
    assert {k: v["visits"] for k, v in payload["groups"].items()} == {"劳动就业": 2, "社会救助": 1, "征地拆迁": 1}


def test_a_csv_in_gbk_with_a_mapping_file(services, tmp_path):  # noqa: ANN001
    from reception.ledger import LedgerImporter

    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\n"时间" = "visited_at"\n"来访人" = "name"\n"事由" = "summary"\n', encoding="utf-8")
    ledger = tmp_path / "old.csv"
    ledger.write_bytes("时间,来访人,事由\n2026-02-03,郑某,宅基地纠纷\n".encode("gb18030"))
    report = LedgerImporter(services.database, services.visits).import_file(ledger, mapping=mapping)
    assert report.imported == 1


def test_a_ledger_without_the_needed_columns_is_refused(services, tmp_path):  # noqa: ANN001
    from reception.ledger import LedgerError, LedgerImporter

    ledger = tmp_path / "x.csv"
    ledger.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="登记日期"):
        LedgerImporter(services.database, services.visits).import_file(ledger)
    assert services.visits.count_visits() == 0
