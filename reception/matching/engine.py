"""Rank type, topics, routes and statutes for a free-text description, with the reasons for each.

Two signals are combined: the classification guide's weighted phrases (what petitioners actually say,
mapped to topics, types and routes by people who know the work) and BM25 retrieval over the exact
article texts in force (which finds law the guide did not anticipate). Every result carries evidence.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reception.lawlib.library import ArticleView, LawLibrary
from reception.matching.cache import digest
from reception.matching.citations import CitationPrior, load_citations
from reception.matching.examples import (
    Example,
    ExampleModels,
    feature_counts,
    load_examples,
    load_labelled_descriptions,
    shipped_examples_fingerprint,
    train_from_sources,
)
from reception.matching.guide import ClassificationGuide, Cue, KeyArticle, SituationRule, load_guide
from reception.matching.retrieval import ArticleIndex, Hit
from reception.vocab import MATTER_TYPES, ROUTES
from resources import read_text, resource_names

_SPACE_RE = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# An n-gram that begins or ends with one of these is a piece of two words (沟里, 里偷偷), not evidence
# an officer can read.
_FILLERS = frozenset("的了里是在和与我你他她它们着过吗呢吧啊就都也还又把被给让对从向到这那个")
# How much a topic's n-th listed route counts (first = the usual lawful channel).
_ROUTE_RANK_WEIGHTS = (1.0, 0.55, 0.35, 0.25, 0.2)
# A matter's type implies some routes regardless of topic (信访工作条例: 检举控告 to 纪检监察, 建议意见 as such).
_TYPE_ROUTES = {"检举控告": {"纪检监察": 0.4}, "建议意见": {"建议意见": 1.2}}
# The softmax temperatures make the shown percentages mean what they say: each is where the log loss of the
# example phrasings, scored by models trained without them (`eval_matching.py --cross-validate 5`), is
# lowest. The earlier 6 / 1.5 / 0.8 were overconfident: shown 80–89 %, a first topic was right 0.67 of the time.
# The route's was set again with its model's weight once the models learned from the labelled descriptions
# (2.0: over the own sets, each scored by models trained without it, shown 90–99 % was right 0.94 of the time
# at 1.0; docs/benchmarks.md, twenty-first session).
_TOPIC_TEMPERATURE = 8.5
_TYPE_TEMPERATURE = 2.75
_ROUTE_TEMPERATURE = 2.0
_RETRIEVAL_TOPIC_WEIGHT = 1.2
# Statute ranking: retrieval relevance (best hit = 1) carries it; an article of a law the likely topics
# use gains up to this share, a topic's key article and a situation's article a little more. A topic lends
# each of its laws as much as it relies on it (see Matcher.__init__).
_TOPIC_LAW_PRIOR = 0.35
_KEY_ARTICLE_PRIOR = 0.15
_SITUATION_PRIOR = 0.25
# In an account this long or longer (a one-line question asks for the rule that answers it), an article
# gains this much times the square root of the share of its likely topics' labelled descriptions that cite
# it (reception.matching.citations). Chosen leaving each labelled set out in turn (docs/benchmarks.md).
_ACCOUNT_CHARS = 60
_CITATION_WEIGHT = 1.0
# The likely routes lend the same way, from the labelled descriptions of each route, at this weight beside
# the topics': a channel's own articles (行政复议法 第十一条, 监察法 第十五条) are cited across fields. Chosen
# leaving each labelled set out in turn, where 1.5 and 2 tie; two blind sets written afterwards gain at
# both and a little more at 2 (docs/benchmarks.md, twentieth session).
_ROUTE_CITATION_WEIGHT = 2.0
# Below this share the prior still counts but is not worth a line of reasons.
_CITATION_REASON_SHARE = 0.1
_ROUTE_BASIS_LIMIT = 4
# See Matcher._diversified.
_FEW_LAWS = 2
_OTHER_LAW_SHARE = 0.5
_OTHER_LAW_WORDS = 3
OTHER_LAW_REASON = "另一部法律中最相关的条文（排在此处，以免只列出一两部法律）"
# Channels with a law of their own that the petitioner uses: its time limit or where to apply is part of
# what a lawyer cites for the matter once the description speaks of that channel. Not 依法履职 (行政诉讼法
# 第四十七条, the court as a last resort against a department's inaction), 涉法涉诉 and 党内程序 (信访工作条例
# on handing a matter over): those are the office's own reasons for the route, kept in route_basis.
_CHANNEL_ROUTES = frozenset({"仲裁", "调解", "行政程序", "纪检监察", "法律援助", "信访程序", "建议意见"})
# The route's matched cue weight that counts as speaking of the channel: one clear phrase (仲裁, 律师, 邻居
# weigh 2–3), not one of the weak hints (赔偿, 对方, 工资) that only lean towards it.
_CHANNEL_CUE_WEIGHT = 2.0
# A situation whose matched cues weigh this much (one decisive phrase: 工伤, 怀孕, 信息公开) is named plainly
# enough that its law belongs among the statutes even where retrieval ranks that law's words low.
_SITUATION_CUE_WEIGHT = 3.0
# Fewer informative words than this, and no cue of any topic: too little to classify.
_MIN_INFORMATIVE_TERMS = 1
NEEDS_MORE = (
    "描述内容太少，无法判断类别和法条。请问清：和谁（哪个单位或个人）之间、发生了什么事、什么时候、想解决什么。"
)
# The linear models' margins (a difference of 0.1 is clear) weighed against the guide's cue weights
# (1–3 a phrase). The topic model carries the decision: measured on descriptions nobody tuned the cues
# on, cues alone get about half the topics right and the model alone nine in ten; cues then settle
# near-ties and give the reasons.
_MODEL_TOPIC_WEIGHT = 60.0
_MODEL_TYPE_WEIGHT = 8.0
# The route model's weight rose from 3 to 5 when it began to learn from the labelled descriptions, which
# draw the lines between 依法履职, 行政程序 and 调解 in more voices than the examples do.
_MODEL_ROUTE_WEIGHT = 5.0
# How much a likely topic's usual type counts (most topics' matters are 申诉求决).
_TOPIC_TYPE_WEIGHT = 1.0
_ROUTE_CUE_WEIGHT = 0.6
# A situation's matched cue weight counts up to this cap; at the cap its key articles rank like the
# likely topic's own.
_SITUATION_CAP = 4.0
_REPORT_TOPIC_WEIGHT = 4.0
# Descriptions longer than this many characters have their topic cue weights damped by sqrt(len ratio).
_CUE_LENGTH = 80
# A report of someone's unlawful conduct that also tells of the writer's own losses reads, to the type model
# and the topics' usual type, like a claim: on the own sets a 检举控告 shown at 20–50 % was the labelled type
# 31 times in 49. This much is added to its raw score (docs/benchmarks.md, eighteenth session).
_REPORT_TYPE_PRIOR = 2.0
# A letter's subject line: its first line or sentence, when that is this short and more follows.
_SUBJECT_END = re.compile(r"[\n。！？!?]")
_SUBJECT_CHARS = 40
_SUPPORTED_ROUTES = frozenset({"法律援助", "信访程序", "党内程序", "纪检监察"})


@dataclass(frozen=True)
class Scored:
    name: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankedStatute:
    law: str  # short title, e.g. 劳动合同法
    title: str  # full title
    article: str  # 第二十七条
    number: int
    suffix: int
    text: str
    effective: str
    score: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    """What the matcher found. `statutes` answer what was described, ranked by relevance to it;
    `route_basis` are the articles behind the likely route and its time limits for this topic.
    `needs_more` is set, with what to ask, when the description says too little to classify."""

    type: Scored
    types: tuple[Scored, ...]
    topics: tuple[Scored, ...]
    routes: tuple[Scored, ...]
    statutes: tuple[RankedStatute, ...]
    route_basis: tuple[RankedStatute, ...] = ()
    needs_more: str = ""

    def to_json(self, top: int = 5) -> dict:
        def statute(s: RankedStatute) -> dict:
            return {
                "law": s.law,
                "article": s.article,
                "number": s.number,
                "suffix": s.suffix,
                "title": s.title,
                "effective": s.effective,
                "text": s.text,
                "score": s.score,
                "why": list(s.why),
            }

        return {
            "type": {"name": self.type.name, "score": self.type.score},
            "topics": [{"name": t.name, "score": t.score, "evidence": list(t.evidence)} for t in self.topics[:top]],
            "routes": [{"name": r.name, "score": r.score} for r in self.routes[:top]],
            "statutes": [statute(s) for s in self.statutes[:top]],
            "route_basis": [statute(s) for s in self.route_basis[:top]],
            "needs_more": self.needs_more,
        }


def _cue_hits(text: str, cues: tuple[Cue, ...]) -> list[Cue]:
    return [cue for cue in cues if cue.phrase in text]


def _strength(hits: list[Cue]) -> float:
    """Matched cue weight as a share of _SITUATION_CAP: 1.0 means the text says it plainly."""
    return min(sum(c.weight for c in hits), _SITUATION_CAP) / _SITUATION_CAP


def _subject_line(description: str) -> str:
    """The subject line a board message or letter opens with (举报某公司偷排污水, 建议增设公交站), or "".

    A first sentence counts as one when a longer body follows it: a one-line question is not its own title."""
    parts = _SUBJECT_END.split(description.strip(), 1)
    head = parts[0].strip()
    body = parts[1].strip() if len(parts) > 1 else ""
    return _SPACE_RE.sub("", head) if 0 < len(head) <= _SUBJECT_CHARS and len(body) > len(head) else ""


def _outside_longer(phrases: list[str]) -> list[str]:
    """The phrases not contained in another, longer one of the list, in the list's order."""
    return [p for p in phrases if not any(p != other and p in other for other in phrases)]


