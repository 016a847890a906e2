"""Password hashing with Argon2id (memory-hard)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown keeps the timing of both failures alike.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def configure_hashing(time_cost: int, memory_kib: int) -> None:
    """Set the Argon2id cost for new hashes (existing hashes keep verifying with their own)."""
    global _hasher, _DUMMY_HASH
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_kib):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        _DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """Return an Argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether the password matches; spend the same effort when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """Return a random password that is easy to copy (URL-safe, 20 characters)."""
    return secrets.token_urlsafe(15)


def new_session_token() -> str:
    """Return a fresh random session token."""
    return secrets.token_hex(16)
