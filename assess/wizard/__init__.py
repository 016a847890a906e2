"""The wizard: new assessment, overview, one page per section, review, finalise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..access import (
    assessment_or_404,
    current_bank,
    current_membership,
    editable_or_403,
    has_role,
    role_required,
)
from ..bank import Question, applicable_questions
from ..extensions import db
from ..forms import ConfirmForm, NewAssessmentForm, build_section_form, field_names
from ..models import Answer, Assessment
from ..operations import (
    Conflict,
    Submitted,
    answer_values,
    answers_by_question,
    create_assessment,
    stored_digest,
)
from ..operations import save_answers as store_answers
from ..reporting import reporting_summary
from .cache import section_key
from .cache import sections as section_cache
from .fragments import option_inputs, question_intro
from .progress import resume_section, review, section_progress

bp = Blueprint("wizard", __name__, url_prefix="/assessments")
bp.add_app_template_global(question_intro)
bp.add_app_template_global(option_inputs)


@dataclass(frozen=True)
class QuestionView:
    question: Question
    applicable: bool
    answer: Answer | None
    names: dict[str, str]


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new():
    """Ask for title, profile, target, marking and an optional baseline; create a draft."""
    membership = current_membership()
    form = NewAssessmentForm()
    previous = db.session.execute(
        select(Assessment.id, Assessment.title)
        .where(Assessment.organisation_id == membership.organisation_id)
        .order_by(Assessment.updated_at.desc())
        .limit(200)
    ).all()
    form.baseline.choices = [SelectChoice("0", "None")] + [
        SelectChoice(str(row.id), row.title) for row in previous
    ]
    if form.validate_on_submit():
        assessment = create_assessment(
            current_bank(),
            membership.organisation_id,
            current_user,
            title=form.title.data.strip(),
            profile=form.profile.data,
            target=form.target.data,
            classification=form.classification.data.strip(),
            baseline_id=form.baseline.data or None,
        )
        db.session.commit()
        flash("Assessment created. Start with the first section.", "info")
        return redirect(url_for("wizard.overview", assessment_id=assessment.id))
    return render_template("wizard/new.html", form=form)


@bp.route("/<int:assessment_id>/")
@role_required("viewer")
def overview(assessment_id: int):
    """Show each section's progress, the overall progress, and where to resume."""
    assessment = assessment_or_404(assessment_id)
    bank = current_bank()
    answers = answers_by_question(assessment)
    values = answer_values(answers.values())
    progress = section_progress(bank, assessment.profile, values)
    answered = sum(p.answered for p in progress)
    applicable = sum(p.applicable for p in progress)
    return render_template(
        "wizard/overview.html",
        assessment=assessment,
        progress=progress,
        answered=answered,
        applicable=applicable,
        resume=resume_section(bank, assessment.profile, values, assessment.last_section),
        reporting_summary=reporting_summary(assessment, values),
        can_edit=has_role("editor") and assessment.status == "draft",
    )


def _question_views(bank, assessment, section, answers, values) -> list[QuestionView]:
    applicable = applicable_questions(bank, assessment.profile, values)
    return [
        QuestionView(q, q.id in applicable, answers.get(q.id), field_names(q.id))
        for q in section.questions_for(assessment.profile)
    ]


def _version_token(answer: Answer | None) -> str:
    return f"{answer.version if answer else 0}.{stored_digest(answer)}"


def _formdata_from_answers(form, views: list[QuestionView]) -> None:
    for view in views:
        answer = view.answer
        form[view.names["version"]].data = _version_token(answer)
        if answer is None:
            continue
        field = form[view.names["answer"]]
        if view.question.type == "date" and answer.value:
            try:
                field.data = date.fromisoformat(answer.value)
            except ValueError:
                field.data = None
        else:
            field.data = answer.value
        form[view.names["note"]].data = answer.note
        form[view.names["evidence"]].data = answer.evidence


@bp.route("/<int:assessment_id>/section/<section_id>", methods=["GET", "POST"])
@role_required("viewer")
def section(assessment_id: int, section_id: str):
    """One wizard step: GET shows it, POST saves it, then Next / Back / Save and exit."""
    assessment = assessment_or_404(assessment_id)
    bank = current_bank()
    sections = list(bank.sections_for(assessment.profile))
    current = next((s for s in sections if s.id == section_id), None)
    if current is None:
        abort(404)
    if request.method == "GET":
        key = section_key(bank, assessment, current)
        questions = section_cache.get(key)
        if questions is None:
            answers = answers_by_question(assessment)
            values = answer_values(answers.values())
            views = _question_views(bank, assessment, current, answers, values)
            form = build_section_form([v.question for v in views])(formdata=None)
            _formdata_from_answers(form, views)
            questions = _render_questions(bank, current, form, views, values, [])
            section_cache.put(key, questions)
        return _render_section(assessment, sections, current, None, questions)

    editable_or_403(assessment)
    answers = answers_by_question(assessment)
    values = answer_values(answers.values())
    views = _question_views(bank, assessment, current, answers, values)
    form = build_section_form([v.question for v in views])()
    conflicts: list[Conflict] = []
    if form.validate():
        submitted = [
            Submitted(
                question_id=v.question.id,
                value=form.answer_value(v.question),
                note=form.text_of(v.question, "note"),
                evidence=form.text_of(v.question, "evidence"),
                seen_version=seen[0],
                seen_digest=seen[1],
                keep_theirs=form.keeps_theirs(v.question),
            )
            for v in views
            for seen in (form.seen(v.question),)
        ]
        conflicts = _save(bank, assessment, current.id, submitted, answers)
        values = answer_values(answers_by_question(assessment).values())
        if not conflicts:
            return _after_save(assessment, form, sections, current, views, bank, values)
        flash(
            "Someone else changed some answers on this page after you opened it. "
            "Your other answers are saved; choose which answer to keep below.",
            "warning",
        )
        answers = answers_by_question(assessment)
        views = _question_views(bank, assessment, current, answers, values)
        for conflict in conflicts:
            names = field_names(conflict.question.id)
            form[names["version"]].data = _version_token(conflict.theirs)
            form[names["resolve"]].data = "mine"
    else:
        flash("Some answers need correcting. Nothing on this page was saved yet.", "error")
    questions = _render_questions(bank, current, form, views, values, conflicts)
    return _render_section(assessment, sections, current, form, questions)


