"""The comparison of two to six assessments: an HTML page and the same content as a PDF."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request

from ..access import current_bank, current_membership, role_required
from ..reports.context import score_text
from .load import (
    ComparisonView,
    IdsProblem,
    build_view,
    delta_text,
    load_assessments,
    parse_ids,
)
from .render import comparison_filename, comparison_pdf

bp = Blueprint("compare", __name__)


def _view() -> ComparisonView | tuple[str, int]:
    """The comparison asked for, or the 400 page saying what is wrong with `ids`."""
    try:
        ids = parse_ids(request.args.getlist("ids"))
    except IdsProblem as problem:
        return render_template("error.html", code=400, message=str(problem)), 400
    membership = current_membership()
    assessments = load_assessments(ids, membership.organisation_id)
    if assessments is None:
        abort(404)
    return build_view(current_bank(), assessments)


@bp.route("/compare")
@role_required("viewer")
def page():
    """Show the comparison of `?ids=1,2,...` (2 to 6 of the organisation's assessments)."""
    view = _view()
    if not isinstance(view, ComparisonView):
        return view
    return render_template(
        "compare/page.html", view=view, bank=current_bank(), score=score_text, delta=delta_text
    )


@bp.route("/compare.pdf")
@role_required("viewer")
def pdf():
    """Send the comparison as a PDF: strictest marking on every page, numbered pages."""
    view = _view()
    if not isinstance(view, ComparisonView):
        return view
    data = comparison_pdf(current_bank(), view, datetime.now(UTC))
    response = Response(data, mimetype="application/pdf")
    name = comparison_filename(view)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
