"""Desk start-up as a ratio: process start to window shown, beside a bare PySide6 window started the same way.

Run: python benchmarks/startup.py [--runs N] [--platform offscreen|xcb]
Both are timed from the moment the process is spawned to the line it prints once its window is on screen
(the same wall clock, the same interpreter), on a database that already exists (a desk's everyday start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1366, 768)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

DESK = """
import sys
sys.path.insert(0, {root!r})
from ui.desk.app import main
sys.exit(main(["--db", {url!r}]))
"""


def timed(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first window on screen, seconds to the desk ready for input)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    shown = ready = None
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith(("shown", "window_shown_s")):
            shown = time.perf_counter() - start
        if line.startswith(("shown", "desk_ready_s")):
            ready = time.perf_counter() - start
            break
    process.wait(timeout=60)
    if shown is None or ready is None:
        raise RuntimeError("the window was never shown")
    return shown, ready


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform, RECEPTION_DATA_DIR=str(folder), RECEPTION_STARTUP_PROBE="1")
    url = f"sqlite:///{folder / 'desk.sqlite3'}"
    # The first start migrates the database and builds the index; an everyday start does neither.
    from reception.services import Services  # noqa: E402 - after the path is set

    services = Services.open(url)
    services.matcher()
    services.close()
    bare = [timed(BARE, env)[0] for _ in range(args.runs)]
    desk = [timed(DESK.format(root=str(ROOT), url=url), env) for _ in range(args.runs)]
    b = statistics.median(bare)
    shown, ready = statistics.median(s for s, _r in desk), statistics.median(r for _s, r in desk)
    print(f"platform {args.platform}, {args.runs} runs each, median from process start:")
    print(f"  bare PySide6 window shown:       {b:.3f} s")
    print(f"  staff desk window shown:         {shown:.3f} s   ratio {shown / b:.1f}×  [target ≤ 3×, goal 2×]")
    print(f"  staff desk ready (form usable):  {ready:.3f} s   ratio {ready / b:.1f}×")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
