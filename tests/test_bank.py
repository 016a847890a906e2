"""The question bank: the real one meets the issue's counts; broken banks fail with file:line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assess.bank import BankError, applicable_questions, load_bank
from assess.cli import main as assess_cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "questions")


def test_real_bank_has_the_promised_content(bank):
    assert len(bank.recommendations) >= 40
    assert len(bank.questions) >= 90
    assert len(bank.questions_for("state")) >= 60
    assert len(bank.questions_for("operator")) >= 45
    assert sum(1 for q in bank.questions if q.show_if) >= 6
    ids = {r.id for r in bank.recommendations}
    principles = {f"CPPNM-FP-{letter}" for letter in "ABCDEFGHIJKL"}
    assert principles <= ids
    assert {"STIMSON-1", "STIMSON-2", "STIMSON-3", "STIMSON-4"} <= ids
    for question in bank.questions:
        assert question.reference, question.id
        assert question.supports, question.id


def test_every_recommendation_is_scored_by_some_question(bank):
    scored = {s.recommendation for q in bank.questions if q.scored for s in q.supports}
    assert {r.id for r in bank.recommendations} <= scored


def test_scoping_answer_hides_transport_questions(bank):
    everything = applicable_questions(bank, "state", {})
    no_transport = applicable_questions(bank, "state", {"SCOPE-03": "no"})
    hidden = everything - no_transport
    assert hidden, "answering 'no international transport' must hide questions"
    assert all(bank.question(q).show_if is not None for q in hidden)


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(MINI, target)
    return target


def _errors(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    return caught.value.errors


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_mini_bank_is_valid():
    assert load_bank(MINI).questions


def test_unknown_key_names_file_and_line(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "20-law.yaml"
    _edit(
        section,
        "    text: How mature is the legislation?",
        "    colour: red\n    text: How mature is the legislation?",
    )
    errors = _errors(bank)
    line = _line_of(section, "colour: red")
    assert f"bank/sections/20-law.yaml:{line}: unknown key 'colour' in a question" in errors


def test_duplicate_question_id(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "20-law.yaml"
    _edit(section, "  - id: L-02", "  - id: L-01")
    errors = _errors(bank)
    assert any(re.match(r".*20-law\.yaml:\d+: duplicate question id 'L-01'", e) for e in errors)


def test_dangling_recommendation(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "20-law.yaml"
    _edit(section, "{recommendation: R-LAW, weight: 3}", "{recommendation: R-NOPE, weight: 3}")
    errors = _errors(bank)
    line = _line_of(section, "R-NOPE")
    assert (
        f"bank/sections/20-law.yaml:{line}: question 'L-01': unknown recommendation 'R-NOPE'"
        in errors
    )


def test_score_outside_range(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "20-law.yaml"
    _edit(
        section,
        "{value: some, label: Some activities, score: 0.4}",
        "{value: some, label: Some activities, score: 1.4}",
    )
    errors = _errors(bank)
    assert any("20-law.yaml:" in e and "score 1.4 of 'some' is outside [0, 1]" in e for e in errors)


def test_condition_on_later_question(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "10-scope.yaml"
    _edit(
        section,
        "    profiles: [state, operator]\n    supports:\n      - {recommendation: R-TRANS, weight: 1}",
        "    profiles: [state, operator]\n    show_if: {question: P-01, in: [advanced]}\n"
        "    supports:\n      - {recommendation: R-TRANS, weight: 1}",
    )
    errors = _errors(bank)
    line = _line_of(section, "show_if: {question: P-01")
    assert (
        f"bank/sections/10-scope.yaml:{line}: question 'S-TRANSPORT': condition on unknown or later question 'P-01'"
        in errors
    )


def test_condition_on_unknown_option(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "20-law.yaml"
    _edit(
        section,
        "    text: Is the law enforced?",
        "    text: Is the law enforced?\n    show_if: {question: S-TRANSPORT, in: [maybe]}",
    )
    errors = _errors(bank)
    assert any("'maybe' is not an option of 'S-TRANSPORT'" in e for e in errors)


def test_unsupported_recommendation(tmp_path):
    bank = _broken_copy(tmp_path)
    recs = bank / "recommendations.yaml"
    recs.write_text(
        recs.read_text()
        + "  - id: R-ORPHAN\n    title: Orphan\n    text: Nobody asks about this.\n"
        "    source: Test\n    priority: low\n    theme: "
        + re.search(r"theme: (\S+)", recs.read_text()).group(1)
        + "\n    actions: [Ask about it]\n"
    )
    errors = _errors(bank)
    line = _line_of(recs, "id: R-ORPHAN")
    assert (
        f"bank/recommendations.yaml:{line}: recommendation 'R-ORPHAN' is supported by no scored question"
        in errors
    )


def test_invalid_yaml_reports_line(tmp_path):
    bank = _broken_copy(tmp_path)
    section = bank / "sections" / "30-protection.yaml"
    section.write_text(section.read_text() + "  - id: [unclosed\n")
    errors = _errors(bank)
    assert any(re.match(r".*30-protection\.yaml:\d+: invalid YAML", e) for e in errors)


def test_cli_check_exits_1_with_file_line_messages(tmp_path):
    from click.testing import CliRunner

    bank = _broken_copy(tmp_path)
    _edit(bank / "sections" / "20-law.yaml", "type: maturity", "type: stars")
    result = CliRunner().invoke(assess_cli, ["bank", "check", "--dir", str(bank)])
    assert result.exit_code == 1
    assert re.search(r"20-law\.yaml:\d+: question 'L-01': unknown type 'stars'", result.output)


def test_cli_check_passes_on_real_bank():
    from click.testing import CliRunner

    result = CliRunner().invoke(assess_cli, ["bank", "check", "--dir", str(ROOT / "questions")])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_bank_dump_is_json_with_scores_and_conditions(runner, bank):
    result = runner.invoke(args=["bank", "dump"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == bank.version
    questions = [q for s in data["sections"] for q in s["questions"]]
    assert len(questions) == len(bank.questions)
    conditional = next(q for q in questions if q["show_if"])
    assert conditional["show_if"]["kind"] in {"in", "not_in", "includes", "all", "any"}
    maturity = next(q for q in questions if q["type"] == "maturity")
    assert [o["score"] for o in maturity["options"]][:5] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert {r["id"] for r in data["recommendations"]} == {r.id for r in bank.recommendations}
