"""The organisation page: owners add users, change roles and remove members."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import EmailField, RadioField, SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from ..access import current_membership, has_role, role_required
from ..extensions import db
from ..forms import ConfirmForm
from ..models import ROLES, AuditEvent, Membership, User
from ..passwords import generate_password, hash_password, new_session_token

bp = Blueprint("organisation", __name__, url_prefix="/organisation")

ROLE_CHOICES = [
    SelectChoice("viewer", "Viewer: reads, sees reports, compares and exports"),
    SelectChoice("editor", "Editor: also answers questions"),
    SelectChoice("owner", "Owner: also finalises, reopens, deletes and manages members"),
]


class AddMemberForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an e-mail address."),
            Length(max=254),
        ],
    )
    role = RadioField("Role", choices=ROLE_CHOICES, default="editor", validators=[DataRequired()])


class RoleForm(FlaskForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])


def _member_or_404(membership_id: int) -> Membership:
    mine = current_membership()
    member = db.session.scalar(
        select(Membership).where(
            Membership.id == membership_id,
            Membership.organisation_id == mine.organisation_id,
        )
    )
    if member is None:
        abort(404)
    return member


def _owner_count(organisation_id: int) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organisation_id == organisation_id, Membership.role == "owner"
        )
    )


def _audit(kind: str, detail: str) -> None:
    db.session.add(
        AuditEvent(
            organisation_id=current_membership().organisation_id,
            user_id=current_user.id,
            kind=kind,
            detail=detail,
        )
    )


@bp.route("/")
@role_required("viewer")
def members():
    """List the organisation's members; owners also get the forms to manage them."""
    mine = current_membership()
    rows = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.organisation_id == mine.organisation_id)
        .order_by(Membership.role.desc(), Membership.id)
    ).all()
    return render_template(
        "organisation/members.html",
        organisation=mine.organisation,
        members=rows,
        add_form=AddMemberForm(),
        is_owner=has_role("owner"),
        roles=ROLES,
    )


@bp.route("/members", methods=["POST"])
@role_required("owner")
def add_member():
    """Add a user to the organisation; a new account gets a password shown once."""
    mine = current_membership()
    form = AddMemberForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("organisation.members"))
    email = form.email.data.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    password = None
    if user is None:
        password = generate_password()
        user = User(
            email=email, password_hash=hash_password(password), session_token=new_session_token()
        )
        db.session.add(user)
        db.session.flush()
    exists = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == mine.organisation_id
        )
    )
    if exists is not None:
        flash(f"{email} is already a member.", "error")
        return redirect(url_for("organisation.members"))
    db.session.add(
        Membership(user_id=user.id, organisation_id=mine.organisation_id, role=form.role.data)
    )
    _audit("member_added", f"{email} as {form.role.data}")
    db.session.commit()
    if password:
        flash(f"Added {email}. Their password, shown only this once: {password}", "info")
    else:
        flash(f"Added {email} as {form.role.data}.", "info")
    return redirect(url_for("organisation.members"))


@bp.route("/members/<int:membership_id>/role", methods=["POST"])
@role_required("owner")
def change_role(membership_id: int):
    """Change a member's role; the last owner cannot be demoted."""
    member = _member_or_404(membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose a valid role.", "error")
        return redirect(url_for("organisation.members"))
    new_role = form.role.data
    if member.role == "owner" and new_role != "owner" and _owner_count(member.organisation_id) < 2:
        flash("The organisation needs at least one owner.", "error")
        return redirect(url_for("organisation.members"))
    if new_role != member.role:
        _audit("role_changed", f"{member.user.email}: {member.role} -> {new_role}")
        member.role = new_role
        db.session.commit()
        flash(f"{member.user.email} is now {new_role}.", "info")
    return redirect(url_for("organisation.members"))


@bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
@role_required("owner")
def remove_member(membership_id: int):
    """Confirm, then remove a member (never the last owner)."""
    member = _member_or_404(membership_id)
    form = ConfirmForm()
    last_owner = member.role == "owner" and _owner_count(member.organisation_id) < 2
    if form.validate_on_submit():
        if last_owner:
            flash("The organisation needs at least one owner.", "error")
            return redirect(url_for("organisation.members"))
        email = member.user.email
        _audit("member_removed", email)
        if member.user_id == current_user.id:
            current_app.logger.info("Owner %s left the organisation", email)
        db.session.delete(member)
        db.session.commit()
        flash(f"Removed {email} from the organisation.", "info")
        return redirect(url_for("organisation.members"))
    return render_template(
        "organisation/remove.html", member=member, form=form, last_owner=last_owner
    )
