"""Export and import of `assess/assessment@1` JSON: the format, anonymising, validation with
a message naming each problem and its place, nothing stored on error, unknown question ids
kept aside, and the round trip (also as property tests)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assess import create_app
from assess.bank import Bank, Question
from assess.extensions import db
from assess.models import Answer, Assessment
from assess.operations import answers_by_question, scorecard_for
from assess.scoring import AnswerSet, score
from assess.transfer.document import (
    FORMAT,
    AnswerRecord,
    InvalidDocument,
    Meta,
    answer_value,
    export_document,
)
from assess.transfer.store import export_assessment, import_assessment
from assess.transfer.validate import parse_document, read_document

from .conftest import Accounts
from .seed import bank_of, organisation_id, seed, values_for

MB = 1024 * 1024


def question_of(bank: Bank, kind: str, profile: str = "state") -> Question:
    return next(q for q in bank.questions_for(profile) if q.type == kind)


def valid_document(bank: Bank, /, **changes) -> dict:
    """A small valid document; `changes` replace top-level parts."""
    choice = next(
        q for q in bank.questions_for("state") if q.type == "yes_partial_no" and q.id != "REG-02"
    )
    multi = question_of(bank, "multi")
    document = {
        "format": FORMAT,
        "bank": {"version": bank.version},
        "assessment": {
            "title": "Imported review",
            "profile": "state",
            "status": "draft",
            "target": 70,
            "classification": "OFFICIAL - SENSITIVE",
            "created_at": "2024-02-01T10:00:00+00:00",
            "updated_at": "2024-03-01T10:00:00+00:00",
        },
        "answers": [
            {"question": choice.id, "value": "partial", "note": "n", "evidence": "e"},
            {"question": multi.id, "value": [multi.options[0].value], "note": "", "evidence": ""},
        ],
    }
    document.update(changes)
    return document


def upload(client, content: bytes | str, name: str = "assessment.json"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/assessments/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Assessment.id))),
            db.session.scalar(select(func.count(Answer.id))),
        )


def scorecard_json(app, assessment_id: int) -> dict:
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        card = scorecard_for(bank_of(app), assessment, answers_by_question(assessment).values())
        return card.to_json()


# -- export --------------------------------------------------------------------------------


def test_export_json_is_the_documented_format(app, client, accounts):
    bank = bank_of(app)
    values = values_for(bank, "state", "high", 12)
    first = next(iter(values))
    ident = seed(
        app,
        title="Review 2025",
        values=values,
        notes={first: "A note"},
        evidence={first: "Decree 7"},
        updated_at=datetime(2025, 5, 1, 8, 30, tzinfo=UTC),
    )
    accounts.as_role("viewer")
    response = client.get(f"/assessments/{ident}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert f'filename="assessment-{ident}.json"' in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    document = response.get_json()
    assert set(document) == {"format", "bank", "assessment", "answers"}
    assert document["format"] == "assess/assessment@1"
    assert document["bank"] == {"version": bank.version}
    assert set(document["assessment"]) == {
        "title",
        "profile",
        "status",
        "target",
        "classification",
        "created_at",
        "updated_at",
    }
    assert document["assessment"]["updated_at"] == "2025-05-01T08:30:00+00:00"
    assert document["assessment"]["title"] == "Review 2025"
    assert len(document["answers"]) == 12
    assert all(set(a) == {"question", "value", "note", "evidence"} for a in document["answers"])
    assert document["answers"][0] == {
        "question": first,
        "value": values[first],
        "note": "A note",
        "evidence": "Decree 7",
    }


def test_anonymised_export_leaves_out_organisation_people_notes_evidence_and_free_text(
    app, client, accounts
):
    bank = bank_of(app)
    text_q = question_of(bank, "text")
    values = {**values_for(bank, "state", "high", 10), text_q.id: "Ministry A, unit of Jane Doe"}
    first = next(iter(values))
    ident = seed(
        app,
        title="Ministry A review",
        values=values,
        notes={first: "Ask Jane Doe"},
        evidence={first: "Letter from Ministry A"},
    )
    email = accounts.as_role("editor")
    with app.app_context():  # someone made the last change
        db.session.get(Assessment, ident).updated_by_id = 1
        db.session.commit()
    raw = client.get(f"/assessments/{ident}/export.json?anonymised=1").get_data(as_text=True)
    for secret in ("Ministry A", "Jane Doe", email, "Letter"):
        assert secret not in raw
    document = json.loads(raw)
    assert document["assessment"]["title"] == "Anonymised state assessment"
    assert all(a["note"] == "" and a["evidence"] == "" for a in document["answers"])
    assert text_q.id not in {a["question"] for a in document["answers"]}
    # anonymising changes no score: free text is never scored
    imported = import_file(app, document)
    assert scorecard_json(app, imported)["overall"] == scorecard_json(app, ident)["overall"]


def test_cli_export_matches_the_web_export(app, client, accounts, runner):
    ident = seed(app, values=values_for(bank_of(app), "operator", "low", 8), profile="operator")
    accounts.as_role("viewer")
    for suffix, flags in (("", []), ("?anonymised=1", ["--anonymised"])):
        result = runner.invoke(args=["export", str(ident), *flags])
        assert result.exit_code == 0, result.output
        assert (
            json.loads(result.output)
            == client.get(f"/assessments/{ident}/export.json{suffix}").get_json()
        )
    result = runner.invoke(args=["export", "999"])
    assert result.exit_code == 1 and "There is no assessment 999" in result.output


def test_export_is_scoped_to_the_organisation(app, client, accounts):
    theirs = seed(app, org="Ministry B")
    accounts.as_role("owner")
    assert client.get(f"/assessments/{theirs}/export.json").status_code == 404


# -- import: success -----------------------------------------------------------------------


def import_file(app, document: dict, org: str = "Ministry A") -> int:
    """Import a document directly (no HTTP); return the new id."""
    with app.app_context():
        bank = bank_of(app)
        imported = parse_document(json.dumps(document).encode(), bank)
        assessment, _ = import_assessment(bank, organisation_id(org), None, imported)
        db.session.commit()
        return assessment.id


def test_import_stores_a_new_assessment_with_scores(app, client, accounts):
    accounts.as_role("editor")
    bank = bank_of(app)
    document = valid_document(bank, bank={"version": "2025.1"})
    response = upload(client, json.dumps(document))
    assert response.status_code == 302
    ident = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    page = client.get(response.location).get_data(as_text=True)
    assert "Imported &#39;Imported review&#39;" in page
    assert "answered with question bank 2025.1" in page
    with app.app_context():
        assessment = db.session.get(Assessment, ident)
        assert assessment.bank_version == "2025.1"  # recorded from the file
        assert (assessment.title, assessment.target, assessment.status) == (
            "Imported review",
            70,
            "draft",
        )
        assert assessment.updated_at.replace(tzinfo=UTC) == datetime(2024, 3, 1, 10, tzinfo=UTC)
        assessment_answers = answers_by_question(assessment)
        card = scorecard_for(bank, assessment, assessment_answers.values())
        assert assessment.overall_score == card.overall and assessment.overall_score is not None
        assert assessment.coverage == pytest.approx(card.coverage.ratio)
        choice = valid_document(bank)["answers"][0]["question"]
        assert assessment_answers[choice].note == "n"
        assert assessment.organisation.name == "Ministry A"


def test_unknown_question_ids_are_kept_aside_with_a_warning(app, client, accounts):
    accounts.as_role("editor")
    bank = bank_of(app)
    document = valid_document(bank)
    unknown = [
        {"question": "OLD-07", "value": "yes", "note": "kept", "evidence": ""},
        {"question": "GONE-01", "value": ["a", "b"], "note": "", "evidence": "x"},
    ]
    document["answers"] += unknown
    response = upload(client, json.dumps(document))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "kept aside, not scored: OLD-07, GONE-01" in page
    ident = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    with app.app_context():
        assessment = db.session.get(Assessment, ident)
        assert assessment.unknown_answers == unknown
        assert set(answers_by_question(assessment)) == {
            a["question"] for a in document["answers"][:2]
        }
    # exported again, so that nothing is lost on the way through
    again = client.get(f"/assessments/{ident}/export.json").get_json()
    assert again["answers"][-2:] == unknown


def test_import_page_and_roles(app, client, accounts):
    accounts.as_role("viewer")
    assert client.get("/assessments/import").status_code == 403
    assert upload(client, json.dumps(valid_document(bank_of(app)))).status_code == 403
    accounts.logout()
    accounts.as_role("editor")
    page = client.get("/assessments/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "5 MB" in page
    assert counts(app) == (0, 0)


# -- import: errors, each with its message, nothing stored -----------------------------------


def _bad_value(bank):
    document = valid_document(bank)
    document["answers"].insert(
        0, {"question": "REG-01", "value": "advanced", "note": "", "evidence": ""}
    )
    document["answers"].append({"question": "REG-02", "value": "maybe", "note": "", "evidence": ""})
    return json.dumps(document)


def _missing_keys(bank):
    document = valid_document(bank)
    del document["assessment"]["profile"]
    document["answers"][1] = {"question": document["answers"][1]["question"], "value": None}
    return json.dumps(document)


def _wrong_types(bank):
    document = valid_document(bank)
    document["assessment"].update(target=150, status="done", created_at="yesterday")
    multi = question_of(bank, "multi")
    document["answers"][1]["value"] = [multi.options[0].value, "bogus"]
    return json.dumps(document)


def _twice(bank):
    document = valid_document(bank)
    document["answers"].append(dict(document["answers"][0]))
    return json.dumps(document)


ERRORS = [
    (
        "malformed",
        lambda bank: '{"format": "assess/assessment@1",\n "bank": }',
        "line 2, column 10: malformed JSON",
    ),
    ("not utf-8", lambda bank: b"\xff\xfe{}", "file: not UTF-8 text"),
    ("not an object", lambda bank: "[1, 2]", "(document): expected a JSON object, got a list"),
    (
        "wrong format",
        lambda bank: json.dumps(valid_document(bank, format="assess/assessment@2")),
        "format: 'assess/assessment@2' is not 'assess/assessment@1'",
    ),
    ("no format", lambda bank: json.dumps({"answers": []}), "format: missing"),
    ("bad value", _bad_value, "answers[3].value: 'maybe' is not an option of REG-02"),
    ("missing keys", _missing_keys, "assessment.profile: missing"),
    ("missing answer keys", _missing_keys, "answers[1]: missing note, evidence"),
    (
        "no answers",
        lambda bank: json.dumps({k: v for k, v in valid_document(bank).items() if k != "answers"}),
        "answers: missing",
    ),
    ("target", _wrong_types, "assessment.target: 150 is not a whole number from 0 to 100"),
    ("status", _wrong_types, "assessment.status: 'done' is not one of draft, final"),
    ("date", _wrong_types, "assessment.created_at: 'yesterday' is not an ISO 8601 date and time"),
    ("multi", _wrong_types, "answers[1].value[1]: 'bogus' is not an option of"),
    ("twice", _twice, "answers[2].question: "),
]


def test_import_errors_name_the_problem_and_store_nothing(app, client, accounts):
    accounts.as_role("editor")
    for name, make, message in ERRORS:
        response = upload(client, make(bank_of(app)))
        assert response.status_code == 400, name
        html = response.get_data(as_text=True)
        assert "nothing was stored" in html, name
        assert message in html.replace("&#39;", "'").replace("&#34;", '"'), name
    assert counts(app) == (0, 0)


def test_import_without_a_file(app, client, accounts):
    accounts.as_role("editor")
    response = client.post("/assessments/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file to import." in response.get_data(
        as_text=True
    )


def test_oversized_upload_gets_a_clear_413_page(app, app_config):
    """With CSRF on, as in production: the limit is hit while the token is read."""
    csrf_app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = csrf_app.test_client()
    Accounts(csrf_app, client).create("ed@example.org", role="editor")
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get("/login").get_data(as_text=True),
    ).group(1)
    client.post(
        "/login",
        data={
            "email": "ed@example.org",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    big = b'{"format": "assess/assessment@1", "pad": "' + b"x" * (5 * MB) + b'"}'
    response = client.post(
        "/assessments/import",
        data={"csrf_token": token, "file": (io.BytesIO(big), "big.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than the 5 MB limit" in html and "Nothing was stored" in html
    assert 'type="file"' in html  # the form again, to try another file
    assert counts(csrf_app) == (0, 0)
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_parse_document_checks_the_size_itself(app):
    with pytest.raises(InvalidDocument, match="over the 5 MB limit"):
        parse_document(b" " * (5 * MB + 1), bank_of(app))


# -- the command line ----------------------------------------------------------------------


def test_cli_import_prints_the_new_id_and_warns(app, runner, tmp_path):
    seed(app, title="Existing")  # creates Ministry A
    document = valid_document(bank_of(app))
    document["answers"].append({"question": "OLD-07", "value": "yes", "note": "", "evidence": ""})
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(args=["import", str(path), "--org", "Ministry A"])
    assert result.exit_code == 0, result.output
    ident = int(result.stdout.strip())
    assert "Warning:" in result.stderr and "OLD-07" in result.stderr
    with app.app_context():
        assert db.session.get(Assessment, ident).organisation.name == "Ministry A"


def test_cli_import_errors_exit_1_and_store_nothing(app, runner, tmp_path):
    seed(app, title="Existing")
    before = counts(app)
    path = tmp_path / "in.json"
    for name, make, message in ERRORS:
        content = make(bank_of(app))
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        result = runner.invoke(args=["import", str(path), "--org", "Ministry A"])
        assert result.exit_code == 1, name
        assert message in result.stderr and "Nothing was stored." in result.stderr, name
    assert counts(app) == before


def test_cli_import_checks_size_and_organisation(app, runner, tmp_path):
    seed(app, title="Existing")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * MB + 1))
    result = runner.invoke(args=["import", str(big), "--org", "Ministry A"])
    assert result.exit_code == 1 and "over the 5 MB limit" in result.stderr
    good = tmp_path / "good.json"
    good.write_text(json.dumps(valid_document(bank_of(app))))
    result = runner.invoke(args=["import", str(good), "--org", "Nobody"])
    assert result.exit_code == 1 and "There is no organisation 'Nobody'" in result.stderr
    result = runner.invoke(args=["import", str(tmp_path / "absent.json"), "--org", "Ministry A"])
    assert result.exit_code == 1 and "cannot read it" in result.stderr
    assert counts(app)[0] == 1


# -- round trip ------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_answers_and_scores(
    app, client, accounts, runner, tmp_path
):
    bank = bank_of(app)
    values = values_for(bank, "state", "low")
    values.update(dict(list(values_for(bank, "state", "high").items())[::3]))
    notes = {qid: f"note {qid}" for qid in list(values)[::5]}
    original = seed(app, title="Round trip", values=values, notes=notes, status="final", target=60)
    accounts.as_role("editor")
    exported = client.get(f"/assessments/{original}/export.json").get_data()
    response = upload(client, exported)
    assert response.status_code == 302
    copy = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    again = client.get(f"/assessments/{copy}/export.json").get_data()
    assert json.loads(again) == json.loads(exported)
    assert scorecard_json(app, copy) == scorecard_json(app, original)
    # and through the command line
    path = tmp_path / "export.json"
    path.write_text(runner.invoke(args=["export", str(original)]).output)
    result = runner.invoke(args=["import", str(path), "--org", "Ministry A"])
    third = int(result.stdout.strip())
    assert scorecard_json(app, third) == scorecard_json(app, original)


def stored_values(question: Question) -> st.SearchStrategy:
    """Valid stored values of a question, as the wizard stores them."""
    if question.type == "multi":
        return st.lists(
            st.sampled_from([o.value for o in question.options]), min_size=1, unique=True
        )
    if question.options:
        return st.sampled_from([o.value for o in question.options])
    if question.type == "number":
        return st.integers(-(10**6), 10**6).map(str)
    if question.type == "date":
        return st.dates().map(lambda d: d.isoformat())
    return st.text(CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)


CHARS = st.characters(exclude_categories=("Cs", "Cc"))  # PostgreSQL text holds no NUL
FREE_TEXT = st.text(CHARS, max_size=30).map(str.strip)


@st.composite
def answer_sets(draw, bank: Bank) -> tuple[str, list[AnswerRecord]]:
    profile = draw(st.sampled_from(["state", "operator"]))
    records = []
    for question in bank.questions_for(profile):
        if draw(st.booleans()):
            records.append(
                AnswerRecord(
                    question.id, draw(stored_values(question)), draw(FREE_TEXT), draw(FREE_TEXT)
                )
            )
    return profile, records


def scores(bank: Bank, profile: str, target: int, records) -> dict:
    values = {
        r.question: answer_value(r.value) for r in records if answer_value(r.value) is not None
    }
    return score(bank, AnswerSet(profile, target, values)).to_json()


PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


@PROPERTY
@given(data=st.data())
def test_round_trip_property_in_the_core(app, data):
    bank = bank_of(app)
    profile, records = data.draw(answer_sets(bank))
    target = data.draw(st.integers(0, 100))
    meta = Meta(
        "T",
        profile,
        data.draw(st.sampled_from(["draft", "final"])),
        target,
        "OFFICIAL",
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 2, 1, tzinfo=UTC),
    )
    document = export_document(bank, bank.version, meta, records)
    back = read_document(json.loads(json.dumps(document)), bank)
    assert back.meta == meta and back.unknown == () and back.bank_version == bank.version
    assert list(back.answers) == records
    assert scores(bank, profile, target, back.answers) == scores(bank, profile, target, records)


@settings(PROPERTY, max_examples=12)
@given(data=st.data())
def test_round_trip_property_through_the_database(app, data):
    bank = bank_of(app)
    profile, records = data.draw(answer_sets(bank))
    values = {r.question: r.value for r in records}
    ident = seed(
        app,
        profile=profile,
        values=values,
        notes={r.question: r.note for r in records},
        evidence={r.question: r.evidence for r in records},
    )
    with app.app_context():
        document = export_assessment(bank, db.session.get(Assessment, ident))
    copy = import_file(app, document)
    with app.app_context():
        again = export_assessment(bank, db.session.get(Assessment, copy))
    assert again == document
    assert scorecard_json(app, copy) == scorecard_json(app, ident)


def test_import_refuses_nul_characters_and_names_the_place(app, client, accounts):
    accounts.as_role("editor")
    document = {
        "format": "assess/assessment@1",
        "bank": {"version": app.extensions["assess.bank"].version},
        "assessment": {"title": "With NUL", "profile": "state"},
        "answers": [{"question": "REG-02", "value": "yes", "note": "bad\u0000note"}],
    }
    response = client.post(
        "/assessments/import",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "nul.json")},
        content_type="multipart/form-data",
    )
    assert "answers[0].note: contains a NUL character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 0
