"""Whole-assessment operations of the dashboard: copy and delete. They flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ..bank import Bank
from ..extensions import db
from ..models import Answer, AnswerChange, Assessment, ReportingEntry, User, utcnow
from ..operations import create_assessment, refresh_summary

COPY_PREFIX = "Copy of "
TITLE_MAX = 200


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting an assessment removes, for the confirmation page."""

    answers: int
    notes: int
    evidence: int
    changes: int
    reporting_entries: int
    derived: int  # assessments copied from it or using it as baseline (they keep existing)


def copy_title(title: str) -> str:
    """Return the title of a copy: "Copy of <title>", cut to the column's length."""
    return (COPY_PREFIX + title)[:TITLE_MAX]


def copy_assessment(bank: Bank, source: Assessment, user: User) -> Assessment:
    """Create a draft from `source` with its answers, notes and evidence; return it.

    The copy records `copied_from_id` (and uses the source as its baseline) and the current
    bank version. Answers to questions the current bank no longer has are kept aside in
    `unknown_answers`, like an import's.
    """
    copy = create_assessment(
        bank,
        source.organisation_id,
        user,
        title=copy_title(source.title),
        profile=source.profile,
        target=source.target,
        classification=source.classification,
        baseline_id=source.id,
    )
    copy.copied_from_id = source.id
    kept_aside = list(source.unknown_answers or [])
    now = utcnow()
    answers = []
    for answer in db.session.scalars(select(Answer).where(Answer.assessment_id == source.id)):
        if bank.question(answer.question_id) is None:
            kept_aside.append(
                {
                    "question": answer.question_id,
                    "value": answer.value,
                    "note": answer.note or "",
                    "evidence": answer.evidence or "",
                }
            )
            continue
        answers.append(
            Answer(
                assessment_id=copy.id,
                question_id=answer.question_id,
                value=answer.value,
                note=answer.note or "",
                evidence=answer.evidence or "",
                updated_at=now,
                updated_by_id=user.id,
            )
        )
    db.session.add_all(answers)
    copy.unknown_answers = kept_aside
    copy.revision = 1 if answers else 0
    refresh_summary(bank, copy, answers)
    db.session.flush()
    return copy


def deletion_summary(assessment: Assessment) -> DeletionSummary:
    """Count what deleting the assessment removes (three small queries)."""
    answers = db.session.execute(
        select(
            func.count(Answer.id),
            func.count(Answer.id).filter(Answer.note != ""),
            func.count(Answer.id).filter(Answer.evidence != ""),
        ).where(Answer.assessment_id == assessment.id)
    ).one()
    changes = db.session.scalar(
        select(func.count(AnswerChange.id)).where(AnswerChange.assessment_id == assessment.id)
    )
    entries = db.session.scalar(
        select(func.count(ReportingEntry.id)).where(ReportingEntry.assessment_id == assessment.id)
    )
    derived = db.session.scalar(
        select(func.count(Assessment.id)).where(
            (Assessment.copied_from_id == assessment.id) | (Assessment.baseline_id == assessment.id)
        )
    )
    count, notes, evidence = answers
    return DeletionSummary(count, notes, evidence, changes or 0, entries or 0, derived or 0)


def delete_assessment(assessment: Assessment) -> None:
    """Delete the assessment; the database cascades to its answers, history and entries."""
    db.session.delete(assessment)
    db.session.flush()


def remove_cached_pdfs(cache_dir: str | Path, assessment_id: int) -> int:
    """Remove the cached PDFs of a deleted assessment (they hold its content); return how many.

    Cached files are named `<kind>-<id>-<digest>.pdf` (see assess.pdf.cached_pdf).
    """
    removed = 0
    for path in Path(cache_dir).glob(f"*-{int(assessment_id)}-*.pdf"):
        kind_and_id, _, digest = path.stem.rpartition("-")
        if kind_and_id.endswith(f"-{int(assessment_id)}") and digest.isalnum():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