def _evidence(hits: list[Cue]) -> tuple[str, ...]:
    """Matched phrases, strongest first, leaving out ones contained in a longer matched phrase."""
    kept = _outside_longer(sorted({h.phrase for h in hits}, key=lambda p: (-len(p), p)))
    weights = {h.phrase: h.weight for h in hits}
    return tuple(sorted(kept, key=lambda p: -weights[p]))


def topic_texts(guide: ClassificationGuide) -> dict[str, list[str]]:
    """Per topic, the plain-language guide's own words and the classification guide's cue phrases."""
    from reception.cases import CaseLibrary
    from reception.guides import GuideLibrary

    texts: dict[str, list[str]] = {}
    for topic_guide in GuideLibrary().all():
        parts = [topic_guide.title, topic_guide.summary]
        for _key, _heading, items in topic_guide.sections:
            parts += items
        parts += [m.myth for m in topic_guide.myths]
        texts.setdefault(topic_guide.topic, []).extend(parts)
    for case in CaseLibrary().all():
        texts.setdefault(case.topic, []).append(case.facts)
    for rule in guide.topics:
        texts.setdefault(rule.name, []).append("，".join(c.phrase for c in rule.cues))
    return texts


def default_models(guide: ClassificationGuide, cache_dir: Path | None = None) -> ExampleModels:
    """Models trained on the shipped examples, the labelled descriptions and topic_texts(); cached under the
    raw text of the files they come from, so that a warm start parses none of them."""

    def load() -> tuple[list[Example], dict[str, list[str]], list[str]]:
        examples, problems = load_examples()
        return examples + load_labelled_descriptions(), topic_texts(guide), problems

    return train_from_sources(_topic_sources_fingerprint(guide), load, cache_dir)


