"""The wizard through the test client: both profiles, conditions, resume, errors, conflicts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assess.extensions import db
from assess.models import Answer, AnswerChange, Assessment

from .wizard_helpers import best_answer, create_assessment, first_answer, save_section


def bank_of(app):
    return app.extensions["assess.bank"]


def stored_answers(app, assessment_id: int) -> dict[str, Answer]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
        return {a.question_id: a for a in rows}


def visible_question_ids(html: str) -> set[str]:
    """Ids of questions shown on a section page (not carrying the `hidden` attribute)."""
    shown = set()
    for match in re.finditer(r'<section class="question[^"]*"\s+id="q-([A-Z0-9-]+)"([^>]*)>', html):
        if not re.search(r"\bhidden\b", match.group(2)):
            shown.add(match.group(1))
    return shown


def test_new_assessment_form_has_defaults_and_records_bank_version(app, client, accounts):
    accounts.as_role("editor")
    page = client.get("/assessments/new").get_data(as_text=True)
    assert 'value="75"' in page
    assert 'value="OFFICIAL - SENSITIVE"' in page
    assessment_id = create_assessment(client, title="National regime 2026")
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.bank_version == bank_of(app).version
        assert assessment.status == "draft"
        assert assessment.target == 75


def test_new_assessment_rejects_bad_input_and_stores_nothing(app, client, accounts):
    accounts.as_role("editor")
    response = client.post(
        "/assessments/new",
        data={
            "title": "",
            "profile": "martian",
            "target": "150",
            "classification": "X",
            "baseline": "0",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This field is required." in html
    assert "Not a valid choice" in html
    assert "Number must be between 1 and 100." in html
    with app.app_context():
        assert db.session.scalar(select(Assessment)) is None


@pytest.mark.parametrize("profile", ["state", "operator"])
def test_complete_wizard_with_next_reaches_review_with_everything_answered(
    app, client, accounts, profile
):
    accounts.as_role("editor")
    assessment_id = create_assessment(client, profile=profile)
    bank = bank_of(app)
    sections = bank.sections_for(profile)
    response = None
    for section in sections:
        page = client.get(f"/assessments/{assessment_id}/section/{section.id}").get_data(
            as_text=True
        )
        shown = visible_question_ids(page)
        answers = {q.id: best_answer(q) for q in section.questions_for(profile) if q.id in shown}
        response = save_section(client, assessment_id, section.id, answers)
        # answers may open more questions on the same page: answer those too
        while response.location and f"/section/{section.id}#" in response.location:
            page = client.get(f"/assessments/{assessment_id}/section/{section.id}").get_data(
                as_text=True
            )
            shown = visible_question_ids(page)
            answers = {
                q.id: best_answer(q) for q in section.questions_for(profile) if q.id in shown
            }
            response = save_section(client, assessment_id, section.id, answers)
    assert response.location.endswith(f"/assessments/{assessment_id}/review")
    review = client.get(response.location).get_data(as_text=True)
    assert "Every question that applies is answered." in review
    overview = client.get(f"/assessments/{assessment_id}/").get_data(as_text=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.coverage == 1.0
        assert assessment.overall_score == pytest.approx(100.0)
    total = re.search(r"Overall progress: (\d+) of (\d+) questions answered", overview)
    assert total and total.group(1) == total.group(2)


def test_scoping_answer_hides_dependent_questions_without_javascript(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    before = client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    assert "REG-10" in visible_question_ids(before)
    save_section(client, assessment_id, "scope", {"SCOPE-03": "no"}, action="save_exit")
    after = client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    assert "REG-10" not in visible_question_ids(after)
    assert "REG-01" in visible_question_ids(after)


def test_answer_hidden_by_later_scoping_change_is_kept_and_not_scored(
    app, client, accounts, runner
):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    save_section(client, assessment_id, "scope", {"SCOPE-03": "yes"}, action="save_exit")
    save_section(client, assessment_id, "regime", {"REG-10": "yes"}, action="save_exit")
    save_section(client, assessment_id, "scope", {"SCOPE-03": "no"}, action="save_exit")
    assert stored_answers(app, assessment_id)["REG-10"].value == "yes"
    page = client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    assert "REG-10" in visible_question_ids(page)  # shown, because it holds an answer
    assert "Kept but not scored" in page
    review = client.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert "Answers kept but not scored (1)" in review
    import json

    card = json.loads(runner.invoke(args=["score", str(assessment_id)]).output)
    assert "REG-10" in card["hidden_answered"]


def test_save_and_exit_then_resume_where_the_user_left_off(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    response = save_section(
        client, assessment_id, "regime", {"REG-01": "developing"}, action="save_exit"
    )
    assert response.location.endswith(f"/assessments/{assessment_id}/")
    overview = client.get(response.location).get_data(as_text=True)
    regime = bank_of(app).section("regime")
    assert f"Resume: {regime.title}" in overview
    assert f'href="/assessments/{assessment_id}/section/regime">Resume' in overview
    assert re.search(r"1 / \d+", overview)
    page = client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    assert re.search(r'value="developing"[^>]*checked|checked[^>]*value="developing"', page)


def test_back_saves_and_goes_to_previous_section(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    response = save_section(client, assessment_id, "regime", {"REG-02": "partial"}, action="back")
    assert response.location.endswith(f"/assessments/{assessment_id}/section/scope")
    assert stored_answers(app, assessment_id)["REG-02"].value == "partial"


def test_note_and_evidence_are_saved(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    save_section(
        client,
        assessment_id,
        "regime",
        {"REG-02": "yes"},
        **{"note-REG-02": "Act of 2019, s. 4", "evidence-REG-02": "Doc 17"},
    )
    answer = stored_answers(app, assessment_id)["REG-02"]
    assert (answer.note, answer.evidence) == ("Act of 2019, s. 4", "Doc 17")


def test_validation_error_is_shown_beside_the_field_and_keeps_what_was_typed(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    bank = bank_of(app)
    number = next(q for q in bank.questions_for("state") if q.type == "number")
    section = bank.section(number.section)
    other = (
        next(q for q in section.questions_for("state") if q.type == "text" and q.id != number.id)
        if any(q.type == "text" for q in section.questions_for("state"))
        else None
    )
    answers = {number.id: "twelve"}
    if other:
        answers[other.id] = "Ministry of Energy <units>"
    response = save_section(
        client, assessment_id, section.id, answers, **{f"note-{number.id}": "typed note"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter a number, for example 12 or 3.5." in html
    assert f'id="answer-{number.id}-errors"' in html
    assert 'value="twelve"' in html
    assert "typed note" in html
    if other:
        assert "Ministry of Energy &lt;units&gt;" in html
    assert stored_answers(app, assessment_id) == {}


def test_invalid_option_value_is_refused(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    response = save_section(client, assessment_id, "regime", {"REG-02": "maybe"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert stored_answers(app, assessment_id) == {}


def test_stale_page_does_not_overwrite_a_newer_answer(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    other = app.test_client()
    accounts.create("colleague@ministrya.example", role="editor")
    accounts.login("colleague@ministrya.example", client=other)

    stale = save_section.__globals__["page_versions"](
        client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    )
    save_section(other, assessment_id, "regime", {"REG-02": "yes"}, action="save_exit")
    response = save_section(
        client, assessment_id, "regime", {"REG-02": "no", "REG-03": "partial"}, versions=stale
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else changed some answers" in html
    assert "colleague@ministrya.example" in html
    assert re.search(r"Mine: <strong>No</strong>", html)
    assert re.search(r"Theirs: <strong>Yes</strong>", html)
    answers = stored_answers(app, assessment_id)
    assert answers["REG-02"].value == "yes"  # the newer answer survived
    assert answers["REG-03"].value == "partial"  # the rest of the page was saved

    # The user keeps their own answer: resubmit the page as shown, "mine" chosen.
    from .wizard_helpers import page_versions

    versions = page_versions(html)
    response = save_section(
        client,
        assessment_id,
        "regime",
        {"REG-02": "no", "REG-03": "partial"},
        versions=versions,
        **{"resolve-REG-02": "mine"},
    )
    assert response.status_code == 302
    assert stored_answers(app, assessment_id)["REG-02"].value == "no"


def test_stale_page_user_can_keep_the_other_answer(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    other = app.test_client()
    accounts.create("colleague@ministrya.example", role="editor")
    accounts.login("colleague@ministrya.example", client=other)
    from .wizard_helpers import page_versions

    stale = page_versions(
        client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    )
    save_section(other, assessment_id, "regime", {"REG-02": "yes"}, action="save_exit")
    html = save_section(client, assessment_id, "regime", {"REG-02": "no"}, versions=stale).get_data(
        as_text=True
    )
    response = save_section(
        client,
        assessment_id,
        "regime",
        {"REG-02": "no"},
        versions=page_versions(html),
        **{"resolve-REG-02": "theirs"},
    )
    assert response.status_code == 302
    assert stored_answers(app, assessment_id)["REG-02"].value == "yes"


def test_every_change_is_recorded_with_who_when_old_and_new(app, client, accounts):
    email = accounts.as_role("editor")
    assessment_id = create_assessment(client)
    save_section(client, assessment_id, "regime", {"REG-02": "no"})
    save_section(client, assessment_id, "regime", {"REG-02": "yes"})
    with app.app_context():
        changes = db.session.scalars(
            select(AnswerChange)
            .where(AnswerChange.question_id == "REG-02")
            .order_by(AnswerChange.id)
        ).all()
        assert [(c.old and c.old["value"], c.new["value"]) for c in changes] == [
            (None, "no"),
            ("no", "yes"),
        ]
        assert all(c.user.email == email and c.changed_at for c in changes)


def test_finalise_makes_the_assessment_read_only(app, client, accounts):
    accounts.as_role("owner")
    assessment_id = create_assessment(client)
    save_section(client, assessment_id, "regime", {"REG-02": "no"})
    assert client.post(f"/assessments/{assessment_id}/finalise").status_code == 302
    page = client.get(f"/assessments/{assessment_id}/section/regime").get_data(as_text=True)
    assert "This assessment is final" in page
    assert "Save and continue" not in page
    response = save_section(client, assessment_id, "regime", {"REG-02": "yes"})
    assert response.status_code == 409
    assert stored_answers(app, assessment_id)["REG-02"].value == "no"
    assert client.post(f"/assessments/{assessment_id}/reopen").status_code == 302
    assert save_section(client, assessment_id, "regime", {"REG-02": "yes"}).status_code == 302


def test_only_owners_finalise(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    assert client.post(f"/assessments/{assessment_id}/finalise").status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == "draft"


def test_viewer_reads_but_cannot_save(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    accounts.logout()
    viewer = app.test_client()
    accounts.create("viewer@ministrya.example", role="viewer")
    accounts.login("viewer@ministrya.example", client=viewer)
    page = viewer.get(f"/assessments/{assessment_id}/section/regime")
    assert page.status_code == 200
    assert "Your role lets you read these answers" in page.get_data(as_text=True)
    assert save_section(viewer, assessment_id, "regime", {"REG-02": "yes"}).status_code == 403
    assert stored_answers(app, assessment_id) == {}


def test_first_answer_helper_covers_every_type(app):
    for question in bank_of(app).questions:
        assert first_answer(question) not in (None, "", [])
