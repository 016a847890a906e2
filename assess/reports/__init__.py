"""The gap report: an HTML page, the same content as a PDF, and the scoring method page."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, render_template, send_file

from ..access import assessment_or_404, current_bank, role_required
from .render import PAGE_TEMPLATE, load_report, report_filename, report_html, report_pdf

bp = Blueprint("reports", __name__)


@bp.route("/assessments/<int:assessment_id>/report")
@role_required("viewer")
def report(assessment_id: int) -> str:
    """Show the gap report as an HTML page."""
    assessment = assessment_or_404(assessment_id)
    return report_html(load_report(current_bank(), assessment), PAGE_TEMPLATE)


@bp.route("/assessments/<int:assessment_id>/report.pdf")
@role_required("viewer")
def report_download(assessment_id: int) -> Response:
    """Send the gap report as a PDF attachment (served from the cache when unchanged)."""
    assessment = assessment_or_404(assessment_id)
    response = send_file(
        BytesIO(report_pdf(current_bank(), assessment)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=report_filename(assessment),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/scoring-method")
@role_required("viewer")
def scoring_method() -> str:
    """Explain how answers become scores, gaps and maturity bands."""
    return render_template("reports/method.html", bank_version=current_bank().version)
