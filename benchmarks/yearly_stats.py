"""Yearly statistics and the yearly report at scale.

Seeds N visits (default 200,000) over three years — matters with their follow-up dates, repeat visits,
group visits, explanations (some with a duty lawyer), handouts and kiosk use — by bulk inserts, then prints
the time to compute the year's statistics (target < 2 s, goal 0.3 s) and to build the report PDF (target
< 5 s). `--keep FILE` keeps the database (docs/make_screenshots uses a small one for the report pages).

    python benchmarks/yearly_stats.py [--visits 200000] [--keep /tmp/year.sqlite3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOPICS_WEIGHTED = [
    ("劳动就业", 22), ("社会保障", 14), ("城乡建设与住房", 13), ("征地拆迁", 9), ("农村农业", 8), ("婚姻家庭与民间纠纷", 7),
    ("涉法涉诉", 6), ("消费维权", 5), ("医疗卫生", 4), ("教育", 4), ("生态环境", 3), ("交通运输", 2), ("社会救助", 3),
]  # fmt: skip
ROUTE_OF = {
    "劳动就业": "仲裁",
    "社会保障": "行政程序",
    "征地拆迁": "行政程序",
    "农村农业": "调解",
    "涉法涉诉": "涉法涉诉",
}
LAWS_OF = {
    "劳动就业": ["劳动合同法:82", "劳动争议调解仲裁法:27"], "社会保障": ["社会保险法:58"], "征地拆迁": ["土地管理法:48"],
    "农村农业": ["农村土地承包法:27"], "婚姻家庭与民间纠纷": ["民法典:1079"], "城乡建设与住房": ["物业管理条例:7"],
}  # fmt: skip


def seed(url: str, visits: int, final_year: int, rng: random.Random) -> None:
    from sqlalchemy import insert

    from db.models import Explanation, Handout, KioskUsage, Matter, Petitioner, Visit
    from db.session import open_database

    database = open_database(url)
    topics = [t for t, w in TOPICS_WEIGHTED for _ in range(w)]
    start = dt.date(final_year - 2, 1, 1)
    span = (dt.date(final_year, 12, 31) - start).days
    people = max(1, int(visits * 0.7))
    with database.engine.begin() as connection:
        connection.execute(
            insert(Petitioner),
            [
                {
                    "id": i + 1,
                    "name": f"来访人{i}",
                    "gender": "未说明",
                    "phone": "",
                    "address": "",
                    "created_at": dt.datetime(2024, 1, 1),
                }
                for i in range(people)
            ],
        )
        matters, rows, explanations, handouts = [], [], [], []
        matter_of_person: dict[int, tuple[int, dt.date]] = {}
        for i in range(visits):
            day = start + dt.timedelta(days=rng.randrange(span))
            person = rng.randrange(people) + 1
            at = dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)))
            earlier = matter_of_person.get(person)
            if earlier and earlier[1] < day and rng.random() < 0.6:
                matter_id = earlier[0]
            else:
                matter_id = len(matters) + 1
                topic = rng.choice(topics)
                accepted = day + dt.timedelta(days=rng.randrange(1, 20))
                answered = accepted + dt.timedelta(days=rng.randrange(20, 80))
                matters.append(
                    {
                        "id": matter_id, "petitioner_id": person, "summary": f"{topic}问题", "involved_unit": "", "location": "",
                        "jurisdiction": "", "matter_type": "申诉求决", "topic": topic, "route": ROUTE_OF.get(topic, "依法履职"),
                        "status": "已答复" if answered < dt.date(final_year, 12, 1) else "办理中",
                        "created_at": at, "updated_at": at, "received_on": day, "state_since": day,
                        "acceptance_due": day + dt.timedelta(days=15), "decided_on": accepted, "accepted_on": accepted,
                        "handling_due": accepted + dt.timedelta(days=60),
                        "first_answered_on": answered if answered < dt.date(final_year, 12, 1) else None,
                        "answered_on": answered if answered < dt.date(final_year, 12, 1) else None,
                        "due_on": None if answered < dt.date(final_year, 12, 1) else accepted + dt.timedelta(days=60),
                        "extended_days": 0, "department": "", "final": False,
                    }
                )  # fmt: skip
                matter_of_person[person] = (matter_id, day)
            topic = matters[matter_id - 1]["topic"]
            visit_id = i + 1
            rows.append(
                {
                    "id": visit_id, "visit_no": f"XF{visit_id:012d}", "query_code": f"Q{visit_id:011d}", "visited_at": at,
                    "officer": f"接待员{rng.randrange(6)}", "headcount": 6 if rng.random() < 0.03 else 1, "is_anonymous": False,
                    "explanation": "", "petitioner_id": person, "matter_id": matter_id, "created_at": at,
                }
            )  # fmt: skip
            if rng.random() < 0.8:
                explanations.append(
                    {
                        "visit_id": visit_id, "matter_id": matter_id, "officer": rows[-1]["officer"], "made_on": day,
                        "articles": json.dumps(LAWS_OF.get(topic, ["信访工作条例:31"]), ensure_ascii=False), "guides": "[]",
                        "cases": "[]" if rng.random() < 0.7 else '["laodongjiuye-01"]', "points": "", "response": "接受引导",
                        "lawyer_id": None, "documents": "",
                    }
                )  # fmt: skip
            if rng.random() < 0.5:
                handouts.append(
                    {
                        "kind": "notice", "paper": "a4", "visit_id": visit_id, "matter_id": matter_id, "topic": topic, "issued_at": at,
                        "issued_by": rows[-1]["officer"], "font": "", "pages": 2, "content_hash": "0" * 64, "snapshot": "{}",
                    }
                )  # fmt: skip
        connection.execute(insert(Matter), matters)
        connection.execute(insert(Visit), rows)
        connection.execute(insert(Explanation), explanations)
        connection.execute(insert(Handout), handouts)
        kiosk = []
        for _ in range(visits // 2):
            day = start + dt.timedelta(days=rng.randrange(span))
            kind = rng.choice(["page", "page", "page", "search", "result", "print", "qr", "rating"])
            kiosk.append(
                {
                    "day": day, "hour": 10, "terminal": "大厅触摸屏", "kind": kind, "topic": rng.choice(topics),
                    "item": rng.choice(["满意", "满意", "基本满意", "不满意"]) if kind == "rating" else "guide",
                }
            )  # fmt: skip
        connection.execute(insert(KioskUsage), kiosk)
    database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--keep", metavar="FILE")
    args = parser.parse_args()
    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="year-bench-")) / "year.sqlite3"
    if path.exists():
        path.unlink()
    url = f"sqlite:///{path.as_posix()}"
    began = time.perf_counter()
    seed(url, args.visits, args.year, random.Random(7))
    print(f"seeded {args.visits:,} visits over {args.year - 2}–{args.year} in {time.perf_counter() - began:.1f} s")

    from db.session import open_database
    from reception.accounts import AccessControl, AccountService
    from reception.audit import AuditLog
    from reception.handouts.fonts import choose_font
    from reception.lawlib.lawfile import parse_law_file
    from reception.lawlib.library import LawLibrary
    from reception.settings import OfficeSettings, SettingsService
    from reception.statistics import StatisticsService
    from reception.yearly_report import YearlyReport

    database = open_database(url)
    # Statistics and settings are a signed-in supervisor's since accounts came in.
    access = AccessControl()
    audit = AuditLog(database, access=access)
    accounts = AccountService(database, access, audit)
    accounts.create_first_admin("bench", "基准测试", "Bench2026pass")
    accounts.login("bench", "Bench2026pass")
    settings = SettingsService(database, audit, access=access)
    settings.save_office(OfficeSettings(office_name="某某市信访局", address="某某市人民路1号", phone="0000-12345678"))
    stats = StatisticsService(database, today=dt.date(args.year, 12, 31), access=access, audit=audit)
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        report = stats.report(dt.date(args.year, 1, 1), dt.date(args.year, 12, 31), "topic")
        timings.append(time.perf_counter() - began)
    best = min(timings)
    print(
        f"yearly statistics by topic with the year before: {best:.2f} s (best of 3); target 2 s → ratio {best / 2:.2f}, goal 0.3 s → {best / 0.3:.2f}"
    )
    print(
        f"  visits {report.total.visits:,}, people {report.total.people:,}, repeat rate {report.total.repeat_rate:.1%}"
    )
    # The desk and `reception report` pass every law of the library; the report counts citations of each.
    laws = sorted({parse_law_file(text).short_title for _name, text in LawLibrary.shipped_files()})
    began = time.perf_counter()
    pdf = YearlyReport(database, settings, laws, today=dt.date(args.year, 12, 31), access=access).render(
        args.year, choose_font("")
    )
    elapsed = time.perf_counter() - began
    print(
        f"yearly report PDF ({len(pdf) / 1024:.0f} KB, {len(laws)} laws counted): {elapsed:.2f} s;"
        f" target 5 s → ratio {elapsed / 5:.2f}"
    )
    if args.keep:
        Path(args.keep).with_suffix(".pdf").write_bytes(pdf)
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
