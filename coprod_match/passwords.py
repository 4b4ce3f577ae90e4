"""Password rules: long enough, not common, not the person's own e-mail or name."""

from __future__ import annotations

import functools
import os

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from .vocabulary import Limits

MIN_LENGTH = Limits.PASSWORD_MIN
_COMMON_FILE = os.path.join(os.path.dirname(__file__), "data", "common_passwords.txt")


@functools.cache
def _common_passwords() -> frozenset[str]:
    with open(_COMMON_FILE, encoding="utf-8") as handle:
        return frozenset(
            line.strip().lower() for line in handle if line.strip() and not line.startswith("#")
        )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is not acceptable, in plain words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(count)d characters.", count=MIN_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return _l("This password is too easy to guess. Choose another one.")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return _l("Do not use your e-mail address in your password.")
    if len(name.strip()) >= 4 and name.strip().lower() in lowered:
        return _l("Do not use your name in your password.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)
