"""The questions written per article (document expansion of the statute index)."""

from __future__ import annotations

import json
from pathlib import Path

from reception.lawlib.lawfile import parse_law_file
from reception.matching.retrieval import load_questions
from resources import resource_dir

DATA = Path(__file__).resolve().parents[1] / "data"


def _shipped_articles() -> dict[str, set[tuple[int, int]]]:
    articles: dict[str, set[tuple[int, int]]] = {}
    for path in resource_dir("laws").glob("*.law"):
        law = parse_law_file(path.read_text(encoding="utf-8"))
        articles[law.short_title] = {(a.number, a.suffix) for a in law.articles}
    return articles


def test_every_question_belongs_to_an_article_of_a_shipped_text():
    articles = _shipped_articles()
    questions = load_questions()
    assert sum(len(q) for q in questions.values()) > 10_000
    stray = [
        f"{law} 第{number}条" for law, number, suffix in questions if (number, suffix) not in articles.get(law, set())
    ]
    assert stray == []


def test_no_question_is_written_twice_or_copied_from_an_evaluation_set():
    questions = [q for qs in load_questions().values() for q in qs]
    assert len(questions) == len(set(questions)), (
        "a question written for two articles tells the index nothing about either"
    )
    evaluation = [
        json.loads(line).get("text", "")
        for path in sorted(DATA.glob("match_*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    runs = {text[i : i + 16] for text in evaluation for i in range(len(text) - 15)}
    # A question that shares a run of 16 characters with a description would let the index remember the
    # answer to a test item instead of finding it.
    copied = [q for q in questions if any(q[i : i + 16] in runs for i in range(len(q) - 15))]
    assert copied == []
