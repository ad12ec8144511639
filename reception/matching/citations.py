"""Which articles lawyers cite for petitions of each topic: a prior for ranking a petitioner's account.

An account of a matter ("the company has not paid us since March …") is explained with the articles on the
right at stake and, as often, with the field's articles on where and how to pursue it — the scope of
administrative review, the right to report a safety hazard, the officials a supervisory commission covers.
Those second articles share few words with the account, so retrieval ranks them low, yet the project's
lawyer-labelled descriptions cite them again and again for the same topic (docs/benchmarks.md, fifteenth
session: 监察法 第十五条 in 26 descriptions of reports on officials, missed in 25). This table holds, per topic,
how many labelled descriptions there are and how many of them cite each article; the matcher lends an
article weight by the share of its likely topics' descriptions that cite it.

`resources/classification/citations.toml` is written by `tools/build_citations.py` from the labelled sets
named there; evaluation leaves each set out in turn (`benchmarks/eval_matching.py --leave-set-out`).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from resources import read_text

ArticleKey = tuple[str, int, int]  # short title, number, suffix


@dataclass(frozen=True)
class CitationPrior:
    descriptions: dict[str, int] = field(default_factory=dict)  # labelled descriptions per topic
    cited: dict[str, dict[ArticleKey, int]] = field(default_factory=dict)  # per topic: article → descriptions citing it

    @classmethod
    def from_labelled(cls, items: Iterable[tuple[str, Iterable[ArticleKey]]], min_cited: int = 1) -> CitationPrior:
        """From (topic, articles cited) pairs. Articles cited once count too: leaving them out (`min_cited`
        2 or 3) lowered the held-out figures (docs/benchmarks.md)."""
        descriptions: Counter[str] = Counter()
        cited: dict[str, Counter[ArticleKey]] = {}
        for topic, articles in items:
            descriptions[topic] += 1
            cited.setdefault(topic, Counter()).update(set(articles))
        return cls(
            dict(descriptions),
            {topic: {key: n for key, n in counts.items() if n >= min_cited} for topic, counts in cited.items()},
        )

    def share(self, topic: str, key: ArticleKey) -> float:
        """The share of the topic's labelled descriptions that cite the article."""
        n = self.descriptions.get(topic, 0)
        return self.cited.get(topic, {}).get(key, 0) / n if n else 0.0

    def dumps(self, header: str = "") -> str:
        lines = [f"# {line}" if line else "#" for line in header.splitlines()]
        for topic in sorted(self.descriptions):
            lines += [
                "",
                "[[topics]]",
                f'name = "{topic}"',
                f"descriptions = {self.descriptions[topic]}",
                "articles = [",
            ]
            ranked = sorted(self.cited.get(topic, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            for (law, number, suffix), n in ranked:
                extra = f", suffix = {suffix}" if suffix else ""
                lines.append(f'  {{ law = "{law}", number = {number}{extra}, cited = {n} }},')
            lines.append("]")
        return "\n".join(lines) + "\n"


def parse_citations(text: str) -> CitationPrior:
    data = tomllib.loads(text)
    descriptions: dict[str, int] = {}
    cited: dict[str, dict[ArticleKey, int]] = {}
    for entry in data.get("topics", []):
        name = entry["name"]
        descriptions[name] = int(entry["descriptions"])
        cited[name] = {
            (a["law"], int(a["number"]), int(a.get("suffix", 0))): int(a["cited"]) for a in entry.get("articles", [])
        }
    return CitationPrior(descriptions, cited)


def load_citations(text: str | None = None) -> CitationPrior:
    return parse_citations(text if text is not None else read_text("classification", "citations.toml"))
