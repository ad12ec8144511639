"""Legal-basis matching: classify a description (type, topic, route) and rank the statutes to explain."""

from reception.matching.engine import Matcher, MatchResult, RankedStatute, Scored

__all__ = ["MatchResult", "Matcher", "RankedStatute", "Scored"]
