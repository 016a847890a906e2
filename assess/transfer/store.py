"""Read assessments out of the database as documents, and store imported ones (flush only)."""

from __future__ import annotations

from sqlalchemy import select

from ..bank import Bank
from ..extensions import db
from ..models import Answer, Assessment, User, utcnow
from ..operations import refresh_summary
from ..scoring import Scorecard
from .document import AnswerRecord, Imported, Meta, export_document


def meta_of(assessment: Assessment) -> Meta:
    """Return the document fields of a stored assessment."""
    return Meta(
        title=assessment.title,
        profile=assessment.profile,
        status=assessment.status,
        target=int(assessment.target),
        classification=assessment.classification,
        created_at=assessment.created_at,
        updated_at=assessment.updated_at,
    )


def answer_records(bank: Bank, assessment: Assessment) -> dict[str, AnswerRecord]:
    """Return the stored answers keyed by question id, in bank order then by id (one query)."""
    order = {q.id: i for i, q in enumerate(bank.questions)}
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id)).all()
    rows = sorted(rows, key=lambda a: (order.get(a.question_id, len(order)), a.question_id))
    return {
        a.question_id: AnswerRecord(a.question_id, a.value, a.note or "", a.evidence or "")
        for a in rows
    }


def kept_aside(assessment: Assessment) -> list[AnswerRecord]:
    """Return the answers kept aside from an import (question ids the bank did not have)."""
    records = []
    for item in assessment.unknown_answers or []:
        if isinstance(item, dict) and isinstance(item.get("question"), str):
            records.append(
                AnswerRecord(
                    item["question"],
                    item.get("value"),
                    item.get("note") or "",
                    item.get("evidence") or "",
                )
            )
    return records


def export_assessment(bank: Bank, assessment: Assessment, anonymised: bool = False) -> dict:
    """Return the `assess/assessment@1` document of the assessment; answers kept aside at
    import are exported again after the others, so nothing is lost on the way through."""
    records = list(answer_records(bank, assessment).values())
    stored = {r.question for r in records}
    records += [r for r in kept_aside(assessment) if r.question not in stored]
    return export_document(
        bank, assessment.bank_version, meta_of(assessment), records, anonymised=anonymised
    )


def import_assessment(
    bank: Bank, organisation_id: int, user: User | None, imported: Imported
) -> tuple[Assessment, Scorecard]:
    """Store a validated document as a new assessment of the organisation; return it with
    its scorecard. It keeps the file's bank version, status and dates; answers to unknown
    questions go to `unknown_answers`. Flushes, never commits."""
    now = utcnow()
    meta = imported.meta
    assessment = Assessment(
        organisation_id=organisation_id,
        title=meta.title,
        profile=meta.profile,
        status=meta.status,
        target=meta.target,
        classification=meta.classification,
        bank_version=imported.bank_version,
        revision=1,
        coverage=0.0,
        unknown_answers=[r.to_json() for r in imported.unknown],
        created_at=meta.created_at or now,
        updated_at=meta.updated_at or now,
        updated_by_id=user.id if user is not None else None,
    )
    db.session.add(assessment)
    db.session.flush()
    answers = [
        Answer(
            assessment_id=assessment.id,
            question_id=record.question,
            value=record.value,
            note=record.note,
            evidence=record.evidence,
            updated_at=now,
            updated_by_id=assessment.updated_by_id,
        )
        for record in imported.answers
    ]
    db.session.add_all(answers)
    db.session.flush()
    return assessment, refresh_summary(bank, assessment, answers)
