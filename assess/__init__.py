"""The `assess` application: self-assessment against CPPNM/A and reporting recommendations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request

from .config import PROJECT_ROOT, default_config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build and return the Flask application, configured from the environment or tests."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(default_config(instance))
    if test_config:
        app.config.update(test_config)

    from .bank import load_bank_cached
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .passwords import configure_hashing

    configure_hashing(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_KIB"])
    app.extensions["assess.bank"] = load_bank_cached(app.config["QUESTIONS_DIR"])
    db.init_app(app)
    with app.app_context():
        _tune_database(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"

    from . import audit, auth, dashboard, errors, organisation, reports, security, wizard
    from .cli import register_cli
    from .comparison import bp as compare_bp
    from .reporting import bp as reporting_bp
    from .transfer.views import bp as transfer_bp

    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(compare_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(organisation.bp)
    app.register_blueprint(audit.bp)
    errors.register(app)
    security.register(app)
    register_cli(app)
    _register_template_helpers(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _tune_database(engine: Any) -> None:
    """SQLite: enforce foreign keys, use WAL so readers never block the writer, wait on locks."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not the driver, starts transactions (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A request that writes takes the write lock at once: a deferred transaction that
        # upgrades from reading to writing fails with "database is locked" instead of waiting.
        writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _register_template_helpers(app: Flask) -> None:
    from .bankjson import condition_json
    from .operations import to_answer_value
    from .scoring import maturity_band

    app.jinja_env.globals.update(
        maturity_band=maturity_band, condition_json=condition_json, to_value=to_answer_value
    )
    app.jinja_env.filters["pct"] = lambda v: "-" if v is None else f"{v:.0f}"
    app.jinja_env.filters["dt"] = lambda v: v.strftime("%Y-%m-%d %H:%M") if v else ""
