"""The dashboard's trend: the latest assessments of each profile, scored, in one query."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Row, func, select

from ..bank import AnswerValue, Bank
from ..extensions import db
from ..models import PROFILES, Answer, Assessment
from ..operations import to_answer_value
from ..trend import MAX_POINTS, Trend, TrendSource, build_trends, trend_points


def load_trends(bank: Bank, organisation_id: int, profile: str = "") -> tuple[Trend, ...]:
    """Return the trend of each profile (or only `profile`) with two or more assessments.

    One query: the latest MAX_POINTS assessments of each profile (a window function), joined
    with their answers; the scores are computed from those answers, not from stored totals.
    """
    order = (Assessment.updated_at.desc(), Assessment.id.desc())
    ranked = select(
        Assessment.id,
        Assessment.title,
        Assessment.profile,
        Assessment.target,
        Assessment.updated_at,
        func.row_number().over(partition_by=Assessment.profile, order_by=order).label("rank"),
    ).where(Assessment.organisation_id == organisation_id)
    if profile in PROFILES:
        ranked = ranked.where(Assessment.profile == profile)
    latest = ranked.subquery()
    rows = db.session.execute(
        select(
            latest.c.id,
            latest.c.title,
            latest.c.profile,
            latest.c.target,
            latest.c.updated_at,
            Answer.question_id,
            Answer.value,
        )
        .outerjoin(Answer, Answer.assessment_id == latest.c.id)
        .where(latest.c.rank <= MAX_POINTS)
    ).all()
    first: dict[int, Row] = {}
    values: dict[int, dict[str, AnswerValue]] = defaultdict(dict)
    for row in rows:
        first.setdefault(row.id, row)
        value = to_answer_value(row.value) if row.question_id else None
        if value is not None:
            values[row.id][row.question_id] = value
    by_profile: dict[str, list[TrendSource]] = defaultdict(list)
    for row in first.values():
        by_profile[row.profile].append(
            TrendSource(
                row.id, row.title, row.profile, float(row.target), row.updated_at, values[row.id]
            )
        )
    points = {prof: trend_points(bank, sources) for prof, sources in by_profile.items()}
    titles = {ident: row.title for ident, row in first.items()}
    return build_trends(bank, points, titles, "latest assessments")
