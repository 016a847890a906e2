"""Alembic migrations build the schema the models describe, from empty, on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from assess import create_app
from assess.extensions import db
from assess.models import User

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
# SQLite always; PostgreSQL when the suite runs against a server (as CI's second pass does).
BACKENDS = ["sqlite"] + (["postgresql"] if SERVER_URL.startswith("postgresql") else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    base = SERVER_URL
    name = f"assess_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_from_empty_match_the_models_and_init_is_idempotent(empty_database, app_config):
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=empty_database))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], diff
        assert "alembic_version" in inspect(db.engine).get_table_names()
    user = runner.invoke(args=["user", "create", "keep@example.org", "--org", "Org"])
    assert user.exit_code == 0
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "keep@example.org"
        db.session.remove()
        db.engine.dispose()
