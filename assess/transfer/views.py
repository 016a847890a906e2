"""Export (JSON, anonymised JSON, CSV) and import of assessments: thin views over the core."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SubmitField

from ..access import assessment_or_404, current_bank, current_membership, role_required
from ..extensions import db
from ..models import Assessment
from ..operations import answers_by_question, scorecard_for
from .document import MAX_BYTES, InvalidDocument
from .spreadsheet import answer_rows, csv_bytes, plan_rows
from .store import answer_records, export_assessment, import_assessment, kept_aside
from .validate import parse_document

bp = Blueprint("transfer", __name__, url_prefix="/assessments")


class ImportForm(FlaskForm):
    """The upload form of /assessments/import (the file is checked by the core, not here)."""

    file = FileField(
        "Assessment file (JSON, assess/assessment@1)",
        validators=[FileRequired(message="Choose a file to import.")],
    )
    submit = SubmitField("Import")


def _limit_mb() -> int:
    return int(min(MAX_BYTES, current_app.config["MAX_CONTENT_LENGTH"] or MAX_BYTES) // 2**20)


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:assessment_id>/export.json")
@role_required("viewer")
def export_json(assessment_id: int) -> Response:
    """Send the assessment as `assess/assessment@1` JSON; `?anonymised=1` leaves out the
    organisation, people, notes, evidence and free text."""
    assessment = assessment_or_404(assessment_id)
    anonymised = request.args.get("anonymised", "") in ("1", "true", "yes", "on")
    document = export_assessment(current_bank(), assessment, anonymised)
    data = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    name = f"assessment-{assessment.id}{'-anonymised' if anonymised else ''}.json"
    return _download(data, "application/json", name)


@bp.route("/import", methods=["GET", "POST"])
@role_required("editor")
def import_page():
    """Upload form; a valid file becomes a new assessment of the organisation, else each
    problem is listed and nothing is stored."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_BYTES + 1)
        bank = current_bank()
        try:
            imported = parse_document(raw, bank)
        except InvalidDocument as error:
            problems = list(error.problems)
        else:
            membership = current_membership()
            assessment, _ = import_assessment(
                bank, membership.organisation_id, current_user, imported
            )
            db.session.commit()
            flash(f"Imported '{assessment.title}'.", "info")
            for warning in imported.warnings(bank.version):
                flash(warning, "warning")
            return redirect(url_for("wizard.overview", assessment_id=assessment.id))
    status = 400 if problems or form.errors else 200
    return _render_import(form, problems), status


def _render_import(form: ImportForm, problems: list[str]) -> str:
    return render_template(
        "transfer/import.html", form=form, problems=problems, limit_mb=_limit_mb()
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """An upload over MAX_CONTENT_LENGTH: say so on the import page; nothing is stored."""
    message = f"file: larger than the {_limit_mb()} MB limit. Nothing was stored."
    return _render_import(ImportForm(formdata=None), [message]), 413


def _csv(assessment: Assessment, rows: list[list[object]], kind: str) -> Response:
    return _download(csv_bytes(rows), "text/csv", f"{kind}-{assessment.id}.csv")


@bp.route("/<int:assessment_id>/answers.csv")
@role_required("viewer")
def answers_csv(assessment_id: int) -> Response:
    """Send the answers as CSV: section, question, answer, value, note, evidence, applicable."""
    assessment = assessment_or_404(assessment_id)
    bank = current_bank()
    rows = answer_rows(
        bank,
        assessment.profile,
        assessment.classification,
        answer_records(bank, assessment),
        kept_aside(assessment),
    )
    return _csv(assessment, rows, "answers")


@bp.route("/<int:assessment_id>/plan.csv")
@role_required("viewer")
def plan_csv(assessment_id: int) -> Response:
    """Send the gaps as a plan of action (CSV), owner and due date left for the user."""
    assessment = assessment_or_404(assessment_id)
    bank = current_bank()
    card = scorecard_for(bank, assessment, answers_by_question(assessment).values())
    return _csv(assessment, plan_rows(bank, card, assessment.classification), "plan")
