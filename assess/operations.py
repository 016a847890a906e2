"""Operations that change assessments. They flush but never commit: the request commits once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .bank import AnswerValue, Bank, Question
from .extensions import db
from .models import Answer, AnswerChange, Assessment, User, utcnow
from .scoring import AnswerSet, Scorecard, score


@dataclass(frozen=True)
class Submitted:
    """What a user sent for one question, and the answer version their page showed."""

    question_id: str
    value: Any  # str, list of str, or None when left blank
    note: str
    evidence: str
    seen_version: int
    seen_digest: str = ""  # answer_digest() of what the page showed; "" if unknown
    keep_theirs: bool = False


@dataclass(frozen=True)
class Conflict:
    """A save from a stale page: someone else changed the answer after the page was loaded."""

    question: Question
    mine: Submitted
    theirs: Answer


def answers_by_question(assessment: Assessment) -> dict[str, Answer]:
    """Return the assessment's stored answers keyed by question id (one query)."""
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    return {answer.question_id: answer for answer in rows}


def to_answer_value(value: Any) -> AnswerValue | None:
    """Convert a stored JSON value to the core's AnswerValue (tuple for multi), or None."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return str(value)


def answer_values(answers: Iterable[Answer]) -> dict[str, AnswerValue]:
    """Return {question id: value} for the answers that hold a value."""
    values = {}
    for answer in answers:
        value = to_answer_value(answer.value)
        if value is not None:
            values[answer.question_id] = value
    return values


def scorecard_for(bank: Bank, assessment: Assessment, answers: Iterable[Answer]) -> Scorecard:
    """Score the assessment's answers against the bank."""
    return score(
        bank, AnswerSet(assessment.profile, float(assessment.target), answer_values(answers))
    )


def refresh_summary(bank: Bank, assessment: Assessment, answers: Iterable[Answer]) -> Scorecard:
    """Recompute the dashboard's stored overall score and coverage; return the scorecard."""
    card = scorecard_for(bank, assessment, answers)
    assessment.overall_score = card.overall
    assessment.coverage = card.coverage.ratio
    return card


def answer_digest(value: Any, note: str, evidence: str) -> str:
    """Return a short fingerprint of an answer as shown on a page (to tell what a user changed)."""
    shown = to_answer_value(value)
    payload = json.dumps(
        [list(shown) if isinstance(shown, tuple) else shown, note or "", evidence or ""]
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def stored_digest(answer: Answer | None) -> str:
    """Return answer_digest() of a stored answer (of an empty one for None)."""
    if answer is None:
        return answer_digest(None, "", "")
    return answer_digest(answer.value, answer.note, answer.evidence)


def submitted_digest(item: Submitted) -> str:
    """Return answer_digest() of what a user submitted."""
    return answer_digest(item.value, item.note, item.evidence)


def _same(answer: Answer | None, item: Submitted) -> bool:
    if answer is None:
        return item.value is None and not item.note and not item.evidence
    return (
        to_answer_value(answer.value) == to_answer_value(item.value)
        and (answer.note or "") == item.note
        and (answer.evidence or "") == item.evidence
    )


def _snapshot(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"value": answer.value, "note": answer.note, "evidence": answer.evidence}


def save_answers(
    bank: Bank,
    assessment: Assessment,
    submitted: Sequence[Submitted],
    user: User,
    stored: Mapping[str, Answer] | None = None,
) -> list[Conflict]:
    """Store the submitted answers, record each change, and return the conflicts.

    An answer changed by someone else since the page was loaded is not overwritten: it is
    returned as a Conflict so that the user sees both values and chooses.
    """
    answers = dict(stored) if stored is not None else answers_by_question(assessment)
    conflicts: list[Conflict] = []
    changed = False
    now = utcnow()
    for item in submitted:
        existing = answers.get(item.question_id)
        if item.keep_theirs or _same(existing, item):
            continue
        if item.seen_digest and item.seen_digest == submitted_digest(item):
            continue  # left as the page showed it: someone else's newer answer stands
        current_version = existing.version if existing is not None else 0
        if current_version != item.seen_version and existing is not None:
            question = bank.question(item.question_id)
            if question is None:
                raise LookupError(f"no question {item.question_id} in bank {bank.version}")
            conflicts.append(Conflict(question, item, existing))
            continue
        old = _snapshot(existing)
        if existing is None:
            existing = Answer(assessment_id=assessment.id, question_id=item.question_id)
            db.session.add(existing)
            answers[item.question_id] = existing
        existing.value = item.value
        existing.note = item.note
        existing.evidence = item.evidence
        existing.updated_at = now
        existing.updated_by_id = user.id
        db.session.add(
            AnswerChange(
                assessment_id=assessment.id,
                question_id=item.question_id,
                user_id=user.id,
                changed_at=now,
                old=old,
                new=_snapshot(existing),
            )
        )
        changed = True
    if changed:
        db.session.flush()
        refresh_summary(bank, assessment, answers.values())
        # An SQL increment, so that concurrent saves never lose a revision (the PDF cache key).
        assessment.revision = Assessment.revision + 1
        assessment.updated_at = now
        assessment.updated_by_id = user.id
    return conflicts


def create_assessment(
    bank: Bank,
    organisation_id: int,
    user: User,
    *,
    title: str,
    profile: str,
    target: int,
    classification: str,
    baseline_id: int | None = None,
) -> Assessment:
    """Create and flush a new draft assessment answered with the current bank."""
    assessment = Assessment(
        organisation_id=organisation_id,
        title=title,
        profile=profile,
        status="draft",
        target=target,
        classification=classification,
        bank_version=bank.version,
        baseline_id=baseline_id,
        revision=0,
        coverage=0.0,
        unknown_answers=[],
        updated_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment
