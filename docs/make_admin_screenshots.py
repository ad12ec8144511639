"""Render the administrator's screens to docs/screenshots/admin/: the content editor with a draft guide and
its preview, the law import with the comparison of a new version, and each tab of the settings screen.

    QT_QPA_PLATFORM=offscreen python docs/make_admin_screenshots.py

Everything runs on a temporary database, data folder, key and settings: no real user data is read or written.
The law shown is a made-up one (中华人民共和国示例法), so no screenshot suggests a real law was amended.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "admin"
from docs.screenshot_sandbox import isolate  # noqa: E402

_TEMP = isolate("reception-admin-shots-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from reception.deadlines import HolidaySchedule  # noqa: E402
from reception.services import Services  # noqa: E402
from reception.settings import KioskSettings, OfficeSettings  # noqa: E402
from reception.settings_batch import parse_days  # noqa: E402
from ui.shared.startup import create_application  # noqa: E402

ADMIN = ("admin", "李管理", "Admin2026x")
SIZE = (1366, 768)

LAW_V1 = """中华人民共和国示例法

（2024年6月28日第十四届全国人民代表大会常务委员会第十次会议通过）

第一章　总　　则

第一条　为了说明法规文本的导入和版本比较，制定本法。
第二条　本法所称示例单位，是指依照本法接受检查的机关、企业和事业单位。
第三条　示例单位应当如实记录检查结果，并在十日内告知当事人。

第二章　附　　则

第四条　对检查结果有异议的，当事人可以自收到告知之日起三十日内申请复核。
第五条　本法自2025年1月1日起施行。
"""
LAW_V2 = (
    LAW_V1.replace("（2024年6月28日", "（2024年6月28日通过　2026年4月26日修正；")
    .replace("并在十日内告知当事人。", "并在五个工作日内书面告知当事人；当事人要求的，应当提供记录副本。")
    .replace("三十日内申请复核。", "六十日内申请复核；复核期间不停止执行。")
    .replace(
        "第五条　本法自2025年1月1日起施行。",
        "第五条　复核机关应当自收到申请之日起三十日内作出复核决定。\n第六条　本法自2026年7月1日起施行。",
    )
)


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition, timeout_ms: int = 30000) -> None:  # noqa: ANN001
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise TimeoutError("the screen did not finish in time")
        settle(100)
        waited += 100


def prepare(services: Services) -> None:
    services.accounts.create_first_admin(*ADMIN)
    services.accounts.login(ADMIN[0], ADMIN[2])
    services.settings.save_office(
        OfficeSettings(
            office_name="南京市玄武区信访局",
            address="南京市玄武区北京东路41号 信访接待大厅",
            phone="025-84401234、12345",
            petition_url="https://xf.xuanwu.example.gov.cn/",
            guide_base_url="https://xf.xuanwu.example.gov.cn/pufa/",
            query_base_url="https://xf.xuanwu.example.gov.cn/chaxun",
        )
    )
    services.settings.save_kiosk(
        KioskSettings(
            idle_seconds=120,
            terminal_name="一楼大厅触摸屏",
            legal_aid_threshold="本市法律援助经济困难标准：家庭成员人均月收入低于本市最低工资标准。",
        )
    )
    services.settings.save_holiday_schedule(
        HolidaySchedule(
            2027,
            frozenset(parse_days("2027-01-01,2027-02-06..2027-02-13,2027-10-01..2027-10-07")),
            frozenset(parse_days("2027-02-14,2027-09-26,2027-10-09")),
        )
    )
    # A published edit of one guide and a draft of another, so the list shows all three states.
    text = services.content.text("guide", "劳动就业")
    services.content.save_draft("guide", "劳动就业", text.replace("\nsummary = ", "\n# 本单位补充\nsummary = ", 1))
    services.content.publish("guide", "劳动就业")
    v1 = _TEMP / "示例法.txt"
    v1.write_text(LAW_V1, encoding="utf-8")
    services.laws.import_file(v1)


def shoot_content_editor(services: Services) -> None:
    from ui.desk.content_editor import ContentEditorDialog

    dialog = ContentEditorDialog(services)
    dialog.resize(*SIZE)
    dialog.show()
    dialog.select("guide", "教育")
    text = dialog.editor.toPlainText()
    first = next(line for line in text.splitlines() if line.startswith("title = "))
    dialog.editor.setPlainText(text.replace(first, 'title = "孩子上学遇到难处，先看这一页"'))
    dialog.save_draft()
    dialog.preview()
    wait_for(lambda: dialog.preview_pdf.pageCount() >= 1)
    settle(500)
    dialog.grab().save(str(OUT / "content_editor.png"))
    dialog.preview_tabs.setCurrentIndex(1)
    settle(800)
    dialog.grab().save(str(OUT / "content_editor_print.png"))
    dialog.is_dirty = lambda: False
    dialog.close()


def shoot_law_import(services: Services) -> None:
    from ui.desk.law_import_dialog import LawImportDialog

    v2 = _TEMP / "示例法（2026年修正）.txt"
    v2.write_text(LAW_V2, encoding="utf-8")
    dialog = LawImportDialog(services)
    dialog.resize(*SIZE)
    dialog.show()
    dialog.load_file(v2)
    wait_for(lambda: dialog.checked is not None)
    settle(400)
    dialog.grab().save(str(OUT / "law_diff.png"))
    dialog.import_law()
    wait_for(lambda: "已导入" in dialog.import_status.text())
    wait_for(lambda: dialog.law_combo.findData("示例法") >= 0)
    dialog.tabs.setCurrentIndex(1)
    dialog.choose_versions("示例法")
    dialog.compare()
    wait_for(lambda: "修改" in dialog.compare_status.text())
    settle(400)
    dialog.grab().save(str(OUT / "law_compare.png"))
    dialog.close()


def shoot_settings(services: Services) -> None:
    from ui.desk.office_settings_screen import OfficeSettingsScreen

    screen = OfficeSettingsScreen(services)
    screen.resize(900, 680)
    screen.show()
    screen.edit_year(2027)
    for index, name in enumerate(("office", "print", "kiosk", "holidays")):
        screen.tabs.setCurrentIndex(index)
        settle(300)
        screen.grab().save(str(OUT / f"office_settings_{name}.png"))
    # A wrong address on the first tab: marked there, and nothing saved.
    screen.tabs.setCurrentIndex(2)
    screen.inputs["guide_base_url"].setText("xf.xuanwu.example.gov.cn/pufa")
    screen.inputs["idle_seconds"].setValue(300)
    screen.save()
    settle(300)
    screen.grab().save(str(OUT / "office_settings_error.png"))
    screen.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    services = Services.open(f"sqlite:///{(_TEMP / 'demo.sqlite3').as_posix()}")
    prepare(services)
    shoot_content_editor(services)
    shoot_law_import(services)
    shoot_settings(services)
    services.close()
    app.processEvents()
    shutil.rmtree(_TEMP, ignore_errors=True)
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
