"""Score an assessment's answers against the recommendation set.

Implements DESIGN.md, section "Scoring". Pure: no Flask, no database, no I/O.

- A question's answer scores s in [0, 1], or is "not applicable" (`NA`: excluded).
  A `multi` answer scores the sum of the chosen options' scores over the sum of all its
  options' scores; choosing only na options makes it `NA`; an na option chosen together
  with scored ones is ignored. text, number and date questions are never scored, nor is
  a question whose options are all na (a scoping question).
- A value that is not a valid answer of its question (not one of its options, wrong
  shape, blank) counts as unanswered everywhere, including in `show_if` conditions.
- Only applicable questions count (`applicable_questions`): an answer to a hidden
  question is kept by the caller, listed in `hidden_answered`, never scored.
- Recommendation score = 100 * sum(w * s) / sum(w) over its applicable, answered, scored
  supporting questions; None when none. Theme score = mean of its recommendations'
  scores (those not None); overall = mean of the theme scores (those not None).
- Coverage = answered / applicable questions, every type counted, an na answer answered.
- Gap: a scored recommendation below the target; severity = (target - score) x priority
  factor; gaps sorted by severity descending, then id.

Scores are kept as floats; `Scorecard.to_json()` rounds them (1 decimal) for display.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from .bank import PRIORITY_FACTOR, PROFILES, AnswerValue, Bank, Question, applicable_questions

DEFAULT_TARGET = 75.0
BANDS: tuple[tuple[float, str], ...] = (
    (80.0, "Advanced"),
    (60.0, "Established"),
    (40.0, "Developing"),
    (20.0, "Initial"),
    (0.0, "Not started"),
)
NOT_ASSESSED = "Not assessed"

# RecommendationScore.status values
SCORED = "scored"
STATUS_NOT_ASSESSED = "not_assessed"
OUT_OF_SCOPE = "out_of_scope"


class NotApplicable(Enum):
    """The score of an answer meaning "not applicable": excluded from every score."""

    NA = "na"

    def __repr__(self) -> str:
        return "NA"


NA = NotApplicable.NA
QuestionScore = float | NotApplicable | None  # None: unanswered, invalid, or unscored type


@dataclass(frozen=True)
class AnswerSet:
    """What scoring needs from an assessment: profile, target and the answers."""

    profile: str  # "state" | "operator"
    target: float = DEFAULT_TARGET
    values: Mapping[str, AnswerValue] = field(default_factory=dict)  # absent = unanswered

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}")
        if not 0 <= self.target <= 100:  # also rejects NaN
            raise ValueError(f"target {self.target!r} is outside [0, 100]")


@dataclass(frozen=True)
class Contribution:
    """One applicable scored question behind a recommendation score."""

    question: str
    weight: float
    value: AnswerValue | None  # the (normalised) answer, None when unanswered
    score: float | NotApplicable | None  # s in [0, 1], NA, or None when unanswered

    @property
    def answered(self) -> bool:
        """Whether the question has a valid answer (an na answer counts)."""
        return self.value is not None

    @property
    def counts(self) -> bool:
        """Whether this contribution enters the weighted mean."""
        return isinstance(self.score, float)


@dataclass(frozen=True)
class RecommendationScore:
    """The score of one recommendation and the questions behind it."""

    id: str
    title: str
    theme: str
    priority: str
    score: float | None  # in [0, 100]; None when no scored answer
    status: str  # "scored" | "not_assessed" | "out_of_scope"
    contributions: tuple[Contribution, ...]  # applicable scored questions, in bank order

    @property
    def answered(self) -> int:
        """How many of its applicable scored questions are answered (na included)."""
        return sum(1 for c in self.contributions if c.answered)

    @property
    def applicable(self) -> int:
        """How many scored questions supporting it apply."""
        return len(self.contributions)

    @property
    def band(self) -> str:
        """The maturity band of the score."""
        return maturity_band(self.score)


@dataclass(frozen=True)
class ThemeScore:
    """The score of one theme: the mean of its recommendations' scores."""

    id: str
    title: str
    score: float | None
    recommendations: tuple[str, ...]  # ids of the theme's recommendations, bank order

    @property
    def band(self) -> str:
        """The maturity band of the score."""
        return maturity_band(self.score)


@dataclass(frozen=True)
class Gap:
    """A recommendation scoring below the target."""

    recommendation: str
    title: str
    score: float
    target: float
    severity: float  # (target - score) x priority factor
    priority: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """Answered / applicable questions (all types; an na answer counts as answered)."""

    answered: int
    applicable: int

    @property
    def ratio(self) -> float:
        """answered / applicable, 0.0 when nothing applies."""
        return self.answered / self.applicable if self.applicable else 0.0


