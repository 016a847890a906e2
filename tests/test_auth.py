"""Accounts: login, logout, passwords, login required, organisations kept apart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assess.extensions import db
from assess.models import User

from .conftest import PASSWORD
from .wizard_helpers import create_assessment, save_section

ASSESSMENT_URLS = [
    "/assessments/{id}/",
    "/assessments/{id}/section/scope",
    "/assessments/{id}/review",
]


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/assessments/new",
        "/assessments/1/",
        "/assessments/1/section/scope",
        "/assessments/1/review",
        "/account/password",
    ],
)
def test_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_login_failure_message_is_the_same_for_unknown_user_and_wrong_password(client, accounts):
    accounts.create("known@example.org")
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post(
        "/login", data={"email": "known@example.org", "password": "wrong password!"}
    )
    assert unknown.status_code == wrong.status_code == 200
    for response in (unknown, wrong):
        assert "Unknown e-mail or wrong password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_password_is_stored_as_argon2id(app, accounts):
    accounts.create("hash@example.org")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "hash@example.org"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_then_logout_ends_the_session_for_copies_of_the_cookie(app, client, accounts):
    accounts.create("me@example.org")
    response = accounts.login("me@example.org")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    stolen = app.test_client()
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302
    assert stolen.get("/").status_code == 302


def test_login_redirect_refuses_other_sites(client, accounts):
    accounts.create("me@example.org")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": "me@example.org", "password": PASSWORD}
    )
    assert response.location == "/"


def test_change_password(client, accounts):
    accounts.create("me@example.org")
    accounts.login("me@example.org")
    short = client.post(
        "/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert "Use at least 12 characters." in short.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "a much longer passphrase",
            "confirm": "a much longer passphrase",
        },
    )
    assert ok.status_code == 302
    client.post("/logout")
    assert accounts.login("me@example.org").status_code == 200  # old password refused
    assert accounts.login("me@example.org", "a much longer passphrase").status_code == 302


@pytest.mark.parametrize("url", ASSESSMENT_URLS)
def test_another_organisations_assessment_answers_404(app, client, accounts, url):
    accounts.as_role("owner", org="Ministry A")
    assessment_id = create_assessment(client)
    accounts.logout()
    intruder = app.test_client()
    accounts.as_role("owner", org="Operator B", client=intruder)
    assert intruder.get(url.format(id=assessment_id)).status_code == 404
    assert intruder.get(url.format(id=assessment_id + 1000)).status_code == 404


def test_another_organisation_cannot_save_answers(app, client, accounts):
    accounts.as_role("owner", org="Ministry A")
    assessment_id = create_assessment(client)
    intruder = app.test_client()
    accounts.as_role("owner", org="Operator B", client=intruder)
    response = save_section(
        intruder, assessment_id, "regime", {"REG-02": "yes"}, versions={"REG-02": "0"}
    )
    assert response.status_code == 404
    assert intruder.post(f"/assessments/{assessment_id}/finalise").status_code == 404


def test_dashboard_lists_only_the_own_organisation(app, client, accounts):
    accounts.as_role("owner", org="Ministry A")
    create_assessment(client, title="Ministry secret review")
    other = app.test_client()
    accounts.as_role("owner", org="Operator B", client=other)
    create_assessment(other, title="Operator own review")
    mine = client.get("/").get_data(as_text=True)
    theirs = other.get("/").get_data(as_text=True)
    assert "Ministry secret review" in mine and "Operator own review" not in mine
    assert "Operator own review" in theirs and "Ministry secret review" not in theirs


def test_cli_user_create_with_password_from_stdin(app, runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "New@Example.org",
            "--org",
            "Regulator C",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input="a sufficiently long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "new@example.org is viewer of 'Regulator C'" in result.output
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "new@example.org", "password": "a sufficiently long password"}
    )
    assert response.status_code == 302


def test_cli_user_create_refuses_short_password(runner):
    result = runner.invoke(
        args=["user", "create", "a@b.org", "--org", "X", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_bootstrap_creates_a_first_owner_once(runner):
    first = runner.invoke(args=["user", "bootstrap"])
    assert "password" in first.output and "admin@example.org" in first.output
    second = runner.invoke(args=["user", "bootstrap"])
    assert "password" not in second.output.lower().replace("your account", "")
