"""Render the login, the lock screen, account management and the audit trail to docs/screenshots/accounts/.

    QT_QPA_PLATFORM=offscreen python docs/make_account_screenshots.py

Everything runs on a temporary database, data folder, key and settings: no real user data is read or written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "accounts"
from docs.screenshot_sandbox import isolate  # noqa: E402

_TEMP = isolate("reception-account-shots-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from reception.accounts import OFFICER, SUPERVISOR  # noqa: E402
from reception.errors import UserError  # noqa: E402
from reception.services import Services  # noqa: E402
from reception.settings import OfficeSettings  # noqa: E402
from reception.validation import id_check_digit  # noqa: E402
from reception.visits import VisitInput  # noqa: E402
from ui.shared.startup import create_application  # noqa: E402

ADMIN = ("admin", "李管理", "Admin2026x")
SUPERVISOR_ACCOUNT = ("wangzr", "王主任", "Wang2026zr")
OFFICER_ACCOUNT = ("liuxy", "刘晓燕", "Liu2026xy")


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def demo_id(birth: str, seq: str) -> str:
    body = "320102" + birth + seq
    return body + id_check_digit(body)


def prepare(services: Services) -> None:
    """Three accounts, the officer locked out by mistyped passwords, and a day's worth of trail."""
    services.accounts.create_first_admin(*ADMIN)
    services.settings.save_office(
        OfficeSettings(
            office_name="南京市玄武区信访局",
            address="南京市玄武区北京东路41号 信访接待大厅",
            phone="025-84401234、12345",
        )
    )
    services.accounts.add(SUPERVISOR_ACCOUNT[0], SUPERVISOR_ACCOUNT[1], SUPERVISOR, SUPERVISOR_ACCOUNT[2])
    services.accounts.add(OFFICER_ACCOUNT[0], OFFICER_ACCOUNT[1], OFFICER, OFFICER_ACCOUNT[2])
    services.accounts.login(SUPERVISOR_ACCOUNT[0], SUPERVISOR_ACCOUNT[2])
    services.accounts.login(OFFICER_ACCOUNT[0], OFFICER_ACCOUNT[2])
    for summary, name, birth in (
        ("在小区门口的工地干了八个月保洁和杂工，包工头跑了，三个月工资没拿到。", "张桂兰", "19580314"),
        ("村里征地补偿款一直没发到户，要求公开补偿标准和名单。", "李建平", "19710922"),
    ):
        services.visits.register(
            VisitInput(
                name=name,
                id_number=demo_id(birth, "042"),
                phone="13951234567",
                summary=summary,
                visited_at=dt.datetime.now().replace(microsecond=0),
            )
        )
    for _ in range(5):
        try:
            services.accounts.login(OFFICER_ACCOUNT[0], "liu123456")
        except UserError:
            pass
    services.accounts.login(ADMIN[0], ADMIN[2])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    services = Services.open(f"sqlite:///{(_TEMP / 'demo.sqlite3').as_posix()}")
    prepare(services)

    from ui.desk.login import LoginDialog

    services.accounts.logout()
    login = LoginDialog(services.accounts, office_name=services.settings.office().office_name)
    login.show()
    login.username_edit.setText(ADMIN[0])
    login.password_edit.setText("admin2025")
    login.apply()  # one mistyped password: the dialog says how many tries are left
    settle()
    login.grab().save(str(OUT / "login.png"))
    login.username_edit.setText(ADMIN[0])
    login.password_edit.setText(ADMIN[2])
    login.apply()
    assert services.access.current is not None

    from ui.desk.main_window import MainWindow

    window = MainWindow(services)
    window.resize(1366, 768)
    window.show()
    form = window.form
    form.name_edit.setText("赵桂芬")
    form.phone_edit.setText("13905150000")
    form.summary_edit.setPlainText("厂里欠三个月工资，街道调解了两次老板都不认账。")
    settle(600)
    window.lock()
    settle()
    window.grab().save(str(OUT / "lock.png"))
    window.lock_overlays[0].password_edit.setText(ADMIN[2])
    window.lock_overlays[0].try_unlock()
    settle()

    accounts = window.open_accounts()
    accounts.resize(760, 480)
    accounts.select_username(OFFICER_ACCOUNT[0])
    settle()
    accounts.grab().save(str(OUT / "accounts.png"))
    accounts.close()

    audit = window.open_audit()
    audit.resize(1180, 680)
    audit.verify()
    for _ in range(50):
        settle(100)
        if audit.verify_result is not None:
            break
    settle()
    audit.grab().save(str(OUT / "audit.png"))
    audit.close()
    audit.worker.wait()
    window.idle_lock.stop()
    window.form.stop_timers()
    window.worker.wait()
    window.match_worker.wait()
    services.close()
    app.quit()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
