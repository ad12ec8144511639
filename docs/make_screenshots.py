"""Render the staff screens to PNG at 1366x768 with demo data (run: python docs/make_screenshots.py)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from reception.services import Services  # noqa: E402
from reception.settings import OfficeSettings  # noqa: E402
from reception.validation import id_check_digit  # noqa: E402
from reception.visits import VisitInput  # noqa: E402
from ui.desk.main_window import MainWindow  # noqa: E402
from ui.shared.startup import create_application  # noqa: E402


def demo_id(birth: str, seq: str) -> str:
    body = "320102" + birth + seq
    return body + id_check_digit(body)


DEMO = [
    (
        "张桂兰",
        demo_id("19580314", "042"),
        "13951234567",
        "在小区门口的工地干了八个月保洁和杂工，包工头跑了，三个月工资一共一万二没拿到。",
        "已告知：可向区人社局劳动保障监察投诉，也可自知道权利被侵害之日起一年内申请劳动仲裁。",
        "劳动就业",
    ),
    (
        "李建平",
        demo_id("19710922", "013"),
        "13812345678",
        "村里征地补偿款一直没发到户，村干部说钱被镇上扣着，要求公开补偿标准和名单。",
        "已告知：可申请政府信息公开；对补偿决定不服可申请行政复议。",
        "征地拆迁",
    ),
    ("匿名来访人", "", "", "反映某菜市场有商户卖过期熟食，多次向市场管理方反映无果。", "", "食品药品安全"),
    (
        "王海燕",
        demo_id("19850101", "128"),
        "025-83456789",
        "离婚后前夫不按判决给孩子抚养费，法院执行了半年没有进展。",
        "已告知：属涉法涉诉事项，应向执行法院申请执行或向检察院申请监督。",
        "涉法涉诉",
    ),
]


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


# What the officer confirmed for each demo matter.
DEMO_ROUTES = {"劳动就业": "仲裁", "征地拆迁": "行政程序", "涉法涉诉": "涉法涉诉"}


def pdf_pages_to_png(pdf_bytes: bytes, folder: Path, name: str) -> None:
    """folder/name-1.png … at 70 dpi (pdftoppm), replacing an earlier rendering of the same document."""
    import subprocess

    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(folder / name)], check=True)
    pdf.unlink()


def render_documents(services: Services) -> None:
    """Each document kind as PDF and as PNG pages (pdftoppm), the way the petitioner gets it."""

    folder = OUT / "documents"
    folder.mkdir(exist_ok=True)
    handouts = services.handouts()
    rare = services.visits.register(
        VisitInput(
            name="张𪚥",
            id_number=demo_id("19620418", "017"),
            phone="13770001234",
            summary="反映小区旁工地夜间施工噪音，多次打12345未解决。",
            topic="生态环境",
            route="依法履职",
            matter_type="申诉求决",
            officer="刘晓燕",
            visited_at=dt.datetime(2026, 11, 20, 10, 5),
        )
    )
    documents = {
        "receipt_extb": handouts.prepare_receipt(rare.visit_id),
        "notice": handouts.prepare_notice(2, issued_on=dt.date(2026, 11, 22)),
        "receipt": handouts.prepare_receipt(1),
        "receipt80": handouts.prepare_receipt(1, narrow=True),
        "guide": handouts.prepare_guide("劳动就业"),
        "guide80": handouts.prepare_guide("劳动就业", narrow=True),
    }
    for name, document in documents.items():
        pdf_pages_to_png(document.pdf, folder, name)


# The four matters of the remedies review (issue 12): what each notice must get right.
REMEDY_NOTICES = [
    (
        "dibao",
        "社会救助",
        "行政程序",
        None,
        dt.date(2026, 10, 20),
        "申请低保被乡里驳回，说家里有车不符合条件，车早就卖了。",
    ),
    (
        "victim",
        "涉法涉诉",
        "涉法涉诉",
        "criminal_victim",
        dt.date(2026, 11, 16),
        "被人打成轻伤二级，法院判了对方拘役，我觉得判轻了。",
    ),
    ("labour", "劳动就业", "调解", None, None, "厂里欠三个月工资，街道调解了两次老板都不认账。"),
    ("land", "农村农业", "仲裁", None, None, "组里把我家的承包地收回给别人种了，说我户口迁走了。"),
]


def render_remedy_notices(services: Services) -> None:

    folder = OUT / "notices"
    folder.mkdir(exist_ok=True)
    handouts = services.handouts()
    for name, topic, route, case, decision, summary in REMEDY_NOTICES:
        saved = services.visits.register(
            VisitInput(
                name="赵桂芬",
                id_number=demo_id("19660712", "025"),
                phone="13905150000",
                summary=summary,
                topic=topic,
                route=route,
                matter_type="申诉求决",
                officer="刘晓燕",
                visited_at=dt.datetime(2026, 11, 20, 9, 30),
            )
        )
        document = handouts.prepare_notice(
            saved.visit_id, issued_on=dt.date(2026, 11, 20), decision_date=decision, remedy_case=case
        )
        pdf_pages_to_png(document.pdf, folder, name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    os.environ["RECEPTION_DATA_DIR"] = str(folder)
    # A key of its own beside the demo database: the real one in the user's config folder is never touched.
    os.environ["RECEPTION_KEY_FILE"] = str(folder / "data.key")
    app = create_application([])
    services = Services.open(f"sqlite:///{folder / 'demo.sqlite3'}")
    services.accounts.create_first_admin("liuxy", "刘晓燕", "Demo2026pass")
    services.settings.save_office(
        OfficeSettings(
            office_name="南京市玄武区信访局",
            address="南京市玄武区北京东路41号 信访接待大厅",
            phone="025-84401234、12345",
            petition_url="https://xf.xuanwu.example.cn",
            guide_base_url="https://xf.xuanwu.example.cn/pufa/",
            query_base_url="https://xf.xuanwu.example.cn/chaxun",
        )
    )
    base = dt.datetime(2026, 11, 2, 9, 10)
    for i, (name, id_number, phone, summary, explanation, topic) in enumerate(DEMO * 3):
        services.visits.register(
            VisitInput(
                name=name if id_number else "",
                id_number=id_number,
                phone=phone,
                summary=summary,
                explanation=explanation,
                topic=topic,
                route=DEMO_ROUTES.get(topic, ""),
                matter_type="申诉求决",
                officer="刘晓燕",
                visited_at=base + dt.timedelta(days=i, minutes=37 * i),
                address="南京市玄武区某街道",
            )
        )
    window = MainWindow(services)
    window.resize(1366, 768)
    window.show()
    form = window.form
    form.name_edit.setText("张桂兰")
    form.id_edit.setText(DEMO[0][1])
    form.phone_edit.setText(DEMO[0][2])
    form.officer_edit.setText("刘晓燕")
    form.summary_edit.setPlainText("包工头还是没露面，劳动监察说在查，想问还能不能去仲裁，过年前能不能拿到钱。")
    # The matcher builds its index in the background on a first start (about 15 s on a slow 2-core
    # machine), then matches after the debounce.
    for _ in range(600):
        settle(200)
        if window.match_panel.result is not None:
            break
    settle(300)
    window.grab().save(str(OUT / "registration.png"))
    # The document bar once a visit is saved: the notice's situation is chosen there.
    from reception.visits import SavedVisit

    window.document_bar.set_visit(SavedVisit(4, 4, "XF-DEMO-4", ""))
    window.document_bar.set_cases(services.handouts().remedy_cases(4))
    settle()
    window.document_bar.grab().save(str(OUT / "document_bar.png"))
    window.match_panel.apply_all.click()
    window.side_tabs.setCurrentIndex(1)
    settle()
    window.grab().save(str(OUT / "guide_panel.png"))
    case_window = window.guide_panel.open_case(
        services.handouts().cases.for_topic(window.guide_panel.topic_combo.currentText())[0].id
    )
    case_window.move(window.x() + 700, window.y() + 80)
    settle()
    case_window.grab().save(str(OUT / "case_beside_visit.png"))
    case_window.close()
    window.side_tabs.setCurrentIndex(0)
    window.tabs.setCurrentWidget(window.visit_list)
    settle()
    window.grab().save(str(OUT / "visit_list.png"))
    # 待办: one matter accepted and in handling, one transferred, the rest waiting for the acceptance decision.
    services.followup.change(1, "accept", actor="刘晓燕", on=dt.date(2026, 11, 5))
    services.followup.change(1, "start", actor="刘晓燕", on=dt.date(2026, 11, 5))
    services.followup.change(2, "transfer", actor="刘晓燕", department="玄武区人力资源和社会保障局", reason="属地管理")
    window.agenda.refresh()
    window.tabs.setCurrentWidget(window.agenda)
    settle()
    window.grab().save(str(OUT / "agenda.png"))
    window.statistics.period_combo.setCurrentText("本年")
    window.statistics.group_combo.setCurrentIndex(window.statistics.group_combo.findData("topic"))
    window.statistics.run()
    for _ in range(50):
        settle(100)
        if window.statistics.report is not None:
            break
    window.tabs.setCurrentWidget(window.statistics)
    settle(400)
    window.grab().save(str(OUT / "statistics.png"))
    dialog = window.open_visit(1)
    settle()
    dialog.grab().save(str(OUT / "visit_detail.png"))
    dialog.close()
    settings_dialog = window.open_settings(first_start=True)
    settle()
    settings_dialog.grab().save(str(OUT / "settings.png"))
    settings_dialog.reject()
    window.tabs.setCurrentWidget(window.statute_browser)
    browser = window.statute_browser
    browser.search_edit.setText("工资")
    browser.run_search()
    settle()
    if browser.results.count():
        browser.results.setCurrentRow(0)
    settle()
    window.grab().save(str(OUT / "statute_browser.png"))
    window.tabs.setCurrentWidget(window.law_status)
    settle(600)
    window.law_status.table.selectRow(0)
    settle()
    window.grab().save(str(OUT / "law_status.png"))
    window.tabs.setCurrentIndex(0)
    window.prepare_visit_document("notice", 1, False, None)
    for _ in range(50):
        settle(200)
        if window.previews:
            break
    preview = window.previews[-1]
    preview.resize(900, 760)
    settle(800)
    preview.grab().save(str(OUT / "preview.png"))
    preview.close()
    render_documents(services)
    render_remedy_notices(services)
    window.worker.wait()
    services.close()
    app.quit()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
