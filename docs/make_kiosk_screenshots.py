"""Render the kiosk's screens (landscape 1920×1080, portrait 1080×1920, wall unit 1366×768) and the phone
pages (360 px) to docs/screenshots/kiosk/ and docs/screenshots/phone/.

    QT_QPA_PLATFORM=offscreen python docs/make_kiosk_screenshots.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reception.content import ContentService  # noqa: E402
from reception.guided import Answers  # noqa: E402
from reception.settings import OfficeSettings  # noqa: E402

KIOSK = ROOT / "docs" / "screenshots" / "kiosk"
PHONE = ROOT / "docs" / "screenshots" / "phone"
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "wall": (1366, 768)}
TODAY = dt.date(2026, 12, 3)


def kiosk_screens(content: ContentService) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.kiosk.window import KioskWindow
    from ui.shared.startup import create_application

    app = create_application(stylesheet="")
    KIOSK.mkdir(parents=True, exist_ok=True)
    for orientation, (width, height) in SIZES.items():
        window = KioskWindow(content, today=lambda: TODAY)
        window.resize(width, height)
        window.show()

        def shot(name: str, window: KioskWindow = window, orientation: str = orientation) -> None:
            QApplication.processEvents()
            window.grab().save(str(KIOSK / f"{orientation}-{name}.png"))

        window.show_route(("home",))
        shot("home")
        window.answers = Answers("劳动就业", "employer", "none", "money", TODAY - dt.timedelta(days=13))
        window.show_route(("result",))
        shot("guided-result")
        window.show_route(("guided", "date"))
        shot("guided-date")
        window.show_route(("guide", "劳动就业"))
        shot("guide")
        window.show_route(("case", content.cases.for_topic("劳动就业")[0].id))
        shot("case")
        window.show_route(("article", "劳动争议调解仲裁法", 27, 0))
        shot("article")
        window.show_route(("search",))
        for letter in "qx":
            window.page.keyboard.keys[letter].click()
        window.page._run()
        shot("search-keyboard")
        window.show_route(("qr", "laodongjiuye", "工资被拖欠、被辞退，怎么依法维权？"))
        shot("qr")
        window.show_route(("attract",))
        shot("attract")
        window.show_route(("rating",))
        shot("rating")
        if orientation == "landscape":
            window.show_route(("notice",))
            shot("notice")
            window.show_route(("guide", "社会救助"))
            window.toggle_large_text()
            window.toggle_contrast()
            shot("guide-large-contrast")
        window._may_close = True
        window.close()
    app.processEvents()


def phone_pages(content: ContentService) -> None:
    from reception.publish import publish_site
    from tools.headless_chromium import PhoneBrowser, chromium_path

    if chromium_path() is None:
        print("chromium is not installed: phone pages skipped")
        return
    PHONE.mkdir(parents=True, exist_ok=True)
    site = Path(tempfile.mkdtemp(prefix="reception-site-"))
    publish_site(content, site)
    pages = {
        "home": "index.html",
        "guide": "laodongjiuye/index.html",
        "result": "r/labor_arbitration_case/laodongjiuye/index.html",
        "case": f"cases/{content.cases.for_topic('劳动就业')[0].id}/index.html",
        "article": "law/laodongzhengyitiaojiezhongcaifa/27/index.html",
        "notice": "xinfangxuzhi/index.html",
    }
    with PhoneBrowser(360, 760) as browser:
        for name, path in pages.items():
            browser.screenshot((site / path).as_uri(), PHONE / f"{name}.png", full_page=False)
        browser.screenshot((site / pages["guide"]).as_uri() + "#big", PHONE / "guide-large.png", full_page=False)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    content = ContentService.open(f"sqlite:///{(folder / 'kiosk.sqlite3').as_posix()}")
    content.settings.save_office(
        OfficeSettings(
            office_name="某某市信访局",
            address="某某市人民路1号 信访接待大厅",
            phone="0000-12345678",
            guide_base_url="https://xf.example-city.gov.cn/pufa",
            petition_url="https://xf.example-city.gov.cn/wsxf",
        )
    )
    kiosk_screens(content)
    phone_pages(content)
    content.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
