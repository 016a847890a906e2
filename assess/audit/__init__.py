"""Audit trails: answer changes per assessment, logins and membership changes per organisation."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..access import assessment_or_404, current_bank, current_membership, role_required
from ..extensions import db
from ..models import AnswerChange, AuditEvent, Membership, User

bp = Blueprint("audit", __name__)


def _page(query, count_query):
    size = current_app.config["PAGE_SIZE"]
    total = db.session.scalar(count_query) or 0
    pages = max(1, -(-total // size))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    rows = db.session.scalars(query.limit(size).offset((page - 1) * size)).all()
    return rows, page, pages, total


@bp.route("/assessments/<int:assessment_id>/history")
@role_required("viewer")
def history(assessment_id: int):
    """Every change of an answer, newest first: who, when, old and new."""
    assessment = assessment_or_404(assessment_id)
    where = AnswerChange.assessment_id == assessment.id
    rows, page, pages, total = _page(
        select(AnswerChange)
        .options(joinedload(AnswerChange.user))
        .where(where)
        .order_by(AnswerChange.id.desc()),
        select(func.count(AnswerChange.id)).where(where),
    )
    return render_template(
        "audit/history.html",
        assessment=assessment,
        changes=rows,
        page=page,
        pages=pages,
        total=total,
        bank=current_bank(),
    )


@bp.route("/organisation/log")
@role_required("owner")
def organisation_log():
    """Logins, failed logins and membership changes of the organisation's people."""
    organisation_id = current_membership().organisation_id
    members = select(Membership.user_id).where(Membership.organisation_id == organisation_id)
    emails = select(User.email).where(User.id.in_(members))
    where = or_(
        AuditEvent.organisation_id == organisation_id,
        AuditEvent.user_id.in_(members),
        (AuditEvent.kind == "login_failed") & AuditEvent.detail.in_(emails),
    )
    rows, page, pages, total = _page(
        select(AuditEvent).where(where).order_by(AuditEvent.id.desc()),
        select(func.count(AuditEvent.id)).where(where),
    )
    users = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(members))).all())
    return render_template(
        "audit/organisation_log.html", events=rows, users=users, page=page, pages=pages, total=total
    )
