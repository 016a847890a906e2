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


def _page_rows(query: Select, order: Any, page: int, size: int) -> tuple[list[Assessment], int]:
    """One query: the page's rows (with who changed them last) and the total, counted by a
    window function over the filtered rows."""
    rows = db.session.execute(
        query.add_columns(func.count().over().label("total"))
        .options(joinedload(Assessment.updated_by))
        .order_by(order, Assessment.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return [row[0] for row in rows], (rows[0].total if rows else 0)


def dashboard_page(organisation_id: int) -> dict[str, Any]:
    """Return the template context for one page of the dashboard.

    One query in the usual case; two more only for a page past the end (then the last page
    is shown).
    """
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
    column = SORTS[sort]
    order = (column.asc() if direction == "asc" else column.desc()).nulls_last()
    rows, total = _page_rows(query, order, page, size)
    if not rows and page > 1:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = max(1, -(-total // size))
        rows, total = _page_rows(query, order, page, size)
    return {
        "assessments": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // size)),
        "sort": sort,
        "direction": direction,
        "profile": profile if profile in PROFILES else "",
        "status": status if status in STATUSES else "",
        "search": search,
    }
