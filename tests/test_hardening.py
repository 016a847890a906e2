"""Members and roles, audit trails, headers, throttling, friendly errors."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assess.extensions import db
from assess.models import AuditEvent, Membership

from .conftest import PASSWORD
from .wizard_helpers import create_assessment, save_section


def _member_id(app, email):
    with app.app_context():
        return db.session.scalar(
            select(Membership.id)
            .join(Membership.user)
            .where(Membership.user.property.mapper.class_.email == email)
        )


def test_owner_adds_a_member_who_can_then_log_in(app, client, accounts):
    accounts.as_role("owner")
    response = client.post(
        "/organisation/members",
        data={"email": "new@ministrya.example", "role": "viewer"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    password = re.search(r"shown only this once: ([A-Za-z0-9_-]+)", html).group(1)
    other = app.test_client()
    assert (
        accounts.login("new@ministrya.example", password=password, client=other).status_code == 302
    )
    assert "Viewer" in client.get("/organisation/").get_data(as_text=True)


def test_role_change_is_logged_and_the_last_owner_stays(app, client, accounts):
    owner = accounts.as_role("owner")
    accounts.create("ed@ministrya.example", role="editor")
    client.post(
        f"/organisation/members/{_member_id(app, 'ed@ministrya.example')}/role",
        data={"role": "viewer"},
    )
    last = client.post(
        f"/organisation/members/{_member_id(app, owner)}/role",
        data={"role": "editor"},
        follow_redirects=True,
    )
    assert "at least one owner" in last.get_data(as_text=True)
    removal = client.post(
        f"/organisation/members/{_member_id(app, owner)}/remove", follow_redirects=True
    )
    assert "at least one owner" in removal.get_data(as_text=True)
    with app.app_context():
        roles = dict(db.session.execute(select(Membership.id, Membership.role)).all())
        assert roles[_member_id(app, owner)] == "owner"
        assert roles[_member_id(app, "ed@ministrya.example")] == "viewer"
        kinds = db.session.scalars(select(AuditEvent.kind)).all()
        assert "role_changed" in kinds and "login" in kinds
    log = client.get("/organisation/log").get_data(as_text=True)
    assert "ed@ministrya.example: editor -&gt; viewer" in log


def test_remove_member_asks_for_confirmation_first(app, client, accounts):
    accounts.as_role("owner")
    accounts.create("ed@ministrya.example", role="editor")
    member = _member_id(app, "ed@ministrya.example")
    page = client.get(f"/organisation/members/{member}/remove")
    assert "Remove ed@ministrya.example?" in page.get_data(as_text=True)
    assert _member_id(app, "ed@ministrya.example") == member
    client.post(f"/organisation/members/{member}/remove")
    assert _member_id(app, "ed@ministrya.example") is None


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_owners_manage_members(app, client, accounts, role):
    accounts.as_role(role)
    assert (
        client.post("/organisation/members", data={"email": "x@y.org", "role": "owner"}).status_code
        == 403
    )


def test_members_of_another_organisation_are_out_of_reach(app, client, accounts):
    accounts.as_role("owner", org="Ministry A")
    accounts.create("victim@operatorb.example", org="Operator B", role="editor")
    victim = _member_id(app, "victim@operatorb.example")
    assert (
        client.post(f"/organisation/members/{victim}/role", data={"role": "viewer"}).status_code
        == 404
    )
    assert client.get(f"/organisation/members/{victim}/remove").status_code == 404


def test_history_shows_who_changed_what(app, client, accounts):
    email = accounts.as_role("editor")
    assessment_id = create_assessment(client)
    save_section(client, assessment_id, "regime", {"REG-02": "no"})
    save_section(client, assessment_id, "regime", {"REG-02": "yes"})
    html = client.get(f"/assessments/{assessment_id}/history").get_data(as_text=True)
    assert "2 changes" in html
    assert html.count(email) >= 2
    assert "REG-02" in html


def test_security_headers_on_every_response(client, accounts):
    for response in (client.get("/login"), client.get("/healthz"), client.get("/nowhere")):
        csp = response.headers["Content-Security-Policy"]
        for part in (
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert part in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(client, accounts):
    accounts.as_role("owner")
    assessment_id = create_assessment(client)
    for url in (
        "/",
        f"/assessments/{assessment_id}/",
        f"/assessments/{assessment_id}/section/scope",
        "/organisation/",
    ):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url


def test_session_cookie_flags(app, app_config):
    from assess import create_app

    app = create_app(dict(app_config, SESSION_COOKIE_SECURE=True))
    with app.app_context():
        from assess.cli import add_user

        add_user("c@d.org", "Org", "owner", PASSWORD)
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": "c@d.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_login_is_throttled_after_repeated_failures(app, app_config):
    from assess import create_app

    app = create_app(dict(app_config, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    client = app.test_client()
    codes = [
        client.post("/login", data={"email": "a@b.org", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    assert "Too many attempts" in client.post(
        "/login", data={"email": "a@b.org", "password": "x"}
    ).get_data(as_text=True)


def test_unexpected_error_shows_a_friendly_page_and_is_logged(app, app_config, caplog):
    from assess import create_app

    app = create_app(dict(app_config, TESTING=False))

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html and "Traceback" not in html
    assert "secret internal detail" in caplog.text


def test_oversized_request_is_refused_cleanly(app, client, accounts):
    accounts.as_role("owner")
    assessment_id = create_assessment(client)
    big = "x" * (6 * 1024 * 1024)
    response = client.post(
        f"/assessments/{assessment_id}/section/regime", data={"note-REG-02": big}
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_session_lifetime_is_configurable(app, app_config):
    from datetime import timedelta

    from assess import create_app

    app = create_app(dict(app_config, PERMANENT_SESSION_LIFETIME=timedelta(minutes=30)))
    with app.app_context():
        from assess.cli import add_user

        add_user("c@d.org", "Org", "owner", PASSWORD)
        db.session.commit()
    client = app.test_client()
    cookie = client.post("/login", data={"email": "c@d.org", "password": PASSWORD}).headers[
        "Set-Cookie"
    ]
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    left = expires - datetime.now(UTC)
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_nul_characters_are_refused_with_a_clear_message(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    response = save_section(
        client, assessment_id, "regime", {"REG-02": "yes"}, **{"note-REG-02": "a\x00b"}
    )
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    login = app.test_client().post("/login", data={"email": "x\x00@y.org", "password": "p"})
    assert login.status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "login_failed")) is None
        )
