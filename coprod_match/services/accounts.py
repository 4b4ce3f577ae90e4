"""Accounts: registration, sign-in, passwords and staff accounts."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import orm

from .. import single_line
from ..domain_errors import InvalidInput
from ..models import CitizenProfile, LoginSession, Neighbourhood, Role, User, utcnow
from ..passwords import hash_password, password_problem, verify_password
from . import lockout
from .audit import audit_record
from .sessions import end_all_sessions, end_other_sessions

PASSWORD_RESET_SALT = "coprod-match/password-reset"  # noqa: S105 (a salt, not a secret)


class AccountError(InvalidInput):
    """A request about an account that cannot be honoured; `field` names the form field."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: orm.Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _check_new_account(session: orm.Session, email: str, password: str, name: str,
                       organisation: str | None = None) -> None:
    # Names reach mail headers: one line at every door, the command line too.
    if single_line.has_control_characters(name):
        raise AccountError(single_line.MESSAGE, field="display_name")
    if organisation and single_line.has_control_characters(organisation):
        raise AccountError(single_line.MESSAGE, field="organisation")
    if find_user_by_email(session, email) is not None:
        raise AccountError(
            _l("There is already an account with this e-mail address. Log in, or reset your password."),
            field="email",
        )
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem, field="password")


def register_citizen(
    session: orm.Session,
    *,
    email: str,
    password: str,
    display_name: str,
    neighbourhood: Neighbourhood | None,
    preferred_locale: str,
) -> User:
    """Create a citizen account with the few things needed to start."""
    email = normalise_email(email)
    display_name = display_name.strip()
    _check_new_account(session, email, password, display_name)
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=Role.CITIZEN,
        display_name=display_name,
        preferred_locale=preferred_locale,
    )
    user.citizen_profile = CitizenProfile(neighbourhood=neighbourhood)
    session.add(user)
    session.flush()
    audit_record(session, "account.registered", "user", user.id, actor=user, role=user.role)
    return user


def create_staff_user(
    session: orm.Session,
    *,
    email: str,
    password: str,
    role: Role,
    display_name: str,
    organisation: str | None = None,
    work_areas: Iterable[Neighbourhood] = (),
    preferred_locale: str = "nl",
    actor: User | None,
) -> User:
    """Create a professional, coordinator or admin (only admins and the CLI do this)."""
    if role == Role.CITIZEN:
        raise AccountError("Citizens register themselves.", field="role")
    email = normalise_email(email)
    display_name = display_name.strip()
    _check_new_account(session, email, password, display_name, organisation)
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name,
        organisation=(organisation or "").strip() or None,
        preferred_locale=preferred_locale,
        work_areas=list(work_areas),
    )
    session.add(user)
    session.flush()
    audit_record(session, "account.created", "user", user.id, actor=actor, role=str(role))
    return user


def authenticate(session: orm.Session, email: str, password: str) -> User | None:
    """The enabled user with this e-mail and password, or None (never says which was wrong).

    Every path checks one password hash of the same kind: an unknown address
    and an account without a password (imported, invited) take as long as a
    wrong password, so the answer's time does not tell whether an account exists.
    """
    user = find_user_by_email(session, email)
    has_password = user is not None and bool(user.password_hash)
    matches = verify_password(user.password_hash if has_password else _dummy_hash(), password)
    if user is None:
        return None
    password_right = has_password and matches
    if (not lockout.allows_login(session, user, password_right=password_right) or not user.is_enabled
            or user.is_pending):
        return None
    user.last_login_at = utcnow()
    user.inactivity_warned_at = None  # a login keeps the account: the retention warning no longer holds
    return user


@functools.cache
def _dummy_hash() -> str:
    # A random password nobody knows, hashed like real ones (same method and cost).
    return hash_password(secrets.token_urlsafe(32))


def change_password(session: orm.Session, user: User, current: str, new: str, *,
                    current_login: LoginSession | None) -> None:
    """A person changes their own password: every other login of theirs ends, this one stays."""
    if not verify_password(user.password_hash, current):
        raise AccountError(_l("This is not your current password."), field="current_password")
    _store_new_password(session, user, new)
    end_other_sessions(session, user, keep=current_login, actor=user)


def set_password(session: orm.Session, user: User, new: str) -> None:
    """A new password from a reset link: every login of the account ends."""
    _store_new_password(session, user, new)
    end_all_sessions(session, user, actor=user)


def _store_new_password(session: orm.Session, user: User, new: str) -> None:
    problem = password_problem(new, email=user.email, name=user.display_name)
    if problem:
        raise AccountError(problem, field="password")
    user.password_hash = hash_password(new)
    lockout.clear(session, user)
    audit_record(session, "account.password_changed", "user", user.id, actor=user)


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=PASSWORD_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes when the password changes, so a used reset link stops working.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_password_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_from_password_reset_token(
    session: orm.Session, token: str, secret_key: str, max_age: int
) -> User | None:
    """The user a reset link is for, or None if it is invalid, expired or already used.

    A pending account (made by an invitation) may be reset too: its owner then makes it theirs.
    """
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = session.get(User, data["uid"])
    if user is None or not (user.is_enabled or user.is_pending) or data.get("fp") != _password_fingerprint(user):
        return None
    return user
