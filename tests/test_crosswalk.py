"""The reporting crosswalk (pure): item statuses, drafted entries, coverage, matrix cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank import Bank, load_bank
from assess.crosswalk import (
    MISSING,
    NOT_APPLICABLE,
    PARTIAL,
    READY,
    FeedingAnswer,
    build_crosswalk,
    draft_entry,
    item_status,
    matrix_cell,
)
from assess.scoring import NA

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT / "questions")


def item(bank, values, instrument, item_id, profile="state", **extra):
    crosswalk = build_crosswalk(bank, profile, values, **extra)
    report = crosswalk.instrument(instrument)
    assert report is not None
    return report.item(item_id)


def feeding(bank, qid, value=None, applicable=True, note="", evidence=""):
    from assess.scoring import question_score

    question = bank.question(qid)
    return FeedingAnswer(
        question=question,
        applicable=applicable,
        value=value,
        label=question.label_of(value),
        note=note,
        evidence=evidence,
        score=question_score(question, value) if value is not None else None,
    )


def test_the_bank_has_the_five_instruments_and_a_matrix_of_twelve_principles(bank):
    ids = [i.id for i in bank.instruments]
    assert ids == ["unscr1540", "cppnm-art14", "infcirc869", "infcirc908", "consolidated-2016"]
    assert [r.id for r in bank.matrix.rows] == list("ABCDEFGHIJKL")
    assert all(len(r.cells) == len(bank.matrix.columns) == 3 for r in bank.matrix.rows)


def test_nothing_answered_is_missing_with_no_draft(bank):
    report = item(bank, {}, "unscr1540", "OP1")
    assert report.status == MISSING
    assert report.draft == ""
    assert (report.answered, report.applicable) == (0, 1)


def test_a_fully_answered_item_is_ready_and_drafted_from_answer_note_and_evidence(bank):
    report = item(
        bank,
        {"LEG-14": "yes"},
        "unscr1540",
        "OP1",
        notes={"LEG-14": "  Set out in the Non-Proliferation Act 2011, section 3  "},
        evidence={"LEG-14": "Act No. 7/2011"},
    )
    assert report.status == READY
    assert report.status_label == "Ready"
    assert report.draft == (
        "Is the State's policy of giving no support of any kind to non-State actors seeking "
        "nuclear weapons or their means of delivery set out in law or official policy? Yes. "
        "Set out in the Non-Proliferation Act 2011, section 3. Evidence: Act No. 7/2011."
    )
    answer = report.answers[0]
    assert (answer.label, answer.note, answer.score) == (
        "Yes",
        "Set out in the Non-Proliferation Act 2011, section 3",
        1.0,
    )


def test_partly_answered_item_drafts_only_the_answers_given_in_item_order(bank):
    values = {"LEG-08": "grave", "LEG-05": "partial"}
    report = item(bank, values, "cppnm-art14", "offences")
    assert report.status == PARTIAL
    paragraphs = report.draft.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Does national law make the acts listed in Art. 7")
    assert paragraphs[0].endswith("? Partly.")
    assert paragraphs[1] == (
        "What penalties apply to the offences in Art. 7? "
        "Specific penalties reflecting their grave nature, for every offence."
    )


def test_questions_hidden_by_scoping_do_not_count(bank):
    # The Amendment is not in force: the smuggling and sabotage offences are not asked.
    values = {"SCOPE-10": "no", "LEG-05": "yes", "LEG-08": "mixed"}
    report = item(bank, values, "cppnm-art14", "offences")
    assert report.status == READY
    hidden = [a.question.id for a in report.answers if not a.applicable]
    assert hidden == ["LEG-06", "LEG-07"]
    assert "smuggling" not in report.draft


def test_an_answer_to_a_hidden_question_is_not_drafted(bank):
    values = {"SCOPE-10": "no", "LEG-06": "yes"}
    report = item(bank, values, "cppnm-art14", "offences")
    assert report.status == MISSING
    assert report.draft == ""


def test_every_feeding_question_hidden_is_not_applicable(bank):
    report = item(bank, {"SCOPE-03": "no"}, "cppnm-art14", "transport")
    assert report.status == NOT_APPLICABLE
    assert report.status_label == "Not applicable"


def test_questions_not_asked_of_the_profile_are_left_out(bank):
    report = item(bank, {}, "unscr1540", "OP1", profile="operator")
    assert report.status == NOT_APPLICABLE
    assert report.answers == ()
    mixed = item(bank, {"GOV-11": "advanced"}, "unscr1540", "OP3a-accounting", profile="operator")
    assert [a.question.id for a in mixed.answers] == ["PRO-08", "GOV-11"]
    assert mixed.status == PARTIAL


def test_a_not_applicable_answer_is_an_answer(bank):
    report = item(bank, {"LEG-10": "na"}, "cppnm-art14", "prosecutions")
    assert report.status == READY
    assert report.draft.endswith("? Not applicable.")


def test_invalid_values_count_as_unanswered(bank):
    report = item(bank, {"LEG-14": "maybe"}, "unscr1540", "OP1")
    assert report.status == MISSING
    assert report.answers[0].value is None


def test_multi_answers_and_statements_are_drafted_as_sentences(bank):
    report = item(bank, {"SCOPE-13": ("inf908", "inf869")}, "infcirc869", "subscription")
    assert report.draft == (
        "Which of these IAEA nuclear-security documents has the State subscribed to? "
        "INFCIRC/869, Strengthening Nuclear Security Implementation; "
        "INFCIRC/908, Mitigating Insider Threats."
    )
    dated = item(bank, {"REP-14": "2024-05-01"}, "cppnm-art14", "submissions")
    assert dated.draft == (
        "Date of the most recent submission of laws and regulations under CPPNM/A "
        "Art. 14(1): 2024-05-01."
    )
    assert dated.status == PARTIAL


def test_a_note_that_ends_a_sentence_keeps_its_punctuation(bank):
    report = item(bank, {"LEG-14": "no"}, "unscr1540", "OP1", notes={"LEG-14": "Planned?"})
    assert report.draft.endswith("? No. Planned?")


def test_coverage_counts_items_and_distinct_feeding_questions(bank):
    values = {"LEG-14": "yes", "LEG-12": "yes", "REG-12": "partial", "LEG-17": "yes"}
    report = build_crosswalk(bank, "state", values).instrument("unscr1540")
    c = report.coverage
    assert c.ready == 3  # OP1, OP2-prohibition, OP3d-export (LEG-17 and REG-12)
    assert c.not_applicable == 0
    assert c.ready + c.partial + c.missing == c.items == len(report.items)
    distinct = {a.question.id for r in report.items for a in r.answers if a.applicable}
    assert c.applicable == len(distinct)
    assert c.answered == 4  # REG-12 feeds two items but counts once
    assert c.percent == pytest.approx(100 * 4 / len(distinct))


def test_coverage_of_an_instrument_that_does_not_apply(bank):
    operator = build_crosswalk(bank, "operator", {})
    coverage = operator.instrument("cppnm-art14").coverage
    assert coverage.items < len(operator.instrument("cppnm-art14").items)
    assert build_crosswalk(bank, "operator", {}).instrument("nope") is None


def test_explicit_applicable_set_is_used(bank):
    report = item(bank, {"LEG-14": "yes"}, "unscr1540", "OP1", applicable=frozenset())
    assert report.status == NOT_APPLICABLE


def test_item_status_and_draft_helpers(bank):
    answered = feeding(bank, "REG-04", "yes")
    open_ = feeding(bank, "REG-06")
    hidden = feeding(bank, "REG-10", "yes", applicable=False)
    assert item_status([answered, open_]) == PARTIAL
    assert item_status([answered, hidden]) == READY
    assert item_status([open_]) == MISSING
    assert item_status([hidden]) == NOT_APPLICABLE
    assert item_status([]) == NOT_APPLICABLE
    assert draft_entry([hidden, open_]) == ""


def matrix_row(bank, values, row_id, profile="state"):
    matrix = build_crosswalk(bank, profile, values).matrix
    return next(r for r in matrix.rows if r.id == row_id)


def test_matrix_cells_from_answers(bank):
    values = {"REG-07": "yes", "REG-04": "yes", "PRO-11": "no", "REG-08": "established"}
    row = matrix_row(bank, values, "C")
    assert [c.mark for c in row.cells] == ["X", "?", "?"]
    assert row.cells[1].reason.startswith("Weak")
    assert row.cells[2].reason == "Partly answered: 1 of 2 deciding questions."
    assert [a.question.id for a in row.cells[2].answers] == ["REG-08", "REG-09"]


def test_matrix_threshold_is_half(bank):
    row = matrix_row(bank, {"REG-07": "partial", "REG-08": "initial", "REG-09": "yes"}, "C")
    assert row.cells[0].mark == "X"  # 0.5 counts as in place
    assert row.cells[2].mark == "?"  # 0.25 is weak


def test_matrix_unanswered_and_not_applicable_cells(bank):
    assert [c.mark for c in matrix_row(bank, {}, "C").cells] == ["", "", ""]
    # No international transport: every question deciding principle B is hidden.
    assert [c.mark for c in matrix_row(bank, {"SCOPE-03": "no"}, "B").cells] == ["NA"] * 3
    # An operator is not asked the State's questions on principle A.
    assert [c.mark for c in matrix_row(bank, {}, "A", "operator").cells] == ["NA"] * 3


def test_matrix_cell_answered_not_applicable(bank):
    na = feeding(bank, "REG-11", "na")
    assert na.score is NA
    assert matrix_cell([na]).mark == "NA"
    assert matrix_cell([na, feeding(bank, "CON-04")]).mark == ""
    assert matrix_cell([na, feeding(bank, "CON-04", "yes")]).mark == "X"
    assert matrix_cell([feeding(bank, "CON-04", "no")]).mark == "?"
    assert matrix_cell([]).mark == "NA"
