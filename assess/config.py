"""Configuration defaults, read from the environment (ASSESS_*, DATABASE_URL)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return ASSESS_SECRET_KEY, or a key generated once and kept in the instance folder.

    Several instances behind a proxy must share ASSESS_SECRET_KEY so that any of them can
    read the signed session cookie another one set.
    """
    from_env = os.environ.get("ASSESS_SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def default_config(instance_path: Path) -> dict[str, object]:
    """Return the configuration built from the environment, with safe defaults."""
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'assess.sqlite3'}")
    https = _env_bool("ASSESS_HTTPS")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "QUESTIONS_DIR": os.environ.get("ASSESS_QUESTIONS_DIR", str(PROJECT_ROOT / "questions")),
        "PDF_CACHE_DIR": os.environ.get("ASSESS_PDF_CACHE_DIR", str(instance_path / "pdf-cache")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("ASSESS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(os.environ.get("ASSESS_SESSION_MINUTES", 8 * 60))
        ),
        "PASSWORD_MIN_LENGTH": int(os.environ.get("ASSESS_PASSWORD_MIN_LENGTH", 12)),
        # Argon2id cost: the library's defaults (3 passes over 64 MiB) unless tuned.
        "ARGON2_TIME_COST": int(os.environ.get("ASSESS_ARGON2_TIME_COST", 3)),
        "ARGON2_MEMORY_KIB": int(os.environ.get("ASSESS_ARGON2_MEMORY_KIB", 65536)),
        "RATELIMIT_STORAGE_URI": os.environ.get("ASSESS_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_ENABLED": not _env_bool("ASSESS_RATELIMIT_DISABLED"),
        "LOGIN_RATE_LIMIT": os.environ.get("ASSESS_LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 25,
    }
