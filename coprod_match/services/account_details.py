"""A person corrects their own account: name, phone number, language, and e-mail address.

Staff also give their work e-mail and organisation (shown to their participants with their
phone); residents choose what they share with their contact persons (services/contact_details.py).

Name, phone and language change at once. A new e-mail address changes only
when its owner opens the link mailed to it: the link is signed and expires,
and carries a fingerprint of the current address, so it stops working once
the address changed (by this link or another). Asking for a change never
tells whether the new address has an account: a taken address gets a mail
saying so instead of a link, as signing up does (services/registration.py).
Once the address changed, the old one gets a notice, so a stranger who got
into the account cannot quietly take it over.

Every change is audited with ids and field names only, never the values.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import exc, orm

from .. import single_line
from ..domain_errors import DomainError, InvalidInput
from ..links import page_url
from ..mail import send_in_language
from ..models import Role, User
from ..passwords import verify_password
from ..vocabulary import UI_LOCALES, Limits
from .accounts import find_user_by_email, normalise_email
from .audit import audit_record

EMAIL_CHANGE_SALT = "coprod-match/email-change"
PHONE_MAX = 40
# Digits with the usual separators, an optional + in front: 06-12345678, +31 (0)70 123 4567.
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*")
PHONE_MIN_DIGITS = 6


class EmailChangeLinkError(DomainError):
    """The link to confirm a new e-mail address is too old, changed, or was used already."""

    status = 400
    problem_type = "email-change-link"
    message = _l("This link does not work any more. Ask for a new one on your account page.")


@dataclass(frozen=True)
class EmailChange:
    """What a link to confirm a new address carries."""

    user: User
    new_email: str


def phone_problem(phone: str) -> str | None:
    """Why this is not a phone number we can store, in plain words; None when it is fine."""
    if single_line.has_control_characters(phone):
        return str(single_line.MESSAGE)
    if len(phone) > PHONE_MAX:
        return _("Use at most %(max)d characters.", max=PHONE_MAX)
    if not _PHONE.fullmatch(phone) or sum(char.isdigit() for char in phone) < PHONE_MIN_DIGITS:
        return _("Use only digits, spaces and + - ( ). For example: 06 12345678")
    return None


_WORK_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _work_details(user: User, work_email: str | None, organisation: str | None) -> dict:
    """A professional's work e-mail and organisation, checked; other roles have none to give."""
    if user.role == Role.CITIZEN or (work_email is None and organisation is None):
        return {}  # not asked for: left as it is
    work_email = (work_email or "").strip().lower() or None
    organisation = (organisation or "").strip() or None
    if work_email is not None and (len(work_email) > Limits.EMAIL or not _WORK_EMAIL.fullmatch(work_email)):
        raise InvalidInput(_l("This is not a valid e-mail address. Example: name@example.nl"), field="work_email")
    if organisation is not None and (len(organisation) > Limits.ORGANISATION
                                     or single_line.has_control_characters(organisation)):
        raise InvalidInput(single_line.MESSAGE if single_line.has_control_characters(organisation)
                           else _l("Use at most %(max)d characters.", max=Limits.ORGANISATION),
                           field="organisation")
    return {"work_email": work_email, "organisation": organisation}


def _sharing(user: User, shares_phone: bool | None, shares_email: bool | None) -> dict:
    """What a resident shares with their contact persons (services/contact_details.py); staff share work details."""
    if user.role != Role.CITIZEN or (shares_phone is None and shares_email is None):
        return {}  # not asked for: left as it is
    return {"shares_phone": bool(shares_phone), "shares_email": bool(shares_email)}


