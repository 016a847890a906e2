"""The dashboard's query: one page of assessments, filtered, sorted, counted."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import PROFILES, STATUSES, Assessment

SORTS = {
    "updated": Assessment.updated_at,
    "title": Assessment.title,
    "score": Assessment.overall_score,
    "coverage": Assessment.coverage,
    "status": Assessment.status,
    "profile": Assessment.profile,
}


def _page_rows(query: Select, order: Any, page: int, size: int) -> list[Assessment]:
    """The page's rows, with who changed them last, in one query."""
    return list(
        db.session.scalars(
            query.options(joinedload(Assessment.updated_by))
            .order_by(*order)
            .limit(size)
            .offset((page - 1) * size)
        )
    )


def _order(sort: str, direction: str) -> tuple[Any, ...]:
    column = SORTS[sort]
    ordered = column.asc() if direction == "asc" else column.desc()
    tie = Assessment.id.asc() if direction == "asc" else Assessment.id.desc()
    # Only nullable columns need NULLS LAST; leaving it off the others lets the database walk
    # the (organisation_id, column, id) index and stop after one page.
    nullable = column.property.columns[0].nullable
    return (ordered.nulls_last() if nullable else ordered, tie)


def dashboard_page(organisation_id: int) -> dict[str, Any]:
    """Return the template context for one page of the dashboard: two queries, a count
    and the page's rows, both served by indexes, whatever the number of assessments."""
    args = request.args
    sort = args.get("sort", "updated")
    if sort not in SORTS:
        sort = "updated"
    direction = "asc" if args.get("dir") == "asc" else "desc"
    profile = args.get("profile", "")
    status = args.get("status", "")
    search = args.get("q", "").strip()[:200]
    page = max(1, args.get("page", 1, type=int) or 1)
    size = current_app.config["PAGE_SIZE"]

    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    if profile in PROFILES:
        query = query.where(Assessment.profile == profile)
    if status in STATUSES:
        query = query.where(Assessment.status == status)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Assessment.title.ilike(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(query.with_only_columns(func.count(Assessment.id))) or 0
    pages = max(1, -(-total // size))
    page = min(page, pages)
    rows = _page_rows(query, _order(sort, direction), page, size)
    return {
        "assessments": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "sort": sort,
        "direction": direction,
        "profile": profile if profile in PROFILES else "",
        "status": status if status in STATUSES else "",
        "search": search,
    }
