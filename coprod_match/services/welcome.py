"""Imported residents: a welcome mail, and nobody sees them until they confirm.

A CSV import (services/transfers.py) makes each resident's account pending:
no password, disabled, so search, candidates and matching pass it by. Each
gets a welcome mail in their language with a signed link that works for
WELCOME_LINK_DAYS days. On the page behind it they choose a password, accept
the privacy statement and say yes or no to personal invitations themselves;
only then is the account theirs and visible (with a yes) to professionals.
They may also say they want no account: the pending account is removed at
once. Accounts nobody confirms are removed by the pending-accounts job once
the link has lapsed (services/invitations/pending.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput
from ..links import page_url
from ..mail import send_in_language
from ..matching.changes import record_change
from ..models import Role, User, utcnow
from ..passwords import hash_password, password_problem
from . import consents
from .audit import audit_record

WELCOME_SALT = "coprod-match/welcome"


class WelcomeLinkError(DomainError):
    """The welcome link is too old, changed, or the account is already confirmed or gone."""

    status = 400
    problem_type = "welcome-link"
    message = _l("This link does not work any more. If you still want an account, sign up on the website.")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=WELCOME_SALT)


def link_days() -> int:
    return int(current_app.config["WELCOME_LINK_DAYS"])


def welcome_token(user: User) -> str:
    # The address is in it too: a link stops working if the account's address changes.
    return _serializer().dumps({"u": user.id, "e": user.email})


def send_welcome(session: orm.Session, user: User, *, organisation: str | None) -> None:
    """Mail an imported resident, in their language, the link to confirm their account."""
    send_in_language(session, user.email, user.preferred_locale, "welcome",
                     lambda: _("Your account on coprod-match: please confirm it"),
                     name=user.display_name, organisation=organisation,
                     link=page_url("welcome.confirm", token=welcome_token(user)), days=link_days())


def resident_from_link(session: orm.Session, token: str) -> User:
    """The pending imported resident a welcome link is for, or WelcomeLinkError."""
    try:
        data = _serializer().loads(token, max_age=link_days() * 86400)
    except (SignatureExpired, BadSignature):
        raise WelcomeLinkError() from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise WelcomeLinkError()
    user = session.get(User, data["u"])
    if user is None or user.email != data.get("e") or not user.is_pending or user.role != Role.CITIZEN:
        raise WelcomeLinkError()
    return user


def confirm_account(session: orm.Session, token: str, *, password: str, invitations: bool,
                    statement: consents.TextShown, wording: consents.TextShown) -> User:
    """The resident makes the account theirs: a password, the statement accepted, their own answer on invitations."""
    user = resident_from_link(session, token)
    problem = password_problem(password, email=user.email, name=user.display_name)
    if problem:
        raise InvalidInput(problem, field="password")
    user.password_hash = hash_password(password)
    user.pending_since = None
    user.is_enabled = True
    user.last_login_at = utcnow()
    session.flush()
    consents.accept_privacy_statement(session, user, statement)
    # Asked on purpose: a "no" here is an explicit no, which nobody may override.
    consents.answer_invitations(session, user, invitations, shown=wording, explicit=True)
    audit_record(session, "account.completed", "user", user.id, actor=user, via="welcome")
    record_change(session, citizens=[user])
    return user


def remove_unwanted_account(session: orm.Session, token: str) -> None:
    """The resident wants no account: the pending account made by the import is removed now, with all it held."""
    user = resident_from_link(session, token)
    audit_record(session, "account.pending_removed", "user", user.id, actor=None, reason="declined_welcome")
    # Core delete: the database's ON DELETE CASCADE removes the profile and the consent records.
    session.execute(sa.delete(User).where(User.id == user.id, User.pending_since.is_not(None)),
                    execution_options={"synchronize_session": False})
    session.expunge(user)