def _topic_sources_fingerprint(guide: ClassificationGuide) -> str:
    """Everything topic_texts() and load_examples() read, as raw text: the example files, the shipped
    guides, cases and remedies (a guide's sections quote the remedies) and the topics' cue phrases."""
    from reception.cases import shipped_case_texts
    from reception.guides import shipped_guide_texts

    cues = json.dumps([(rule.name, [c.phrase for c in rule.cues]) for rule in guide.topics], ensure_ascii=False)
    remedies = [read_text(name) for name in ("remedies.toml", "deadlines.toml") if name in resource_names()]
    guides, cases = sorted(shipped_guide_texts().items()), sorted(shipped_case_texts().items())
    return digest(
        [
            shipped_examples_fingerprint(),
            *(p for item in guides for p in item),
            "cases",
            *(p for item in cases for p in item),
        ]
        + ["remedies", *remedies, cues]
    )


def _retrieval_reason(hit: Hit, shared: list[str]) -> str:
    """Why retrieval found the article, in the description's own words; `shared` are the words it holds,
    whole (search-mode cutting also yields a long word's parts, 包工头 → 包工, 工头; the word says it)."""
    parts = []
    if shared:
        parts.append(f"条文与描述共有词语：{'、'.join(shared[:5])}")
    elif hit.similar:
        parts.append(f"条文用字与描述相近：{'、'.join(hit.similar[:5])}")
    if hit.translated:
        parts.append(f"法律用语：{'、'.join(f'{everyday}→{legal}' for everyday, legal in hit.translated[:3])}")
    return "；".join(parts)


