"""Evaluate matching on a labelled set: topic/type/route top-1, law recall@5 and article hit@5.

Run: python benchmarks/eval_matching.py [tests/data/match_dev.jsonl …] [--errors] [--cross-validate K]
Each line: {"text", "topic", "type", "route", "laws": [...]}, optionally "articles": [{"law", "number"}].
Laws the library holds in no version in force are left out of an item's expected laws (the matcher must
not cite them); their count is printed. law_recall_at_5 counts the laws of both lists an officer sees
(statutes and route basis) against the item's laws; article_law_recall_at_5 counts, as
../shared/benchmarks/score_external.py does, the labelled articles' laws among the five statutes alone.
--calibration prints, per band of the shown percentage of the first topic, type and route, how often it was
right, and the calibration error (the shown percentage's mean distance from the share right, weighed by band).

A file of one-line questions labelled only with their answering articles ({"text", "gold": [{"law", "number"}]},
tests/data/questions_*.jsonl) gets the article figures alone, counted over the five statutes.

--leave-set-out scores each set that the matcher learns from (tools/build_learned.py: the citation prior in
resources/classification/citations.toml, the labelled descriptions the topic, type and route models train on)
with a prior and models built from the other sets only: those sets are training data, so without it their
figures are not held out. Retraining the models takes some fifteen seconds a set.

After the sets, one line pools them all (right counts of topic, type and route, and the five statutes' figures
over every article-labelled description). --misses K lists the labelled articles whose law the five statutes
miss most often, with how many descriptions and sets: where ranking work pays (docs/benchmarks.md).

--route-labels FILE also scores routes against other labels ({"set", "id", "route"} per line), and on the descriptions
whose two labels agree: tests/data/route_relabel.jsonl holds every own set's routes labelled again, blind, from the
guide's ten route descriptions (docs/topics.md). --route-third FILE adds a third labeller's routes where those two
differ (tests/data/route_third_labels.jsonl) and scores routes against the label two of the three gave.

--cross-validate K also splits the shipped example phrasings into K parts and scores each part with
models trained without it (topic/type/route only; examples carry no laws): a second estimate of how
the matcher does on wording it has not seen, from writers other than the dev set's. It also prints, for
topic, type and route, the softmax temperature under which those held-out probabilities would have had the
lowest log loss: how the engine's temperatures are chosen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from build_learned import majority_route, route_labels  # noqa: E402

KINDS = ("topic", "type", "route")
# What the desk shows: a probability is never printed as certainty (ui/desk/match_panel.py).
_SHOWN_CEILING = 0.99


def in_force_laws(matcher) -> set[str]:  # noqa: ANN001
    return {a.short_title for a in matcher.articles}


def ranked_by_kind(result) -> dict[str, tuple]:  # noqa: ANN001
    """The topics, types and routes of a match, most likely first."""
    return {"topic": result.topics, "type": result.types, "route": result.routes}


def count_band(bands: Counter, kind: str, shown: float, right: bool) -> None:
    shown = min(shown, _SHOWN_CEILING)
    band = min(int(shown * 10), 9)
    bands[(kind, band, "n")] += 1
    bands[(kind, band, "right")] += right
    bands[(kind, band, "shown")] += shown


def calibration_error(bands: Counter, kind: str) -> float:
    """Expected calibration error over the bands: |share right − mean shown|, weighed by each band's size."""
    total = sum(bands[(kind, band, "n")] for band in range(10))
    if not total:
        return 0.0
    return sum(abs(bands[(kind, band, "right")] - bands[(kind, band, "shown")]) for band in range(10)) / total


