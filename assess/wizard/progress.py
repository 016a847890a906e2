"""Per-section progress and the review lists, computed from the bank and stored answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..bank import AnswerValue, Bank, Question, Section, applicable_questions


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    answered: int
    applicable: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.applicable


@dataclass(frozen=True)
class Review:
    unanswered: tuple[Question, ...]
    without_evidence: tuple[Question, ...]
    hidden_answered: tuple[Question, ...]


def section_progress(
    bank: Bank, profile: str, values: Mapping[str, AnswerValue]
) -> list[SectionProgress]:
    """Return answered / applicable counts for each section asked of the profile."""
    applicable = applicable_questions(bank, profile, values)
    result = []
    for section in bank.sections_for(profile):
        ids = [q.id for q in section.questions_for(profile) if q.id in applicable]
        result.append(SectionProgress(section, sum(1 for i in ids if i in values), len(ids)))
    return result


def resume_section(
    bank: Bank, profile: str, values: Mapping[str, AnswerValue], last_section: str | None
) -> Section:
    """Return where to resume: the section last saved, else the first one not complete."""
    sections = bank.sections_for(profile)
    for section in sections:
        if section.id == last_section:
            return section
    for progress in section_progress(bank, profile, values):
        if not progress.complete:
            return progress.section
    return sections[0]


def review(
    bank: Bank, profile: str, values: Mapping[str, AnswerValue], evidence: Mapping[str, str]
) -> Review:
    """Return the questions still to answer, scored answers without evidence, hidden answers."""
    applicable = applicable_questions(bank, profile, values)
    asked = bank.questions_for(profile)
    return Review(
        unanswered=tuple(q for q in asked if q.id in applicable and q.id not in values),
        without_evidence=tuple(
            q
            for q in asked
            if q.id in applicable and q.id in values and q.scored and not evidence.get(q.id)
        ),
        hidden_answered=tuple(q for q in asked if q.id in values and q.id not in applicable),
    )
