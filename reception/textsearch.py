"""Substring search over Chinese text with a word index: CJK text is indexed as overlapping bigrams."""

from __future__ import annotations

import re

# CJK ideographs (incl. extension A and compatibility) form runs that are split into bigrams; anything
# else alphanumeric is kept as lower-cased words.
_TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_body(*texts: str) -> str:
    """The text an FTS index stores for a record: bigrams of each CJK run, words otherwise."""
    tokens: list[str] = []
    for text in texts:
        for match in _TOKEN_RE.finditer(text or ""):
            run = match.group(0)
            tokens.extend(_bigrams(run) if _CJK_RE.match(run) else [run.lower()])
    return " ".join(tokens)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression finding records whose text contains every part of query.

    A CJK run becomes a phrase of its bigrams (so the run must occur as written); a single
    character becomes a prefix query on the bigrams that start with it. Returns None when the
    query has nothing searchable.
    """
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(query):
        run = match.group(0)
        if _CJK_RE.match(run):
            if len(run) == 1:
                parts.append(f'"{run}"*')
            else:
                parts.append('"' + " ".join(_bigrams(run)) + '"')
        else:
            parts.append(f'"{run.lower()}"*')
    return " AND ".join(parts) if parts else None
