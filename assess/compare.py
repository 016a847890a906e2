"""Compare two to six scored assessments side by side.

Pure: no Flask, no database, no I/O. The items are ordered oldest first by `updated_at`
(then id); the first is the baseline every delta is taken from.

- comparability: questions applicable in every item / questions applicable in any.
- themes side by side, with the delta of each item from the baseline.
- recommendations, comparing the last item with the baseline: "improved" or "regressed"
  when the score moved by at least `CHANGE_THRESHOLD` (0.05) points, else "unchanged";
  "not_comparable" when unscored in either.
- questions whose effective answer (valid, and the question applicable) differs
  between any two items, with the value and label of each.
- commonly missed: recommendations that are a gap in every item (each item's target).
- trends: per profile, the items of that profile in time order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .bank import PROFILES, AnswerValue, Bank
from .scoring import AnswerSet, Scorecard, display, effective_answers, maturity_band

MIN_ITEMS = 2
MAX_ITEMS = 6
CHANGE_THRESHOLD = 0.05
_EPSILON = 1e-9  # float error allowed at the threshold: 50.05 - 50.0 < 0.05 in floats

IMPROVED = "improved"
REGRESSED = "regressed"
UNCHANGED = "unchanged"
NOT_COMPARABLE = "not_comparable"
CHANGES = (IMPROVED, REGRESSED, UNCHANGED, NOT_COMPARABLE)


@dataclass(frozen=True)
class Compared:
    """One assessment to compare: its metadata, answers and scorecard."""

    id: int
    title: str
    profile: str
    bank_version: str
    updated_at: datetime
    classification: str
    answers: AnswerSet
    scorecard: Scorecard

    def __post_init__(self) -> None:
        if not self.profile == self.answers.profile == self.scorecard.profile:
            raise ValueError(f"assessment {self.id}: profile differs in answers or scorecard")


@dataclass(frozen=True)
class Comparability:
    """How many questions apply in every item, out of those applying in any."""

    common: int
    any: int

    @property
    def ratio(self) -> float:
        """common / any, 0.0 when nothing applies anywhere."""
        return self.common / self.any if self.any else 0.0


@dataclass(frozen=True)
class ThemeRow:
    """One theme across the items."""

    id: str
    title: str
    scores: tuple[float | None, ...]  # per item, in item order
    deltas: tuple[float | None, ...]  # score - baseline score; None if either is None


@dataclass(frozen=True)
class RecommendationRow:
    """One recommendation across the items, and how it changed from first to last."""

    id: str
    title: str
    theme: str
    priority: str
    scores: tuple[float | None, ...]  # per item
    delta: float | None  # last - first; None when not comparable
    change: str  # improved | regressed | unchanged | not_comparable


@dataclass(frozen=True)
class QuestionRow:
    """A question whose effective answer differs between at least two items."""

    id: str
    section: str
    text: str
    values: tuple[AnswerValue | None, ...]  # per item; None = unanswered or not applicable
    labels: tuple[str, ...]  # per item, as a person reads it ("" when None)
    applicable: tuple[bool, ...]  # per item


@dataclass(frozen=True)
class TrendPoint:
    """One item in a profile's trend series."""

    id: int
    updated_at: datetime
    overall: float | None
    themes: Mapping[str, float | None]


