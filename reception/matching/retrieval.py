"""Article retrieval: BM25 over three fields of each article, with people's words mapped to the law's.

An article is found by what it says (its text), where it stands (law title and chapter headings) and how
people ask about it: resources/laws/questions/ holds questions and situations that ordinary people put,
written per article of the shipped texts (document expansion). resources/classification/thesaurus.toml
adds the law's words for everyday ones (工钱 → 劳动报酬) to a query. The three fields are scored together
as BM25F: a word's length-normalised counts in the fields are weighed and added before they saturate, so a
word that an article's text says once and its twenty questions repeat counts once, strongly, not once per
field (weights measured in docs/benchmarks.md). The field weights are fixed, so each word's BM25F score per
article is computed when the index is built, and a query only adds them up.

Each article's text and questions are also indexed as overlapping character pairs (拖欠薪水 → 拖欠 欠薪 薪水):
word cutting splits the same phrase differently in a question and in a statute (a question's 欠薪 is one word,
a statute's 拖欠薪水 is cut 拖欠 / 薪水), and the pairs still meet where the words do not. The pairs count less than words and are never shown
as evidence, since a pair is often no word at all.

An article's chapter lends it part of its own score (cluster smoothing): each chapter of a law (its first
three heading levels), with all its articles' texts and questions, is one more BM25 document. A question
about a lease finds the lease chapter even where its words match a single article of another chapter
better; within the chapter the article's own score decides.

Words are cut by jieba in search mode, so a long word also counts through its parts (劳动合同 → 劳动,
合同). Building needs jieba's full dictionary (about a second to load, two to cut the library); the cache
keeps the postings and a small jieba dictionary of the index's own words, which loads in milliseconds and
cuts queries the same way for every word that can score.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reception.config import data_dir
from reception.lawlib.library import ArticleView
from reception.matching.cache import digest, read_pickle, write_pickle, write_text
from resources import resource_dir

CACHE_FORMAT = 7
_K1 = 1.2
_B = 0.75
FIELDS = ("text", "context", "asked")
# How much a word found in each field counts (BM25F). The questions are many and short, so they are one
# document per article; they weigh half the text, since a point that the text makes once its questions
# make many times. Chosen on the own sets with STARD beside them (docs/benchmarks.md).
FIELD_WEIGHTS = {"text": 1.0, "context": 0.3, "asked": 0.5}
_B_FIELD = {"text": 0.75, "context": 0.3, "asked": 0.5}
THESAURUS_WEIGHT = 0.3
# The fields also indexed as character pairs (one BM25F index over both), and how much a pair counts
# beside a word. Chosen on the own sets (article hit@5 rose on dev, probe5, probe6 and probe7 at 0.3 and at
# 0.5, and fell back at 0.8, where pairs of common characters start to outvote the words).
PAIR_FIELDS = ("text", "asked")
PAIR_WEIGHT = 0.5
# The fields whose words are evidence an officer reads: a law title in common is no reason.
EVIDENCE_FIELDS = ("text", "asked")
# The chapter's share: an article scores its own fused BM25 (best = 1) plus this much of its chapter's
# (best chapter = 1). Chosen on questions held out of the index and on probe5: 0.5 lifted the index's own
# article hit@5 on both (0.41 → 0.46, 0.71 → 0.73); larger shares let a chapter's other articles crowd
# out the one asked about.
CHAPTER_WEIGHT = 0.5
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_TOKEN_OK = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{2,}|[\u4e00-\u9fff]")
# Words too common in statutes, or in questions, to tell articles apart; kept out of the index.
STOP_WORDS = frozenset(
    "应当 可以 或者 以及 规定 本法 本条例 有关 依照 按照 其他 进行 人民 国家 不得 情形 单位 部门 工作 相关 "
    "没有 什么 怎么 这个 那个 我们 他们 你们 就是 还是 因为 所以 但是 如果 已经 一个 一直 现在 时候 说是 "
    "我的 自己 知道 问题 反映 要求 怎么办 请问 如何 是否 能否 能不能 可不可以 需要 应该 吗 呢 吧 啊 了 的 "
    "是 在 我 你 他 她 它 和 与 及 或 等 对 把 被 给 让 从 向 到 这 那 有 也 都 就 还 又 很 没 不 个 人 "
    "合法 违法吗 算不算 有没有 要不要 该不该 该怎么 怎么样 为什么 咋办 咋 啥 么 呀 哪里 哪个 谁 多少 几 "
    "之一 之日 日起 其中 所称 下列 前款 本条 条件 事项 情况 方面".split()
)
# One-character words carry meaning in Chinese (房, 钱, 狗), but most single characters in a query are
# particles; only these count.
_SINGLE_OK = frozenset("房钱狗猫车地树墙路田债租税罚款赔偿婚娶嫁生死病伤药医枪火电水气")

_jieba_lock = threading.Lock()


def _import_jieba():  # noqa: ANN202
    """Import jieba without pkg_resources.

    jieba imports pkg_resources only to find its own data files and falls back to a plain path next to
    its module when that import fails; importing pkg_resources scans every installed distribution,
    which cost 0.15 s of the matcher's half-second start-up budget.
    """
    import sys

    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(60)
    return jieba


def terms(words: list[str]) -> list[str]:
    return [w for w in words if _TOKEN_OK.fullmatch(w) and w not in STOP_WORDS and (len(w) > 1 or w in _SINGLE_OK)]


def character_pairs(text: str) -> list[str]:
    """Overlapping pairs of Chinese characters, marked so that they never collide with a word."""
    return ["#" + run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]


def _question_files() -> list[tuple[str, str]]:
    """Name and text of each resources/laws/questions/*.jsonl, in name order."""
    folder = resource_dir("laws", "questions")
    if not folder.is_dir():
        return []
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".jsonl")), key=lambda e: e.name)
    return [(entry.name, entry.read_text(encoding="utf-8")) for entry in entries]


def load_questions() -> dict[tuple[str, int, int], list[str]]:
    """Questions per (law, number, suffix) of the shipped texts, from resources/laws/questions/*.jsonl."""
    found: dict[tuple[str, int, int], list[str]] = {}
    for _name, text in _question_files():
        for line in text.splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            key = (row["law"], int(row["number"]), int(row.get("suffix", 0)))
            found.setdefault(key, []).extend(q for q in row.get("questions", []) if q)
    return found


def shipped_questions_fingerprint() -> str:
    """A digest of the raw text of every question file: what load_questions() would parse."""
    return digest(part for name_and_text in _question_files() for part in name_and_text)


def shipped_effective_dates() -> dict[str, str]:
    """Short title → effective date of the shipped version: questions were written for those texts."""
    dates = {}
    for entry in resource_dir("laws").iterdir():
        if entry.name.endswith(".law") and "@" in entry.name:
            short, effective = entry.name[: -len(".law")].split("@", 1)
            dates[short] = effective
    return dates


def load_thesaurus() -> dict[str, list[str]]:
    """Everyday word → the law's words for it (resources/classification/thesaurus.toml)."""
    path = resource_dir("classification", "thesaurus.toml")
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k): [str(v) for v in vs] for k, vs in data.get("words", {}).items()}


def _content_key(articles: list[ArticleView], extra: str) -> str:
    # The weights are part of the stored scores: an index built with other weights is another index.
    weights = (_K1, _B, FIELD_WEIGHTS, _B_FIELD)
    digest = hashlib.sha256(f"format{CACHE_FORMAT}{weights}".encode())
    for a in articles:
        digest.update(f"{a.version_id}:{a.number}:{a.suffix}:{len(a.text)}:{a.text[:40]}".encode())
    digest.update(extra.encode())
    return digest.hexdigest()[:24]


def _chapter_key(article: ArticleView) -> tuple[int, str]:
    """The article's law version and its first three heading levels: 编 / 分编 / 章 of the civil code,
    章 / 节 elsewhere; a law without headings is one group."""
    return article.version_id, " / ".join(article.heading.split(" / ")[:3])


@dataclass
class Hit:
    index: int
    score: float
    # The description's words that the article's text or questions hold as words.
    matched: tuple[str, ...]
    # The description's words that the article holds only as characters inside other words (欠薪 in
    # 拖欠薪水): found through the character pairs, shown so that such an article keeps its reason.
    similar: tuple[str, ...] = ()
    # (everyday word of the description, the law's word for it that the article holds): 欠薪 → 劳动报酬.
    translated: tuple[tuple[str, str], ...] = ()


class _Field:
    """Postings of every term over every document with one value each: in a field built from counted
    postings, the length-normalised term frequency (tf / (1 - b + b · length / average length)); in a
    BM25F index made from such fields, the term's score in the document (idf times the saturated, weighed
    sum of its fields' frequencies), so that scoring a query is only additions.

    The postings of all terms sit in three flat arrays (term i owns docs[offsets[i]:offsets[i + 1]]):
    a cache of arrays loads in a few milliseconds where the same postings as Python dictionaries took a
    third of a second, and a term's weights are added to all its documents at once.
    """

    def __init__(self, vocabulary: list[str], offsets: np.ndarray, docs: np.ndarray, values: np.ndarray, size: int):
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.docs = docs
        self.values = values
        self.size = size
        self.rows = dict(zip(vocabulary, range(len(vocabulary)), strict=True))

    @classmethod
    def from_postings(cls, postings: dict[str, list[tuple[int, int]]], lengths: list[int], b: float) -> _Field:
        total = len(lengths)
        length = np.asarray(lengths, dtype=np.float64)
        average = length.sum() / max(total, 1) or 1.0
        vocabulary = sorted(postings)
        frequency = np.asarray([len(postings[term]) for term in vocabulary], dtype=np.int64)
        count = int(frequency.sum())
        docs = np.fromiter((doc for term in vocabulary for doc, _ in postings[term]), dtype=np.int32, count=count)
        tf = np.fromiter((tf for term in vocabulary for _, tf in postings[term]), dtype=np.float64, count=count)
        values = tf / (1 - b + b * length[docs] / average)
        offsets = np.concatenate(([0], np.cumsum(frequency)))
        return cls(vocabulary, offsets, docs, values, total)

    @classmethod
    def bm25f(cls, fields: list[tuple[_Field, float]]) -> _Field:
        """The BM25F index of fields of the same documents, each with its weight."""
        size = fields[0][0].size
        vocabulary = sorted(set().union(*(field.vocabulary for field, _ in fields)))
        rows = {term: row for row, term in enumerate(vocabulary)}
        # One key per (term, document), so that a term's frequencies in several fields meet; sorted by
        # term and then document, the unique keys are the new postings in order.
        keys, frequencies = [], []
        for field, weight in fields:
            term_rows = np.fromiter(
                (rows[term] for term in field.vocabulary), dtype=np.int64, count=len(field.vocabulary)
            )
            keys.append(np.repeat(term_rows, np.diff(field.offsets)) * size + field.docs)
            frequencies.append(weight * field.values)
        unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        frequency = np.bincount(inverse, weights=np.concatenate(frequencies))
        term_of = unique // size
        documents = np.bincount(term_of, minlength=len(vocabulary))
        idf = np.log(1 + (size - documents + 0.5) / (documents + 0.5))
        values = idf[term_of] * frequency * (_K1 + 1) / (frequency + _K1)
        offsets = np.concatenate(([0], np.cumsum(documents)))
        return cls(vocabulary, offsets, (unique % size).astype(np.int32), values, size)

    def cached(self) -> tuple:
        return self.vocabulary, self.offsets, self.docs, self.values, self.size

    def __contains__(self, term: str) -> bool:
        return term in self.rows

    def score(self, term: str, weight: float, into: np.ndarray) -> None:
        row = self.rows.get(term)
        if row is not None:
            start, stop = self.offsets[row], self.offsets[row + 1]
            # A term's documents are distinct, so the fancy-indexed addition is exact.
            into[self.docs[start:stop]] += weight * self.values[start:stop]

    def documents(self, term: str) -> np.ndarray:
        row = self.rows.get(term)
        if row is None:
            return self.docs[:0]
        return self.docs[self.offsets[row] : self.offsets[row + 1]]


class ArticleIndex:
    """Multi-field BM25 (BM25F) over one set of articles (normally every article in force)."""

    def __init__(
        self,
        articles: list[ArticleView],
        cache_dir: Path | None = None,
        questions: dict[tuple[str, int, int], list[str]] | None = None,
        thesaurus: dict[str, list[str]] | None = None,
    ):
        self.articles = articles
        self.cache_dir = cache_dir if cache_dir is not None else data_dir() / "cache"
        # The questions are read only to build the index: a warm start knows them by their files' text.
        self._questions = questions
        asked = sorted(questions.items()) if questions is not None else shipped_questions_fingerprint()
        self.thesaurus = thesaurus if thesaurus is not None else load_thesaurus()
        self._shipped = shipped_effective_dates()
        extra = json.dumps([asked, sorted(self.thesaurus.items())], ensure_ascii=False)
        key = self._key = _content_key(articles, extra)
        self.cache_path = self.cache_dir / f"law_index_{key}.pickle"
        self.dict_path = self.cache_dir / f"law_words_{key}.txt"
        self.built_now = False
        self._last_cut: tuple[str, list[str]] | None = None
        if not self._load():
            self._build()
        jieba = _import_jieba()
        with _jieba_lock:
            self._tokenizer = jieba.Tokenizer(dictionary=str(self.dict_path))
            # jieba keeps its own cache of the dictionary in the system's temporary folder under a name
            # made from the dictionary's path; beside the index it goes when the index goes.
            self._tokenizer.cache_file = self.dict_path.with_suffix(".jieba").name
            self._tokenizer.tmp_dir = str(self.cache_dir)
            self._tokenizer.initialize()
        # The law's words for each everyday word, cut once here rather than on every query.
        self._expansions = {
            everyday: sorted({t for word in legal for t in self.tokenize(word)})
            for everyday, legal in self.thesaurus.items()
        }

    @property
    def questions(self) -> dict[tuple[str, int, int], list[str]]:
        if self._questions is None:
            self._questions = load_questions()
        return self._questions

    def asked_about(self, article: ArticleView) -> list[str]:
        """The questions written for this article, if it is the shipped text they were written for."""
        if self._shipped.get(article.short_title) != (article.effective.isoformat() if article.effective else ""):
            return []
        return self.questions.get((article.short_title, article.number, article.suffix), [])

    def _field_texts(self, article: ArticleView) -> dict[str, str]:
        return {
            "text": article.text,
            "context": f"{article.short_title} {article.heading.replace(' / ', ' ')}",
            "asked": "\n".join(self.asked_about(article)),
        }

    def _expected_cache_keys(self) -> set[str]:
        return {"words", "pairs", *EVIDENCE_FIELDS, "chapters", "chapter_of"}

    def _load(self) -> bool:
        if not (self.cache_path.is_file() and self.dict_path.is_file()):
            return False
        # The weights themselves are cached: computing them from the postings took a fifth of the start-up.
        data = read_pickle(self.cache_path)
        if not isinstance(data, dict) or set(data) != self._expected_cache_keys():
            return False
        self._words = _Field(*data["words"])
        self._pairs = _Field(*data["pairs"])
        self._evidence = {name: _Field(*data[name]) for name in EVIDENCE_FIELDS}
        self._chapters = _Field(*data["chapters"])
        self._chapter_of = data["chapter_of"]
        return len(self._chapter_of) == len(self.articles) and all(
            f.size == len(self.articles) for f in (self._words, self._pairs, *self._evidence.values())
        )

    def _build(self) -> None:
        jieba = _import_jieba()
        raw: dict[str, tuple[dict[str, list[tuple[int, int]]], list[int]]] = {n: ({}, []) for n in FIELDS}
        raw_pairs: dict[str, tuple[dict[str, list[tuple[int, int]]], list[int]]] = {n: ({}, []) for n in PAIR_FIELDS}
        vocabulary: set[str] = set()
        chapter_numbers: dict[tuple[int, str], int] = {}
        chapter_terms: list[Counter] = []
        chapter_of: list[int] = []
        with _jieba_lock:
            for words in self.thesaurus.values():
                for word in words:
                    jieba.add_word(word)
            for doc, article in enumerate(self.articles):
                chapter = chapter_numbers.setdefault(_chapter_key(article), len(chapter_numbers))
                if chapter == len(chapter_terms):
                    chapter_terms.append(Counter())
                chapter_of.append(chapter)
                for name, text in self._field_texts(article).items():
                    words = jieba.lcut_for_search(text)
                    vocabulary.update(w for w in words if w.strip())
                    doc_terms = terms(words)
                    postings, lengths = raw[name]
                    lengths.append(len(doc_terms))
                    for term, count in Counter(doc_terms).items():
                        postings.setdefault(term, []).append((doc, count))
                    if name != "context":
                        chapter_terms[chapter].update(doc_terms)
                    if name in raw_pairs:
                        pairs = character_pairs(text)
                        postings, lengths = raw_pairs[name]
                        lengths.append(len(pairs))
                        for term, count in Counter(pairs).items():
                            postings.setdefault(term, []).append((doc, count))
            vocabulary.update(w for words in self.thesaurus.values() for w in words)
            vocabulary.update(self.thesaurus)
            frequencies = jieba.dt.FREQ
        fields = {name: _Field.from_postings(*raw[name], _B_FIELD[name]) for name in FIELDS}
        self._words = _Field.bm25f([(fields[name], FIELD_WEIGHTS[name]) for name in FIELDS])
        self._evidence = {name: fields[name] for name in EVIDENCE_FIELDS}
        self._pairs = _Field.bm25f(
            [(_Field.from_postings(*raw_pairs[name], _B_FIELD[name]), FIELD_WEIGHTS[name]) for name in PAIR_FIELDS]
        )
        chapter_postings: dict[str, list[tuple[int, int]]] = {}
        for chapter, counts in enumerate(chapter_terms):
            for term, count in counts.items():
                chapter_postings.setdefault(term, []).append((chapter, count))
        self._chapters = _Field.bm25f(
            [(_Field.from_postings(chapter_postings, [sum(c.values()) for c in chapter_terms], _B), 1.0)]
        )
        self._chapter_of = np.asarray(chapter_of, dtype=np.int32)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        words = sorted(w for w in vocabulary if " " not in w and "\n" not in w)
        write_text(self.dict_path, "".join(f"{w} {frequencies.get(w) or 3}\n" for w in words))
        cached = {name: f.cached() for name, f in self._evidence.items()}
        cached.update(words=self._words.cached(), pairs=self._pairs.cached(), chapters=self._chapters.cached())
        cached["chapter_of"] = self._chapter_of
        write_pickle(self.cache_path, cached)
        self.built_now = True
        # Indexes of earlier libraries are 20 MB each and never read again.
        for stale in self.cache_dir.glob("law_*"):
            if self._key not in stale.name and stale.suffix in {".pickle", ".txt", ".jieba"}:
                stale.unlink(missing_ok=True)

    def tokenize(self, text: str) -> list[str]:
        return terms(self._cut(text))

    def _cut(self, text: str) -> list[str]:
        # One description is cut three times per match (query, evidence words, informative words).
        cached = self._last_cut
        if cached is not None and cached[0] == text:
            return cached[1]
        with _jieba_lock:
            words = self._tokenizer.lcut_for_search(text)
        self._last_cut = (text, words)
        return words

    def words(self, text: str) -> list[str]:
        """The text cut into words (search mode), punctuation left out: for evidence an officer reads."""
        return [w for w in self._cut(text) if _TOKEN_OK.fullmatch(w)]

    def knows(self, term: str) -> bool:
        """Whether any field of any article holds the term."""
        return term in self._words

    def query_terms(self, text: str) -> dict[str, float]:
        """The query's words with their weights: its own words 1, the law's words for them less."""
        weights: dict[str, float] = {}
        for term, count in Counter(self.tokenize(text)).items():
            weights[term] = weights.get(term, 0.0) + 1.0 + 0.2 * (count - 1)
        for everyday, expansion in self._expansions.items():
            if everyday in text:
                for term in expansion:
                    weights[term] = max(weights.get(term, 0.0), THESAURUS_WEIGHT)
        return weights

    def search(self, text: str, limit: int = 30, allowed: set[int] | None = None) -> list[Hit]:
        query = self.query_terms(text)
        scores = np.zeros(len(self.articles))
        for term, query_weight in query.items():
            self._words.score(term, query_weight, scores)
        for pair in set(character_pairs(text)):
            self._pairs.score(pair, PAIR_WEIGHT, scores)
        if allowed is not None:
            outside = np.ones(len(self.articles), dtype=bool)
            outside[list(allowed)] = False
            scores[outside] = 0.0
        found = np.flatnonzero(scores)
        if not len(found):
            return []
        chapters = np.zeros(self._chapters.size)
        for term, query_weight in query.items():
            self._chapters.score(term, query_weight, chapters)
        best_chapter = chapters.max() or 1.0
        ranked = scores[found] / scores[found].max() + CHAPTER_WEIGHT * chapters[self._chapter_of[found]] / best_chapter
        # A stable sort of the documents in index order: equal scores keep the earlier article first.
        order = np.argsort(-ranked, kind="stable")[:limit]
        top = found[order]
        # Evidence is the description's own words held by the article's text or questions (a law title in
        # common is no reason); the law's words the thesaurus added are shown as such (their parts, such as
        # 劳动报 of 劳动报酬, are no evidence at all).
        own = [t for t, weight in query.items() if weight >= 1.0]
        held_by_word = {t: self._holding(t, self._evidence.values(), top) for t in own}
        spelt_by_word = {t: self._spelt_by(t, top) for t in own if _HAN_RUN.fullmatch(t)}
        translations = [
            (everyday, legal) for everyday in self.thesaurus if everyday in text for legal in self.thesaurus[everyday]
        ]
        held_by_legal = {legal: self._holding(legal, self._evidence.values(), top) for _, legal in translations}
        hits = []
        for rank, (doc, position) in enumerate(zip(top, order, strict=True)):
            matched = tuple(t for t in own if held_by_word[t][rank])
            similar = tuple(t for t, spelt in spelt_by_word.items() if spelt[rank] and t not in matched)
            translated = tuple(
                (everyday, legal)
                for everyday, legal in translations
                if held_by_legal[legal][rank] and legal not in matched
            )
            hits.append(Hit(int(doc), float(ranked[position]), matched, similar, translated))
        return hits

    def _spelt_by(self, word: str, docs: np.ndarray) -> np.ndarray:
        """Which of the documents hold every character pair of the word in their text or questions."""
        spelt = np.ones(len(docs), dtype=bool)
        for pair in set(character_pairs(word)):
            spelt &= self._holding(pair, (self._pairs,), docs)
        return spelt

    def _holding(self, term: str, fields: Iterable[_Field], docs: np.ndarray) -> np.ndarray:
        """Which of the documents hold the term in one of the fields."""
        held = np.zeros(len(self.articles), dtype=bool)
        for field in fields:
            held[field.documents(term)] = True
        return held[docs]
