"""Seed N visits (default 1,000,000) and print list, lookup and search times, peak memory and start-up time.

Run: python benchmarks/visit_list.py [--rows 1000000] [--db /tmp/bench.sqlite3]
The seeded file is kept and reused on the next run with the same --db.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import text  # noqa: E402

from db.session import open_database  # noqa: E402
from db.textsearch import index_body  # noqa: E402
from reception.validation import id_check_digit  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美娟兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
SUMMARIES = [
    "在工地干活{n}个月，包工头跑了，工资一直拖欠不给",
    "公司裁员没有给经济补偿，也没签劳动合同",
    "村里征地补偿款没有发到户，要求公开补偿标准",
    "房子被划入征收范围，补偿太低，担心被强拆",
    "小区旁边工厂晚上排放废气，味道很大，反映多次没人管",
    "孩子到了上学年龄，学校说没有学位不给上学",
    "医院手术后出现并发症，要求医院赔偿",
    "超市卖过期食品，吃了拉肚子，商家不认账",
    "申请低保被村里卸掉了，家里确实困难",
    "法院判决生效了，对方一直不履行，执行不到钱",
    "举报村干部侵占集体资金，账目不公开",
    "建议在社区增加老年人日间照料中心",
    "邻居装修占用公共通道，调解多次不成",
    "预付卡健身房跑路，要求退款",
    "养老保险断缴了，想补缴，社保局说不行",
]


def seed(url: str, rows: int) -> None:
    from reception.protection import open_cipher

    database = open_database(url)
    # Stored as the app stores them: ciphertext plus keyed hashes (the key file is beside the database).
    cipher = open_cipher(database)
    rng = random.Random(20261122)
    start = dt.datetime(2015, 1, 1, 8, 0)
    people = rows // 3
    t0 = time.perf_counter()
    with database.engine.begin() as connection:
        petitioners, used = [], set()
        for pid in range(1, people + 1):
            while True:
                region = rng.choice(["320102", "110105", "440304", "510107"])
                body = f"{region}{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
                if body not in used:
                    used.add(body)
                    break
            number = body + id_check_digit(body)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            petitioners.append(
                (
                    pid, name, "未说明", cipher.encrypt(number), cipher.encrypt(phone), cipher.lookup_hash(number),
                    cipher.lookup_hash(phone), "", start,
                )
            )  # fmt: skip
        connection.exec_driver_sql(
            "INSERT INTO petitioners (id, name, gender, id_number, phone, id_hash, phone_hash, address, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            petitioners,
        )
        batch_matters, batch_visits, batch_index = [], [], []
        for vid in range(1, rows + 1):
            pid = rng.randint(1, people)
            visited = start + dt.timedelta(minutes=vid * 5 + rng.randint(0, 4))
            summary = rng.choice(SUMMARIES).format(n=rng.randint(2, 12)) + f"，第{rng.randint(1, 9)}次反映"
            topic = rng.choice(["劳动就业", "征地拆迁", "生态环境", "教育", "医疗卫生", "消费维权", "涉法涉诉", ""])
            batch_matters.append((vid, pid, summary, "", "", "", "申诉求决", topic, "", "已登记", visited, visited))
            batch_visits.append(
                (
                    vid,
                    f"XF{visited:%Y%m%d}{vid:06d}",
                    f"Q{vid:09d}",
                    visited,
                    "接待员" + str(vid % 7),
                    1,
                    0,
                    "",
                    pid,
                    vid,
                    visited,
                )
            )
            batch_index.append((vid, index_body(summary)))
            if len(batch_visits) == 50_000 or vid == rows:
                connection.exec_driver_sql(
                    "INSERT INTO matters (id, petitioner_id, summary, involved_unit, location, jurisdiction, matter_type, topic, route, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    batch_matters,
                )
                connection.exec_driver_sql(
                    "INSERT INTO visits (id, visit_no, query_code, visited_at, officer, headcount, is_anonymous, explanation, petitioner_id, matter_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    batch_visits,
                )
                connection.exec_driver_sql("INSERT INTO visit_search (rowid, body) VALUES (?, ?)", batch_index)
                batch_matters, batch_visits, batch_index = [], [], []
                print(f"  seeded {vid:,} visits ({time.perf_counter() - t0:.0f} s)", flush=True)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    database.dispose()


def timed(fn, repeat: int = 5) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def measure(url: str) -> None:
    from PySide6.QtCore import QModelIndex

    from reception.services import Services
    from reception.visits import VisitQuery
    from ui.desk.visit_list import VisitListPanel
    from ui.shared.startup import create_application

    app = create_application([])
    services = Services.open(url)
    if not services.accounts.has_accounts():
        services.accounts.create_first_admin("bench", "基准测试", BENCH_PASSWORD)
    login, _ = timed(lambda: services.accounts.login("bench", BENCH_PASSWORD))
    print(f"login (scrypt check, audit entry): {login:.1f} ms")
    with services.database.engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM visits")).scalar()
        stored = connection.execute(text("SELECT id_number FROM petitioners WHERE id = 4242")).scalar()
    some_id = services.cipher.decrypt(stored)
    print(f"visits in database: {total:,} (ID and phone numbers encrypted, looked up by keyed hash)")

    panel = VisitListPanel(services.visits)
    cold_t = time.perf_counter()
    panel.model.refresh()
    cold = (time.perf_counter() - cold_t) * 1000
    first_page, _ = timed(lambda: panel.model.refresh())
    print(
        f"first page of the list (200 rows into the Qt model): {first_page:.1f} ms median, {cold:.1f} ms first call  [target < 150 ms]"
    )
    sorted_page, _ = timed(
        lambda: (
            panel.model.sort(2, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.SortOrder.AscendingOrder)
            or panel.model.set_query(VisitQuery(sort_key="name", descending=False))
        )
    )
    print(f"first page sorted by name: {sorted_page:.1f} ms")
    scroll, _ = timed(lambda: [panel.model.fetchMore(QModelIndex()) for _ in range(5)], repeat=3)
    print(f"scrolling: 5 further pages: {scroll:.1f} ms")

    lookup, rows = timed(lambda: services.visits.list_page(VisitQuery(text=some_id))[0])
    print(f"lookup by ID number ({len(rows)} visits found): {lookup:.1f} ms  [target < 20 ms]")
    phone_lookup, _ = timed(lambda: services.visits.earlier_visits(id_number=some_id))
    print(f"repeat-visit lookup by ID number: {phone_lookup:.1f} ms")
    for words in ("拖欠", "强拆", "日间照料中心", "王芳"):
        search, rows = timed(lambda w=words: services.visits.list_page(VisitQuery(text=w))[0])
        print(f"free-text search '{words}' (first page, {len(rows)} rows): {search:.1f} ms  [target < 500 ms]")
    dated, _ = timed(
        lambda: services.visits.list_page(
            VisitQuery(text="拖欠", date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 3, 31))
        )[0]
    )
    print(f"free-text search with a date range: {dated:.1f} ms")
    # Words with thesaurus equivalents search for all of them; a classification name also matches the
    # classification. The seeded summaries say 工资 but never 欠薪 or 拖欠工资.
    for words, what in (
        ("工钱", "also 工资, 劳动报酬"),
        ("欠薪", "also 拖欠工资, 劳动报酬"),
        ("劳动就业", "topic name"),
    ):
        search, rows = timed(lambda w=words: services.visits.list_page(VisitQuery(text=w))[0])
        print(f"search '{words}' ({what}; first page, {len(rows)} rows): {search:.1f} ms  [target < 500 ms]")
    # Seeded matters are all 申诉求决 and 已登记 with no route; topics are spread over eight values.
    for label, query in (
        ("topic 劳动就业", VisitQuery(topic="劳动就业")),
        ("status 已登记 (every visit)", VisitQuery(status="已登记")),
        ("type 检举控告 (no visit)", VisitQuery(matter_type="检举控告")),
        ("route 调解 (no visit, column not indexed)", VisitQuery(route="调解")),
        ("topic 教育 sorted by name", VisitQuery(topic="教育", sort_key="name", descending=False)),
    ):
        filtered, rows = timed(lambda q=query: services.visits.list_page(q)[0])
        print(f"list filtered by {label} (first page, {len(rows)} rows): {filtered:.1f} ms  [target < 150 ms]")
    combined, rows = timed(lambda: services.visits.list_page(VisitQuery(text="拖欠", topic="劳动就业"))[0])
    print(f"free-text search '拖欠' within topic 劳动就业 ({len(rows)} rows): {combined:.1f} ms  [target < 500 ms]")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process (Qt + model + searches): {peak:.0f} MB  [target < 500 MB]")
    services.close()
    app.quit()


def startup(url: str, runs: int = 5) -> None:
    """Wall time from launching the process to the probe lines the desk prints: first window on screen,
    then the desk ready for input (the same moment on a desk that shows no loading window first).

    Measured when a line arrives, not when the process ends: at exit the app waits for background
    work (the law index loading) that the officer never waits for.
    """
    env = dict(os.environ, RECEPTION_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    shown_walls, ready_walls = [], []
    for _ in range(runs):
        t = time.perf_counter()
        process = subprocess.Popen(
            # What the reception-desk script runs (`python -m reception` is the command-line tool).
            [sys.executable, "-c", "import sys; from ui.desk.app import main; sys.exit(main())", "--db", url],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        shown = ready = None
        for line in process.stdout:
            if line.startswith("window_shown_s=") and shown is None:
                shown = time.perf_counter() - t
            elif line.startswith("desk_ready_s="):
                ready = time.perf_counter() - t
        process.wait()
        if shown is None:
            raise SystemExit("no start-up probe output")
        shown_walls.append(shown)
        ready_walls.append(ready if ready is not None else shown)
    print(
        f"process start to first window shown (incl. interpreter start): median {statistics.median(shown_walls):.2f} s,"
        f" to the desk ready: median {statistics.median(ready_walls):.2f} s over {runs} runs  [target < 1.5 s]"
    )


BENCH_PASSWORD = "Bench2026pass"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/reception-bench.sqlite3")
    args = parser.parse_args()
    os.environ.setdefault("RECEPTION_KEY_FILE", args.db + ".key")
    url = f"sqlite:///{args.db}"
    if not Path(args.db).exists():
        print(f"seeding {args.rows:,} visits into {args.db} …", flush=True)
        seed(url, args.rows)
    # Measure in a fresh process so seeding memory does not count.
    if os.environ.get("_BENCH_CHILD") != "1":
        subprocess.run([sys.executable, __file__, "--db", args.db], env=dict(os.environ, _BENCH_CHILD="1"), check=True)
        startup(url)
        return
    measure(url)


if __name__ == "__main__":
    main()
