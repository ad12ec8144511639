"""Time to build each document kind (median and p95 of 50 builds), content assembly and PDF together.

Run: python benchmarks/handout_build.py
Target: the A4 notice with 5 citations and 2 QR codes in < 150 ms (median).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 50


def timed(job) -> tuple[float, float, object]:  # noqa: ANN001
    samples, result = [], None
    job()  # warm-up: fonts registered, guides and periods read
    for _ in range(RUNS):
        start = time.perf_counter()
        result = job()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], result


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["RECEPTION_DATA_DIR"] = str(folder)
    from reception.services import Services
    from reception.settings import OfficeSettings
    from reception.visits import VisitInput

    services = Services.open(f"sqlite:///{folder / 'bench.sqlite3'}")
    # Since accounts and office settings came in, a visit needs a signed-in officer and a notice the office's
    # details: set up as an office would before printing.
    services.accounts.create_first_admin("bench", "基准测试", "Bench2026pass")
    services.accounts.login("bench", "Bench2026pass")
    services.settings.save_office(
        OfficeSettings(
            office_name="基准市信访局",
            address="基准市人民路1号信访接待大厅",
            phone="0512-12345678",
            guide_base_url="https://xf.example.gov.cn/pufa/",
            query_base_url="https://xf.example.gov.cn/chaxun",
        )
    )
    saved = services.visits.register(
        VisitInput(
            name="张桂兰",
            officer="刘晓燕",
            visited_at=dt.datetime(2026, 11, 22, 9, 30),
            summary="对区人社局作出的工伤认定决定不服，认为自己是在上班途中受的伤，想知道怎么办。",
            matter_type="申诉求决",
            topic="政务公开与行政行为",
            route="行政程序",
        )
    )
    handouts = services.handouts()
    five = [
        ("行政复议法", 11, 0),
        ("行政复议法", 20, 0),
        ("行政诉讼法", 46, 0),
        ("信访工作条例", 22, 0),
        ("政府信息公开条例", 33, 0),
    ]
    cases = {
        "A4 告知书（5 条法条、2 个二维码）": lambda: handouts.prepare_notice(saved.visit_id, citations=five),
        "A4 告知书（默认引用）": lambda: handouts.prepare_notice(saved.visit_id),
        "A4 来访登记回执": lambda: handouts.prepare_receipt(saved.visit_id),
        "80mm 回执": lambda: handouts.prepare_receipt(saved.visit_id, narrow=True),
        "A4 普法指南（劳动就业）": lambda: handouts.prepare_guide("劳动就业"),
        "80mm 普法指南简版": lambda: handouts.prepare_guide("劳动就业", narrow=True),
    }
    print(f"font: {handouts.font().description}")
    print(f"{'document':34s} {'median ms':>10s} {'p95 ms':>8s} {'pages':>6s} {'KB':>6s}")
    for label, job in cases.items():
        median, p95, document = timed(job)
        print(f"{label:34s} {median:10.1f} {p95:8.1f} {document.pages:6d} {len(document.pdf) / 1024:6.0f}")
    notice = handouts.prepare_notice(saved.visit_id, citations=five)
    print(f"notice citations={len(notice.content.citations)} qr={len(notice.content.qr)}  [target median < 150 ms]")
    services.close()


if __name__ == "__main__":
    main()
