"""The questions written per article (document expansion of the statute index)."""

from __future__ import annotations

from reception.lawlib.lawfile import parse_law_file
from reception.matching.retrieval import load_questions
from resources import resource_dir
from tests.evaluation_sets import copied_from_evaluation


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
    assert copied_from_evaluation(questions) == []
