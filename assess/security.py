"""Response headers, session loading, and other request-wide protections."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .extensions import db, login_manager
from .models import User

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Return the user for a session token `id:session_token`, or None if stale."""
    user_id, _, session_token = token.partition(":")
    if not user_id.isdigit() or not session_token:
        return None
    # The memberships come in the same query: every page needs the user's role.
    user = (
        db.session.scalars(
            select(User).options(joinedload(User.memberships)).where(User.id == int(user_id))
        )
        .unique()
        .first()
    )
    if user is None or user.session_token != session_token:
        return None
    return user


def register(app: Flask) -> None:
    """Add the security headers to every response; refuse NUL characters in requests."""
    app.before_request(refuse_nul_characters)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def refuse_nul_characters() -> None:
    """Answer 400 to a form or query holding a NUL character: no database stores one."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, "The request holds a NUL character, which cannot be stored.")
