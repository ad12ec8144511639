"""Learning from how people actually put things: labelled example phrasings and the topic guides' own words.

The guide's cue phrases are precise but cannot list every way of saying a thing ("血汗钱" for wages,
"揭不开锅" for hardship). A naive Bayes model over character bigrams and trigrams, trained on the example
phrasings in resources/classification/examples/ (admin-editable, one JSON Lines file per topic) and on
the plain-language guides, generalises to unseen wording. Its output is one signal among several in
the matcher, never the only one, and it reports the character n-grams that weighed most as evidence.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reception.vocab import MATTER_TYPES, ROUTES, TOPICS
from resources import read_text, resource_names

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9A-Za-z]+")
# Character n-grams that carry no topic: function words and the way every petition begins.
_NEUTRAL = frozenset(
    "我们 我的 你们 他们 这个 那个 什么 怎么 一个 就是 还是 现在 已经 可是 但是 因为 所以 说是 "
    "要求 反映 问题 知道 没有 不是 我家 我在 了一 的事 是我 我想 想问 问问 能不能 不能 不知道".split()
)


def features(text: str) -> set[str]:
    """Character bigrams and trigrams of each run of CJK characters / alphanumerics."""
    grams: set[str] = set()
    for match in _CJK_RUN.finditer(text):
        run = match.group(0)
        for n in (2, 3):
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
    """Multinomial naive Bayes over n-gram presence with uniform class priors.

    Uniform priors because the share of each topic at one hall says nothing about the next description.
    """

    def __init__(self, documents: Iterable[tuple[str, str, float]], labels: Iterable[str], alpha: float = 0.4):
        self.labels = tuple(labels)
        counts: dict[str, Counter] = {label: Counter() for label in self.labels}
        for label, text, weight in documents:
            if label in counts:
                for gram in features(text):
                    counts[label][gram] += weight
        vocabulary = set().union(*counts.values()) if counts else set()
        size = len(vocabulary) or 1
        self._log_likelihood: dict[str, dict[str, float]] = defaultdict(dict)
        self._unseen: dict[str, float] = {}
        for label, counter in counts.items():
            total = sum(counter.values()) + alpha * size
            self._unseen[label] = math.log(alpha / total)
            for gram, count in counter.items():
                self._log_likelihood[gram][label] = math.log((count + alpha) / total)
        self.trained = any(counts.values())

    def scores(self, text: str) -> tuple[dict[str, float], dict[str, list[tuple[str, float]]]]:
        """Log-likelihood per label (normalised so the best is 0) and each label's most telling n-grams."""
        total = dict.fromkeys(self.labels, 0.0)
        telling: dict[str, list[tuple[str, float]]] = {label: [] for label in self.labels}
        for gram in features(text):
            row = self._log_likelihood.get(gram)
            if not row:
                continue
            for label in self.labels:
                total[label] += row.get(label, self._unseen[label])
            mean = sum(row.get(label, self._unseen[label]) for label in self.labels) / len(self.labels)
            for label, value in row.items():
                if value - mean > 1.5:
                    telling[label].append((gram, value - mean))
        best = max(total.values()) if total else 0.0
        return {label: value - best for label, value in total.items()}, telling


@dataclass
class ExampleModels:
    topic: NaiveBayes
    type: NaiveBayes
    route: NaiveBayes
    examples: int
    problems: list[str]


def train(examples: list[Example], guide_texts: dict[str, list[str]]) -> ExampleModels:
    topic_docs = [(e.topic, e.text, 1.0) for e in examples]
    for topic, texts in guide_texts.items():
        topic_docs += [(topic, text, 0.5) for text in texts]
    return ExampleModels(
        topic=NaiveBayes(topic_docs, TOPICS),
        type=NaiveBayes(((e.type, e.text, 1.0) for e in examples), MATTER_TYPES),
        route=NaiveBayes(((e.route, e.text, 1.0) for e in examples), ROUTES),
        examples=len(examples),
        problems=[],
    )
