"""Signing up and asking for a new password, without telling anyone which addresses have an account.

Signing up asks for a name, an address, a neighbourhood and a language, and
always answers "check your mail". What the mail says depends on the address,
and only its owner reads it:
- no account, or a pending one (made by an invitation and never finished):
  a link to finish the account by choosing a password. The details travel
  signed in the link, so nothing is stored for an address nobody confirmed,
  and a pending account becomes its owner's only when they open the link;
- an account already: "someone tried to sign up with your address", with the
  ways to log in or choose a new password.
Both cases do the same work (one mail in the outbox), and no mail server is
contacted during the request, so the answer and its timing are the same.

A password reset is asked for in the same way: a mail in the outbox for an
enabled or a pending account, and the same answer for every address.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..links import page_url, password_reset_url
from ..mail import send_in_language
from ..models import CitizenProfile, Neighbourhood, User, utcnow
from ..passwords import hash_password, password_problem
from ..vocabulary import UI_LOCALES
from .accounts import (
    AccountError,
    find_user_by_email,
    make_password_reset_token,
    normalise_email,
    register_citizen,
)
from .audit import audit_record
from .consents import TextShown, accept_privacy_statement

REGISTRATION_SALT = "coprod-match/registration"


class RegistrationLinkError(DomainError):
    """The link to finish an account is too old, changed, or was used already."""

    status = 400
    problem_type = "registration-link"
    message = _l("This link does not work any more. Sign up again to get a new one.")


@dataclass(frozen=True)
class Registration:
    """What someone filled in when signing up, as carried by the link in their mail."""

    email: str
    display_name: str
    neighbourhood_id: int | None
    preferred_locale: str
    # The privacy statement accepted on the form (its version and language), recorded with the account.
    privacy_statement: TextShown | None = None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=REGISTRATION_SALT)


def request_registration(session: orm.Session, *, email: str, display_name: str,
                         neighbourhood: Neighbourhood | None, preferred_locale: str,
                         privacy_statement: TextShown | None = None) -> None:
    """Mail the address: a link to finish the account, or a note that it has one already."""
    email = normalise_email(email)
    display_name = display_name.strip()
    locale = preferred_locale if preferred_locale in UI_LOCALES else UI_LOCALES[0]
    existing = find_user_by_email(session, email)
    if existing is not None and not existing.is_pending:
        audit_record(session, "account.registration_for_taken_address", "user", existing.id, actor=None)
        send_in_language(session, existing.email, existing.preferred_locale, "registration_taken",
                         lambda: _("Someone tried to sign up with your e-mail address"),
                         name=existing.display_name, login_link=page_url("auth.login"),
                         reset_link=page_url("auth.forgot_password"))
        return
    # One audit row in either case: the same work, so the answer's timing is the same too.
    audit_record(session, "account.registration_requested", "user", existing.id if existing else None,
                 actor=None)
    token = _serializer().dumps({"e": email, "n": display_name, "l": locale,
                                 "h": neighbourhood.id if neighbourhood is not None else None,
                                 "p": [privacy_statement.version, privacy_statement.locale]
                                 if privacy_statement is not None else None})
    hours = int(current_app.config["REGISTRATION_LINK_MAX_AGE"]) // 3600
    # No account yet: the mail speaks the language chosen on the form, which the account will keep.
    send_in_language(session, email, locale, "registration", lambda: _("Finish your coprod-match account"),
                     name=display_name, link=page_url("auth.finish_registration", token=token), hours=hours)


def registration_from_link(session: orm.Session, token: str) -> Registration:
    """The sign-up a link carries, or RegistrationLinkError when it is not valid (any more).

    A link works until the account is finished: after that the address has a
    complete account, and the link is refused.
    """
    try:
        data = _serializer().loads(token, max_age=int(current_app.config["REGISTRATION_LINK_MAX_AGE"]))
    except (SignatureExpired, BadSignature):
        raise RegistrationLinkError() from None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str) or not isinstance(data.get("n"), str):
        raise RegistrationLinkError()
    neighbourhood_id = data.get("h") if isinstance(data.get("h"), int) else None
    locale = data.get("l") if data.get("l") in UI_LOCALES else UI_LOCALES[0]
    existing = find_user_by_email(session, data["e"])
    if existing is not None and not existing.is_pending:
        raise RegistrationLinkError()
    accepted = data.get("p")
    privacy_statement = (TextShown(accepted[0], accepted[1])
                         if isinstance(accepted, list) and len(accepted) == 2 and all(isinstance(part, str) for part in accepted)
                         else None)
    return Registration(data["e"], data["n"], neighbourhood_id, locale, privacy_statement)


def complete_registration(session: orm.Session, token: str, *, password: str) -> User:
    """Finish the account from the link: a new citizen, or the pending account at this address becomes theirs."""
    registration = registration_from_link(session, token)
    neighbourhood = (session.get(Neighbourhood, registration.neighbourhood_id)
                     if registration.neighbourhood_id is not None else None)
    existing = find_user_by_email(session, registration.email)
    if existing is None:
        user = register_citizen(session, email=registration.email, password=password,
                                display_name=registration.display_name, neighbourhood=neighbourhood,
                                preferred_locale=registration.preferred_locale)
    else:  # pending: registration_from_link refused a complete account
        user = _claim_pending(session, existing, registration, neighbourhood, password)
    user.last_login_at = utcnow()
    if registration.privacy_statement is not None:
        accept_privacy_statement(session, user, registration.privacy_statement)
    return user


def _claim_pending(session: orm.Session, user: User, registration: Registration,
                   neighbourhood: Neighbourhood | None, password: str) -> User:
    problem = password_problem(password, email=user.email, name=registration.display_name)
    if problem:
        raise AccountError(problem, field="password")
    user.display_name = registration.display_name
    user.preferred_locale = registration.preferred_locale
    user.password_hash = hash_password(password)
    user.pending_since = None
    user.is_enabled = True
    if user.citizen_profile is None:
        user.citizen_profile = CitizenProfile()
    user.citizen_profile.neighbourhood = neighbourhood
    session.flush()
    audit_record(session, "account.completed", "user", user.id, actor=user, via="registration")
    return user


def request_password_reset(session: orm.Session, email: str) -> None:
    """Mail a reset link to the account at this address, if there is one that may use it (even a pending one)."""
    user = find_user_by_email(session, email)
    if user is None or not (user.is_enabled or user.is_pending):
        return
    token = make_password_reset_token(user, current_app.config["SECRET_KEY"])
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60
    send_in_language(session, user.email, user.preferred_locale, "password_reset",
                     lambda: _("Choose a new password"), user=user, link=password_reset_url(token), minutes=minutes)


def claim_pending_for_reset(session: orm.Session, user: User) -> None:
    """A pending account whose owner chose a password from a reset link becomes theirs (before the password is set)."""
    if not user.is_pending:
        return
    user.pending_since = None
    user.is_enabled = True
    audit_record(session, "account.completed", "user", user.id, actor=user, via="password_reset")
