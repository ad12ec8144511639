"""Write resources/classification/citations.toml from the project's article-labelled descriptions.

    python tools/build_citations.py [--check]

The labelled sets are petition descriptions written and labelled, topic, route and articles, by people who saw no
matcher output (docs/benchmarks.md says who wrote each). `--check` only says whether the shipped file is
what the sets give (the test suite runs it that way).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reception.matching.citations import CitationPrior, LabelledDescription  # noqa: E402

LABELLED_SETS = tuple(
    f"tests/data/match_{name}.jsonl"
    for name in (
        "dev",
        "probe5",
        "probe6",
        "probe7",
        "probe8",
        "probe9",
        "probe10",
        "probe11",
        "probe12",
        "probe13",
        "probe14",
        "probe15",
        "probe16",
        "probe17",
        "probe19",
        "probe20",
        "probe21",
        "probe22",
    )
)
TARGET = ROOT / "resources" / "classification" / "citations.toml"
HEADER = """Which articles the project's lawyer-labelled petition descriptions cite, per topic and per route (reception.matching.citations).
Written by tools/build_citations.py from {sets}; do not edit by hand."""


def labelled(paths: Iterable[str]) -> list[LabelledDescription]:
    items = []
    for path in paths:
        for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("articles"):
                keys = tuple((a["law"], int(a["number"]), int(a.get("suffix", 0))) for a in item["articles"])
                items.append(LabelledDescription(item["topic"], item["route"], keys))
    return items


def build(paths: tuple[str, ...] = LABELLED_SETS) -> str:
    names = ", ".join(Path(p).stem.removeprefix("match_") for p in paths)
    return CitationPrior.from_labelled(labelled(paths)).dumps(HEADER.format(sets=names))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = TARGET.read_text(encoding="utf-8") == text
        print("citations.toml is up to date" if same else "citations.toml differs from the labelled sets")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
