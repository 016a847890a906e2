"""WTForms form classes, the wizard's built from a bank section (one field class per type)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .bank import Question

NOTE_MAX = 200_000
EVIDENCE_MAX = 5_000
TEXT_ANSWER_MAX = 50_000
VERSION_PATTERN = re.compile(r"^\d{1,9}(\.[0-9a-f]{0,64})?$")
NUMBER_PATTERN = re.compile(r"^-?\d{1,15}([.,]\d{1,6})?$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(question: Question) -> list[SelectChoice]:
    return [SelectChoice(option.value, option.label) for option in question.options]


def _answer_field(question: Question) -> Field:
    """Return the WTForms field that asks this question (every answer is optional)."""
    label = question.text
    if question.type in ("maturity", "yes_partial_no", "choice"):
        return RadioField(label, choices=_choices(question), validators=[Optional()])
    if question.type == "multi":
        return MultiCheckboxField(label, choices=_choices(question), validators=[Optional()])
    if question.type == "number":
        return StringField(
            label,
            validators=[
                Optional(),
                Regexp(NUMBER_PATTERN, message="Enter a number, for example 12 or 3.5."),
            ],
        )
    if question.type == "date":
        return DateField(
            label, validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"}
        )
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_ANSWER_MAX)])


def field_names(question_id: str) -> dict[str, str]:
    """Return the form field names used for one question."""
    return {
        "answer": f"answer-{question_id}",
        "note": f"note-{question_id}",
        "evidence": f"evidence-{question_id}",
        "version": f"version-{question_id}",
        "resolve": f"resolve-{question_id}",
    }


class SectionFormBase(FlaskForm):
    next = SubmitField("Save and continue")
    back = SubmitField("Save and go back")
    save_exit = SubmitField("Save and exit")

    questions: Sequence[Question] = ()

    def answer_value(self, question: Question) -> Any:
        """Return the submitted answer in the stored form: str, list of str, or None."""
        data = self[field_names(question.id)["answer"]].data
        if question.type == "multi":
            return list(data) if data else None
        if question.type == "date":
            return data.isoformat() if isinstance(data, date) else None
        if question.type == "number" and data:
            return data.strip().replace(",", ".")
        if isinstance(data, str):
            data = data.strip()
        return data or None

    def text_of(self, question: Question, part: str) -> str:
        """Return the trimmed note or evidence submitted for the question."""
        return (self[field_names(question.id)[part]].data or "").strip()

    def seen(self, question: Question) -> tuple[int, str]:
        """Return (answer version, answer digest) the page showed when it was loaded."""
        raw = str(self[field_names(question.id)["version"]].data or "0")
        version, _, digest = raw.partition(".")
        return (int(version) if version.isdigit() else -1), digest

    def keeps_theirs(self, question: Question) -> bool:
        """Return whether the user chose the other person's answer in a conflict."""
        return self[field_names(question.id)["resolve"]].data == "theirs"


def _version_check(form: Any, field: Field) -> None:
    if field.data and not VERSION_PATTERN.match(str(field.data)):
        raise ValidationError("This page is out of date. Reload it and try again.")


def build_section_form(questions: Sequence[Question]) -> type[SectionFormBase]:
    """Build a form class with an answer, note, evidence and version field per question."""
    fields: dict[str, Any] = {"questions": tuple(questions)}
    for question in questions:
        names = field_names(question.id)
        fields[names["answer"]] = _answer_field(question)
        fields[names["note"]] = TextAreaField("Note", validators=[Optional(), Length(max=NOTE_MAX)])
        fields[names["evidence"]] = TextAreaField(
            "Evidence reference", validators=[Optional(), Length(max=EVIDENCE_MAX)]
        )
        fields[names["version"]] = HiddenField(validators=[_version_check])
        fields[names["resolve"]] = RadioField(
            "Which answer to keep?",
            choices=[SelectChoice("mine", "Mine"), SelectChoice("theirs", "Theirs")],
            validators=[Optional()],
        )
    return type("SectionForm", (SectionFormBase,), fields)


class NewAssessmentForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    profile = RadioField(
        "Who is assessing",
        choices=[
            SelectChoice("state", "A State (ministry, competent authority, 1540 point of contact)"),
            SelectChoice("operator", "A nuclear operator (licence holder)"),
        ],
        validators=[DataRequired(message="Choose who is assessing.")],
    )
    target = IntegerField(
        "Target score (0-100)",
        default=75,
        validators=[DataRequired(), NumberRange(min=1, max=100)],
    )
    classification = StringField(
        "Confidentiality marking",
        default="OFFICIAL - SENSITIVE",
        validators=[DataRequired(), Length(max=100)],
    )
    baseline = SelectField("Baseline to compare with (optional)", coerce=int, default=0)
    submit = SubmitField("Create assessment")


class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF (finalise, reopen, delete)."""

    submit = SubmitField("Confirm")
