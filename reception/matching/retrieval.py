"""BM25 retrieval over article texts, tokenised with jieba; the index is cached on disk per library content.

Building needs jieba's full dictionary (about a second to load, a second to cut the library). The cache
keeps the postings plus a small jieba dictionary of the library's own words, which loads in milliseconds
and segments queries the same way for every word that can score: words outside the library's vocabulary
contribute nothing to BM25 whatever their segmentation.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reception.config import data_dir
from reception.lawlib.library import ArticleView
from reception.matching.cache import read_pickle, write_pickle

CACHE_FORMAT = 2
_K1 = 1.4
_B = 0.75
_TOKEN_OK = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{2,}")
# Words too common in statutes to tell articles apart; kept out of the index.
STOP_WORDS = frozenset(
    "应当 可以 或者 以及 规定 本法 本条例 有关 依照 按照 其他 进行 人民 国家 不得 情形 单位 部门 工作 相关 "
    "没有 什么 怎么 这个 那个 我们 他们 你们 就是 还是 因为 所以 但是 如果 已经 一个 一直 现在 时候 说是 "
    "我的 我们 自己 知道 问题 反映 要求".split()
)

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


def _content_key(articles: list[ArticleView]) -> str:
    digest = hashlib.sha256(f"format{CACHE_FORMAT}".encode())
    for a in articles:
        digest.update(f"{a.version_id}:{a.number}:{a.suffix}:{len(a.text)}:{a.text[:40]}".encode())
    return digest.hexdigest()[:24]


def terms(words: list[str]) -> list[str]:
    return [w for w in words if _TOKEN_OK.fullmatch(w) and w not in STOP_WORDS]


@dataclass
class Hit:
    index: int
    score: float
    matched: tuple[str, ...]


class ArticleIndex:
    """Okapi BM25 over one set of articles (normally every article in force)."""

    def __init__(self, articles: list[ArticleView], cache_dir: Path | None = None):
        self.articles = articles
        self.cache_dir = cache_dir if cache_dir is not None else data_dir() / "cache"
        key = _content_key(articles)
        self.cache_path = self.cache_dir / f"law_index_{key}.pickle"
        self.dict_path = self.cache_dir / f"law_words_{key}.txt"
        self.built_now = False
        if not self._load():
            self._build()
        jieba = _import_jieba()
        with _jieba_lock:
            self._tokenizer = jieba.Tokenizer(dictionary=str(self.dict_path))
            self._tokenizer.initialize()

    def _load(self) -> bool:
        if not (self.cache_path.is_file() and self.dict_path.is_file()):
            return False
        data = read_pickle(self.cache_path)
        if not isinstance(data, dict):
            return False
        self._postings: dict[str, list[tuple[int, int]]] = data["postings"]
        self._lengths: list[int] = data["lengths"]
        self._avg_length: float = data["avg_length"]
        return len(self._lengths) == len(self.articles)

    def _build(self) -> None:
        jieba = _import_jieba()
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths: list[int] = []
        vocabulary: set[str] = set()
        with _jieba_lock:
            for doc, article in enumerate(self.articles):
                words = jieba.lcut(article.text)
                vocabulary.update(w for w in words if w.strip())
                doc_terms = terms(words)
                lengths.append(len(doc_terms))
                for term, count in Counter(doc_terms).items():
                    postings.setdefault(term, []).append((doc, count))
            frequencies = jieba.dt.FREQ
        self._postings = postings
        self._lengths = lengths
        self._avg_length = sum(lengths) / max(len(lengths), 1)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        words = sorted(w for w in vocabulary if " " not in w and "\n" not in w)
        tmp_dict = self.dict_path.with_suffix(".tmp")
        tmp_dict.write_text("".join(f"{w} {frequencies.get(w) or 3}\n" for w in words), encoding="utf-8")
        tmp_dict.replace(self.dict_path)
        write_pickle(self.cache_path, {"postings": postings, "lengths": lengths, "avg_length": self._avg_length})
        self.built_now = True

    def tokenize(self, text: str) -> list[str]:
        with _jieba_lock:
            return terms(self._tokenizer.lcut(text))

    def idf(self, term: str) -> float:
        n = len(self._postings.get(term, ()))
        total = len(self._lengths)
        return math.log(1 + (total - n + 0.5) / (n + 0.5))

    def search(self, text: str, limit: int = 30, allowed: set[int] | None = None) -> list[Hit]:
        query = Counter(self.tokenize(text))
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term, query_count in query.items():
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self.idf(term)
            for doc, tf in postings:
                if allowed is not None and doc not in allowed:
                    continue
                norm = tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * self._lengths[doc] / self._avg_length))
                scores[doc] = scores.get(doc, 0.0) + idf * norm * (1 + 0.2 * (query_count - 1))
                matched.setdefault(doc, []).append(term)
        best = sorted(scores.items(), key=lambda item: -item[1])[:limit]
        return [Hit(doc, score, tuple(matched[doc])) for doc, score in best]
