"""Write what the matcher learns from the project's labelled petition descriptions.

    python tools/build_learned.py [--check]

The labelled sets are petition descriptions written and labelled, topic, type, route and articles, by people who
saw no matcher output (docs/benchmarks.md says who wrote each). Two files come from them:
resources/classification/citations.toml, which articles the descriptions of a topic or route cite (from the
article-labelled sets), and resources/classification/labelled_descriptions.jsonl, the descriptions with their
topic, type and route, which the matcher's models learn from beside the example phrasings. The route learned is
the one two of a description's three labellers gave (its writer, a second and, where those differ, a third).
probe23–probe28 stay out of both: they are the sets nothing was learned from. `--check` only says whether the
shipped files are what the sets give (the test suite runs it that way).
"""

from __future__ import annotations

import argparse
import functools
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
# The sets labelled with topic, type and route but no articles: their phrasings teach the models too.
PHRASING_SETS = LABELLED_SETS + tuple(
    f"tests/data/match_{name}.jsonl" for name in ("probe", "probe2", "probe3", "probe4")
)
# Every own set's routes labelled again, blind, by a second helper, and by a third where the writer and the
# second differ (benchmarks/eval_matching.py --route-labels / --route-third).
SECOND_ROUTES = "tests/data/route_relabel.jsonl"
THIRD_ROUTES = "tests/data/route_third_labels.jsonl"
TARGET = ROOT / "resources" / "classification" / "citations.toml"
PHRASINGS_TARGET = ROOT / "resources" / "classification" / "labelled_descriptions.jsonl"
HEADER = """Which articles the project's lawyer-labelled petition descriptions cite, per topic and per route (reception.matching.citations).
Written by tools/build_learned.py from {sets}; do not edit by hand."""


def set_items(path: str | Path) -> list[dict]:
    """The labelled descriptions of one set file, in file order."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def majority_route(first: str, second: str | None, third: str | None) -> str | None:
    """The route two of three labellers gave: the first two's where they agree, else the third's if it sides
    with one of them; None where no two agree (or there is no second label)."""
    if second is None:
        return None
    if first == second:
        return first
    return third if third in (first, second) else None


def route_labels(path: str | Path) -> dict[tuple[str, str], str]:
    """The routes of a file of route labels ({"set", "id", "route"} per line), by set and id."""
    return {(label["set"], label["id"]): label["route"] for label in set_items(path)}


@functools.cache
def _other_routes() -> tuple[dict, dict]:
    return route_labels(SECOND_ROUTES), route_labels(THIRD_ROUTES)


def learned_route(path: str, item: dict) -> str:
    """The route the matcher learns for a description: the one two of its three labellers gave, or its writer's
    where no two agree. Where the writer and the second labeller split (applications, money claims on a business),
    the third sides with the second more often than with the writer (docs/topics.md)."""
    second, third = _other_routes()
    key = (Path(path).stem, item.get("id"))
    return majority_route(item["route"], second.get(key), third.get(key)) or item["route"]


def labelled(paths: Iterable[str]) -> list[LabelledDescription]:
    items = []
    for path in paths:
        for item in set_items(path):
            if item.get("articles"):
                keys = tuple((a["law"], int(a["number"]), int(a.get("suffix", 0))) for a in item["articles"])
                items.append(LabelledDescription(item["topic"], learned_route(path, item), keys))
    return items


def build(paths: tuple[str, ...] = LABELLED_SETS) -> str:
    names = ", ".join(Path(p).stem.removeprefix("match_") for p in paths)
    return CitationPrior.from_labelled(labelled(paths)).dumps(HEADER.format(sets=names))


def build_phrasings(paths: tuple[str, ...] = PHRASING_SETS) -> str:
    """One line per description: its set (so that an evaluation can leave the set out), topic, type, route, text."""
    lines = []
    for path in paths:
        for item in set_items(path):
            fields = {"set": Path(path).stem, "topic": item["topic"], "type": item["type"]}
            fields |= {"route": learned_route(path, item), "text": item["text"]}
            lines.append(json.dumps(fields, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    outdated = 0
    for target, text in ((TARGET, build()), (PHRASINGS_TARGET, build_phrasings())):
        name = target.relative_to(ROOT)
        if args.check:
            same = target.read_text(encoding="utf-8") == text
            outdated += not same
            print(f"{name} is up to date" if same else f"{name} differs from the labelled sets")
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {name}")
    return 1 if outdated else 0


if __name__ == "__main__":
    sys.exit(main())
