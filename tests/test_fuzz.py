"""Random and malformed form data never causes a server error or a partial write."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assess.extensions import db
from assess.models import Answer, AnswerChange, Assessment, Membership

from .wizard_helpers import create_assessment

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OK_CODES = {200, 302, 400, 403, 404, 409, 413}

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    ["", "0", "-1", "1e309", "NaN", "<script>alert(1)</script>", "x" * 5000, "ﷺ🚀漢字", "\x00"]
)


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Answer.id))),
            db.session.scalar(select(func.count(AnswerChange.id))),
            db.session.scalar(select(func.count(Assessment.id))),
            db.session.scalar(select(func.count(Membership.id))),
        )


@pytest.fixture
def logged_in(app, client, accounts):
    accounts.as_role("owner")
    return create_assessment(client)


def _field_names(app, section_id):
    bank = app.extensions["assess.bank"]
    names = []
    for question in bank.section(section_id).questions_for("state"):
        names += [
            f"{p}-{question.id}" for p in ("answer", "note", "evidence", "version", "resolve")
        ]
    return names + ["next", "back", "save_exit", "csrf_token"]


@FUZZ
@given(data=st.data())
def test_wizard_section_survives_random_posts(app, client, logged_in, data):
    names = _field_names(app, "regime")
    payload = data.draw(
        st.dictionaries(
            st.sampled_from(names) | text, text | st.lists(text, max_size=3), max_size=12
        )
    )
    before = _counts(app)
    response = client.post(f"/assessments/{logged_in}/section/regime", data=payload)
    assert response.status_code in OK_CODES, response.status_code
    if response.status_code != 302:
        after = _counts(app)
        body = response.get_data(as_text=True)
        conflicted = "Someone else changed some answers" in body
        assert after == before or conflicted
    assert "Traceback" not in response.get_data(as_text=True)


@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(["title", "profile", "target", "classification", "baseline", "x"]),
        text,
        max_size=6,
    )
)
def test_new_assessment_survives_random_posts(app, client, logged_in, payload):
    before = _counts(app)
    response = client.post("/assessments/new", data=payload)
    assert response.status_code in OK_CODES
    if response.status_code != 302:
        assert _counts(app) == before


@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(["email", "password", "next", "current", "new", "confirm", "role"]),
        text,
        max_size=5,
    )
)
def test_account_forms_survive_random_posts(app, client, logged_in, payload):
    before = _counts(app)
    for url in ("/account/password", "/organisation/members"):
        response = client.post(url, data=payload)
        assert response.status_code in OK_CODES
    if payload.get("email", "").count("@") != 1:
        assert _counts(app) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


def _document(draw_answers):
    return {
        "format": "assess/assessment@1",
        "bank": {"version": "2026.11"},
        "assessment": {"title": "Fuzzed", "profile": "state", "status": "draft", "target": 75},
        "answers": draw_answers,
    }


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.lists(
            st.fixed_dictionaries(
                {"question": text | st.sampled_from(["REG-02", "SCOPE-03"]), "value": json_values}
            ),
            max_size=5,
        ).map(lambda answers: json.dumps(_document(answers)).encode()),
    )
)
def test_import_survives_random_files(app, client, logged_in, body):

    before = _counts(app)
    response = client.post(
        "/assessments/import",
        data={"file": (io.BytesIO(body), "upload.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code in OK_CODES, response.status_code
    if response.status_code != 302:
        assert _counts(app) == before
