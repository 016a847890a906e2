"""The `assess` command group (also available as `flask --app wsgi ...`)."""

from __future__ import annotations

import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from .bank import BankError, load_bank
from .extensions import db
from .models import ROLES, Membership, Organisation, User
from .passwords import generate_password, hash_password, new_session_token


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Self-assessment against CPPNM/A and nuclear-security reporting recommendations."""


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database (idempotent)."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Database is up to date.")


@click.group("user")
def user_group() -> None:
    """Manage user accounts."""


def add_user(email: str, org_name: str, role: str, password: str) -> User:
    """Create the user (or reuse it) and its membership in the organisation; flush only."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
    if organisation is None:
        organisation = Organisation(name=org_name)
        db.session.add(organisation)
        db.session.flush()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        user = User(
            email=email.lower(),
            password_hash=hash_password(password),
            session_token=new_session_token(),
        )
        db.session.add(user)
        db.session.flush()
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )
    if membership is None:
        db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    else:
        membership.role = role
    db.session.flush()
    return user


@user_group.command("create")
@click.argument("email")
@click.option("--org", "org_name", required=True, help="Organisation (created if new).")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def user_create(email: str, org_name: str, role: str, password_stdin: bool) -> None:
    """Add a user (and the organisation if new); print a generated password if none given."""
    if "@" not in email or len(email) > 254:
        raise click.UsageError(f"'{email}' is not an e-mail address.")
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < minimum:
            raise click.UsageError(f"The password must have at least {minimum} characters.")
    else:
        password = generate_password()
    add_user(email, org_name.strip(), role, password)
    db.session.commit()
    click.echo(f"User {email.lower()} is {role} of '{org_name.strip()}'.")
    if not password_stdin:
        click.echo(f"Password: {password}")


@user_group.command("bootstrap")
@with_appcontext
def user_bootstrap() -> None:
    """Create a first owner account if there is no user yet, and print how to log in."""
    if db.session.scalar(select(func.count(User.id))):
        click.echo("Log in at http://127.0.0.1:5000/login with your account.")
        return
    email = os.environ.get("ASSESS_ADMIN_EMAIL", "admin@example.org")
    org = os.environ.get("ASSESS_ORG_NAME", "My organisation")
    password = generate_password()
    add_user(email, org, "owner", password)
    db.session.commit()
    click.echo("Created the first owner account. This password is shown only once:")
    click.echo(f"  log in at http://127.0.0.1:5000/login as {email} with password {password}")


@click.group("bank")
def bank_group() -> None:
    """Inspect the question bank."""


@bank_group.command("check")
@click.option("--dir", "directory", default=None, help="The questions folder to check.")
def bank_check(directory: str | None) -> None:
    """Validate questions/; print `file:line: message` for each error and exit 1."""
    from .config import PROJECT_ROOT

    path = directory or os.environ.get("ASSESS_QUESTIONS_DIR", str(PROJECT_ROOT / "questions"))
    try:
        bank = load_bank(path)
    except BankError as error:
        for line in error.errors:
            click.echo(line, err=True)
        click.echo(f"{len(error.errors)} error(s).", err=True)
        sys.exit(1)
    click.echo(
        f"Bank {bank.version}: {len(bank.sections)} sections, {len(bank.questions)} questions, "
        f"{len(bank.recommendations)} recommendations, {len(bank.instruments)} instruments. OK."
    )


@bank_group.command("dump")
@with_appcontext
def bank_dump() -> None:
    """Print the loaded bank as JSON."""
    from .bankjson import bank_to_json

    click.echo(json.dumps(bank_to_json(current_app.extensions["assess.bank"]), indent=2))


def _commands() -> list[click.Command]:
    from .cli_assessments import COMMANDS
    from .cli_transfer import TRANSFER_COMMANDS
    from .reporting.cli import reporting_command
    from .reports.cli import report_command

    return [
        init_command,
        user_group,
        bank_group,
        *COMMANDS,
        report_command,
        reporting_command,
        *TRANSFER_COMMANDS,
    ]


def register_cli(app: Flask) -> None:
    """Make the commands available under `flask --app wsgi` as well."""
    for command in _commands():
        app.cli.add_command(command)


for _command in _commands():
    main.add_command(_command)
