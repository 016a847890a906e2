"""CSV files of an assessment that open cleanly in a spreadsheet. Pure: no Flask, no I/O.

UTF-8 with a byte-order mark (so that Excel reads the accents), CRLF line ends, every cell
quoted when needed; text beginning with = + - @ (or a tab or carriage return) gets a leading
single quote, so that a spreadsheet shows it instead of running it as a formula. Each row
starts with the confidentiality marking, as everything the application produces carries it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from ..bank import Bank, applicable_questions
from ..scoring import Scorecard, clean_answers, display
from .document import AnswerRecord, answer_value

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ANSWER_COLUMNS = (
    "Marking",
    "Section",
    "Question ID",
    "Question",
    "Answer",
    "Value",
    "Note",
    "Evidence",
    "Applicable",
)
PLAN_COLUMNS = (
    "Marking",
    "Recommendation",
    "Title",
    "Score",
    "Target",
    "Severity",
    "Priority",
    "Action",
    "Owner",
    "Due date",
)


def safe_cell(value: object) -> object:
    """Return a cell's content: numbers as they are, text guarded against formula injection."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Return the rows as CSV bytes: UTF-8 with BOM, CRLF line ends, cells guarded."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + out.getvalue()).encode("utf-8")


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def answer_rows(
    bank: Bank,
    profile: str,
    marking: str,
    answers: Mapping[str, AnswerRecord],
    kept_aside: Iterable[AnswerRecord] = (),
) -> list[list[object]]:
    """Return the answers sheet (header first): every question asked of the profile, in
    bank order, answered or not; then answers to questions the bank does not have."""
    values = {}
    for qid, record in answers.items():
        value = answer_value(record.value)
        if value is not None:
            values[qid] = value
    applicable = applicable_questions(bank, profile, clean_answers(bank, values))
    rows: list[list[object]] = [list(ANSWER_COLUMNS)]
    for section in bank.sections_for(profile):
        for question in section.questions_for(profile):
            record = answers.get(question.id)
            value = values.get(question.id)
            rows.append(
                [
                    marking,
                    section.title,
                    question.id,
                    question.text,
                    question.label_of(value),
                    _shown(value),
                    record.note if record else "",
                    record.evidence if record else "",
                    "yes" if question.id in applicable else "no",
                ]
            )
    others = [r for qid, r in answers.items() if bank.question(qid) is None]
    for record in [*others, *kept_aside]:
        section = f"Not in question bank {bank.version}"
        value = _shown(record.value)
        rows.append(
            [
                marking,
                section,
                record.question,
                "",
                value,
                value,
                record.note,
                record.evidence,
                "no",
            ]
        )
    return rows


def plan_rows(bank: Bank, card: Scorecard, marking: str) -> list[list[object]]:
    """Return the plan of action (header first): one row per gap, most severe first, with
    the recommendation's actions, and the Owner and Due date columns left for the user."""
    rows: list[list[object]] = [list(PLAN_COLUMNS)]
    for gap in card.gaps:
        actions = gap.actions or bank.recommendation(gap.recommendation).actions
        action = "\n".join(f"{i}. {text}" for i, text in enumerate(actions, start=1))
        rows.append(
            [
                marking,
                gap.recommendation,
                gap.title,
                display(gap.score),
                display(gap.target),
                display(gap.severity),
                gap.priority,
                action,
                "",
                "",
            ]
        )
    return rows
