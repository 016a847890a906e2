"""The dashboard's query: one page of assessments, filtered, sorted, counted."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Assessment

SORTS = {
    "updated": Assessment.updated_at,
    "title": Assessment.title,
    "score": Assessment.overall_score,
    "coverage": Assessment.coverage,
    "status": Assessment.status,
    "profile": Assessment.profile,
}


def dashboard_page(organisation_id: int) -> dict[str, Any]:
    """Return the template context for one page of the dashboard (three queries at most)."""
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
    if profile in ("state", "operator"):
        query = query.where(Assessment.profile == profile)
    if status in ("draft", "final"):
        query = query.where(Assessment.status == status)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Assessment.title.ilike(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // size))
    page = min(page, pages)
    column = SORTS[sort]
    order = column.asc() if direction == "asc" else column.desc()
    rows = db.session.scalars(
        query.options(joinedload(Assessment.updated_by))
        .order_by(order, Assessment.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return {
        "assessments": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "sort": sort,
        "direction": direction,
        "profile": profile,
        "status": status,
        "search": search,
    }