def evaluate(  # noqa: ANN001
    matcher,
    items: list[dict],
    show_errors: bool = False,
    bands: Counter | None = None,
    tally: Counter | None = None,
    misses: dict | None = None,
    set_name: str = "",
) -> dict[str, float]:
    """The figures of one set. `tally` adds this set's counts to a running total (pooled()); `misses` collects,
    per labelled article whose law the five statutes miss, the sets it was missed in (one entry a description)."""
    hits = Counter()
    recall_sum = 0.0
    article_items = article_hits = article_recall = statute_law_recall = 0.0
    dropped = 0
    confusions = Counter()
    current = in_force_laws(matcher)
    for item in items:
        result = matcher.match(item["text"], top=5)
        topic = result.topics[0].name
        hits["topic"] += topic == item["topic"]
        hits["type"] += result.type.name == item["type"]
        hits["route"] += result.routes[0].name == item["route"]
        if "second_route" in item:
            hits["route_second"] += result.routes[0].name == item["second_route"]
            agreed = item["second_route"] == item["route"]
            hits["route_agreed_items"] += agreed
            hits["route_agreed"] += agreed and result.routes[0].name == item["route"]
            if (majority := majority_route(item["route"], item["second_route"], item.get("third_route"))) is not None:
                hits["route_majority_items"] += 1
                hits["route_majority"] += result.routes[0].name == majority
        if bands is not None:
            for kind, ranked in ranked_by_kind(result).items():
                count_band(bands, kind, ranked[0].score, ranked[0].name == item[kind])
        # Laws an officer sees: the five statutes about the matter and the route's basis articles.
        laws = {s.law for s in result.statutes[:5]} | {s.law for s in result.route_basis}
        expected = {law for law in item["laws"] if law in current}
        dropped += len(item["laws"]) - len(expected)
        recall_sum += len(expected & laws) / len(expected) if expected else 1.0
        gold = {(a["law"], int(a["number"])) for a in item.get("articles", []) if a["law"] in current}
        if gold:
            got = {(s.law, s.number) for s in result.statutes[:5]}
            article_items += 1
            article_hits += bool(gold & got)
            article_recall += len(gold & got) / len(gold)
            # As score_external.py counts it: the labelled articles' laws among the five statutes alone.
            gold_laws = {law for law, _number in gold}
            five_laws = {s.law for s in result.statutes[:5]}
            statute_law_recall += len(gold_laws & five_laws) / len(gold_laws)
            if misses is not None:
                for law, number in sorted(gold):
                    if law not in five_laws:
                        misses.setdefault((law, number), []).append(set_name)
        if topic != item["topic"]:
            confusions[(item["topic"], topic)] += 1
        if show_errors and (
            topic != item["topic"]
            or result.routes[0].name != item["route"]
            or result.type.name != item["type"]
            or not expected <= laws
        ):
            print(
                f"- {item.get('id', '')} {item['text'][:70]}\n"
                f"  expected {item['topic']}/{item['type']}/{item['route']} {sorted(expected)}\n"
                f"  got      {topic}/{result.type.name}/{result.routes[0].name} {sorted(laws)}"
                f"  evidence={result.topics[0].evidence[:4]}"
            )
    n = len(items)
    if tally is not None:
        tally.update(
            {
                "descriptions": n,
                "topic": hits["topic"],
                "type": hits["type"],
                "route": hits["route"],
                "route_second": hits["route_second"],
                "route_agreed_items": hits["route_agreed_items"],
                "route_agreed": hits["route_agreed"],
                "route_majority_items": hits["route_majority_items"],
                "route_majority": hits["route_majority"],
                "article_items": article_items,
                "article_hits": article_hits,
                "article_recall": article_recall,
                "statute_law_recall": statute_law_recall,
            }
        )
    figures = {
        "topic_top1": hits["topic"] / n,
        "type_top1": hits["type"] / n,
        "route_top1": hits["route"] / n,
        "law_recall_at_5": recall_sum / n,
    }
    if any("second_route" in item for item in items):
        figures["route_top1_second_labels"] = hits["route_second"] / n
    if hits["route_majority_items"]:
        figures["route_top1_majority"] = hits["route_majority"] / hits["route_majority_items"]
    if article_items:
        figures["article_hit_at_5"] = article_hits / article_items
        figures["article_recall_at_5"] = article_recall / article_items
        figures["article_law_recall_at_5"] = statute_law_recall / article_items
    if dropped:
        print(f"  ({dropped} expected laws not in force were left out)")
    if show_errors and confusions:
        print("most common topic confusions (expected -> got):")
        for (expected, got), count in confusions.most_common(10):
            print(f"  {expected} -> {got}: {count}")
    return figures


def evaluate_questions(matcher, items: list[dict]) -> dict[str, float]:  # noqa: ANN001
    """Article figures for one-line questions labelled only with the articles that answer them ({"text",
    "gold": [{"law", "number"}]}, as tests/data/questions_*.jsonl and ../shared/benchmarks/ hold them), counted
    as score_external.py counts them: over the five statutes alone."""
    law_recall = article_recall = hits = 0.0
    for item in items:
        gold = {(g["law"], int(g["number"])) for g in item["gold"]}
        shown = {(s.law, s.number) for s in matcher.match(item["text"], top=5).statutes[:5]}
        gold_laws = {law for law, _number in gold}
        law_recall += len(gold_laws & {law for law, _number in shown}) / len(gold_laws)
        article_recall += len(gold & shown) / len(gold)
        hits += bool(gold & shown)
    n = len(items)
    return {"law_recall_at_5": law_recall / n, "article_recall_at_5": article_recall / n, "article_hit_at_5": hits / n}


