"""The dashboard: listing (pagination, sort, filter, search), SQL statements per page, trend,
"start a new assessment from this one", and delete behind a confirmation page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from assess import create_app
from assess.extensions import db
from assess.models import Answer, AnswerChange, Assessment
from assess.operations import to_answer_value
from assess.scoring import AnswerSet, score

from .conftest import Accounts
from .seed import bank_of, seed, values_for

TITLE = re.compile(r'<td><a href="/assessments/\d+/">([^<]*)</a></td>')


def titles(html: str) -> list[str]:
    """The titles listed in the dashboard's table, in order."""
    table = re.search(r'<table class="data dashboard-table">.*?</table>', html, re.S)
    return TITLE.findall(table.group(0)) if table else []


def when(day: int) -> datetime:
    return datetime(2025, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=day)


def test_dashboard_lists_the_columns_and_who_changed_last(app, client, accounts):
    accounts.as_role("owner")
    seed(app, title="National review 2025", values=values_for(bank_of(app), "state", "high", 10))
    html = client.get("/").get_data(as_text=True)
    assert "National review 2025" in html
    for heading in ("Title", "Profile", "Status", "Overall", "Coverage", "Last change"):
        assert heading in html
    assert "State" in html and "Draft" in html
    assert 'name="ids"' in html and "Compare selected" in html


def test_last_change_names_the_user(app, client, accounts):
    accounts.as_role("owner")
    client.post(
        "/assessments/new",
        data={
            "title": "Mine",
            "profile": "state",
            "target": "75",
            "classification": "OFFICIAL",
            "baseline": "0",
        },
    )
    html = client.get("/").get_data(as_text=True)
    assert "by owner@ministrya.example" in html


def test_pagination_25_a_page(app, client, accounts):
    accounts.as_role("viewer")
    for i in range(30):
        seed(app, title=f"Assessment {i:02d}", updated_at=when(i))
    first = client.get("/").get_data(as_text=True)
    assert len(titles(first)) == 25
    assert "30 assessments" in first and "Page 1 of 2" in first
    assert titles(first)[0] == "Assessment 29"  # newest change first
    second = client.get("/?page=2").get_data(as_text=True)
    assert titles(second) == [f"Assessment {i:02d}" for i in range(4, -1, -1)]
    past_end = client.get("/?page=99").get_data(as_text=True)
    assert titles(past_end) == titles(second) and "Page 2 of 2" in past_end


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sort=title&dir=asc", ["Alpha", "Bravo", "Charlie"]),
        ("sort=title&dir=desc", ["Charlie", "Bravo", "Alpha"]),
        ("sort=score&dir=desc", ["Alpha", "Charlie", "Bravo"]),  # unscored last
        ("sort=score&dir=asc", ["Charlie", "Alpha", "Bravo"]),  # unscored last
        ("sort=updated&dir=asc", ["Bravo", "Charlie", "Alpha"]),
        ("sort=bogus", ["Alpha", "Charlie", "Bravo"]),  # falls back to last change, newest first
    ],
)
def test_sort(app, client, accounts, query, expected):
    accounts.as_role("viewer")
    bank = bank_of(app)
    seed(app, title="Alpha", values=values_for(bank, "state", "high", 20), updated_at=when(3))
    seed(app, title="Bravo", updated_at=when(1))
    seed(app, title="Charlie", values=values_for(bank, "state", "low", 20), updated_at=when(2))
    assert titles(client.get(f"/?{query}").get_data(as_text=True)) == expected


def test_filter_by_profile_and_status_and_search_by_title(app, client, accounts):
    accounts.as_role("viewer")
    seed(app, title="State draft", profile="state")
    seed(app, title="State final", profile="state", status="final")
    seed(app, title="Operator draft 100%_done", profile="operator")
    seed(app, title="Other org", org="Ministry B")
    assert set(titles(client.get("/?profile=operator").get_data(as_text=True))) == {
        "Operator draft 100%_done"
    }
    assert titles(client.get("/?status=final").get_data(as_text=True)) == ["State final"]
    assert titles(client.get("/?profile=state&status=draft").get_data(as_text=True)) == [
        "State draft"
    ]
    assert set(titles(client.get("/?q=DRAFT").get_data(as_text=True))) == {
        "State draft",
        "Operator draft 100%_done",
    }
    # % and _ are matched literally, not as wildcards
    assert titles(client.get("/?q=100%25_").get_data(as_text=True)) == ["Operator draft 100%_done"]
    assert titles(client.get("/?q=%25").get_data(as_text=True)) == ["Operator draft 100%_done"]
    assert titles(client.get("/?q=e_d").get_data(as_text=True)) == []
    html = client.get("/?q=nothing-like-this").get_data(as_text=True)
    assert "No assessment matches" in html
    assert "Other org" not in client.get("/").get_data(as_text=True)


def _seed_many(app, count: int) -> None:
    bank = bank_of(app)
    for i in range(count):
        profile = "state" if i % 2 else "operator"
        pick = "high" if i % 3 else "low"
        seed(
            app,
            title=f"A{i}",
            profile=profile,
            values=values_for(bank, profile, pick, 25),
            updated_at=when(i),
        )


def test_trend_on_the_dashboard_needs_two_of_a_profile(app, client, accounts):
    accounts.as_role("viewer")
    bank = bank_of(app)
    seed(app, title="State 2024", values=values_for(bank, "state", "low"), updated_at=when(1))
    seed(app, title="Operator 2024", profile="operator", updated_at=when(1))
    html = client.get("/").get_data(as_text=True)
    assert "Trend:" not in html and "<svg" not in html
    seed(app, title="State 2025", values=values_for(bank, "state", "high"), updated_at=when(2))
    html = client.get("/").get_data(as_text=True)
    assert html.count('class="trend"') == 1 and "Trend: State profile" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'data-key="overall"' in svg
    for theme in bank.themes:
        assert f'data-key="{theme.id}"' in svg
    low = score(
        bank,
        AnswerSet(
            "state",
            75,
            {k: to_answer_value(v) for k, v in values_for(bank, "state", "low").items()},
        ),
    )
    shown = f"{low.overall:.1f}".rstrip("0").rstrip(".")
    assert f"Overall: 2025-01-02 {shown}, 2025-01-03 100" in svg  # scored from the stored answers
    # the operator filter shows only that profile's trend (there is none with two points)
    assert 'class="trend"' not in client.get("/?profile=operator").get_data(as_text=True)


def _answers(assessment_id: int) -> dict[str, tuple]:
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
    return {a.question_id: (a.value, a.note, a.evidence) for a in rows}


def test_start_a_new_assessment_from_this_one(app, client, accounts):
    accounts.as_role("editor")
    bank = bank_of(app)
    values = values_for(bank, "state", "high", 30)
    first = next(iter(values))
    kept = [{"question": "OLD-01", "value": "x", "note": "", "evidence": ""}]
    source = seed(
        app,
        title="Review 2025",
        status="final",
        values=values,
        notes={first: "See annex"},
        evidence={first: "Decree 12/2024"},
        unknown=kept,
    )
    with app.app_context():
        db.session.get(Assessment, source).bank_version = "2020.1"
        db.session.commit()
    assert "New from this" in client.get("/").get_data(as_text=True)
    response = client.post(f"/assessments/{source}/copy")
    assert response.status_code == 302
    copy_id = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    with app.app_context():
        copy = db.session.get(Assessment, copy_id)
        original = db.session.get(Assessment, source)
        assert copy.copied_from_id == source and copy.status == "draft"
        assert copy.title == "Copy of Review 2025"
        assert copy.bank_version == bank.version  # the current bank, not the source's
        assert (copy.profile, copy.target, copy.classification) == (
            original.profile,
            original.target,
            original.classification,
        )
        assert _answers(copy_id) == _answers(source)
        assert _answers(copy_id)[first][1:] == ("See annex", "Decree 12/2024")
        assert copy.unknown_answers == kept
        assert copy.overall_score == pytest.approx(original.overall_score)
        assert copy.coverage == pytest.approx(original.coverage)


