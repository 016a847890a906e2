"""Trends: the overall and theme scores of one profile's assessments over time.

Pure: no Flask, no database. Used by the dashboard (the organisation's latest assessments of
each profile) and by the comparison (the compared assessments of each profile).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from .bank import AnswerValue, Bank
from .charts import line_chart
from .compare import TrendPoint
from .scoring import AnswerSet, score

PROFILE_TITLES = {"state": "State", "operator": "Nuclear operator"}
MAX_POINTS = 12  # the dashboard shows the latest twelve assessments of each profile


@dataclass(frozen=True)
class TrendSource:
    """What scoring one assessment of a trend needs."""

    id: int
    title: str
    profile: str
    target: float
    updated_at: datetime
    values: Mapping[str, AnswerValue]


@dataclass(frozen=True)
class Trend:
    """One profile's trend: its points in time order and the chart drawing them."""

    profile: str
    title: str
    points: tuple[TrendPoint, ...]
    labels: tuple[str, ...]  # per point: the assessment's title
    chart: Markup


def trend_points(bank: Bank, sources: Sequence[TrendSource]) -> tuple[TrendPoint, ...]:
    """Score each source and return its trend point, oldest first (then by id)."""
    points = []
    for source in sorted(sources, key=lambda s: (s.updated_at, s.id)):
        card = score(bank, AnswerSet(source.profile, source.target, source.values))
        themes = {t.id: t.score for t in card.themes}
        points.append(TrendPoint(source.id, source.updated_at, card.overall, themes))
    return tuple(points)


def point_label(point: TrendPoint) -> str:
    """Return the x-axis label of a point: the date of its last change."""
    return point.updated_at.strftime("%Y-%m-%d")


def trend_chart(bank: Bank, points: Sequence[TrendPoint], title: str) -> Markup:
    """Return the line chart of overall and theme scores over these points (time order)."""
    series = {"overall": "Overall"}
    series.update({theme.id: theme.title for theme in bank.themes})
    data = [(point_label(p), {"overall": p.overall, **dict(p.themes)}) for p in points]
    return line_chart(data, series, title)


def build_trends(
    bank: Bank,
    points_by_profile: Mapping[str, Sequence[TrendPoint]],
    titles: Mapping[int, str],
    context: str,
) -> tuple[Trend, ...]:
    """Return a Trend for each profile with at least two points, in profile order.

    `titles` names each point's assessment; `context` ends the chart title ("latest
    assessments", "compared assessments").
    """
    trends = []
    for profile in PROFILE_TITLES:
        points = tuple(points_by_profile.get(profile, ()))
        if len(points) < 2:
            continue
        title = f"{PROFILE_TITLES[profile]} profile: scores over time, {context}"
        labels = tuple(titles.get(p.id, f"#{p.id}") for p in points)
        trends.append(Trend(profile, title, points, labels, trend_chart(bank, points, title)))
    return tuple(trends)