def best_temperature(held_out: list[tuple[dict[str, float], str]], temperature: float) -> float:
    """The temperature under which these probabilities (computed at `temperature`) have the lowest log loss.

    A softmax at temperature T' is the one at T with each probability raised to T / T' and renormalised."""
    import math

    def log_loss(candidate: float) -> float:
        loss = 0.0
        for probabilities, gold in held_out:
            powered = {name: p ** (temperature / candidate) for name, p in probabilities.items() if p > 0}
            loss -= math.log(max(powered.get(gold, 0.0) / sum(powered.values()), 1e-9))
        return loss

    grid = [round(temperature * step / 20, 3) for step in range(10, 61)]
    return min(grid, key=log_loss)


def cross_validate(matcher, folds: int) -> dict[str, float]:  # noqa: ANN001
    import random

    from reception.matching import engine
    from reception.matching.engine import topic_texts
    from reception.matching.examples import load_examples, load_labelled_descriptions, train

    examples, _problems = load_examples()
    labelled = load_labelled_descriptions()
    texts = topic_texts(matcher.guide)
    order = list(range(len(examples)))
    random.Random(3).shuffle(order)
    shipped = matcher.models
    hits = Counter()
    probabilities: dict[str, list[tuple[dict[str, float], str]]] = {kind: [] for kind in KINDS}
    try:
        for fold in range(folds):
            held_out = set(order[fold::folds])
            matcher.models = train([e for i, e in enumerate(examples) if i not in held_out] + labelled, texts)
            for i in held_out:
                example = examples[i]
                result = matcher.match(example.text, top=5)
                for kind, ranked in ranked_by_kind(result).items():
                    gold = getattr(example, kind)
                    hits[kind] += ranked[0].name == gold
                    probabilities[kind].append(({s.name: s.score for s in ranked}, gold))
    finally:
        matcher.models = shipped
    n = len(examples)
    figures = {f"{kind}_top1": hits[kind] / n for kind in KINDS}
    temperatures = {
        "topic": engine._TOPIC_TEMPERATURE,
        "type": engine._TYPE_TEMPERATURE,
        "route": engine._ROUTE_TEMPERATURE,
    }
    for kind in KINDS:
        figures[f"{kind}_temperature_now"] = temperatures[kind]
        figures[f"{kind}_temperature_fit"] = best_temperature(probabilities[kind], temperatures[kind])
    return figures


def pooled(tally: Counter) -> str:
    """All descriptive sets scored together: right counts of topic, type and route, and the five statutes'
    figures over every article-labelled description."""
    n, labelled = tally["descriptions"], tally["article_items"]
    line = (
        f"all sets pooled: {n} descriptions, topic {tally['topic']} ({tally['topic'] / n:.3f}), "
        f"type {tally['type']} ({tally['type'] / n:.3f}), route {tally['route']} ({tally['route'] / n:.3f})"
    )
    if tally["route_agreed_items"]:
        second, agreed, both = tally["route_second"], tally["route_agreed"], tally["route_agreed_items"]
        line += (
            f"\n  route against the second labels {second} ({second / n:.3f}); the two labels agree on {both}, "
            f"where the route is right on {agreed} ({agreed / both:.3f})"
        )
    if tally["route_majority_items"]:
        right, decided = tally["route_majority"], tally["route_majority_items"]
        line += (
            f"\n  route against the majority of three labels {right} of {decided} ({right / decided:.3f}); "
            f"no two of the three agree on {n - decided}"
        )
    if labelled:
        line += (
            f"\n  {labelled:.0f} article-labelled: five-statute law recall {tally['statute_law_recall'] / labelled:.4f}, "
            f"article recall@5 {tally['article_recall'] / labelled:.4f}, hit@5 {tally['article_hits'] / labelled:.4f}"
        )
    return line


def citations_without(name: str):  # noqa: ANN201 - a CitationPrior
    """The citation prior built from the labelled sets other than `name` (all of them if it is none)."""
    from build_learned import LABELLED_SETS, labelled

    from reception.matching.citations import CitationPrior

    held_out = Path(name).resolve()
    return CitationPrior.from_labelled(labelled([p for p in LABELLED_SETS if (ROOT / p).resolve() != held_out]))


