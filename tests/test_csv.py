"""CSV downloads: the answers, and the gaps as a plan of action. They must open cleanly in a
spreadsheet: UTF-8 with BOM, CRLF, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from assess.transfer.spreadsheet import ANSWER_COLUMNS, PLAN_COLUMNS, csv_bytes, safe_cell

from .seed import bank_of, seed, values_for


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark"
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and text.index("\n") == text.index("\r\n") + 1, "CRLF line ends"
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("plain = fine", "plain = fine"),
        ("", ""),
        (None, ""),
        (12.5, 12.5),
        (-3, -3),
    ],
)
def test_safe_cell_guards_formulas(value, expected):
    assert safe_cell(value) == expected


def test_csv_bytes_has_bom_crlf_and_quotes():
    data = csv_bytes([["a", "b"], ['say "hi"', "line 1\nline 2"], ["=1+1", "é ü 漢字"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert rows == [["a", "b"], ['say "hi"', "line 1\nline 2"], ["'=1+1", "é ü 漢字"]]


def test_answers_csv(app, client, accounts):
    bank = bank_of(app)
    values = values_for(bank, "state", "high", 15)
    first, second = list(values)[:2]
    multi = next(q for q in bank.questions_for("state") if q.type == "multi")
    values[multi.id] = [o.value for o in multi.options if not o.na][:2]
    ident = seed(
        app,
        title="CSV review",
        values=values,
        notes={first: '=HYPERLINK("http://evil")', second: "Budget +10%"},
        evidence={first: "@SUM(1)", second: "-1 page"},
        classification="RESTRICTED",
        unknown=[{"question": "OLD-01", "value": "yes", "note": "kept", "evidence": ""}],
    )
    accounts.as_role("viewer")
    response = client.get(f"/assessments/{ident}/answers.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="answers-{ident}.csv"' in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    rows = read_csv(response.data)
    assert rows[0] == list(ANSWER_COLUMNS)
    body = {row[2]: row for row in rows[1:]}
    asked = [q.id for q in bank.questions_for("state")]
    assert [row[2] for row in rows[1 : len(asked) + 1]] == asked  # every question, bank order
    assert all(row[0] == "RESTRICTED" for row in rows[1:])
    row = body[first]
    question = bank.question(first)
    assert row[1] == bank.section(question.section).title and row[3] == question.text
    assert row[4] == question.label_of(values[first]) and row[5] == values[first]
    assert row[6] == '\'=HYPERLINK("http://evil")' and row[7] == "'@SUM(1)"
    assert body[second][6] == "Budget +10%" and body[second][7] == "'-1 page"
    assert body[multi.id][5] == "; ".join(values[multi.id])
    assert body[multi.id][4] == question_label(bank, multi.id, values[multi.id])
    assert row[8] == "yes"
    unanswered = next(r for r in rows[1:] if r[2] not in values and r[2] in asked)
    assert unanswered[4:8] == ["", "", "", ""]
    assert body["OLD-01"][1].startswith("Not in question bank") and body["OLD-01"][6] == "kept"


def question_label(bank, qid, value):
    return bank.question(qid).label_of(tuple(value))


def test_plan_csv_lists_the_gaps_most_severe_first(app, client, accounts):
    bank = bank_of(app)
    ident = seed(app, values=values_for(bank, "state", "low"), target=80, classification="OFFICIAL")
    accounts.as_role("viewer")
    response = client.get(f"/assessments/{ident}/plan.csv")
    assert response.status_code == 200
    assert f'filename="plan-{ident}.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert rows[0] == list(PLAN_COLUMNS)
    assert rows[0][-2:] == ["Owner", "Due date"]
    assert len(rows) > 2
    severities = [float(row[5]) for row in rows[1:]]
    assert severities == sorted(severities, reverse=True)
    for row in rows[1:]:
        marking, rec_id, title, score, target, _severity, priority, action, owner, due = row
        recommendation = bank.recommendation(rec_id)
        assert marking == "OFFICIAL" and title == recommendation.title
        assert float(score) < float(target) == 80
        assert priority == recommendation.priority
        assert action.startswith("1. ") and recommendation.actions[0] in action
        assert owner == "" and due == ""


def test_plan_csv_without_gaps_has_only_the_header(app, client, accounts):
    ident = seed(app, values=values_for(bank_of(app), "state", "high"))
    accounts.as_role("viewer")
    assert read_csv(client.get(f"/assessments/{ident}/plan.csv").data) == [list(PLAN_COLUMNS)]


def test_csv_is_scoped_to_the_organisation_and_linked_from_the_overview(app, client, accounts):
    theirs = seed(app, org="Ministry B")
    mine = seed(app)
    accounts.as_role("viewer")
    for kind in ("answers", "plan"):
        assert client.get(f"/assessments/{theirs}/{kind}.csv").status_code == 404
    overview = client.get(f"/assessments/{mine}/").get_data(as_text=True)
    for link in ("answers.csv", "plan.csv", "export.json", "export.json?anonymised=1"):
        assert f"/assessments/{mine}/{link}" in overview
