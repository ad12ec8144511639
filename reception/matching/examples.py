"""Learning from how people actually put things: labelled example phrasings and the topic guides' own words.

The guide's cue phrases are precise but cannot list every way of saying a thing ("血汗钱" for wages,
"揭不开锅" for hardship). A naive Bayes model over characters, bigrams and trigrams, trained on the example
phrasings in resources/classification/examples/ (admin-editable, one JSON Lines file per topic) and on
the plain-language guides, generalises to unseen wording. Its output is one signal among several in
the matcher, never the only one, and it reports the character n-grams that weighed most as evidence.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reception.matching.cache import read_pickle, write_pickle
from reception.vocab import MATTER_TYPES, ROUTES, TOPICS
from resources import read_text, resource_names

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9A-Za-z]+")
# Character n-grams that carry no topic: function words and the way every petition begins.
_NEUTRAL = frozenset(
    "我们 我的 你们 他们 这个 那个 什么 怎么 一个 就是 还是 现在 已经 可是 但是 因为 所以 说是 "
    "要求 反映 问题 知道 没有 不是 我家 我在 了一 的事 是我 我想 想问 问问 能不能 不能 不知道".split()
)


def features(text: str) -> set[str]:
    """Characters, bigrams and trigrams of each run of CJK characters / alphanumerics.

    Single characters carry much of the meaning of colloquial speech (药, 娃, 拆, 罚) that bigrams
    split across different neighbours; with them the model does better on wording it has not seen.
    """
    grams: set[str] = set()
    for match in _CJK_RUN.finditer(text):
        run = match.group(0)
        for n in (1, 2, 3):
            for i in range(len(run) - n + 1):
                grams.add(run[i : i + n])
    return grams - _NEUTRAL


@dataclass(frozen=True)
class Example:
    text: str
    topic: str
    type: str
    route: str


def parse_examples(topic: str, text: str) -> tuple[list[Example], list[str]]:
    """Examples of one topic file; problems name the line (a bad line is skipped, not fatal)."""
    examples: list[Example] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"{topic}.jsonl 第{number}行不是有效的 JSON")
            continue
        kind, route = item.get("type", ""), item.get("route", "")
        if kind not in MATTER_TYPES or route not in ROUTES or not str(item.get("text", "")).strip():
            problems.append(f"{topic}.jsonl 第{number}行的类型、途径或文字不符合规定")
            continue
        examples.append(Example(str(item["text"]), topic, kind, route))
    return examples, problems


def load_examples() -> tuple[list[Example], list[str]]:
    examples: list[Example] = []
    problems: list[str] = []
    for topic in TOPICS:
        name = f"{topic}.jsonl"
        if name not in resource_names("classification", "examples"):
            continue
        found, wrong = parse_examples(topic, read_text("classification", "examples", name))
        examples += found
        problems += wrong
    return examples, problems


class NaiveBayes:
    """Complement naive Bayes (Rennie et al., 2003) over n-gram presence, with uniform class priors.

    Each label is scored by how badly the *other* labels' examples explain the description. With a few
    dozen examples per label this is steadier than the plain multinomial model, which leans towards
    the labels that happen to have the most examples. Uniform priors because the share of each topic at
    one hall says nothing about the next description.
    """

    def __init__(self, documents: Iterable[tuple[str, str, float]], labels: Iterable[str], alpha: float = 0.4):
        self.labels = tuple(labels)
        counts: dict[str, Counter] = {label: Counter() for label in self.labels}
        for label, text, weight in documents:
            if label in counts:
                for gram in features(text):
                    counts[label][gram] += weight
        # Each label gets the same total weight, so that no label's complement is made mostly of one
        # label with many examples.
        totals = [sum(c.values()) for c in counts.values() if c]
        mean_total = sum(totals) / len(totals) if totals else 0.0
        for counter in counts.values():
            total = sum(counter.values())
            if total:
                for gram in counter:
                    counter[gram] *= mean_total / total
        everything: Counter = Counter()
        for counter in counts.values():
            everything.update(counter)
        size = len(everything) or 1
        grand_total = sum(everything.values())
        complement_total = {
            label: grand_total - sum(counter.values()) + alpha * size for label, counter in counts.items()
        }
        # A label's score is the sum over the description's n-grams of -log P(gram | other labels). Split
        # as n * log(complement total) plus, for the n-grams the label itself has, log(N_g + a) -
        # log(N_g - N_label,g + a); the remaining term is the same for every label and drops out. Only
        # that second, sparse part is stored, which keeps the cached model small and quick to load.
        self._log_complement_total = {label: math.log(total) for label, total in complement_total.items()}
        self._adjust: dict[str, dict[str, float]] = {}
        for label, counter in counts.items():
            for gram, count in counter.items():
                n = everything[gram]
                self._adjust.setdefault(gram, {})[label] = math.log(n + alpha) - math.log(n - count + alpha)
        self.trained = grand_total > 0

    def scores(self, text: str) -> tuple[dict[str, float], dict[str, list[tuple[str, float]]]]:
        """Score per label (the complement's negative log-likelihood, best = 0) and its most telling n-grams."""
        total = dict.fromkeys(self.labels, 0.0)
        telling: dict[str, list[tuple[str, float]]] = {label: [] for label in self.labels}
        known = 0
        for gram in features(text):
            row = self._adjust.get(gram)
            if not row:
                continue
            known += 1
            mean = sum(row.values()) / len(self.labels)
            for label, value in row.items():
                total[label] += value
                if value - mean > 1.5:
                    telling[label].append((gram, value - mean))
        for label in self.labels:
            total[label] += known * self._log_complement_total[label]
        best = max(total.values()) if total else 0.0
        return {label: value - best for label, value in total.items()}, telling


@dataclass
class ExampleModels:
    topic: NaiveBayes
    type: NaiveBayes
    route: NaiveBayes
    examples: int
    problems: list[str]


# Bump when features() or NaiveBayes change, so that models cached by an older version are not reused.
_MODEL_VERSION = 5
# The guides are written for petitioners, not by them: their words count for less than an example.
_GUIDE_TEXT_WEIGHT = 0.5


def train(examples: list[Example], guide_texts: dict[str, list[str]], cache_dir: Path | None = None) -> ExampleModels:
    """Train the three models; with cache_dir, reuse the models trained earlier on the same texts.

    Training grows with the number of examples an office adds; loading the pickled models does not
    grow as fast, and the matcher must be ready within half a second of being asked for.
    """
    topic_docs = [(e.topic, e.text, 1.0) for e in examples]
    for topic, texts in guide_texts.items():
        topic_docs += [(topic, text, _GUIDE_TEXT_WEIGHT) for text in texts]
    cache_path = None
    if cache_dir is not None:
        fingerprint = json.dumps(
            [_MODEL_VERSION, topic_docs, [(e.type, e.route) for e in examples]], ensure_ascii=False
        )
        key = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16]
        cache_path = cache_dir / f"match_models_{key}.pickle"
        cached = read_pickle(cache_path)
        if isinstance(cached, ExampleModels):
            return cached
    models = ExampleModels(
        topic=NaiveBayes(topic_docs, TOPICS),
        type=NaiveBayes(((e.type, e.text, 1.0) for e in examples), MATTER_TYPES),
        route=NaiveBayes(((e.route, e.text, 1.0) for e in examples), ROUTES),
        examples=len(examples),
        problems=[],
    )
    if cache_path is not None:
        try:
            write_pickle(cache_path, models)
            for stale in cache_dir.glob("match_models_*.pickle"):
                if stale != cache_path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only data folder only costs the training time on the next start
    return models