@dataclass(frozen=True)
class Comparison:
    """The result of `compare`."""

    bank_version: str  # of the bank used for titles and labels
    items: tuple[Compared, ...]  # oldest first; items[0] is the baseline
    comparability: Comparability
    themes: tuple[ThemeRow, ...]  # bank order
    recommendations: tuple[RecommendationRow, ...]  # bank order
    questions: tuple[QuestionRow, ...]  # bank order
    commonly_missed: tuple[str, ...]  # by mean severity descending, then id
    trends: Mapping[str, tuple[TrendPoint, ...]]  # profile -> points, time order

    @property
    def baseline(self) -> Compared:
        """The first (oldest) item."""
        return self.items[0]

    @property
    def mixed_profiles(self) -> bool:
        """Whether the items are not all of one profile."""
        return len({item.profile for item in self.items}) > 1

    @property
    def overall(self) -> tuple[float | None, ...]:
        """The overall score of each item."""
        return tuple(item.scorecard.overall for item in self.items)

    def by_change(self, change: str) -> tuple[RecommendationRow, ...]:
        """The recommendation rows with this change; improved and regressed come largest
        move first (then id), unchanged and not_comparable in bank order."""
        rows = [r for r in self.recommendations if r.change == change]
        if change in (IMPROVED, REGRESSED):
            rows.sort(key=lambda r: (-abs(r.delta or 0.0), r.id))
        return tuple(rows)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict; scores rounded to 1 decimal, datetimes in ISO 8601.

        Lists "per item" follow `items` (oldest first); a score is null when not scored::

            {"bank_version", "baseline": item id, "mixed_profiles": bool,
             "items": [{"id", "title", "profile", "bank_version", "updated_at",
                        "classification", "target", "overall": {"score", "band"},
                        "coverage": {"answered", "applicable", "ratio"}}],
             "comparability": {"common", "any", "ratio"},
             "themes": [{"id", "title", "scores": [per item], "bands": [per item],
                         "deltas": [per item, from the first]}],
             "recommendations": {"improved" | "regressed" | "unchanged" | "not_comparable":
                 [{"id", "title", "theme", "priority", "scores": [per item], "delta"}]},
             "questions": [{"id", "section", "text", "values": [per item: str, list or
                            null], "labels": [per item], "applicable": [per item]}],
             "commonly_missed": [recommendation ids],
             "trends": {profile: [{"id", "updated_at", "overall", "themes": {id: score}}]}}
        """
        return {
            "bank_version": self.bank_version,
            "baseline": self.baseline.id,
            "mixed_profiles": self.mixed_profiles,
            "items": [
                {
                    "id": item.id,
                    "title": item.title,
                    "profile": item.profile,
                    "bank_version": item.bank_version,
                    "updated_at": item.updated_at.isoformat(),
                    "classification": item.classification,
                    "target": display(item.answers.target),
                    "overall": {
                        "score": display(item.scorecard.overall),
                        "band": item.scorecard.band,
                    },
                    "coverage": {
                        "answered": item.scorecard.coverage.answered,
                        "applicable": item.scorecard.coverage.applicable,
                        "ratio": display(item.scorecard.coverage.ratio, 3),
                    },
                }
                for item in self.items
            ],
            "comparability": {
                "common": self.comparability.common,
                "any": self.comparability.any,
                "ratio": display(self.comparability.ratio, 3),
            },
            "themes": [
                {
                    "id": t.id,
                    "title": t.title,
                    "scores": [display(s) for s in t.scores],
                    "bands": [maturity_band(s) for s in t.scores],
                    "deltas": [display(d) for d in t.deltas],
                }
                for t in self.themes
            ],
            "recommendations": {
                change: [
                    {
                        "id": r.id,
                        "title": r.title,
                        "theme": r.theme,
                        "priority": r.priority,
                        "scores": [display(s) for s in r.scores],
                        "delta": display(r.delta),
                    }
                    for r in self.by_change(change)
                ]
                for change in CHANGES
            },
            "questions": [
                {
                    "id": q.id,
                    "section": q.section,
                    "text": q.text,
                    "values": [list(v) if isinstance(v, tuple) else v for v in q.values],
                    "labels": list(q.labels),
                    "applicable": list(q.applicable),
                }
                for q in self.questions
            ],
            "commonly_missed": list(self.commonly_missed),
            "trends": {
                profile: [
                    {
                        "id": p.id,
                        "updated_at": p.updated_at.isoformat(),
                        "overall": display(p.overall),
                        "themes": {k: display(v) for k, v in p.themes.items()},
                    }
                    for p in points
                ]
                for profile, points in self.trends.items()
            },
        }


def change_of(first: float | None, last: float | None) -> tuple[str, float | None]:
    """Classify the move from first to last score; return (change, delta)."""
    if first is None or last is None:
        return NOT_COMPARABLE, None
    delta = last - first
    if abs(delta) < CHANGE_THRESHOLD - _EPSILON:
        return UNCHANGED, delta
    return (IMPROVED if delta > 0 else REGRESSED), delta


def _theme_score(card: Scorecard, theme_id: str) -> float | None:
    try:
        return card.theme(theme_id).score
    except KeyError:  # scored with a bank that had no such theme
        return None


def _rec_score(card: Scorecard, recommendation_id: str) -> float | None:
    try:
        return card.recommendation(recommendation_id).score
    except KeyError:
        return None


def compare(bank: Bank, items: Sequence[Compared]) -> Comparison:
    """Compare 2 to 6 assessments (ValueError otherwise); see the module docstring."""
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        raise ValueError(f"compare needs {MIN_ITEMS} to {MAX_ITEMS} assessments, got {len(items)}")
    if len({item.id for item in items}) != len(items):
        raise ValueError("the same assessment is given twice")
    ordered = tuple(sorted(items, key=lambda item: (item.updated_at, item.id)))
    cards = [item.scorecard for item in ordered]
    first, last = cards[0], cards[-1]

    common = frozenset.intersection(*(card.applicable for card in cards))
    anywhere = frozenset.union(*(card.applicable for card in cards))

    themes = []
    for theme in bank.themes:
        scores = tuple(_theme_score(card, theme.id) for card in cards)
        deltas = tuple(None if s is None or scores[0] is None else s - scores[0] for s in scores)
        themes.append(ThemeRow(theme.id, theme.title, scores, deltas))

    recommendations = []
    for rec in bank.recommendations:
        scores = tuple(_rec_score(card, rec.id) for card in cards)
        change, delta = change_of(_rec_score(first, rec.id), _rec_score(last, rec.id))
        recommendations.append(
            RecommendationRow(rec.id, rec.title, rec.theme, rec.priority, scores, delta, change)
        )

    effective = [effective_answers(bank, item.answers) for item in ordered]
    questions = []
    for question in bank.questions:
        values = tuple(answers.get(question.id) for answers in effective)
        if len(set(values)) > 1:
            questions.append(
                QuestionRow(
                    question.id,
                    question.section,
                    question.text,
                    values,
                    tuple(question.label_of(v) for v in values),
                    tuple(question.id in card.applicable for card in cards),
                )
            )

    severities: dict[str, list[float]] = {}
    for card in cards:
        for gap in card.gaps:
            severities.setdefault(gap.recommendation, []).append(gap.severity)
    missed = [rid for rid, found in severities.items() if len(found) == len(cards)]
    missed.sort(key=lambda rid: (-math.fsum(severities[rid]) / len(cards), rid))

    trends = {
        profile: tuple(
            TrendPoint(
                item.id,
                item.updated_at,
                item.scorecard.overall,
                {t.id: _theme_score(item.scorecard, t.id) for t in bank.themes},
            )
            for item in ordered
            if item.profile == profile
        )
        for profile in PROFILES
        if any(item.profile == profile for item in ordered)
    }

    return Comparison(
        bank_version=bank.version,
        items=ordered,
        comparability=Comparability(len(common), len(anywhere)),
        themes=tuple(themes),
        recommendations=tuple(recommendations),
        questions=tuple(questions),
        commonly_missed=tuple(missed),
        trends=trends,
    )
