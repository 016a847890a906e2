"""The dashboard's trend: the latest assessments of each profile, scored.

The latest MAX_POINTS of each profile come from one query that walks the
(organisation, profile, updated_at) index. Scoring them and drawing the chart is kept in
a small per-process cache keyed by those rows' ids and revisions, so the answers are only
loaded and scored again after something changed.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from threading import Lock

from sqlalchemy import select, union_all

from ..bank import AnswerValue, Bank
from ..extensions import db
from ..models import PROFILES, Answer, Assessment
from ..operations import to_answer_value
from ..trend import MAX_POINTS, Trend, TrendSource, build_trends, trend_points

_cache: OrderedDict[tuple, tuple[Trend, ...]] = OrderedDict()
_lock = Lock()
CACHE_SIZE = 128


def _latest(organisation_id: int, profiles: tuple[str, ...]):
    parts = [
        select(
            Assessment.id,
            Assessment.title,
            Assessment.profile,
            Assessment.target,
            Assessment.updated_at,
            Assessment.created_at,
            Assessment.revision,
        )
        .where(Assessment.organisation_id == organisation_id, Assessment.profile == profile)
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
        .limit(MAX_POINTS)
        .subquery()
        .select()
        for profile in profiles
    ]
    return db.session.execute(union_all(*parts)).all()


def _answers(ids: list[int]) -> dict[int, dict[str, AnswerValue]]:
    values: dict[int, dict[str, AnswerValue]] = defaultdict(dict)
    rows = db.session.execute(
        select(Answer.assessment_id, Answer.question_id, Answer.value).where(
            Answer.assessment_id.in_(ids)
        )
    )
    for assessment_id, question_id, raw in rows:
        value = to_answer_value(raw)
        if value is not None:
            values[assessment_id][question_id] = value
    return values


def load_trends(bank: Bank, organisation_id: int, profile: str = "") -> tuple[Trend, ...]:
    """Return the trend of each profile (or only `profile`) with two or more assessments."""
    profiles = (profile,) if profile in PROFILES else PROFILES
    rows = _latest(organisation_id, profiles)
    key = (id(bank), organisation_id, tuple(sorted(tuple(row) for row in rows)))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.profile] += 1
    wanted = [row for row in rows if counts[row.profile] >= 2]
    values = _answers([row.id for row in wanted]) if wanted else {}
    by_profile: dict[str, list[TrendSource]] = defaultdict(list)
    for row in wanted:
        by_profile[row.profile].append(
            TrendSource(
                row.id, row.title, row.profile, float(row.target), row.updated_at, values[row.id]
            )
        )
    points = {prof: trend_points(bank, sources) for prof, sources in by_profile.items()}
    trends = build_trends(bank, points, {row.id: row.title for row in wanted}, "latest assessments")
    with _lock:
        _cache[key] = trends
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return trends