def _situation_reason(situation: SituationRule, matched: list[Cue], key: KeyArticle) -> str:
    return f"涉及“{situation.name}”（{'、'.join(_evidence(matched)[:3])}）：{key.why}"


def _placed(statutes: tuple[RankedStatute, ...], item: RankedStatute, top: int) -> tuple[RankedStatute, ...]:
    """`item` among the first `top` in place of the lowest article whose law is listed twice there (so no
    law leaves the list), that article moved just after it; unchanged where every law is listed once."""
    head = list(statutes[:top])
    rest = [s for s in statutes[top:] if (s.law, s.number, s.suffix) != (item.law, item.number, item.suffix)]
    for position in range(top - 1, -1, -1):
        if sum(s.law == head[position].law for s in head) > 1:
            return (*head[:position], *head[position + 1 :], item, head[position], *rest)
    return statutes


def _softmax(raw: dict[str, float], temperature: float) -> dict[str, float]:
    top = max(raw.values())
    exps = {k: math.exp((v - top) / temperature) for k, v in raw.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


class Matcher:
    """Built once per law library (the index is cached on disk); match() is cheap and thread-safe."""

    def __init__(
        self,
        library: LawLibrary,
        guide: ClassificationGuide | None = None,
        cache_dir: Path | None = None,
        articles: list[ArticleView] | None = None,
        models: ExampleModels | None = None,
        citations: CitationPrior | None = None,
    ):
        self.guide = guide or load_guide()
        self.citations = citations if citations is not None else load_citations()
        self.library = library
        self.articles = articles if articles is not None else library.articles()
        self.index = ArticleIndex(self.articles, cache_dir)
        self._by_key = {(a.short_title, a.number, a.suffix): i for i, a in enumerate(self.articles)}
        self.missing_key_articles: list[str] = []
        for rule in [*self.guide.topics, *self.guide.routes, *self.guide.situations]:
            for key in rule.key_articles:
                if (key.law, key.number, key.suffix) not in self._by_key:
                    self.missing_key_articles.append(f"{rule.name}: {key.law} 第{key.number}条")
        # How much a topic relies on each of its laws: its key articles from that law against those from
        # its main law. The special law before the general one (特别法优先): a consumer dispute lends
        # 消费者权益保护法, which holds six of its key articles, the full prior and 民法典, which holds
        # one, a sixth of it, so that 民法典's sale-contract articles do not crowd out the consumer law's.
        self._topic_law_reliance: dict[str, dict[str, float]] = {}
        for rule in self.guide.topics:
            counts = Counter(k.law for k in rule.key_articles)
            most = max(counts.values(), default=1)
            self._topic_law_reliance[rule.name] = {law: n / most for law, n in counts.items()}
        self._topic_laws = {name: set(reliance) for name, reliance in self._topic_law_reliance.items()}
        self.models = models if models is not None else default_models(self.guide, self.index.cache_dir)

    def article_at(self, law: str, number: int, suffix: int = 0) -> ArticleView | None:
        index = self._by_key.get((law, number, suffix))
        return None if index is None else self.articles[index]

    def informative_terms(self, description: str) -> list[str]:
        """The description's words that occur somewhere in the index (article, context or questions)."""
        return [t for t in self.index.tokenize(description) if len(t) > 1 and _HAN.search(t) and self.index.knows(t)]

    def match(self, description: str, top: int = 5) -> MatchResult:
        text = _SPACE_RE.sub("", description)
        hits = self.index.search(description, limit=60)
        best_hit = hits[0].score if hits else 1.0
        words = set(self.index.words(description))

        # Topics: phrase cues, plus retrieval hits that fall in a topic's key laws.
        raw: dict[str, float] = {}
        evidence: dict[str, tuple[str, ...]] = {}
        counts = feature_counts(text)
        damping = min(1.0, math.sqrt(_CUE_LENGTH / max(len(text), 1)))
        model_topic, telling = self.models.topic.scores(text, counts)
        any_cue = False
        for topic in self.guide.topics:
            positive = _cue_hits(text, topic.cues)
            any_cue = any_cue or bool(positive)
            negative = _cue_hits(text, topic.negative_cues)
            # A long letter touches many fields in passing; its cue weight is damped so that the model,
            # which reads the whole text, keeps the decision.
            score = (sum(c.weight for c in positive) - sum(c.weight for c in negative)) * damping
            laws = self._topic_laws[topic.name]
            retrieval = sum(h.score / best_hit for h in hits[:10] if self.articles[h.index].short_title in laws)
            score += _RETRIEVAL_TOPIC_WEIGHT * math.log1p(retrieval)
            score += _MODEL_TOPIC_WEIGHT * model_topic.get(topic.name, 0.0)
            raw[topic.name] = score
            ev = _evidence(positive)
            # Only n-grams that are whole words of the description: a fragment (说公, 家的猪) tells an
            # officer nothing.
            similar = [
                gram
                for gram, _weight in telling.get(topic.name, [])
                if len(gram) > 1
                and gram in words
                and gram[0] not in _FILLERS
                and gram[-1] not in _FILLERS
                and not any(gram in phrase or phrase in gram for phrase in ev)
            ]
            if similar and len(ev) < 3:
                ev += (f"与该类常见说法相近：{'、'.join(_outside_longer(similar)[:3])}",)
            if retrieval > 0 and not ev:
                ev = (f"条文检索指向{'、'.join(sorted(laws)[:2])}",)
            if not ev and model_topic.get(topic.name, -1.0) == 0.0:
                ev = ("整体说法与该类例句最接近",)
            evidence[topic.name] = ev
        topic_p = _softmax(raw, _TOPIC_TEMPERATURE)

        # Type: its own cues plus what the likely topics usually are.
        type_raw = dict.fromkeys(MATTER_TYPES, 0.0)
        type_evidence: dict[str, tuple[str, ...]] = {}
        # The subject line is the writer's own summary: a type it names (举报…, 建议…) counts twice there,
        # where a long story around a report also tells of the writer's own losses (申诉求决's cues).
        subject = _subject_line(description)
        for rule in self.guide.types:
            matched = _cue_hits(text, rule.cues)
            titled = _cue_hits(subject, rule.cues) if subject else []
            type_raw[rule.name] += sum(c.weight for c in matched) + sum(c.weight for c in titled)
            type_evidence[rule.name] = _evidence(matched)
        for topic in self.guide.topics:
            type_raw[topic.default_type] = (
                type_raw.get(topic.default_type, 0.0) + _TOPIC_TYPE_WEIGHT * topic_p[topic.name]
            )
        model_type, _telling = self.models.type.scores(text, counts)
        for name in MATTER_TYPES:
            type_raw[name] += _MODEL_TYPE_WEIGHT * model_type.get(name, 0.0)
        type_raw["检举控告"] += _REPORT_TYPE_PRIOR
        type_p = _softmax(type_raw, _TYPE_TEMPERATURE)

        # 信访工作条例 sorts a report of officials' wrongdoing as 检举控告 whatever field it happens in: a
        # village accountant pocketing grain subsidies is a matter for 纪检监察, not for 农村农业.
        route_hits = {rule.name: _cue_hits(text, rule.cues) for rule in self.guide.routes}
        officials = route_hits.get("纪检监察", [])
        if officials and "纪检监察" in raw:
            strength = _strength(officials)
            if strength > 0:
                raw["纪检监察"] += _REPORT_TOPIC_WEIGHT * type_p["检举控告"] * strength
                evidence["纪检监察"] = tuple(dict.fromkeys(_evidence(officials)[:3] + evidence["纪检监察"]))
        topic_p = _softmax(raw, _TOPIC_TEMPERATURE)
        topics = tuple(
            sorted((Scored(n, round(p, 3), evidence[n]) for n, p in topic_p.items()), key=lambda s: -s.score)
        )

        types = tuple(
            sorted(
                (Scored(n, round(p, 3), type_evidence.get(n, ())) for n, p in type_p.items()), key=lambda s: -s.score
            )
        )

        # Routes: the likely topics' usual channels, the type's implied channel, and route cues.
        route_raw = dict.fromkeys(ROUTES, 0.0)
        for topic in self.guide.topics:
            for rank, route in enumerate(topic.routes):
                weight = _ROUTE_RANK_WEIGHTS[min(rank, len(_ROUTE_RANK_WEIGHTS) - 1)]
                route_raw[route] += 2.0 * topic_p[topic.name] * weight
        for type_name, boosts in _TYPE_ROUTES.items():
            for route, weight in boosts.items():
                route_raw[route] += weight * type_p[type_name]
        route_evidence: dict[str, tuple[str, ...]] = {}
        cue_weight: dict[str, float] = {}
        for rule in self.guide.routes:
            matched = route_hits[rule.name]
            cue_weight[rule.name] = sum(c.weight for c in matched)
            route_raw[rule.name] += _ROUTE_CUE_WEIGHT * cue_weight[rule.name]
            route_evidence[rule.name] = _evidence(matched)
        model_route, _telling = self.models.route.scores(text, counts)
        model_part = {name: _MODEL_ROUTE_WEIGHT * model_route.get(name, 0.0) for name in ROUTES}
        middle = sorted(model_part.values())[len(model_part) // 2]
        for name in ROUTES:
            part = model_part[name]
            if name in _SUPPORTED_ROUTES:
                # Legal aid, the petition procedure, party procedure and 纪检监察 answer a particular
                # request; the way a story is told (an absconding foreman, a long wait) must not send it
                # there unless something in it, or its likely topic, asks for that channel.
                support = cue_weight.get(name, 0.0) / 3.0
                support += sum(topic_p[t.name] for t in self.guide.topics if name in t.routes)
                support += type_p["检举控告"] if name in _TYPE_ROUTES["检举控告"] else 0.0
                support = min(support, 1.0)
                part = support * part + (1.0 - support) * min(part, middle)
            route_raw[name] += part
        route_p = _softmax(route_raw, _ROUTE_TEMPERATURE)
        # The 建议意见 route is where 建议意见 matters go and nothing else: its share is the type's.
        others = 1.0 - route_p["建议意见"]
        suggestion = type_p["建议意见"]
        route_p = {
            name: suggestion if name == "建议意见" else (p * (1.0 - suggestion) / others if others > 0 else 0.0)
            for name, p in route_p.items()
        }
        routes = tuple(
            sorted(
                (Scored(n, round(p, 3), route_evidence.get(n, ())) for n, p in route_p.items()), key=lambda s: -s.score
            )
        )

        if len(self.informative_terms(description)) < _MIN_INFORMATIVE_TERMS and not any_cue:
            flat = tuple(Scored(t.name, 0.0) for t in topics)
            return MatchResult(
                Scored(types[0].name, 0.0),
                tuple(Scored(t.name, 0.0) for t in types),
                flat,
                tuple(Scored(r.name, 0.0) for r in routes),
                (),
                (),
                NEEDS_MORE,
            )
        situations = self.situation_hits(text)
        statutes = self._rank_statutes(situations, topics, routes, hits, best_hit, top, len(text) >= _ACCOUNT_CHARS)
        basis = self._route_basis(topics, routes)
        statutes = self._with_channel_article(statutes, topics, routes[0], route_hits, top)
        statutes = self._with_situation_article(statutes, situations, top)
        return MatchResult(types[0], types, topics, routes, statutes, basis)

    def situation_hits(self, text: str) -> list[tuple[SituationRule, list[Cue]]]:
        """Each situation of the guide that the description touches, with the cues it matched."""
        found = [(rule, _cue_hits(text, rule.cues)) for rule in self.guide.situations]
        return [(rule, matched) for rule, matched in found if matched]

    def _rank_statutes(
        self, situations, topics, routes, hits, best_hit: float, top: int, account: bool
    ) -> tuple[RankedStatute, ...]:  # noqa: ANN001
        """Articles ranked by how well they answer the description itself.

        Retrieval carries the ranking; the likely topics lend weight to the laws they use, and to their
        key articles, but never place an article the description gives no ground for: a topic's key
        article counts only when retrieval or a situation found it too. In a petitioner's account (not a
        one-line question) the articles lawyers cite for the likely topics and routes gain too
        (reception.matching.citations).
        """
        scores: dict[int, float] = {}
        reasons: dict[int, list[str]] = {}

        def add(index: int, score: float, reason: str) -> None:
            scores[index] = scores.get(index, 0.0) + score
            if reason and reason not in reasons.setdefault(index, []):
                reasons[index].append(reason)

        # Articles with enough ground to bring a law of their own into the list (see _diversified).
        grounded = set()
        for hit in hits:
            shared = _outside_longer(list(hit.matched))
            add(hit.index, hit.score / best_hit, _retrieval_reason(hit, shared))
            if len(shared) >= _OTHER_LAW_WORDS:
                grounded.add(hit.index)
        for situation, matched in situations:
            strength = _strength(matched)
            if strength <= 0:
                continue
            for rank, key in enumerate(situation.key_articles):
                index = self._index_of(key)
                if index is not None:
                    add(
                        index,
                        _SITUATION_PRIOR * strength * (1.0 - 0.1 * rank),
                        _situation_reason(situation, matched, key),
                    )
                    grounded.add(index)
        found = set(scores)
        law_weight: dict[str, float] = {}
        for topic in topics[:3]:
            for law, reliance in self._topic_law_reliance.get(topic.name, {}).items():
                law_weight[law] = law_weight.get(law, 0.0) + topic.score * reliance
        for index in found:
            share = min(law_weight.get(self.articles[index].short_title, 0.0), 1.0)
            if share > 0:
                scores[index] *= 1.0 + _TOPIC_LAW_PRIOR * share
        for topic in topics[:2]:
            rule = self.guide.topic(topic.name)
            if rule is None or topic.score < 0.05:
                continue
            for key in rule.key_articles:
                index = self._index_of(key)
                if index in found:
                    add(index, _KEY_ARTICLE_PRIOR * topic.score, f"“{topic.name}”的要点条文：{key.why}")
        if account:
            for index in found:
                article = self.articles[index]
                key = (article.short_title, article.number, article.suffix)
                lent = [
                    (topic.score * share, share, f"“{topic.name}”类")
                    for topic in topics[:3]
                    if (share := self.citations.share(topic.name, key)) > 0
                ]
                lent += [
                    (_ROUTE_CITATION_WEIGHT * route.score * share, share, f"走“{route.name}”途径的")
                    for route in routes[:2]
                    if (share := self.citations.route_share(route.name, key)) > 0
                ]
                prior = sum(weight for weight, _share, _name in lent)
                if prior > 0:
                    _weight, share, kind = max(lent)
                    reason = (
                        f"{kind}信访事项常引用此条（本系统标注的同类事项中{share:.0%}引用）"
                        if share >= _CITATION_REASON_SHARE
                        else ""
                    )
                    add(index, _CITATION_WEIGHT * math.sqrt(prior), reason)

        ordered, promoted = self._diversified(
            sorted(scores.items(), key=lambda item: (-item[1], item[0])), top, grounded
        )
        if promoted is not None:
            reasons.setdefault(promoted, []).append(OTHER_LAW_REASON)
        ordered = ordered[: max(top, 10)]
        return tuple(self._ranked(index, score, reasons.get(index, [])) for index, score in ordered)

    def _diversified(
        self, ordered: list[tuple[int, float]], top: int, grounded: set[int]
    ) -> tuple[list[tuple[int, float]], int | None]:
        """The ranking with one of the last places given to another law when the first `top` come from
        at most _FEW_LAWS laws and that law's best article scores at least _OTHER_LAW_SHARE of the first
        and is grounded: it shares _OTHER_LAW_WORDS or more words with the description, or a situation
        the description names brought it.

        A chapter that matches well fills the list with its own articles; a labour dispute then shows
        only 劳动合同法 and not the arbitration law that says where to go (measured on the project's own
        sets, where it lifted law recall@5 by up to 0.04 and left article hit@5 as it was). An article that
        shares one or two common words with the description (孩子, 钱) is no ground for a law of its own: on
        the own sets such a law was right once in 44 places, on STARD 11 times in 191 (docs/benchmarks.md).
        The promoted article keeps its own, lower score and says why it stands there; returns its index too.
        """
        head = ordered[:top]
        laws = {self.articles[i].short_title for i, _ in head}
        if len(ordered) <= top or len(laws) > _FEW_LAWS:
            return ordered, None
        floor = head[0][1] * _OTHER_LAW_SHARE
        for item in ordered[top:]:
            if item[1] < floor:
                break
            if self.articles[item[0]].short_title not in laws:
                if item[0] not in grounded:
                    # The other laws' best article is a chance match: no other law has a better claim.
                    break
                moved = head[-1]
                rest = [x for x in ordered[top:] if x != item]
                return [*head[:-1], item, moved, *rest], item[0]
        return ordered, None

    def _with_channel_article(
        self,
        statutes: tuple[RankedStatute, ...],
        topics: tuple[Scored, ...],
        route: Scored,
        route_hits: dict[str, list[Cue]],
        top: int,
    ) -> tuple[RankedStatute, ...]:
        """The statutes with the likely channel's own article among the first `top`, where the description
        speaks of that channel (its cues weigh _CHANNEL_CUE_WEIGHT or more) and none of its law is there yet.

        It takes the place of the lowest article whose law is listed twice, so no law leaves the list; the
        article moved down keeps its rank after it. On the own petition sets this lifted law recall@5 by
        0.02–0.07 and article hit@5 on two of four sets (docs/benchmarks.md).
        """
        hits = route_hits.get(route.name, [])
        rule = self.guide.route(route.name)
        said_plainly = sum(c.weight for c in hits) >= _CHANNEL_CUE_WEIGHT
        if route.name not in _CHANNEL_ROUTES or not said_plainly or rule is None or len(statutes) < top or not topics:
            return statutes
        listed = {s.law for s in statutes[:top]}
        key = next(
            (k for k in rule.key_articles if k.applies_to(topics[0].name) and self._index_of(k) is not None), None
        )
        if key is None or key.law in listed:
            return statutes
        said = "、".join(_evidence(hits)[:3])
        why = f"描述提到“{route.name}”途径（{said}），该途径的依据：{key.why}"
        return _placed(statutes, self._ranked(self._index_of(key), route.score, [why]), top)

    def _with_situation_article(
        self,
        statutes: tuple[RankedStatute, ...],
        situations: list[tuple[SituationRule, list[Cue]]],
        top: int,
    ) -> tuple[RankedStatute, ...]:
        """The statutes with the first article of the situation named most plainly (cues weighing
        _SITUATION_CUE_WEIGHT or more) whose law is not among the first `top` yet, placed as _placed() does.

        A situation recurs across topics and brings a law of its own: a pregnant employee's dismissal
        brings 妇女权益保障法 beside the labour laws that retrieval fills the list with, a married-out
        daughter's lost land share brings it beside 农村土地承包法. One place only, so that the
        description's own articles keep the rest (docs/benchmarks.md has the thresholds measured).
        """
        if len(statutes) < top:
            return statutes
        listed = {s.law for s in statutes[:top]}
        named = [
            (-weight, situation.name, situation, matched)
            for situation, matched in situations
            if (weight := sum(c.weight for c in matched)) >= _SITUATION_CUE_WEIGHT
        ]
        for _weight, _name, situation, matched in sorted(named, key=lambda item: item[:2]):
            key = next((k for k in situation.key_articles if self._index_of(k) is not None), None)
            if key is None or key.law in listed:
                continue
            why = _situation_reason(situation, matched, key)
            return _placed(statutes, self._ranked(self._index_of(key), _SITUATION_PRIOR, [why]), top)
        return statutes

    def _route_basis(self, topics, routes) -> tuple[RankedStatute, ...]:  # noqa: ANN001
        """Articles behind the likely route and its time limits, for this topic only."""
        if not topics or not routes:
            return ()
        topic = topics[0].name
        picked: list[tuple[int, float, str]] = []
        for route in routes[:2]:
            rule = self.guide.route(route.name)
            if rule is None or (picked and route.score < 0.25):
                continue
            for rank, key in enumerate(rule.key_articles):
                index = self._index_of(key)
                if index is None or not key.applies_to(topic) or any(i == index for i, _s, _w in picked):
                    continue
                picked.append(
                    (index, round(route.score * (1.0 - 0.1 * rank), 3), f"“{route.name}”途径的依据：{key.why}")
                )
        return tuple(self._ranked(i, score, [why]) for i, score, why in picked[:_ROUTE_BASIS_LIMIT])

    def _ranked(self, index: int, score: float, why: list[str]) -> RankedStatute:
        a = self.articles[index]
        return RankedStatute(
            law=a.short_title,
            title=a.title,
            article=a.label,
            number=a.number,
            suffix=a.suffix,
            text=a.text,
            effective=a.effective.isoformat() if a.effective else "",
            score=round(score, 3),
            why=tuple(why),
        )

    def _index_of(self, key: KeyArticle) -> int | None:
        return self._by_key.get((key.law, key.number, key.suffix))