def models_without(matcher, name: str, shipped):  # noqa: ANN001, ANN201 - ExampleModels
    """The models trained without the labelled descriptions of set `name` (the shipped ones if it has none)."""
    from reception.matching.engine import topic_texts
    from reception.matching.examples import load_examples, load_labelled_descriptions, train

    labelled = load_labelled_descriptions()
    kept = [d for d in labelled if d.source != Path(name).stem]
    if len(kept) == len(labelled):
        return shipped
    examples, _problems = load_examples()
    return train(examples + kept, topic_texts(matcher.guide))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", default=[str(ROOT / "tests" / "data" / "match_dev.jsonl")])
    parser.add_argument("--errors", action="store_true", help="list the misclassified descriptions")
    parser.add_argument("--cross-validate", type=int, default=0, metavar="K", help="K-fold over the examples")
    parser.add_argument("--calibration", action="store_true", help="topic confidence bands against accuracy")
    parser.add_argument(
        "--leave-set-out",
        action="store_true",
        help="citations and models from the other labelled sets for each labelled set",
    )
    parser.add_argument("--route-labels", metavar="FILE", help="also score routes against these labels")
    parser.add_argument(
        "--route-third",
        metavar="FILE",
        help="third labels for the descriptions where the writer and --route-labels differ: adds the majority figure",
    )
    parser.add_argument(
        "--misses", type=int, default=0, metavar="K", help="the K labelled articles whose law the five miss most often"
    )
    args = parser.parse_args()
    os.environ.setdefault("RECEPTION_DATA_DIR", tempfile.mkdtemp())
    from reception.services import Services

    services = Services.open(f"sqlite:///{Path(os.environ['RECEPTION_DATA_DIR']) / 'eval.sqlite3'}")
    matcher = services.matcher()
    bands: Counter = Counter()
    tally: Counter = Counter()
    misses: dict[tuple[str, int], list[str]] = {}
    shipped_citations, shipped_models = matcher.citations, matcher.models
    relabelled = route_labels(Path(args.route_labels).resolve()) if args.route_labels else {}
    third_labels = route_labels(Path(args.route_third).resolve()) if args.route_third else {}
    for name in args.files:
        items = [json.loads(line) for line in Path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
        matcher.citations = citations_without(name) if args.leave_set_out else shipped_citations
        matcher.models = models_without(matcher, name, shipped_models) if args.leave_set_out else shipped_models
        if items and "topic" not in items[0]:
            figures = evaluate_questions(matcher, items)
            print(f"{Path(name).name}: {len(items)} questions")
            for key, value in figures.items():
                print(f"  {key:24s} {value:.3f}")
            continue
        for item in items:
            key = (Path(name).stem, item.get("id"))
            if key in relabelled:
                item["second_route"] = relabelled[key]
            if key in third_labels:
                item["third_route"] = third_labels[key]
        figures = evaluate(matcher, items, args.errors, bands, tally, misses, Path(name).stem)
        print(f"{Path(name).name}: {len(items)} descriptions")
        for key, value in figures.items():
            target = "  [target >= 0.90]" if not key.startswith("article") else ""
            print(f"  {key:24s} {value:.3f}{target}")
    matcher.citations, matcher.models = shipped_citations, shipped_models
    if tally["descriptions"]:
        print(pooled(tally))
    if args.misses:
        print(f"labelled articles whose law the five statutes miss most often (of {len(misses)}):")
        ranked = sorted(misses.items(), key=lambda item: (-len(item[1]), -len(set(item[1])), item[0]))
        for (law, number), sets in ranked[: args.misses]:
            print(f"  {law} 第{number}条: {len(sets)} descriptions, {len(set(sets))} sets")
    if args.calibration:
        for kind in KINDS:
            print(f"first {kind}'s shown percentage → share right (all files pooled)")
            for band in range(10):
                n = bands[(kind, band, "n")]
                if n:
                    print(f"  {band * 10:3d}–{band * 10 + 9}%  n={n:<4d} right={bands[(kind, band, 'right')] / n:.2f}")
            print(f"  calibration error {calibration_error(bands, kind):.3f}")
    if args.cross_validate > 1:
        figures = cross_validate(matcher, args.cross_validate)
        print(f"example phrasings, {args.cross_validate}-fold cross-validation: {matcher.models.examples} examples")
        for key, value in figures.items():
            print(f"  {key:24s} {value:.3f}")
    services.close()


if __name__ == "__main__":
    main()