def _render_questions(bank, current, form, views, values, conflicts) -> Markup:
    """Render the questions of a section (the part of the page the cache keeps)."""
    outside = {
        qid: value
        for qid, value in values.items()
        if (question := bank.question(qid)) is not None and question.section != current.id
    }
    # The output of an autoescaping template: safe to embed as it is.
    return Markup(  # noqa: S704  # nosec B704
        render_template(
            "wizard/_questions.html",
            form=form,
            views=views,
            conflicts={c.question.id: c for c in conflicts},
            outside_answers=outside,
        )
    )


def _render_section(assessment, sections, current, form, questions: Markup):
    index = sections.index(current)
    return render_template(
        "wizard/section.html",
        assessment=assessment,
        section=current,
        form=form,
        questions=questions,
        read_only=not has_role("editor") or assessment.status == "final",
        step=index + 1,
        steps=len(sections),
        previous=sections[index - 1] if index > 0 else None,
    )


def _save(bank, assessment, section_id, submitted, answers) -> list[Conflict]:
    """Save and commit; when a concurrent save wins the race, retry so it shows as a conflict."""
    for _attempt in range(3):
        try:
            conflicts = store_answers(bank, assessment, submitted, current_user, answers)
            assessment.last_section = section_id
            db.session.commit()
            return conflicts
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            answers = answers_by_question(assessment)
    abort(503)


def _after_save(assessment, form, sections, current, views, bank, values):
    applicable = applicable_questions(bank, assessment.profile, values)
    newly_shown = [
        v.question.id
        for v in views
        if v.question.id in applicable and not v.applicable and v.question.id not in values
    ]
    if form.save_exit.data:
        flash("Your answers are saved. You can resume where you left off.", "info")
        return redirect(url_for("wizard.overview", assessment_id=assessment.id))
    if newly_shown:
        flash(
            f"Saved. Your answers opened {len(newly_shown)} more question(s) on this page.",
            "info",
        )
        return redirect(
            url_for("wizard.section", assessment_id=assessment.id, section_id=current.id)
            + f"#q-{newly_shown[0]}"
        )
    index = sections.index(current)
    if form.back.data:
        target = sections[index - 1] if index > 0 else None
    else:
        target = sections[index + 1] if index + 1 < len(sections) else None
    flash("Saved.", "info")
    if target is None:
        endpoint = "wizard.review" if not form.back.data else "wizard.overview"
        return redirect(url_for(endpoint, assessment_id=assessment.id))
    return redirect(url_for("wizard.section", assessment_id=assessment.id, section_id=target.id))


@bp.route("/<int:assessment_id>/review", endpoint="review")
@role_required("viewer")
def review_page(assessment_id: int):
    """List unanswered questions and answers without evidence, each linked to its place."""
    assessment = assessment_or_404(assessment_id)
    answers = answers_by_question(assessment)
    values = answer_values(answers.values())
    evidence = {qid: a.evidence for qid, a in answers.items()}
    return render_template(
        "wizard/review.html",
        assessment=assessment,
        review=review(current_bank(), assessment.profile, values, evidence),
        confirm=ConfirmForm(),
        is_owner=has_role("owner"),
    )


@bp.route("/<int:assessment_id>/finalise", methods=["POST"])
@role_required("owner")
def finalise(assessment_id: int):
    """Make the assessment read-only (owner)."""
    assessment = assessment_or_404(assessment_id)
    if ConfirmForm().validate_on_submit() and assessment.status == "draft":
        assessment.status = "final"
        db.session.commit()
        flash("The assessment is final and read-only.", "info")
    return redirect(url_for("wizard.overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/reopen", methods=["POST"])
@role_required("owner")
def reopen(assessment_id: int):
    """Make a final assessment editable again (owner)."""
    assessment = assessment_or_404(assessment_id)
    if ConfirmForm().validate_on_submit() and assessment.status == "final":
        assessment.status = "draft"
        db.session.commit()
        flash("The assessment is a draft again and can be edited.", "info")
    return redirect(url_for("wizard.overview", assessment_id=assessment.id))
