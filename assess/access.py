"""Who may see and change what: the current organisation, roles, and scoped look-ups."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, session
from flask_login import current_user, login_required
from sqlalchemy import select

from .bank import Bank
from .extensions import db
from .models import ROLES, Assessment, Membership

F = TypeVar("F", bound=Callable[..., Any])


def current_bank() -> Bank:
    """Return the question bank loaded at start-up."""
    return current_app.extensions["assess.bank"]


def current_membership() -> Membership | None:
    """Return the logged-in user's membership in the organisation they are working in."""
    if "membership" in g:
        return g.membership
    membership = None
    if current_user.is_authenticated:
        wanted = session.get("org_id")
        memberships = sorted(current_user.memberships, key=lambda m: m.organisation_id)
        membership = next(
            (m for m in memberships if m.organisation_id == wanted),
            memberships[0] if memberships else None,
        )
    g.membership = membership
    return membership


def has_role(role: str) -> bool:
    """Return whether the current user holds `role` or a stronger one in their organisation."""
    membership = current_membership()
    return membership is not None and ROLES.index(membership.role) >= ROLES.index(role)


def role_required(role: str) -> Callable[[F], F]:
    """Decorate a view: log-in required, and at least `role` in the current organisation."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_membership() is None:
                abort(404)
            if not has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def assessment_or_404(assessment_id: int) -> Assessment:
    """Return the assessment if it belongs to the current organisation, else answer 404.

    Another organisation's assessment answers 404, never 403, so ids leak nothing.
    """
    membership = current_membership()
    if membership is None:
        abort(404)
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.id == assessment_id,
            Assessment.organisation_id == membership.organisation_id,
        )
    )
    if assessment is None:
        abort(404)
    return assessment


def editable_or_403(assessment: Assessment) -> None:
    """Refuse changes to a final assessment and to users below editor."""
    if not has_role("editor"):
        abort(403)
    if assessment.status == "final":
        abort(409)
