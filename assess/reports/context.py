"""The gap report's data, built once and used by both the HTML page and the PDF.

No Flask here: it reads an assessment, its answers and the bank, scores them with the same
function as `assess score`, and returns frozen dataclasses that the templates only display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from ..bank import Bank, Question, Recommendation, Section
from ..charts import theme_bar_chart
from ..models import Answer, Assessment
from ..operations import scorecard_for, to_answer_value
from ..scoring import (
    NA,
    Gap,
    RecommendationScore,
    Scorecard,
    ThemeScore,
    display,
    question_score,
    valid_answer,
)

TOP_GAPS = 5
CHART_TITLE = "Theme scores against the target"

# AnswerLine.status values
ANSWERED = "answered"
UNANSWERED = "unanswered"
HIDDEN = "hidden"  # does not apply given the scoping answers


def score_text(value: float | None) -> str:
    """Return a score as the report prints it: rounded like `assess score` (56.25 -> "56.3"),
    without a trailing ".0"; "-" for None."""
    shown = display(value)
    if shown is None:
        return "-"
    return f"{shown:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class AnswerLine:
    """One question with its answer as a reader sees it."""

    question: Question
    status: str  # answered | unanswered | hidden
    answer: str  # option labels or the text given; "" when unanswered
    score: str  # the answer's score out of 100, "n/a" (not applicable) or "" (unscored)
    note: str
    evidence: str


@dataclass(frozen=True)
class RecommendationLine:
    """A recommendation, its score, and the answers behind it."""

    recommendation: Recommendation
    result: RecommendationScore
    answers: tuple[AnswerLine, ...]

    @property
    def unanswered(self) -> tuple[AnswerLine, ...]:
        """The applicable questions behind it that are not answered yet."""
        return tuple(a for a in self.answers if a.status == UNANSWERED)


@dataclass(frozen=True)
class GapLine:
    """One gap, ranked by severity, with what to do and the answers behind it."""

    rank: int
    gap: Gap
    recommendation: Recommendation
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class ThemeDetail:
    """One theme: its score, its recommendations, and each answer behind them once."""

    result: ThemeScore
    recommendations: tuple[RecommendationLine, ...]
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class SectionAnswers:
    """The answers to one section of the questionnaire, for the annex."""

    section: Section
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class GapReport:
    """Everything the gap report shows."""

    assessment_id: int
    title: str
    organisation: str
    profile: str
    status: str  # draft | final
    classification: str
    target: float
    bank_version: str  # the bank scored against
    answered_with: str  # the bank version the assessment was answered with
    created_at: datetime | None
    updated_at: datetime | None
    revision: int
    card: Scorecard
    chart: Markup
    gaps: tuple[GapLine, ...]
    themes: tuple[ThemeDetail, ...]
    not_assessed: tuple[RecommendationLine, ...]
    out_of_scope: tuple[Recommendation, ...]
    annex: tuple[SectionAnswers, ...]

    @property
    def top_gaps(self) -> tuple[GapLine, ...]:
        """The most severe gaps, at most five."""
        return self.gaps[:TOP_GAPS]

    @property
    def draft(self) -> bool:
        """Whether the assessment is still a draft."""
        return self.status != "final"

    @property
    def scored_in_themes(self) -> frozenset[str]:
        """Ids of the questions whose notes and evidence the theme detail already shows."""
        return frozenset(a.question.id for t in self.themes for a in t.answers)


def _answer_line(question: Question, answer: Answer | None, applicable: bool) -> AnswerLine:
    raw = to_answer_value(answer.value) if answer is not None else None
    value = valid_answer(question, raw) if raw is not None else None
    status = HIDDEN if not applicable else ANSWERED if value is not None else UNANSWERED
    qscore = question_score(question, value) if value is not None and applicable else None
    if qscore is NA:
        shown = "n/a"
    elif isinstance(qscore, float):
        shown = score_text(100 * qscore)
    else:
        shown = ""
    return AnswerLine(
        question=question,
        status=status,
        answer=question.label_of(value) if value is not None else "",
        score=shown,
        note=(answer.note or "") if answer is not None else "",
        evidence=(answer.evidence or "") if answer is not None else "",
    )


def build_report(
    bank: Bank, assessment: Assessment, answers: Mapping[str, Answer], organisation: str
) -> GapReport:
    """Return the gap report of the assessment: scores, gaps, detail by theme and annex."""
    card = scorecard_for(bank, assessment, answers.values())
    lines = {
        q.id: _answer_line(q, answers.get(q.id), q.id in card.applicable)
        for q in bank.questions_for(assessment.profile)
    }

    def line_of(question_id: str) -> AnswerLine:
        if question_id not in lines:  # scored though not asked of the profile: show it anyway
            question = bank.question(question_id)
            if question is None:
                raise LookupError(f"no question {question_id} in bank {bank.version}")
            lines[question_id] = _answer_line(question, answers.get(question_id), True)
        return lines[question_id]

    rec_lines = {
        r.id: RecommendationLine(
            bank.recommendation(r.id), r, tuple(line_of(c.question) for c in r.contributions)
        )
        for r in card.recommendations
    }
    gaps = []
    for rank, gap in enumerate(card.gaps, start=1):
        behind = rec_lines[gap.recommendation]
        gaps.append(GapLine(rank, gap, behind.recommendation, behind.answers))
    themes = []
    for theme in card.themes:
        recs = tuple(rec_lines[rid] for rid in theme.recommendations)
        seen = {a.question.id for r in recs for a in r.answers}
        answers_once = tuple(line for qid, line in lines.items() if qid in seen)
        themes.append(ThemeDetail(theme, recs, answers_once))
    chart = theme_bar_chart([(t.title, t.score) for t in card.themes], card.target, CHART_TITLE)
    return GapReport(
        assessment_id=assessment.id,
        title=assessment.title,
        organisation=organisation,
        profile=assessment.profile,
        status=assessment.status,
        classification=assessment.classification or "",
        target=card.target,
        bank_version=bank.version,
        answered_with=assessment.bank_version,
        created_at=assessment.created_at,
        updated_at=assessment.updated_at,
        revision=assessment.revision or 0,
        card=card,
        chart=chart,
        gaps=tuple(gaps),
        themes=tuple(themes),
        not_assessed=tuple(rec_lines[rid] for rid in card.not_assessed),
        out_of_scope=tuple(bank.recommendation(rid) for rid in card.out_of_scope),
        annex=tuple(
            SectionAnswers(s, tuple(line_of(q.id) for q in s.questions_for(assessment.profile)))
            for s in bank.sections_for(assessment.profile)
        ),
    )
