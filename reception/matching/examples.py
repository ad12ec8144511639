"""Learning from how people actually put things: labelled example phrasings and the topic guides' own words.

The guide's cue phrases are precise but cannot list every way of saying a thing ("血汗钱" for wages,
"揭不开锅" for hardship). Linear models over characters, bigrams and trigrams, trained on the example
phrasings in resources/classification/examples/ (admin-editable, one JSON Lines file per topic) and, for
the topic, on the plain-language guides, generalise to unseen wording. They carry most of the decision
in the matcher, which adds the guide's phrases and the statute retrieval, and they report the n-grams
that weighed most as evidence.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reception.matching.cache import digest, read_pickle, write_pickle
from reception.vocab import MATTER_TYPES, ROUTES, TOPICS
from resources import read_text, resource_names

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9A-Za-z]+")
# Character n-grams that carry no topic: function words and the way every petition begins.
_NEUTRAL = frozenset(
    "我们 我的 你们 他们 这个 那个 什么 怎么 一个 就是 还是 现在 已经 可是 但是 因为 所以 说是 "
    "要求 反映 问题 知道 没有 不是 我家 我在 了一 的事 是我 我想 想问 问问 能不能 不能 不知道".split()
)


def feature_counts(text: str) -> Counter[str]:
    """How often each character, bigram and trigram occurs in the runs of CJK characters / alphanumerics.

    Single characters carry much of the meaning of colloquial speech (药, 娃, 拆, 罚) that bigrams
    split across different neighbours; with them the model does better on wording it has not seen.
    Counts, not mere presence: a long letter mentions many fields once in passing and comes back to
    what it is about again and again.
    """
    grams: list[str] = []
    for match in _CJK_RUN.finditer(text):
        run = match.group(0)
        for n in (1, 2, 3):
            grams += [run[i : i + n] for i in range(len(run) - n + 1)]
    counts = Counter(grams)
    for gram in _NEUTRAL & counts.keys():
        del counts[gram]
    return counts


def features(text: str) -> set[str]:
    """The n-grams of feature_counts(), without their counts."""
    return set(feature_counts(text))


def _repeated_grams(text: str) -> list[str]:
    """Each n-gram as often as it occurs, in a fixed order (the vectoriser counts them)."""
    return sorted(feature_counts(text).elements())


@dataclass(frozen=True)
class Example:
    text: str
    topic: str
    type: str
    route: str
    # The evaluation set a labelled description comes from (match_probe5 …); empty for an example phrasing.
    source: str = ""


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


# The project's labelled petition descriptions (written by tools/build_learned.py from tests/data): longer and
# more varied than the example phrasings, and labelled by other writers. The models learn from both.
LABELLED_DESCRIPTIONS = "labelled_descriptions.jsonl"


def _labelled_descriptions_text() -> str:
    shipped = LABELLED_DESCRIPTIONS in resource_names("classification")
    return read_text("classification", LABELLED_DESCRIPTIONS) if shipped else ""


def load_labelled_descriptions() -> list[Example]:
    items = [json.loads(line) for line in _labelled_descriptions_text().splitlines() if line.strip()]
    return [Example(i["text"], i["topic"], i["type"], i["route"], i["set"]) for i in items]


class LinearModel:
    """Linear support-vector classifier over tf-idf weighted n-grams, one-vs-rest.

    Trained with scikit-learn's LinearSVC, then kept as plain per-n-gram weights so that scoring (and
    loading a cached model) needs neither scikit-learn nor numpy. Unlike naive Bayes it weighs n-grams
    against each other: a word that shows up in every topic's stories learns a weight near zero, so a
    description is carried by what tells it apart. On descriptions the examples' writers never saw this
    does clearly better than the complement naive Bayes model used before (docs/benchmarks.md has the figures).

    `counted` weighs an n-gram by its log-scaled count instead of its mere presence. The topic model
    counts: what a long letter is about comes back again and again, the fields it touches in passing come
    once. The type and route models do not: one 举报 or one 要求赔偿 decides them however long the story.
    """

    # An n-gram seen in a single document is more often noise than signal; dropping them also keeps the
    # model a quarter of its size. Tiny training sets (tests, a new office's first examples) keep them.
    _MIN_DOCUMENTS_FOR_PRUNING = 200
    # How many of the n-grams that pushed a label up are reported as evidence, for how many labels (an
    # officer reads the reasons of the first few topics only).
    _TELLING = 12
    _TELLING_LABELS = 5

    def __init__(
        self,
        documents: Iterable[tuple[str, str, float]],
        labels: Iterable[str],
        c: float = 1.0,
        counted: bool = False,
    ):
        self.labels = tuple(labels)
        self._counted = counted
        docs = [(label, text, weight) for label, text, weight in documents if label in self.labels]
        # Each n-gram's row: its idf and its weight per label, in two flat float arrays. One map and two
        # arrays pickle and load several times faster than a small bytes object per n-gram, and loading
        # the cached models is most of what the matcher's start-up is left with.
        self._row: dict[str, int] = {}
        self._idf = array("d")
        self._weights = array("f")
        self._bias = array("f", [0.0] * len(self.labels))
        self.trained = len({label for label, _t, _w in docs}) >= 2
        if not self.trained:
            return
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        vectorizer = TfidfVectorizer(
            analyzer=_repeated_grams if counted else (lambda text: sorted(features(text))),
            min_df=2 if len(docs) >= self._MIN_DOCUMENTS_FOR_PRUNING else 1,
            sublinear_tf=True,
        )
        matrix = vectorizer.fit_transform([text for _label, text, _weight in docs])
        classifier = LinearSVC(C=c)
        classifier.fit(matrix, [label for label, _t, _w in docs], sample_weight=[w for _l, _t, w in docs])
        classes = list(classifier.classes_)
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classes) == 2:  # a two-class SVC has one weight row, for the second class
            coef, intercept = [-coef[0], coef[0]], [-intercept[0], intercept[0]]
        row_of = {label: classes.index(label) if label in classes else None for label in self.labels}
        # A label without examples can never win: it sits below every trained one.
        floor = float(min(intercept)) - 10.0
        self._bias = array("f", [floor if row_of[lb] is None else intercept[row_of[lb]] for lb in self.labels])
        import numpy

        grams = sorted(vectorizer.vocabulary_)
        columns = [vectorizer.vocabulary_[gram] for gram in grams]
        self._row = {gram: row for row, gram in enumerate(grams)}
        self._idf = array("d", vectorizer.idf_[columns].tolist())
        per_label = numpy.zeros((len(columns), len(self.labels)), dtype=numpy.float32)
        for i, label in enumerate(self.labels):
            if row_of[label] is not None:
                per_label[:, i] = numpy.asarray(coef[row_of[label]])[columns]
        self._weights = array("f", per_label.tobytes())

    def __getstate__(self) -> dict:
        # The n-grams as one string: pickling a list or map of 100,000 short strings costs more than
        # splitting one string and numbering the parts on load.
        state = dict(self.__dict__)
        state["_row"] = "\n".join(self._row)
        return state

    def __setstate__(self, state: dict) -> None:
        state["_row"] = _row_map(state["_row"])
        self.__dict__.update(state)

    def scores(
        self, text: str, counts: Mapping[str, int] | None = None
    ) -> tuple[dict[str, float], dict[str, list[tuple[str, float]]]]:
        """Margin per label relative to the best one (best = 0), and the n-grams that pushed the best
        _TELLING_LABELS labels up, strongest first. `counts` is feature_counts(text) when the caller has
        it already."""
        rows = self._row
        counts = feature_counts(text) if counts is None else counts
        # In a fixed order: set order changes with each process's string hashing, and with it the float
        # sums and which of two equally telling n-grams an officer is shown.
        present = sorted(gram for gram in counts if gram in rows)
        idf = self._idf
        # The vectoriser's weights: (1 + ln count) × idf, or idf alone for presence, scaled to unit length.
        tfidf = {gram: (1.0 + math.log(counts[gram]) if self._counted else 1.0) * idf[rows[gram]] for gram in present}
        norm = math.sqrt(sum(value**2 for value in tfidf.values())) or 1.0
        width = len(self.labels)
        weights = self._weights
        weighted = [
            (gram, tfidf[gram] / norm, weights[rows[gram] * width : (rows[gram] + 1) * width]) for gram in present
        ]
        totals = list(self._bias)
        for _gram, weight, row in weighted:
            totals = [total + value * weight for total, value in zip(totals, row, strict=True)]
        best = max(totals) if totals else 0.0
        ranked = sorted(range(len(self.labels)), key=lambda i: -totals[i])[: self._TELLING_LABELS]
        telling: dict[str, list[tuple[str, float]]] = {label: [] for label in self.labels}
        for i in ranked:
            parts = [(gram, row[i] * weight) for gram, weight, row in weighted if row[i] > 0]
            telling[self.labels[i]] = sorted(parts, key=lambda item: -item[1])[: self._TELLING]
        return {label: totals[i] - best for i, label in enumerate(self.labels)}, telling


# The type and the route model are trained on the same texts and hold the same n-grams: the second one
# loaded reuses the first one's map (the maps are never changed once built).
_last_row_map: tuple[str, dict[str, int]] = ("", {})


def _row_map(grams: str) -> dict[str, int]:
    global _last_row_map
    last = _last_row_map  # read once: another thread may be loading models of its own
    if grams == last[0]:
        return last[1]
    parts = grams.split("\n") if grams else []
    rows = dict(zip(parts, range(len(parts)), strict=True))
    _last_row_map = (grams, rows)
    return rows


@dataclass
class ExampleModels:
    topic: LinearModel
    type: LinearModel
    route: LinearModel
    examples: int
    problems: list[str]


# Bump when feature_counts() or LinearModel change, so that models cached by an older version are not reused.
_MODEL_VERSION = 9
# Softer than the default (1.0): with counted n-grams, a wider margin fits the examples' own wording
# less closely. Chosen on the own dev and probe sets (docs/benchmarks.md).
_TOPIC_C = 0.5
# The guides are written for petitioners, not by them: their words count for less than an example.
_GUIDE_TEXT_WEIGHT = 0.5


def train(examples: list[Example], guide_texts: dict[str, list[str]], cache_dir: Path | None = None) -> ExampleModels:
    """Train the three models; with cache_dir, reuse the models trained earlier on the same texts.

    Training grows with the number of examples an office adds; loading the pickled models does not
    grow as fast, and the matcher must be ready within half a second of being asked for.
    """
    topic_docs = _topic_documents(examples, guide_texts)
    fingerprint = json.dumps([topic_docs, [(e.type, e.route) for e in examples]], ensure_ascii=False)
    return train_from_sources(fingerprint, lambda: (examples, guide_texts, []), cache_dir)


def train_from_sources(
    fingerprint: str,
    load: Callable[[], tuple[list[Example], dict[str, list[str]], list[str]]],
    cache_dir: Path | None = None,
) -> ExampleModels:
    """The models for the sources that `fingerprint` stands for, from the cache when it holds them.

    `load` parses the sources (examples, guide texts, problems found) and is called only when the models
    have to be trained: a caller that can fingerprint the files it would read (their raw text) spares the
    start-up parsing some six thousand examples and every guide only to find the cached models valid.
    """
    cache_path = None
    if cache_dir is not None:
        key = hashlib.sha256(f"{_MODEL_VERSION}:{_TOPIC_C}:{_GUIDE_TEXT_WEIGHT}:{fingerprint}".encode()).hexdigest()
        cache_path = cache_dir / f"match_models_{key[:16]}.pickle"
        cached = read_pickle(cache_path)
        if isinstance(cached, ExampleModels):
            return cached
    examples, guide_texts, problems = load()
    models = ExampleModels(
        topic=LinearModel(_topic_documents(examples, guide_texts), TOPICS, c=_TOPIC_C, counted=True),
        type=LinearModel(((e.type, e.text, 1.0) for e in examples), MATTER_TYPES),
        route=LinearModel(((e.route, e.text, 1.0) for e in examples), ROUTES),
        examples=len(examples),
        problems=list(problems),
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


def _topic_documents(examples: list[Example], guide_texts: dict[str, list[str]]) -> list[tuple[str, str, float]]:
    documents = [(e.topic, e.text, 1.0) for e in examples]
    for topic, texts in guide_texts.items():
        documents += [(topic, text, _GUIDE_TEXT_WEIGHT) for text in texts]
    return documents


def shipped_examples_fingerprint() -> str:
    """A digest of the raw text of every shipped example file and of the labelled descriptions: what
    load_examples() and load_labelled_descriptions() would parse."""
    names = sorted(name for name in resource_names("classification", "examples") if name.endswith(".jsonl"))
    examples = (part for name in names for part in (name, read_text("classification", "examples", name)))
    return digest([*examples, _labelled_descriptions_text()])