@dataclass(frozen=True)
class Scorecard:
    """The result of `score`: every score, the gaps, and what was left out."""

    bank_version: str
    profile: str
    target: float
    overall: float | None
    coverage: Coverage
    themes: tuple[ThemeScore, ...]  # every theme, bank order
    recommendations: tuple[RecommendationScore, ...]  # every recommendation, bank order
    gaps: tuple[Gap, ...]  # by severity descending, then id
    not_assessed: tuple[str, ...]  # nothing answered, something applicable to answer
    out_of_scope: tuple[str, ...]  # nothing applicable, or every answer na
    hidden_answered: tuple[str, ...]  # valid answers to questions that do not apply
    unknown_answered: tuple[str, ...] = ()  # answers to ids not in this bank, sorted
    applicable: frozenset[str] = frozenset()  # ids of the applicable questions

    @property
    def band(self) -> str:
        """The maturity band of the overall score."""
        return maturity_band(self.overall)

    def recommendation(self, recommendation_id: str) -> RecommendationScore:
        """Return the score of this recommendation (KeyError if unknown)."""
        for item in self.recommendations:
            if item.id == recommendation_id:
                return item
        raise KeyError(recommendation_id)

    def theme(self, theme_id: str) -> ThemeScore:
        """Return the score of this theme (KeyError if unknown)."""
        for item in self.themes:
            if item.id == theme_id:
                return item
        raise KeyError(theme_id)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict, scores and severities rounded to 1 decimal::

            {"bank_version", "profile", "target", "overall": {"score", "band"},
             "coverage": {"answered", "applicable", "ratio"},
             "themes": [{"id", "title", "score", "band"}],
             "recommendations": [{"id", "title", "theme", "priority", "score", "band",
                                  "answered", "applicable"}],
             "gaps": [{"recommendation", "title", "score", "target", "severity",
                       "priority", "actions": [str]}],
             "not_assessed": [ids], "out_of_scope": [ids], "hidden_answered": [ids],
             "unknown_answered": [ids]}

        A score is null when not scored (band "Not assessed").
        """
        return {
            "bank_version": self.bank_version,
            "profile": self.profile,
            "target": display(self.target),
            "overall": {"score": display(self.overall), "band": self.band},
            "coverage": {
                "answered": self.coverage.answered,
                "applicable": self.coverage.applicable,
                "ratio": display(self.coverage.ratio, 3),
            },
            "themes": [
                {"id": t.id, "title": t.title, "score": display(t.score), "band": t.band}
                for t in self.themes
            ],
            "recommendations": [
                {
                    "id": r.id,
                    "title": r.title,
                    "theme": r.theme,
                    "priority": r.priority,
                    "score": display(r.score),
                    "band": r.band,
                    "answered": r.answered,
                    "applicable": r.applicable,
                }
                for r in self.recommendations
            ],
            "gaps": [
                {
                    "recommendation": g.recommendation,
                    "title": g.title,
                    "score": display(g.score),
                    "target": display(g.target),
                    "severity": display(g.severity),
                    "priority": g.priority,
                    "actions": list(g.actions),
                }
                for g in self.gaps
            ],
            "not_assessed": list(self.not_assessed),
            "out_of_scope": list(self.out_of_scope),
            "hidden_answered": list(self.hidden_answered),
            "unknown_answered": list(self.unknown_answered),
        }


def display(value: float | None, places: int = 1) -> float | None:
    """Round a score for display, half up on the shortest decimal form (56.25 -> 56.3,
    not Python's 56.2); None stays None."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def maturity_band(score: float | None) -> str:
    """Return the maturity band of a score in [0, 100] ("Not assessed" for None).

    Bands by the unrounded score: below 20 Not started, below 40 Initial, below 60
    Developing, below 80 Established, 80 and above Advanced.
    """
    if score is None:
        return NOT_ASSESSED
    if not 0 <= score <= 100:
        raise ValueError(f"score {score!r} is outside [0, 100]")
    return next(name for floor, name in BANDS if score >= floor)


def valid_answer(question: Question, value: object) -> AnswerValue | None:
    """Return the answer normalised, or None when it is not a valid answer.

    Option questions: the value must be one of the options (multi: a non-empty tuple of
    options, returned deduplicated in option order). text, number, date: a non-blank str.
    """
    if question.type == "multi":
        if not isinstance(value, tuple) or not value:
            return None
        chosen = set(value)
        if any(not isinstance(v, str) or question.option(v) is None for v in chosen):
            return None
        return tuple(o.value for o in question.options if o.value in chosen)
    if not isinstance(value, str) or not value.strip():
        return None
    if question.options and question.option(value) is None:
        return None
    return value


def clean_answers(bank: Bank, values: Mapping[str, object]) -> dict[str, AnswerValue]:
    """Return the valid answers to questions of the bank, normalised (see valid_answer)."""
    cleaned: dict[str, AnswerValue] = {}
    for question_id, value in values.items():
        question = bank.question(question_id)
        if question is None:
            continue
        normal = valid_answer(question, value)
        if normal is not None:
            cleaned[question_id] = normal
    return cleaned


def effective_answers(bank: Bank, answers: AnswerSet) -> dict[str, AnswerValue]:
    """Return the answers that count: valid, normalised, to applicable questions only."""
    cleaned = clean_answers(bank, answers.values)
    applicable = applicable_questions(bank, answers.profile, cleaned)
    return {qid: value for qid, value in cleaned.items() if qid in applicable}


def is_scored(question: Question) -> bool:
    """Whether answers to the question can score: a scored type with an option that is not
    na. A choice whose options are all na (a scoping question) is unscored."""
    return question.scored and any(o.score is not None for o in question.options)


def question_score(question: Question, value: object) -> QuestionScore:
    """Return the score of one answer: s in [0, 1], NA, or None.

    None when the question is unscored (text, number, date, or every option na) or the
    value is not a valid answer (unanswered). Applicability (profile, show_if) is not
    checked here.
    """
    if not is_scored(question):
        return None
    normal = valid_answer(question, value)
    if normal is None:
        return None
    if isinstance(normal, tuple):
        chosen = set(normal)
        if all(o.na for o in question.options if o.value in chosen):
            return NA
        total = math.fsum(o.score for o in question.options if o.score)
        if total <= 0:
            return NA
        got = math.fsum(o.score for o in question.options if o.score and o.value in chosen)
        return min(1.0, got / total)
    option = question.option(normal)
    if option is None:  # valid_answer() only returns values that are options
        raise LookupError(f"{normal!r} is not an option of {question.id}")
    return NA if option.score is None else option.score


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def _weighted(contributions: Iterable[Contribution]) -> float | None:
    terms = [(c.weight, c.score) for c in contributions if isinstance(c.score, float)]
    if not terms:
        return None
    value = 100 * math.fsum(w * s for w, s in terms) / math.fsum(w for w, _ in terms)
    return min(100.0, max(0.0, value))


def score(bank: Bank, answers: AnswerSet) -> Scorecard:
    """Score the answers against the bank's recommendations; see the module docstring."""
    cleaned = clean_answers(bank, answers.values)
    applicable = applicable_questions(bank, answers.profile, cleaned)
    questions = bank.questions

    contributions: dict[str, list[Contribution]] = {r.id: [] for r in bank.recommendations}
    for question in questions:
        if question.id not in applicable or not is_scored(question):
            continue
        value = cleaned.get(question.id)
        qscore = question_score(question, value) if value is not None else None
        for support in question.supports:
            contributions.setdefault(support.recommendation, []).append(
                Contribution(question.id, support.weight, value, qscore)
            )

    recommendations: list[RecommendationScore] = []
    for rec in bank.recommendations:
        own = tuple(contributions[rec.id])
        weighted = _weighted(own)
        if weighted is not None:
            status = SCORED
        elif any(not c.answered for c in own):
            status = STATUS_NOT_ASSESSED
        else:
            status = OUT_OF_SCOPE
        recommendations.append(
            RecommendationScore(rec.id, rec.title, rec.theme, rec.priority, weighted, status, own)
        )

    themes = tuple(
        ThemeScore(
            theme.id,
            theme.title,
            _mean(r.score for r in recommendations if r.theme == theme.id),
            tuple(r.id for r in recommendations if r.theme == theme.id),
        )
        for theme in bank.themes
    )

    gaps = sorted(
        (
            Gap(
                r.id,
                r.title,
                r.score,
                answers.target,
                (answers.target - r.score) * PRIORITY_FACTOR[r.priority],
                r.priority,
                bank.recommendation(r.id).actions,
            )
            for r in recommendations
            if r.score is not None and r.score < answers.target
        ),
        key=lambda gap: (-gap.severity, gap.recommendation),
    )

    return Scorecard(
        bank_version=bank.version,
        profile=answers.profile,
        target=answers.target,
        overall=_mean(t.score for t in themes),
        coverage=Coverage(sum(1 for qid in applicable if qid in cleaned), len(applicable)),
        themes=themes,
        recommendations=tuple(recommendations),
        gaps=tuple(gaps),
        not_assessed=tuple(r.id for r in recommendations if r.status == STATUS_NOT_ASSESSED),
        out_of_scope=tuple(r.id for r in recommendations if r.status == OUT_OF_SCOPE),
        hidden_answered=tuple(
            q.id for q in questions if q.id in cleaned and q.id not in applicable
        ),
        unknown_answered=tuple(sorted(k for k in answers.values if bank.question(k) is None)),
        applicable=applicable,
    )