def update_account_details(session: orm.Session, user: User, *, display_name: str, phone: str | None,
                           preferred_locale: str, actor: User, work_email: str | None = None,
                           organisation: str | None = None, shares_phone: bool | None = None,
                           shares_email: bool | None = None) -> list[str]:
    """Change the person's name, phone number and language, and for staff their work e-mail and
    organisation, for residents what they share with their contact persons; returns the names of the
    fields that changed."""
    display_name = display_name.strip()
    phone = (phone or "").strip() or None
    if not display_name:
        raise InvalidInput(_l("Fill in your name."), field="display_name")
    if len(display_name) > Limits.PERSON_NAME or single_line.has_control_characters(display_name):
        raise InvalidInput(single_line.MESSAGE if single_line.has_control_characters(display_name)
                           else _l("Use at most %(max)d characters.", max=Limits.PERSON_NAME),
                           field="display_name")
    if phone is not None and (problem := phone_problem(phone)):
        raise InvalidInput(problem, field="phone")
    if preferred_locale not in UI_LOCALES:
        raise InvalidInput(_l("Choose a language from the list."), field="preferred_locale")
    wanted = {"display_name": display_name, "phone": phone, "preferred_locale": preferred_locale,
              **_work_details(user, work_email, organisation), **_sharing(user, shares_phone, shares_email)}
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if not changed:
        return []
    for name in changed:  # names from the fixed set above, never from the request
        setattr(user, name, wanted[name])
    session.flush()
    audit_record(session, "account.details_changed", "user", user.id, actor=actor, fields=changed)
    return changed


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def _address_fingerprint(email: str) -> str:
    # Changes when the address changes, so a link for an older address stops working.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def link_hours() -> int:
    return int(current_app.config["REGISTRATION_LINK_MAX_AGE"]) // 3600


def request_email_change(session: orm.Session, user: User, *, new_email: str, password: str) -> None:
    """Mail the new address a link to confirm it, or, when it has an account already, a note saying so.

    The answer is the same either way: only the owner of the new address learns which.
    """
    if not verify_password(user.password_hash, password):
        raise InvalidInput(_l("This is not your current password."), field="password")
    send_email_change_link(session, user, new_email=new_email, actor=user)


def send_email_change_link(session: orm.Session, user: User, *, new_email: str, actor: User) -> None:
    """The part of an e-mail change after the asker is known: the owner of the new address confirms it.

    The person themselves (after their password) or an administrator correcting
    the account asks; either way the address changes only through the link.
    """
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise InvalidInput(_l("This is already your e-mail address."), field="email")
    if single_line.has_control_characters(new_email) or len(new_email) > Limits.EMAIL:
        raise InvalidInput(_l("This is not a valid e-mail address. Example: name@example.nl"), field="email")
    owner = find_user_by_email(session, new_email)
    if owner is not None:
        audit_record(session, "account.email_change_to_taken_address", "user", user.id, actor=actor)
        send_in_language(session, new_email, owner.preferred_locale, "email_change_taken",
                         lambda: _("Someone tried to use your e-mail address for another account"),
                         name=owner.display_name, login_link=page_url("auth.login"),
                         reset_link=page_url("auth.forgot_password"))
        return
    audit_record(session, "account.email_change_requested", "user", user.id, actor=actor)
    token = _serializer().dumps({"uid": user.id, "e": new_email, "fp": _address_fingerprint(user.email)})
    send_in_language(session, new_email, user.preferred_locale, "email_change",
                     lambda: _("Confirm your new e-mail address"),
                     name=user.display_name, link=page_url("my_data.confirm_email", token=token), hours=link_hours())


def email_change_from_link(session: orm.Session, token: str) -> EmailChange:
    """The change a link asks for, or EmailChangeLinkError when it is not valid (any more)."""
    try:
        data = _serializer().loads(token, max_age=int(current_app.config["REGISTRATION_LINK_MAX_AGE"]))
    except (SignatureExpired, BadSignature):
        raise EmailChangeLinkError() from None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int) or not isinstance(data.get("e"), str):
        raise EmailChangeLinkError()
    user = session.get(User, data["uid"])
    if (user is None or not user.is_enabled or user.is_erased
            or data.get("fp") != _address_fingerprint(user.email)):
        raise EmailChangeLinkError()
    if find_user_by_email(session, data["e"]) is not None:  # someone took it since
        raise EmailChangeLinkError()
    return EmailChange(user, data["e"])


def confirm_email_change(session: orm.Session, token: str) -> User:
    """Make the address in the link the account's address, and tell the old address it changed."""
    change = email_change_from_link(session, token)
    user, old_email = change.user, change.user.email
    try:
        with session.begin_nested():  # an address taken at this very moment: the link no longer works
            user.email = change.new_email
            session.flush()
    except exc.IntegrityError:
        raise EmailChangeLinkError() from None
    audit_record(session, "account.email_changed", "user", user.id, actor=user)
    send_in_language(session, old_email, user.preferred_locale, "email_change_notice",
                     lambda: _("The e-mail address of your account was changed"),
                     name=user.display_name)
    return user
