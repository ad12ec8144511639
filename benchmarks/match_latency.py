"""Match latency over 1,000 descriptions of 20-400 characters, and the cost of loading library and index.

Run: python benchmarks/match_latency.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
from reception.services import Services
services = Services.open({url!r})
t = time.perf_counter()
from reception.matching import Matcher
matcher = Matcher(services.laws)
print(f"{{(time.perf_counter() - t) * 1000:.1f}} {{int(matcher.index.built_now)}}")
"""


def descriptions(count: int) -> list[str]:
    rng = random.Random(7)
    pool = []
    data = ROOT / "tests" / "data"
    for path in sorted(data.glob("match_*.jsonl")):
        pool += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    fillers = "后来又去了好几次，每次都说让等等，家里老人身体也不好，孩子还要上学，实在没办法才来这里。"
    texts = []
    while len(texts) < count:
        text = rng.choice(pool)
        while len(text) < rng.randint(20, 400):
            text += rng.choice(pool + [fillers])
        texts.append(text[: rng.randint(20, 400)])
    return texts


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["RECEPTION_DATA_DIR"] = str(folder)
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    env = dict(os.environ)
    loads = []
    for run in range(4):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_PROBE.format(root=str(ROOT), url=url)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        loads.append((float(out[0]), out[1] == "1"))
        label = "cold (index built, full jieba dictionary)" if loads[-1][1] else "warm (cached index)"
        print(f"load law library + index, run {run + 1}: {loads[-1][0]:.0f} ms  {label}")
    warm = [ms for ms, built in loads if not built]
    print(f"load, warm median: {statistics.median(warm):.0f} ms  [target < 500 ms]")

    from reception.services import Services

    services = Services.open(url)
    matcher = services.matcher()
    texts = descriptions(1000)
    matcher.match(texts[0])
    times = []
    for text in texts:
        t = time.perf_counter()
        matcher.match(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"match latency over {len(texts)} descriptions (20-400 chars): median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms  [target p95 < 20 ms]"
    )
    services.close()


if __name__ == "__main__":
    main()
