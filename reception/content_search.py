"""Search by touch: pinyin letters, a keyword or a whole sentence, across guides, cases and articles.

A kiosk keyboard types letters. Letters are read as pinyin — whole syllables (qianxin) or first letters
(qx) — against a vocabulary of the words petitioners use (the topics, the tiles, the cases' search words,
the classification guide's cues, the thesaurus); the candidates are offered to tap, as an input method
would, and the best one is searched. Chinese text goes through the desk's matcher, so a sentence such as
"老板不给工钱" lands on the topic the desk would give it, and keywords also find the cases that use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reception.cases import TeachingCase
from reception.guides import TopicGuide
from reception.vocab import TOPICS

_LETTERS = re.compile(r"^[a-zA-Z']+$")
MAX_CANDIDATES = 12


@dataclass(frozen=True)
class ArticleHit:
    law: str
    number: int
    suffix: int
    label: str  # 《劳动合同法》第八十二条
    text: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    searched: str  # the Chinese text searched (the chosen candidate for pinyin letters)
    candidates: tuple[str, ...]  # words offered for pinyin letters
    topics: tuple[str, ...]  # best first
    guides: tuple[TopicGuide, ...]
    cases: tuple[TeachingCase, ...]
    articles: tuple[ArticleHit, ...]

    @property
    def empty(self) -> bool:
        return not (self.guides or self.cases or self.articles)


@dataclass(frozen=True)
class _Word:
    text: str
    full: str  # qianxin
    initials: str  # qx
    topics: frozenset[str]
    weight: float


def _pinyin(word: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(word, errors="ignore") if s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


class PinyinVocabulary:
    """Words a petitioner may mean by a few letters, each with the topics it points to."""

    def __init__(self, entries: Iterable[tuple[str, str, float]]):
        merged: dict[str, tuple[set[str], float]] = {}
        for word, topic, weight in entries:
            word = word.strip()
            if not (2 <= len(word) <= 8) or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
                continue
            topics, best = merged.setdefault(word, (set(), 0.0))
            if topic:
                topics.add(topic)
            merged[word] = (topics, max(best, weight))
        self.words: list[_Word] = []
        for word, (topics, weight) in merged.items():
            full, initials = _pinyin(word)
            if full:
                self.words.append(_Word(word, full, initials, frozenset(topics), weight))

    def candidates(self, letters: str, limit: int = MAX_CANDIDATES) -> list[str]:
        """Words for the letters: first letters in full (qx → 欠薪), then whole syllables typed so far
        (qianx → 欠薪), then first letters begun (qx → 欠薪资料); heavier and shorter words first."""
        key = letters.lower().replace("'", "")
        if not key:
            return []
        ranked: list[tuple[int, float, int, str]] = []
        for w in self.words:
            if w.initials == key:
                tier = 0
            elif w.full.startswith(key):
                tier = 1
            elif w.initials.startswith(key):
                tier = 2
            else:
                continue
            ranked.append((tier, -w.weight, len(w.text), w.text))
        ranked.sort()
        return [text for *_rest, text in ranked[:limit]]


class ContentSearch:
    def __init__(
        self,
        guides: list[TopicGuide],
        cases: list[TeachingCase],
        vocabulary: PinyinVocabulary,
        topic_scores: Callable[[str], list[tuple[str, float]]],
        articles: Callable[[str], list[ArticleHit]],
    ):
        self.guides = {g.topic: g for g in guides}
        self.cases = cases
        self.vocabulary = vocabulary
        self._topic_scores = topic_scores
        self._articles = articles

    def search(self, query: str) -> SearchResults:
        query = query.strip()
        candidates: tuple[str, ...] = ()
        text = query
        if _LETTERS.match(query):
            candidates = tuple(self.vocabulary.candidates(query))
            text = candidates[0] if candidates else ""
        if not text:
            return SearchResults(query, "", candidates, (), (), (), ())
        scores = dict(self._topic_scores(text))
        # A word of the vocabulary names its topics outright: "低保" is 社会救助 even where the matcher,
        # made for whole descriptions, hesitates on two characters.
        for word in self.vocabulary.words:
            if word.text in text:
                for topic in word.topics:
                    scores[topic] = scores.get(topic, 0.0) + 0.5 * word.weight / 3
        for topic in TOPICS:
            if topic in text:
                scores[topic] = scores.get(topic, 0.0) + 1.0
        ranked = [t for t, s in sorted(scores.items(), key=lambda kv: -kv[1]) if s > 0]
        top = ranked[:3]
        if top:
            best = scores[top[0]]
            top = [t for t in top if scores[t] >= best * 0.35]
        grams = _bigrams(text)
        scored_cases = []
        for case in self.cases:
            overlap = len(grams & _bigrams(case.searchable())) / max(1, len(grams))
            exact = 1.0 if text in case.searchable() else 0.0
            score = overlap + exact + (scores.get(case.topic, 0.0) / best if top else 0.0)
            if overlap >= 0.34 or exact or case.topic in top[:1]:
                scored_cases.append((score, case.id, case))
        scored_cases.sort(key=lambda item: (-item[0], item[1]))
        return SearchResults(
            query=query,
            searched=text,
            candidates=candidates,
            topics=tuple(top),
            guides=tuple(self.guides[t] for t in top if t in self.guides),
            cases=tuple(c for *_s, c in scored_cases[:6]),
            articles=tuple(self._articles(text)[:5]),
        )


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(chars) == 1:
        return {chars[0]}
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}
