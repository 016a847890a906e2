"""The dashboard: the organisation's assessments; and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from ..access import current_membership, role_required
from ..extensions import db
from .listing import dashboard_page

bp = Blueprint("dashboard", __name__)


@bp.route("/healthz")
def healthz():
    """Answer 200 when the app and its database respond (for load balancers)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/")
@role_required("viewer")
def index():
    """List the organisation's assessments."""
    membership = current_membership()
    return render_template("dashboard.html", **dashboard_page(membership.organisation_id))
