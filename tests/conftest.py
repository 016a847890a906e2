"""Fixtures: app, client, runner, and helpers to log in as a role of an organisation.

The database is SQLite in a temporary folder, or the PostgreSQL server named by
TEST_DATABASE_URL. The schema is created once per run; each test starts from empty tables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from assess import create_app
from assess.cli import add_user
from assess.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    app = create_app(make_config(database_url, tmp_path_factory.mktemp("pdf")))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


def make_config(database_url: str, pdf_dir: Path, **extra: object) -> dict[str, object]:
    """Return the test configuration; `extra` overrides or adds settings."""
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PDF_CACHE_DIR": str(pdf_dir),
        "QUESTIONS_DIR": str(ROOT / "questions"),
        "PASSWORD_MIN_LENGTH": 12,
        # Cheap hashing keeps the suite fast; production keeps the memory-hard default.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
    }
    config.update(extra)
    return config


def empty_tables() -> None:
    """Delete every row, keeping the schema (fast on both SQLite and PostgreSQL)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, object]:
    """The test configuration; tests may change it before the `app` fixture is built."""
    return make_config(database_url, tmp_path / "pdf-cache")


@pytest.fixture
def app(_schema: None, app_config: dict[str, object]) -> Iterator[Flask]:
    app = create_app(app_config)
    with app.app_context():
        empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


class Accounts:
    """Creates users and logs the test client in as them."""

    def __init__(self, app: Flask, client: FlaskClient):
        self.app = app
        self.client = client

    def create(self, email: str, org: str = "Ministry A", role: str = "owner") -> str:
        with self.app.app_context():
            add_user(email, org, role, PASSWORD)
            db.session.commit()
        return email

    def login(self, email: str, password: str = PASSWORD, client: FlaskClient | None = None):
        return (client or self.client).post(
            "/login", data={"email": email, "password": password}, follow_redirects=False
        )

    def as_role(self, role: str, org: str = "Ministry A", client: FlaskClient | None = None):
        email = f"{role}@{re.sub(r'[^a-z]', '', org.lower())}.example"
        self.create(email, org, role)
        self.login(email, client=client)
        return email

    def logout(self) -> None:
        self.client.post("/logout")


@pytest.fixture
def accounts(app: Flask, client: FlaskClient) -> Accounts:
    return Accounts(app, client)
