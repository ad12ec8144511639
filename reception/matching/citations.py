"""Which articles lawyers cite for petitions of each topic: a prior for ranking a petitioner's account.

An account of a matter ("the company has not paid us since March …") is explained with the articles on the
right at stake and, as often, with the field's articles on where and how to pursue it — the scope of
administrative review, the right to report a safety hazard, the officials a supervisory commission covers.
Those second articles share few words with the account, so retrieval ranks them low, yet the project's
lawyer-labelled descriptions cite them again and again for the same topic (docs/benchmarks.md, fifteenth
session: 监察法 第十五条 in 26 descriptions of reports on officials, missed in 25). This table holds, per topic,
how many labelled descriptions there are and how many of them cite each article; the matcher lends an
article weight by the share of its likely topics' descriptions that cite it.

The same counts are kept per route (the lawful channel the description was labelled with): the articles on
where and how to pursue a matter follow the channel more than the field — 行政复议法 第十一条 and 第二十条 for a
decision contested in review, whatever department made it; 监察法 第十五条 for a report on an official, whether
about subsidies, schools or land.

`resources/classification/citations.toml` is written by `tools/build_learned.py` from the labelled sets
named there; evaluation leaves each set out in turn (`benchmarks/eval_matching.py --leave-set-out`).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from resources import read_text

ArticleKey = tuple[str, int, int]  # short title, number, suffix


class LabelledDescription(NamedTuple):
    topic: str
    route: str
    articles: tuple[ArticleKey, ...]


Counts = dict[str, dict[ArticleKey, int]]  # per topic or route: article → descriptions citing it


def _counted(pairs: Iterable[tuple[str, Iterable[ArticleKey]]], min_cited: int) -> tuple[dict[str, int], Counts]:
    descriptions: Counter[str] = Counter()
    cited: dict[str, Counter[ArticleKey]] = {}
    for group, articles in pairs:
        descriptions[group] += 1
        cited.setdefault(group, Counter()).update(set(articles))
    kept = {group: {key: n for key, n in counts.items() if n >= min_cited} for group, counts in cited.items()}
    return dict(descriptions), kept


@dataclass(frozen=True)
class CitationPrior:
    descriptions: dict[str, int] = field(default_factory=dict)  # labelled descriptions per topic
    cited: Counts = field(default_factory=dict)
    route_descriptions: dict[str, int] = field(default_factory=dict)  # the same per route
    route_cited: Counts = field(default_factory=dict)

    @classmethod
    def from_labelled(cls, items: Iterable[LabelledDescription], min_cited: int = 1) -> CitationPrior:
        """From labelled descriptions. Articles cited once count too: leaving them out (`min_cited` 2 or 3)
        lowered the held-out figures (docs/benchmarks.md)."""
        items = list(items)
        descriptions, cited = _counted(((item.topic, item.articles) for item in items), min_cited)
        route_descriptions, route_cited = _counted(((item.route, item.articles) for item in items), min_cited)
        return cls(descriptions, cited, route_descriptions, route_cited)

    def share(self, topic: str, key: ArticleKey) -> float:
        """The share of the topic's labelled descriptions that cite the article."""
        n = self.descriptions.get(topic, 0)
        return self.cited.get(topic, {}).get(key, 0) / n if n else 0.0

    def route_share(self, route: str, key: ArticleKey) -> float:
        """The share of the labelled descriptions of this route that cite the article."""
        n = self.route_descriptions.get(route, 0)
        return self.route_cited.get(route, {}).get(key, 0) / n if n else 0.0

    def dumps(self, header: str = "") -> str:
        lines = [f"# {line}" if line else "#" for line in header.splitlines()]
        for table, descriptions, cited in (
            ("topics", self.descriptions, self.cited),
            ("routes", self.route_descriptions, self.route_cited),
        ):
            for group in sorted(descriptions):
                lines += [
                    "",
                    f"[[{table}]]",
                    f'name = "{group}"',
                    f"descriptions = {descriptions[group]}",
                    "articles = [",
                ]
                ranked = sorted(cited.get(group, {}).items(), key=lambda kv: (-kv[1], kv[0]))
                for (law, number, suffix), n in ranked:
                    extra = f", suffix = {suffix}" if suffix else ""
                    lines.append(f'  {{ law = "{law}", number = {number}{extra}, cited = {n} }},')
                lines.append("]")
        return "\n".join(lines) + "\n"


def _parsed_table(entries: list[dict]) -> tuple[dict[str, int], Counts]:
    descriptions: dict[str, int] = {}
    cited: Counts = {}
    for entry in entries:
        name = entry["name"]
        descriptions[name] = int(entry["descriptions"])
        cited[name] = {
            (a["law"], int(a["number"]), int(a.get("suffix", 0))): int(a["cited"]) for a in entry.get("articles", [])
        }
    return descriptions, cited


def parse_citations(text: str) -> CitationPrior:
    data = tomllib.loads(text)
    return CitationPrior(*_parsed_table(data.get("topics", [])), *_parsed_table(data.get("routes", [])))


def load_citations(text: str | None = None) -> CitationPrior:
    return parse_citations(text if text is not None else read_text("classification", "citations.toml"))
