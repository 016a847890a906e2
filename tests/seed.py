"""Store assessments directly (no HTTP), for tests that need many or exact ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from assess.bank import Bank, Question
from assess.extensions import db
from assess.models import Answer, Assessment, Organisation
from assess.operations import refresh_summary


def bank_of(app: Flask) -> Bank:
    return app.extensions["assess.bank"]


def organisation_id(name: str = "Ministry A") -> int:
    """The id of the organisation (created if new). Needs an app context."""
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
    return org.id


def stored(question: Question, pick: str) -> Any:
    """A valid stored value: the lowest/highest scoring option ("low"/"high"), or text."""
    if question.type == "multi":
        scored = [o.value for o in question.options if not o.na]
        return scored[:1] if pick == "low" else scored
    if question.options:
        scored = [o for o in question.options if not o.na] or list(question.options)
        best = (
            max(scored, key=lambda o: o.score or 0)
            if pick == "high"
            else min(scored, key=lambda o: o.score or 0)
        )
        return best.value
    return {"number": "12", "date": "2025-06-30"}.get(question.type, f"Text ({pick})")


def values_for(
    bank: Bank, profile: str, pick: str = "high", only: int | None = None
) -> dict[str, Any]:
    """Answers to every question asked of the profile (or the first `only` of them)."""
    questions = bank.questions_for(profile)[:only]
    return {q.id: stored(q, pick) for q in questions}


def seed(
    app: Flask,
    *,
    org: str = "Ministry A",
    title: str = "Review",
    profile: str = "state",
    status: str = "draft",
    target: int = 75,
    classification: str = "OFFICIAL - SENSITIVE",
    values: dict[str, Any] | None = None,
    notes: dict[str, str] | None = None,
    evidence: dict[str, str] | None = None,
    updated_at: datetime | None = None,
    unknown: list[dict[str, Any]] | None = None,
) -> int:
    """Store one assessment with these answers and its summary; return its id."""
    with app.app_context():
        bank = bank_of(app)
        when = updated_at or datetime.now(UTC)
        assessment = Assessment(
            organisation_id=organisation_id(org),
            title=title,
            profile=profile,
            status=status,
            target=target,
            classification=classification,
            bank_version=bank.version,
            revision=1,
            coverage=0.0,
            unknown_answers=unknown or [],
            created_at=when,
            updated_at=when,
        )
        db.session.add(assessment)
        db.session.flush()
        answers = [
            Answer(
                assessment_id=assessment.id,
                question_id=qid,
                value=value,
                note=(notes or {}).get(qid, ""),
                evidence=(evidence or {}).get(qid, ""),
            )
            for qid, value in (values or {}).items()
        ]
        db.session.add_all(answers)
        refresh_summary(bank, assessment, answers)
        db.session.commit()
        return assessment.id
