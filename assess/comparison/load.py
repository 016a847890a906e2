"""Load the assessments to compare, compare them, and prepare what the page and PDF show."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..bank import Bank
from ..charts import grouped_bar_chart
from ..compare import MAX_ITEMS, MIN_ITEMS, Compared, Comparison, RecommendationRow, compare
from ..extensions import db
from ..marking import strictest_marking
from ..models import Answer, Assessment
from ..operations import answer_values
from ..scoring import AnswerSet, display, score
from ..trend import Trend, build_trends

ID = re.compile(r"[0-9]{1,12}")
BAR_TITLE = "Theme scores of the compared assessments"


class IdsProblem(ValueError):
    """The `ids` asked for are malformed or not 2 to 6; the message says what to do."""


@dataclass(frozen=True)
class ComparisonView:
    """Everything the comparison page, PDF and JSON show."""

    comparison: Comparison
    marking: str  # the strictest marking of the compared assessments (assess.marking)
    names: tuple[str, ...]  # per item: the name used in tables and the chart legend
    organisations: tuple[str, ...]  # per item
    statuses: tuple[str, ...]  # per item: draft | final
    missed: tuple[RecommendationRow, ...]  # the commonly missed, most severe first
    bar_chart: Markup
    trends: tuple[Trend, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        """The compared ids, oldest first."""
        return tuple(item.id for item in self.comparison.items)

    @property
    def overall_deltas(self) -> tuple[float | None, ...]:
        """Each item's overall score minus the first one's (None when either is unscored)."""
        first = self.comparison.baseline.scorecard.overall
        return tuple(
            None if first is None or s is None else s - first for s in self.comparison.overall
        )

    def to_json(self) -> dict[str, Any]:
        """Return the comparison's JSON (see Comparison.to_json) with the marking added."""
        return {"marking": self.marking, **self.comparison.to_json()}


def delta_text(delta: float | None) -> str:
    """Return a change of score as printed: "+5.2", "-3", "0"; "-" (a dash) when unknown."""
    shown = display(delta)
    if shown is None:
        return "\u2013"
    if shown == 0:
        return "0"
    return f"{shown:+.1f}".removesuffix(".0").replace("-", "\u2212")


def parse_ids(values: Sequence[str]) -> list[int]:
    """Return the ids from `?ids=1,2` (or repeated `ids=`); raise IdsProblem when malformed,
    repeated, or not 2 to 6."""
    parts = [part.strip() for value in values for part in value.split(",")]
    parts = [part for part in parts if part]
    wanted = f"Choose {MIN_ITEMS} to {MAX_ITEMS} assessments to compare"
    if not parts:
        raise IdsProblem(f"{wanted}, for example /compare?ids=1,2. None was given.")
    for part in parts:
        if not ID.fullmatch(part):
            shown = part if len(part) <= 40 else part[:40] + "..."
            raise IdsProblem(
                f"'{shown}' is not an assessment id: give numbers separated by commas, "
                "for example /compare?ids=1,2."
            )
    ids = [int(part) for part in parts]
    repeated = next((i for i in ids if ids.count(i) > 1), None)
    if repeated is not None:
        raise IdsProblem(f"Assessment {repeated} is listed twice: {wanted}, each once.")
    if not MIN_ITEMS <= len(ids) <= MAX_ITEMS:
        raise IdsProblem(f"{wanted}; {len(ids)} {'was' if len(ids) == 1 else 'were'} given.")
    return ids


def load_assessments(ids: Sequence[int], organisation_id: int | None) -> list[Assessment] | None:
    """Return the assessments (of the organisation, unless None), or None if any is missing."""
    query = (
        select(Assessment)
        .options(joinedload(Assessment.organisation))
        .where(Assessment.id.in_(ids))
    )
    if organisation_id is not None:
        query = query.where(Assessment.organisation_id == organisation_id)
    found = db.session.scalars(query).all()
    return list(found) if len(found) == len(set(ids)) else None


def _names(assessments: Sequence[Assessment]) -> tuple[str, ...]:
    titles = [a.title for a in assessments]
    return tuple(
        t if titles.count(t) == 1 else f"{t} (#{a.id})"
        for t, a in zip(titles, assessments, strict=True)
    )


def build_view(bank: Bank, assessments: Sequence[Assessment]) -> ComparisonView:
    """Score and compare the assessments (their answers read in one query)."""
    by_id = {a.id: a for a in assessments}
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in db.session.scalars(select(Answer).where(Answer.assessment_id.in_(by_id))):
        answers[answer.assessment_id].append(answer)
    items = []
    for a in assessments:
        values = AnswerSet(a.profile, float(a.target), answer_values(answers[a.id]))
        items.append(
            Compared(
                a.id,
                a.title,
                a.profile,
                a.bank_version,
                a.updated_at,
                a.classification,
                values,
                score(bank, values),
            )
        )
    comparison = compare(bank, items)
    ordered = [by_id[item.id] for item in comparison.items]
    names = _names(ordered)
    targets = {item.answers.target for item in comparison.items}
    # The legend shortens long names: the date first keeps them apart.
    legend = [f"{a.updated_at:%Y-%m-%d} {name}" for a, name in zip(ordered, names, strict=True)]
    per_item = list(zip(*(row.scores for row in comparison.themes), strict=True))
    bar_chart = grouped_bar_chart(
        [row.title for row in comparison.themes],
        list(zip(legend, per_item, strict=True)),
        BAR_TITLE,
        target=targets.pop() if len(targets) == 1 else None,
    )
    rows = {row.id: row for row in comparison.recommendations}
    titles = {a.id: name for a, name in zip(ordered, names, strict=True)}
    trends = build_trends(bank, comparison.trends, titles, "compared assessments")
    return ComparisonView(
        comparison=comparison,
        marking=strictest_marking(a.classification for a in ordered),
        names=names,
        organisations=tuple(a.organisation.name if a.organisation else "" for a in ordered),
        statuses=tuple(a.status for a in ordered),
        missed=tuple(rows[rid] for rid in comparison.commonly_missed if rid in rows),
        bar_chart=bar_chart,
        trends=trends,
    )
