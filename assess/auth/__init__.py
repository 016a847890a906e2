"""Log in, log out, change password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..extensions import db, limiter
from ..models import AuditEvent, User
from ..passwords import hash_password, new_session_token, verify_password

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        "Repeat the new password", validators=[EqualTo("new", message="The passwords differ.")]
    )

    def validate_new(self, field: PasswordField) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _is_safe_next(target: str | None) -> bool:
    return bool(target) and target.startswith("/") and not target.startswith("//")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the login form; on success, start a session and go where the user was going."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        password_hash = user.password_hash if user is not None else None
        if verify_password(password_hash, form.password.data) and user is not None:
            login_user(user)
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
            db.session.add(AuditEvent(user_id=user.id, kind="login", detail=email))
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if _is_safe_next(target) else url_for("dashboard.index"))
        db.session.add(AuditEvent(kind="login_failed", detail=email[:254]))
        db.session.commit()
        flash("Unknown e-mail or wrong password.", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session everywhere: the session token changes, so old cookies stop working."""
    current_user.session_token = new_session_token()
    db.session.commit()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let users change their own password; other sessions of theirs end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append("This is not your current password.")
        else:
            current_user.password_hash = hash_password(form.new.data)
            current_user.session_token = new_session_token()
            db.session.add(AuditEvent(user_id=current_user.id, kind="password_changed"))
            db.session.commit()
            login_user(current_user)
            flash("Your password has been changed.", "info")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)
