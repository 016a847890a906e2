"""Response headers, session loading, and other request-wide protections."""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import select

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
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or user.session_token != session_token:
        return None
    return user


def register(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
