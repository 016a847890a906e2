"""The reporting data of an assessment (crosswalk and saved entries), and saving entries.

Saving flushes but never commits: the request (or command) commits once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from ..bank import Bank
from ..crosswalk import Crosswalk, InstrumentReport, ItemReport, build_crosswalk
from ..extensions import db
from ..models import Assessment, ReportingEntry, User, utcnow
from ..operations import answer_values, answers_by_question

ENTRY_MAX = 100_000


@dataclass(frozen=True)
class Entry:
    """The text of one item as it stands: the user's saved text, or else the drafted one."""

    item: ItemReport
    text: str
    edited: bool  # True when the user's saved text replaces the drafted one
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ReportingData:
    """An assessment's crosswalk and the entries saved with it."""

    crosswalk: Crosswalk
    saved: Mapping[tuple[str, str], ReportingEntry]

    def entry(self, item: ItemReport) -> Entry:
        """Return the item's current text: the saved one if any, else the draft."""
        row = self.saved.get((item.instrument_id, item.item.id))
        if row is None:
            return Entry(item, item.draft, False)
        return Entry(item, row.text, True, row.updated_at)

    def entries(self, report: InstrumentReport) -> list[Entry]:
        """Return the current text of every item of the instrument, in order."""
        return [self.entry(item) for item in report.items]


def load_reporting(bank: Bank, assessment: Assessment) -> ReportingData:
    """Return the crosswalk of the assessment's answers and its saved entries (two queries)."""
    answers = answers_by_question(assessment)
    crosswalk = build_crosswalk(
        bank,
        assessment.profile,
        answer_values(answers.values()),
        notes={qid: a.note or "" for qid, a in answers.items()},
        evidence={qid: a.evidence or "" for qid, a in answers.items()},
    )
    rows = db.session.scalars(
        select(ReportingEntry).where(ReportingEntry.assessment_id == assessment.id)
    )
    return ReportingData(crosswalk, {(r.instrument_id, r.item_id): r for r in rows})


def summary_for(
    bank: Bank, assessment: Assessment, values: Mapping[str, object] | None = None
) -> tuple[InstrumentReport, ...]:
    """Return every instrument's report (its `coverage` is the summary) for the answers.

    `values` are the assessment's answer values when the caller has them already.
    """
    if values is None:
        values = answer_values(answers_by_question(assessment).values())
    return build_crosswalk(bank, assessment.profile, values).instruments


def digest(text: str) -> str:
    """Return a short fingerprint of an entry's text (to detect a change by someone else)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:24]


def normalise(text: str | None) -> str:
    """Return the text as stored: Unix line ends, no surrounding white space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_rows(text: str | None, width: int = 90) -> int:
    """Return how many rows a text area needs to show the text (between 4 and 16)."""
    lines = sum(1 + len(line) // width for line in (text or "").splitlines())
    return max(4, min(16, lines + 1))


def field_names(item_id: str) -> dict[str, str]:
    """Return the form field names used for one item."""
    return {"text": f"entry-{item_id}", "seen": f"seen-{item_id}", "reset": f"reset-{item_id}"}


def build_entries_form(report: InstrumentReport) -> type[FlaskForm]:
    """Return a form class with a text, a fingerprint and a reset box per item."""
    attrs: dict[str, object] = {"save": SubmitField("Save entries")}
    for item in report.items:
        names = field_names(item.item.id)
        attrs[names["text"]] = TextAreaField(
            item.item.title, validators=[Optional(), Length(max=ENTRY_MAX)]
        )
        attrs[names["seen"]] = HiddenField()
        attrs[names["reset"]] = BooleanField("Reset to the drafted text")
    return type("EntriesForm", (FlaskForm,), attrs)


def fill_entries_form(form: FlaskForm, data: ReportingData, report: InstrumentReport) -> None:
    """Put each item's current text, and its fingerprint, into the form."""
    for entry in data.entries(report):
        names = field_names(entry.item.item.id)
        form[names["text"]].data = entry.text
        form[names["seen"]].data = digest(entry.text)


@dataclass(frozen=True)
class SaveResult:
    changed: tuple[str, ...]  # item ids saved or reset
    conflicts: tuple[str, ...]  # item ids changed by someone else since the page was loaded


def save_entries(
    assessment: Assessment,
    report: InstrumentReport,
    form: FlaskForm,
    data: ReportingData,
    user: User,
) -> SaveResult:
    """Store the entries the user edited (or reset); flush only.

    An entry the user left untouched is not written. An entry someone else changed after
    the page was loaded is not overwritten: it is returned as a conflict. A text equal to
    the drafted one is not stored, so the entry keeps following the answers.
    """
    changed: list[str] = []
    conflicts: list[str] = []
    now = utcnow()
    for item in report.items:
        names = field_names(item.item.id)
        row = data.saved.get((report.instrument.id, item.item.id))
        current = data.entry(item).text
        seen = form[names["seen"]].data or ""
        if not seen:
            continue  # the item was not on the page that was sent
        if form[names["reset"]].data:
            if row is not None:
                db.session.delete(row)
                changed.append(item.item.id)
            continue
        text = normalise(form[names["text"]].data)
        if digest(text) == seen or text == normalise(current):
            continue
        if digest(current) != seen:
            conflicts.append(item.item.id)
            continue
        if text == normalise(item.draft):
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                ReportingEntry(
                    assessment_id=assessment.id,
                    instrument_id=report.instrument.id,
                    item_id=item.item.id,
                    text=text,
                    updated_at=now,
                    updated_by_id=user.id,
                )
            )
        else:
            row.text = text
            row.updated_at = now
            row.updated_by_id = user.id
        changed.append(item.item.id)
    db.session.flush()
    return SaveResult(tuple(changed), tuple(conflicts))
