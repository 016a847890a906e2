"""Reporting: answer once, report many. The crosswalk page, the matrix, CSV and PDF exports."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from ..access import assessment_or_404, current_bank, editable_or_403, has_role, role_required
from ..crosswalk import InstrumentReport
from ..extensions import db
from ..models import Assessment
from .entries import (
    ReportingData,
    build_entries_form,
    digest,
    field_names,
    fill_entries_form,
    load_reporting,
    save_entries,
    summary_for,
    text_rows,
)
from .exports import export_filename, reporting_csv, reporting_pdf

bp = Blueprint("reporting", __name__, url_prefix="/assessments")


def reporting_summary(
    assessment: Assessment, values: Mapping[str, object] | None = None
) -> tuple[InstrumentReport, ...]:
    """Return each instrument's report for the overview (its `.coverage` is the summary).

    Pass the assessment's answer values if already loaded; else they are read here.
    """
    return summary_for(current_bank(), assessment, values)


@bp.route("/<int:assessment_id>/reporting", methods=["GET", "POST"])
@role_required("viewer")
def index(assessment_id: int):
    """Show every instrument's items with status, answers and entry; POST saves one
    instrument's entries (`?instrument=ID`)."""
    assessment = assessment_or_404(assessment_id)
    data = load_reporting(current_bank(), assessment)
    can_edit = has_role("editor") and assessment.status == "draft"
    forms = {}
    conflicts: dict[str, str] = {}
    if request.method == "POST":
        editable_or_403(assessment)
        report = data.crosswalk.instrument(request.args.get("instrument", ""))
        if report is None:
            abort(404)
        form = build_entries_form(report)(prefix=report.instrument.id)
        if not form.validate_on_submit():
            flash("Some entries need correcting. Nothing was saved yet.", "error")
            forms[report.instrument.id] = form
        else:
            result = save_entries(assessment, report, form, data, current_user)
            db.session.commit()
            if not result.conflicts:
                flash(_saved_message(report, len(result.changed)), "info")
                return redirect(_anchor(assessment, report))
            data = load_reporting(current_bank(), assessment)
            forms[report.instrument.id] = _conflict_form(report, form, data, result.conflicts)
            conflicts = {
                f"{report.instrument.id}/{i}": data.entry(report.item(i)).text
                for i in result.conflicts
            }
            flash(
                "Someone else changed some entries after you opened this page. Your other "
                "entries are saved; your text for those is shown below: save again to keep it.",
                "warning",
            )
    if can_edit:
        for report in data.crosswalk.instruments:
            if report.instrument.id not in forms:
                form = build_entries_form(report)(prefix=report.instrument.id, formdata=None)
                fill_entries_form(form, data, report)
                forms[report.instrument.id] = form
    return render_template(
        "reporting/index.html",
        assessment=assessment,
        data=data,
        forms=forms,
        conflicts=conflicts,
        can_edit=can_edit,
        field_names=field_names,
        text_rows=text_rows,
    )


def _saved_message(report: InstrumentReport, changed: int) -> str:
    if not changed:
        return f"{report.instrument.title}: nothing had changed."
    return f"{report.instrument.title}: {changed} entr{'y' if changed == 1 else 'ies'} saved."


def _anchor(assessment: Assessment, report: InstrumentReport) -> str:
    return url_for(
        ".index", assessment_id=assessment.id, _anchor=f"instrument-{report.instrument.id}"
    )


def _conflict_form(report, submitted, data: ReportingData, conflicting: tuple[str, ...]):
    """A fresh form with the saved texts, except the user's own text where it conflicted."""
    form = build_entries_form(report)(prefix=report.instrument.id, formdata=None)
    fill_entries_form(form, data, report)
    for item_id in conflicting:
        names = field_names(item_id)
        form[names["text"]].data = submitted[names["text"]].data
        form[names["seen"]].data = digest(data.entry(report.item(item_id)).text)
    return form


@bp.route("/<int:assessment_id>/reporting/matrix")
@role_required("viewer")
def matrix(assessment_id: int):
    """Show the fundamental principles A-L against the measures, cells X / ? / NA."""
    assessment = assessment_or_404(assessment_id)
    data = load_reporting(current_bank(), assessment)
    if data.crosswalk.matrix is None:
        abort(404)
    return render_template("reporting/matrix.html", assessment=assessment, data=data)


@bp.route("/<int:assessment_id>/reporting/<instrument_id>.csv")
@role_required("viewer")
def instrument_csv(assessment_id: int, instrument_id: str) -> Response:
    """Send one instrument's items and entries as CSV."""
    assessment = assessment_or_404(assessment_id)
    data = load_reporting(current_bank(), assessment)
    report = data.crosswalk.instrument(instrument_id)
    if report is None:
        abort(404)
    return _download(
        reporting_csv(assessment, data, [report]),
        "text/csv",
        export_filename(assessment, instrument_id, "csv"),
    )


@bp.route("/<int:assessment_id>/reporting.pdf")
@role_required("viewer")
def pack_pdf(assessment_id: int) -> Response:
    """Send the PDF reporting pack: one instrument (`?instrument=ID`) or all of them."""
    assessment = assessment_or_404(assessment_id)
    data = load_reporting(current_bank(), assessment)
    wanted = request.args.get("instrument")
    if wanted:
        report = data.crosswalk.instrument(wanted)
        if report is None:
            abort(404)
        reports = [report]
    else:
        reports = list(data.crosswalk.instruments)
    return _download(
        reporting_pdf(assessment, data, reports),
        "application/pdf",
        export_filename(assessment, wanted, "pdf"),
    )


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = send_file(BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
