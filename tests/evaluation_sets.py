"""The project's own evaluation sets (petition descriptions in tests/data/match_*.jsonl, short questions
with their answering articles in tests/data/questions_*.jsonl), and what would copy from them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
RUN = 16


def evaluation_items(pattern: str = "match_*.jsonl") -> list[dict]:
    """The labelled items of the sets whose file names match pattern, in file order."""
    return [
        json.loads(line)
        for path in sorted(DATA.glob(pattern))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def evaluation_texts() -> list[str]:
    items = evaluation_items() + evaluation_items("questions_*.jsonl")
    return [item.get("text", "") for item in items]


def copied_from_evaluation(texts: Iterable[str]) -> list[str]:
    """The texts that share a run of 16 characters with an evaluation description (a shorter text: that
    appear in one whole). Such a text would let a model or the index remember a test item's answer."""
    evaluation = evaluation_texts()
    runs = {text[i : i + RUN] for text in evaluation for i in range(len(text) - RUN + 1)}
    copied = []
    for text in texts:
        if len(text) < RUN:
            if any(text in description for description in evaluation):
                copied.append(text)
        elif any(text[i : i + RUN] in runs for i in range(len(text) - RUN + 1)):
            copied.append(text)
    return copied