def test_copy_needs_an_editor_of_the_organisation(app, client, accounts):
    source = seed(app, title="Theirs", org="Ministry B")
    mine = seed(app, title="Mine")
    accounts.as_role("viewer")
    assert "New from this" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/assessments/{mine}/copy").status_code == 403
    accounts.logout()
    accounts.as_role("editor")
    assert client.post(f"/assessments/{source}/copy").status_code == 404
    assert client.get(f"/assessments/{mine}/copy").status_code == 405
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 2


def test_delete_shows_what_goes_then_deletes(app, client, accounts, app_config, tmp_path):
    accounts.as_role("owner")
    values = values_for(bank_of(app), "state", "high", 5)
    first = next(iter(values))
    target = seed(app, title="Draft to delete", values=values, notes={first: "n"})
    other = seed(app, title="Stays")
    cache = tmp_path / "pdf-cache"
    cache.mkdir(exist_ok=True)
    (cache / f"gap-report-{target}-abc123.pdf").write_bytes(b"%PDF")
    (cache / f"gap-report-{target}1-abc123.pdf").write_bytes(b"%PDF")
    html = client.get("/").get_data(as_text=True)
    assert f'href="/assessments/{target}/delete"' in html
    page = client.get(f"/assessments/{target}/delete")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Draft to delete" in text and "5 answers, with 1 note" in text
    assert "cannot be undone" in text
    with app.app_context():
        assert db.session.get(Assessment, target) is not None  # GET deletes nothing
    response = client.post(f"/assessments/{target}/delete")
    assert response.status_code == 302 and response.location.endswith("/")
    with app.app_context():
        assert db.session.get(Assessment, target) is None
        assert db.session.get(Assessment, other) is not None
        assert (
            db.session.scalar(select(func.count(Answer.id)).where(Answer.assessment_id == target))
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count(AnswerChange.id)).where(AnswerChange.assessment_id == target)
            )
            == 0
        )
    assert not (cache / f"gap-report-{target}-abc123.pdf").exists()
    assert (cache / f"gap-report-{target}1-abc123.pdf").exists()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewer_and_editor_cannot_delete(app, client, accounts, role):
    target = seed(app, title="Draft")
    accounts.as_role(role)
    assert client.get(f"/assessments/{target}/delete").status_code == 403
    assert client.post(f"/assessments/{target}/delete").status_code == 403
    assert f"/assessments/{target}/delete" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assessment, target) is not None


def test_final_cannot_be_deleted_nor_another_organisations(app, client, accounts):
    final = seed(app, title="Final", status="final")
    theirs = seed(app, title="Theirs", org="Ministry B")
    accounts.as_role("owner")
    assert f"/assessments/{final}/delete" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/assessments/{final}/delete").status_code == 409
    assert client.post(f"/assessments/{final}/delete").status_code == 409
    assert client.post(f"/assessments/{theirs}/delete").status_code == 404
    with app.app_context():
        assert db.session.get(Assessment, final) is not None
        assert db.session.get(Assessment, theirs) is not None


def test_delete_and_copy_need_the_csrf_token(app, app_config):
    csrf_app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = csrf_app.test_client()
    Accounts(csrf_app, client).create("boss@example.org", role="owner")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={
            "email": "boss@example.org",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    target = seed(csrf_app, title="Draft")
    assert client.post(f"/assessments/{target}/delete").status_code == 400
    assert client.post(f"/assessments/{target}/copy").status_code == 400
    page = client.get(f"/assessments/{target}/delete").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(f"/assessments/{target}/delete", data={"csrf_token": token}).status_code == 302
    )
    with csrf_app.app_context():
        assert db.session.get(Assessment, target) is None
        db.session.remove()
        db.engine.dispose()
