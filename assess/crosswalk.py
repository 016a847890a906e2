"""The reporting crosswalk: draft the State's reports to the instruments from one set of answers.

Pure: no Flask, no database, no I/O. For each item of each instrument (questions/
instruments.yaml): its status (`ready`: every feeding question that applies is answered,
a "not applicable" answer included; `partial`: some are; `missing`: none are;
`not_applicable`: none applies to the profile and scoping answers), the feeding answers
with labels, notes and evidence, and a drafted entry in plain report prose (one paragraph
per answered question: question and answer as a sentence, the note, the evidence).

The 1540-style matrix (one row per CPPNM/A fundamental principle) marks each cell from
its deciding questions: `X` all applicable ones answered, each scoring 0.5 or more (an
unscored answer counts as given); `?` some unanswered, or one scoring below 0.5; `NA`
none applies, or each answered "not applicable"; `` (empty) nothing answered yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .bank import AnswerValue, Bank, Instrument, InstrumentItem, Matrix, applicable_questions
from .bank import Question as BankQuestion
from .scoring import NA, QuestionScore, clean_answers, question_score

READY = "ready"
PARTIAL = "partial"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
STATUS_LABELS = {
    READY: "Ready",
    PARTIAL: "Partly answered",
    MISSING: "Not answered",
    NOT_APPLICABLE: "Not applicable",
}

MARK_IN_PLACE = "X"
MARK_INCOMPLETE = "?"
MARK_NA = "NA"
MARK_UNANSWERED = ""
MARK_THRESHOLD = 0.5


@dataclass(frozen=True)
class FeedingAnswer:
    """One question feeding an item or a matrix cell, and what the assessment answered."""

    question: BankQuestion
    applicable: bool  # asked of the profile and shown by the scoping answers
    value: AnswerValue | None  # the valid, normalised answer; None when unanswered
    label: str  # the answer as a person reads it (option labels)
    note: str
    evidence: str
    score: QuestionScore  # s in [0, 1], NA, or None (unanswered or unscored type)

    @property
    def answered(self) -> bool:
        """Whether the question has a valid answer ("not applicable" included)."""
        return self.value is not None


@dataclass(frozen=True)
class ItemReport:
    """One item of an instrument: its status, its feeding answers and its drafted entry."""

    instrument_id: str
    item: InstrumentItem
    status: str  # ready | partial | missing | not_applicable
    answers: tuple[FeedingAnswer, ...]  # feeding questions asked of the profile, item order
    draft: str

    @property
    def answered(self) -> int:
        """How many applicable feeding questions are answered."""
        return sum(1 for a in self.answers if a.applicable and a.answered)

    @property
    def applicable(self) -> int:
        """How many feeding questions apply."""
        return sum(1 for a in self.answers if a.applicable)

    @property
    def status_label(self) -> str:
        """The status in words."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class InstrumentCoverage:
    """How much of an instrument the answers cover: items by status, questions answered."""

    ready: int
    partial: int
    missing: int
    not_applicable: int
    answered: int  # distinct applicable feeding questions answered
    applicable: int  # distinct applicable feeding questions

    @property
    def items(self) -> int:
        """How many items apply (not_applicable ones left out)."""
        return self.ready + self.partial + self.missing

    @property
    def percent(self) -> float | None:
        """Feeding questions answered, in percent; None when none applies."""
        return 100 * self.answered / self.applicable if self.applicable else None


@dataclass(frozen=True)
class InstrumentReport:
    """One instrument with every item's report and the coverage summary."""

    instrument: Instrument
    items: tuple[ItemReport, ...]
    coverage: InstrumentCoverage

    def item(self, item_id: str) -> ItemReport:
        """Return the report of this item (KeyError if unknown)."""
        for report in self.items:
            if report.item.id == item_id:
                return report
        raise KeyError(item_id)


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the matrix: its mark, why, and the deciding answers."""

    mark: str  # X | ? | NA | "" (unanswered)
    reason: str
    answers: tuple[FeedingAnswer, ...]


@dataclass(frozen=True)
class MatrixRowReport:
    id: str
    title: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class MatrixReport:
    title: str
    columns: tuple[str, ...]
    rows: tuple[MatrixRowReport, ...]


@dataclass(frozen=True)
class Crosswalk:
    """Every instrument's report and the matrix, for one assessment's answers."""

    profile: str
    instruments: tuple[InstrumentReport, ...]
    matrix: MatrixReport | None

    def instrument(self, instrument_id: str) -> InstrumentReport | None:
        """Return the report of this instrument, or None."""
        return next((r for r in self.instruments if r.instrument.id == instrument_id), None)


def build_crosswalk(
    bank: Bank,
    profile: str,
    values: Mapping[str, object],
    notes: Mapping[str, str] | None = None,
    evidence: Mapping[str, str] | None = None,
    applicable: Iterable[str] | None = None,
) -> Crosswalk:
    """Return the crosswalk of these answers: every instrument's items and the matrix.

    `values` maps question ids to answers (a tuple for multi; invalid values count as
    unanswered); `applicable` defaults to the questions that apply to the answers.
    """
    cleaned = clean_answers(bank, values)
    shown = (
        frozenset(applicable)
        if applicable is not None
        else applicable_questions(bank, profile, cleaned)
    )
    lookup = _Answers(bank, profile, cleaned, notes or {}, evidence or {}, shown)
    reports = tuple(_instrument(instrument, lookup) for instrument in bank.instruments)
    matrix = _matrix(bank.matrix, lookup) if bank.matrix is not None else None
    return Crosswalk(profile, reports, matrix)


def item_status(answers: Sequence[FeedingAnswer]) -> str:
    """Return ready, partial, missing or not_applicable for an item's feeding answers."""
    applicable = [a for a in answers if a.applicable]
    if not applicable:
        return NOT_APPLICABLE
    answered = sum(1 for a in applicable if a.answered)
    if answered == len(applicable):
        return READY
    return PARTIAL if answered else MISSING


