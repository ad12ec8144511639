"""Substring search over Chinese text with a word index: CJK text is indexed as overlapping bigrams.

Pure text handling with no database or domain imports, so the db layer can use it and the layers above
can shape queries for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def query_terms(query: str) -> list[str]:
    """The searchable parts of a query in order: runs of CJK characters and alphanumeric words.

    Punctuation and spaces only separate terms; a record must contain every term.
    """
    return [match.group(0) for match in _TOKEN_RE.finditer(query)]


def _term_expression(term: str) -> str | None:
    """A CJK run becomes a phrase of its bigrams (so the run must occur as written); a single
    character becomes a prefix query on the bigrams that start with it; a word a prefix query."""
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(term):
        run = match.group(0)
        if _CJK_RE.match(run):
            parts.append(f'"{run}"*' if len(run) == 1 else '"' + " ".join(_bigrams(run)) + '"')
        else:
            parts.append(f'"{run.lower()}"*')
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def match_expression(groups: Sequence[Sequence[str]]) -> str | None:
    """An FTS5 MATCH expression for records containing, for every group, at least one of its terms.

    Each group holds the interchangeable spellings of one query term (the term itself first). Returns
    None when nothing in the groups is searchable.
    """
    clauses: list[str] = []
    for group in groups:
        alternatives = list(dict.fromkeys(e for e in map(_term_expression, group) if e is not None))
        if not alternatives:
            continue
        clauses.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(clauses) if clauses else None


# ---- PostgreSQL: the same tokens as tsvector / tsquery literals ---------------------------------------
# Written as literals (CAST(... AS tsvector)) rather than through to_tsvector, so the server's text-search
# parser and locale never split or fold the bigrams differently from the SQLite index.

_MAX_POSITION = 16383  # tsvector positions stop here


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(body: str) -> str:
    """An index body (index_body's tokens) as a tsvector with positions, so phrases can be matched."""
    positions: dict[str, list[int]] = {}
    for position, token in enumerate(body.split(), start=1):
        positions.setdefault(token, []).append(min(position, _MAX_POSITION))
    return " ".join(f"{_lexeme(t)}:{','.join(map(str, p[:256]))}" for t, p in positions.items())


def _term_tsquery(term: str) -> str | None:
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(term):
        run = match.group(0)
        if _CJK_RE.match(run):
            parts.append(f"{_lexeme(run)}:*" if len(run) == 1 else " <-> ".join(map(_lexeme, _bigrams(run))))
        else:
            parts.append(f"{_lexeme(run.lower())}:*")
    if not parts:
        return None
    return "(" + " & ".join(f"({p})" for p in parts) + ")"


def tsquery_expression(groups: Sequence[Sequence[str]]) -> str | None:
    """The tsquery twin of match_expression: every group, one of its spellings, CJK runs as phrases."""
    clauses: list[str] = []
    for group in groups:
        alternatives = list(dict.fromkeys(e for e in map(_term_tsquery, group) if e is not None))
        if alternatives:
            clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses) if clauses else None
