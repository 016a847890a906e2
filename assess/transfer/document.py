"""The `assess/assessment@1` JSON document: build it, and read it back validated.

Pure: no Flask, no database, no I/O. The document (DESIGN.md, "Stable interfaces")::

    {"format": "assess/assessment@1", "bank": {"version": ...},
     "assessment": {"title", "profile", "status", "target", "classification",
                    "created_at", "updated_at"},
     "answers": [{"question", "value", "note", "evidence"}]}

`value` is a string, a list of strings (multi), or null; timestamps are ISO 8601.

Anonymised: the format has no field for the organisation or people, but they can appear in
free text, so an anonymised document has a neutral title, empty notes and evidence, and no
answers to free-text questions (which are never scored, e.g. SCOPE-01 names the
organisation) nor to questions the bank does not know (their type is unknown).

Reading a document back, validated, is in `validate.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..bank import AnswerValue, Bank

FORMAT = "assess/assessment@1"
MAX_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 20
STATUSES = ("draft", "final")
META_KEYS = ("title", "profile", "status", "target", "classification", "created_at", "updated_at")
ANSWER_KEYS = ("question", "value", "note", "evidence")
LIMITS = {"title": 200, "classification": 100, "version": 40, "question": 64}
TEXT_LIMITS = {"value": 50_000, "note": 200_000, "evidence": 5_000}  # as the wizard's form

StoredValue = str | list[str] | None


@dataclass(frozen=True)
class Meta:
    """The assessment's own fields in the document."""

    title: str
    profile: str
    status: str
    target: int
    classification: str
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as stored and exported: value (str, list or None), note, evidence."""

    question: str
    value: StoredValue
    note: str = ""
    evidence: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the answer as a document entry."""
        value = list(self.value) if isinstance(self.value, list | tuple) else self.value
        return {
            "question": self.question,
            "value": value,
            "note": self.note,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Imported:
    """A validated document: what to store, and what to tell the user."""

    bank_version: str
    meta: Meta
    answers: tuple[AnswerRecord, ...]  # to questions of the bank, validated
    unknown: tuple[AnswerRecord, ...]  # to question ids the bank does not have
    not_asked: tuple[str, ...]  # known questions not asked of the profile (kept, unscored)

    def warnings(self, bank_version: str) -> list[str]:
        """Return the warnings to show after storing (`bank_version`: the app's bank)."""
        notes = []
        if self.unknown:
            ids = ", ".join(a.question for a in self.unknown)
            notes.append(
                f"{len(self.unknown)} answer(s) to questions that question bank {bank_version} "
                f"does not have were kept aside, not scored: {ids}."
            )
        if self.not_asked:
            notes.append(
                f"Answers to questions not asked of a {self.meta.profile} assessment were kept "
                f"but are not scored: {', '.join(self.not_asked)}."
            )
        if self.bank_version != bank_version:
            notes.append(
                f"The file was answered with question bank {self.bank_version}; it is scored "
                f"with version {bank_version}."
            )
        return notes


class InvalidDocument(ValueError):
    """The document cannot be imported; `problems` lists each as `place: problem`."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problem(s)"] if more else [])))


def answer_value(value: object) -> AnswerValue | None:
    """Return a stored value as the core's AnswerValue (a tuple for multi), or None if empty."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return str(value)


def iso(moment: datetime | None) -> str | None:
    """Return an ISO 8601 timestamp, a naive one taken as UTC; None stays None."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def export_document(
    bank: Bank,
    bank_version: str,
    meta: Meta,
    answers: Iterable[AnswerRecord],
    *,
    anonymised: bool = False,
) -> dict[str, Any]:
    """Return the document of an assessment (answers in the given order).

    `bank_version` is the version the assessment was answered with; `bank` is only used to
    tell free-text questions apart when anonymising (see the module docstring).
    """
    title = meta.title
    records = list(answers)
    if anonymised:
        title = f"Anonymised {meta.profile} assessment"
        records = [
            AnswerRecord(a.question, a.value)
            for a in records
            if a.value is not None
            and (q := bank.question(a.question)) is not None
            and q.type != "text"
        ]
    return {
        "format": FORMAT,
        "bank": {"version": bank_version},
        "assessment": {
            "title": title,
            "profile": meta.profile,
            "status": meta.status,
            "target": meta.target,
            "classification": meta.classification,
            "created_at": iso(meta.created_at),
            "updated_at": iso(meta.updated_at),
        },
        "answers": [a.to_json() for a in records],
    }