def draft_entry(answers: Sequence[FeedingAnswer]) -> str:
    """Return the drafted entry: a paragraph per applicable answered question, blank-line
    separated; the empty string when nothing is answered."""
    return "\n\n".join(_paragraph(a) for a in answers if a.applicable and a.answered)


def matrix_cell(answers: Sequence[FeedingAnswer]) -> MatrixCell:
    """Return the mark of a matrix cell decided by these answers (see the module docstring)."""
    cell = tuple(answers)
    applicable = [a for a in cell if a.applicable]
    if not applicable:
        return MatrixCell(MARK_NA, "No deciding question applies to this assessment.", cell)
    answered = [a for a in applicable if a.answered]
    if not answered:
        return MatrixCell(MARK_UNANSWERED, "Not answered yet.", cell)
    given = [1.0 if a.score is None else a.score for a in answered if a.score is not NA]
    if not given:
        if len(answered) == len(applicable):
            return MatrixCell(MARK_NA, "Answered as not applicable.", cell)
        return MatrixCell(MARK_UNANSWERED, "Not answered yet.", cell)
    if len(answered) < len(applicable):
        reason = f"Partly answered: {len(answered)} of {len(applicable)} deciding questions."
        return MatrixCell(MARK_INCOMPLETE, reason, cell)
    if all(isinstance(s, float) and s >= MARK_THRESHOLD for s in given):
        return MatrixCell(MARK_IN_PLACE, "In place: every deciding answer is 0.5 or more.", cell)
    return MatrixCell(MARK_INCOMPLETE, "Weak: a deciding answer scores below 0.5.", cell)


# -- internals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answers:
    bank: Bank
    profile: str
    values: Mapping[str, AnswerValue]
    notes: Mapping[str, str]
    evidence: Mapping[str, str]
    applicable: frozenset[str]

    def feeding(self, question_ids: Iterable[str]) -> tuple[FeedingAnswer, ...]:
        """The feeding answers of the questions asked of the profile, in the given order."""
        result = []
        for qid in dict.fromkeys(question_ids):
            question = self.bank.question(qid)
            if question is None or self.profile not in question.profiles:
                continue
            value = self.values.get(qid)
            result.append(
                FeedingAnswer(
                    question=question,
                    applicable=qid in self.applicable,
                    value=value,
                    label=question.label_of(value),
                    note=(self.notes.get(qid) or "").strip(),
                    evidence=(self.evidence.get(qid) or "").strip(),
                    score=question_score(question, value) if value is not None else None,
                )
            )
        return tuple(result)


def _instrument(instrument: Instrument, lookup: _Answers) -> InstrumentReport:
    items = []
    for item in instrument.items:
        answers = lookup.feeding(item.questions)
        items.append(
            ItemReport(instrument.id, item, item_status(answers), answers, draft_entry(answers))
        )
    feeding = {a.question.id: a for report in items for a in report.answers if a.applicable}
    coverage = InstrumentCoverage(
        ready=sum(1 for r in items if r.status == READY),
        partial=sum(1 for r in items if r.status == PARTIAL),
        missing=sum(1 for r in items if r.status == MISSING),
        not_applicable=sum(1 for r in items if r.status == NOT_APPLICABLE),
        answered=sum(1 for a in feeding.values() if a.answered),
        applicable=len(feeding),
    )
    return InstrumentReport(instrument, tuple(items), coverage)


def _matrix(matrix: Matrix, lookup: _Answers) -> MatrixReport:
    rows = tuple(
        MatrixRowReport(
            row.id, row.title, tuple(matrix_cell(lookup.feeding(ids)) for ids in row.cells)
        )
        for row in matrix.rows
    )
    return MatrixReport(matrix.title, matrix.columns, rows)


def _sentence(text: str) -> str:
    """Return the text ending with a full stop (unless it already ends a sentence)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _paragraph(answer: FeedingAnswer) -> str:
    question = answer.question.text.strip()
    if question.endswith("?"):
        parts = [f"{question} {_sentence(answer.label)}"]
    else:
        parts = [f"{question.rstrip('.:')}: {_sentence(answer.label)}"]
    if answer.note:
        parts.append(_sentence(answer.note))
    if answer.evidence:
        parts.append(f"Evidence: {_sentence(answer.evidence)}")
    return " ".join(parts)
