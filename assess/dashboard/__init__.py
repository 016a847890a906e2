"""The dashboard: the organisation's assessments, copy and delete; and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from ..access import assessment_or_404, current_bank, current_membership, has_role, role_required
from ..extensions import db
from ..forms import ConfirmForm
from .actions import copy_assessment, delete_assessment, deletion_summary, remove_cached_pdfs
from .listing import dashboard_page
from .trend import load_trends

bp = Blueprint("dashboard", __name__)


@bp.route("/healthz")
def healthz():
    """Answer 200 when the app and its database respond (for load balancers)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/")
@role_required("viewer")
def index():
    """List the organisation's assessments, with the trend of each profile."""
    membership = current_membership()
    context = dashboard_page(membership.organisation_id)
    trends = load_trends(current_bank(), membership.organisation_id, context["profile"])
    return render_template(
        "dashboard.html",
        **context,
        trends=trends,
        confirm=ConfirmForm(),
        can_edit=has_role("editor"),
        is_owner=has_role("owner"),
    )


@bp.route("/assessments/<int:assessment_id>/copy", methods=["POST"])
@role_required("editor")
def copy(assessment_id: int):
    """Start a new draft from this assessment: its answers, notes and evidence copied."""
    source = assessment_or_404(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new = copy_assessment(current_bank(), source, current_user)
    db.session.commit()
    flash(f"New draft started from '{source.title}', with its answers, notes and evidence.", "info")
    return redirect(url_for("wizard.overview", assessment_id=new.id))


@bp.route("/assessments/<int:assessment_id>/delete", methods=["GET", "POST"])
@role_required("owner")
def delete(assessment_id: int):
    """GET: show what deleting the draft removes; POST (with CSRF): delete it."""
    assessment = assessment_or_404(assessment_id)
    if assessment.status != "draft":
        abort(409)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = assessment.title
        delete_assessment(assessment)
        db.session.commit()
        remove_cached_pdfs(current_app.config["PDF_CACHE_DIR"], assessment_id)
        flash(f"Deleted the draft '{title}'.", "info")
        return redirect(url_for("dashboard.index"))
    return render_template(
        "dashboard/delete.html",
        assessment=assessment,
        summary=deletion_summary(assessment),
        form=form,
    )
