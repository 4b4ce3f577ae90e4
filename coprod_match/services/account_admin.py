"""What an administrator does to someone's account: correct it, disable, enable, change the role, a reset link, erase.

The admin pages and `flask users` call these; each change is audited (ids
and codes only), and the person is told by mail when they lose or regain
access or their role changes.

Rules that keep the site manageable:
- an administrator never disables, demotes or erases their own account here
  (another administrator does it, so nobody locks themselves out by a slip);
- there is always at least one enabled administrator left;
- a resident's account stays a resident's and a staff account stays staff:
  a resident's login would otherwise open other residents' data, and the
  resident's profile and history would mix with staff work. A person who
  also works as staff gets a second, staff account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import orm

from .. import single_line
from ..domain_errors import DomainError, InvalidInput, NotFound
from ..links import page_url
from ..mail import send_in_language
from ..matching.changes import record_change
from ..models import Initiative, InitiativeContact, InitiativeStatus, Neighbourhood, Role, User
from ..queries.admin import (
    AccountList,
    AccountSearch,
    account_list,
    enabled_admin_ids,
    pending_removal_dates,
)
from ..vocabulary import Limits
from .account_details import send_email_change_link, update_account_details
from .audit import audit_record
from .erasure import ErasureResult, erase_account, live_placement_count
from .registration import request_password_reset
from .sessions import end_all_sessions

STAFF_ROLES = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)


class AccountChangeRefused(DomainError):
    """An administrator's change to an account that the rules above do not allow."""

    status = 409
    problem_type = "account-change-refused"


class AlreadyDone(DomainError):
    """The account is already as asked: nothing is wrong, nothing changed."""

    status = 409
    problem_type = "already-done"
    flash_category = "info"


def _grace_days() -> int:
    return int(current_app.config["PENDING_ACCOUNT_GRACE_DAYS"])


def look_at_accounts(session: orm.Session, search: AccountSearch, *, page: int, actor: User) -> AccountList:
    """One page of the accounts list; the residents shown on it are logged as looked at."""
    listing = account_list(session, search, page=page, grace_days=_grace_days())
    audit_record(session, "admin.accounts_viewed", "user", None, actor=actor, page=page,
                 residents=listing.resident_ids)
    return listing


@dataclass(frozen=True)
class AccountLook:
    user: User
    # When a pending account is removed if nobody finishes it; None for the others.
    pending_until: dt.datetime | None


def look_at_account(session: orm.Session, user_id: int, *, actor: User) -> AccountLook:
    """One account for its page; a resident's is logged as looked at."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    residents = [user.id] if user.role == Role.CITIZEN else []
    audit_record(session, "admin.account_viewed", "user", user.id, actor=actor, residents=residents)
    pending_until = pending_removal_dates(session, [user], grace_days=_grace_days()) if user.is_pending else {}
    return AccountLook(user, pending_until.get(user.id))


def _refuse_unusable(user: User) -> None:
    if user.is_erased:
        raise AccountChangeRefused(_l("This account is erased. Nothing about it can change any more."))
    if user.is_pending:
        raise AccountChangeRefused(
            _l("This account is not finished yet. Its owner finishes it from the link in their invitation."))


def _refuse_own_account(user: User, actor: User | None) -> None:
    if actor is not None and actor.id == user.id:
        raise AccountChangeRefused(_l("You cannot do this to your own account. Ask another administrator."))


def _keep_an_admin(session: orm.Session, user: User) -> None:
    """Refuse when `user` is the last enabled administrator.

    A no-op UPDATE of the administrators' rows first (row locks on PostgreSQL,
    the write lock on SQLite) holds them until commit: two administrators
    disabled at the same moment cannot both see the other one still enabled.
    """
    if user.role != Role.ADMIN or not user.is_enabled:
        return
    session.execute(sa.update(User).where(User.role == Role.ADMIN).values(role=User.role)
                    .execution_options(synchronize_session=False))
    if [admin_id for admin_id in enabled_admin_ids(session) if admin_id != user.id]:
        return
    raise AccountChangeRefused(
        _l("This is the last administrator who can log in. Make another administrator first."))


@dataclass(frozen=True)
class Corrections:
    """What an administrator corrects on an account; `email` is a new address its owner must confirm."""

    display_name: str
    phone: str | None
    preferred_locale: str
    organisation: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Corrected:
    changed: list[str]  # names of the fields that changed now
    email_link_sent: bool  # a link went to the new address; it changes when its owner opens it


def correct_account(session: orm.Session, user: User, corrections: Corrections, *, actor: User) -> Corrected:
    """Correct a person's name, phone, language and (staff) organisation, as they could themselves.

    The same service as the person's own details page does the checks and the
    audit; a new e-mail address goes the same way as theirs too: a link to the
    new address, so nobody's address changes without its owner.
    """
    _refuse_unusable(user)
    organisation = (corrections.organisation or "").strip() or None
    if organisation is not None and user.role == Role.CITIZEN:
        raise InvalidInput(_l("Residents have no organisation."), field="organisation")
    if organisation is not None and (len(organisation) > Limits.ORGANISATION
                                     or single_line.has_control_characters(organisation)):
        raise InvalidInput(_l("Use at most %(max)d characters, on one line.", max=Limits.ORGANISATION),
                           field="organisation")
    changed = update_account_details(session, user, display_name=corrections.display_name, phone=corrections.phone,
                                     preferred_locale=corrections.preferred_locale, actor=actor)
    if user.role != Role.CITIZEN and organisation != user.organisation:
        user.organisation = organisation
        audit_record(session, "account.details_changed", "user", user.id, actor=actor, fields=["organisation"])
        changed = [*changed, "organisation"]  # a new list: the first audit entry keeps its own
    new_email = (corrections.email or "").strip()
    link_sent = bool(new_email) and new_email.lower() != user.email.lower()
    if link_sent:
        send_email_change_link(session, user, new_email=new_email, actor=actor)
    return Corrected(changed, link_sent)


def disable_account(session: orm.Session, user: User, *, actor: User | None) -> int:
    """Stop the account from being used: every login ends, API tokens are refused; returns logins ended."""
    _refuse_unusable(user)
    _refuse_own_account(user, actor)
    if not user.is_enabled:
        raise AlreadyDone(_l("This account is already disabled."))
    _keep_an_admin(session, user)
    user.is_enabled = False
    ended = end_all_sessions(session, user, actor=actor)
    audit_record(session, "account.disabled", "user", user.id, actor=actor, role=user.role)
    if user.role == Role.CITIZEN:
        record_change(session, citizens=[user.id])  # matching no longer suggests them
    _tell(session, user, "disabled")
    return ended


def enable_account(session: orm.Session, user: User, *, actor: User | None) -> None:
    """Let a disabled account log in again (with its old password; a reset link can follow)."""
    _refuse_unusable(user)
    if user.is_enabled:
        raise AlreadyDone(_l("This account is already enabled."))
    user.is_enabled = True
    audit_record(session, "account.enabled", "user", user.id, actor=actor, role=user.role)
    if user.role == Role.CITIZEN:
        record_change(session, citizens=[user.id])
    _tell(session, user, "enabled")


def check_role_change(session: orm.Session, user: User, role: str, *, actor: User | None) -> None:
    """Refuse a role change the rules do not allow, before anyone is asked to confirm it."""
    if role not in set(Role):
        raise InvalidInput(_l("Choose one of the roles in the list."), field="role")
    _refuse_unusable(user)
    if user.role == role:
        raise AlreadyDone(_l("This account already has this role."))
    if user.role == Role.CITIZEN or role == Role.CITIZEN:
        raise AccountChangeRefused(
            _l("A resident's account stays a resident's account, and a staff account stays staff. "
               "Make a new staff account for this person instead."), field="role")
    _refuse_own_account(user, actor)
    _refuse_while_contact(session, user, role)


def _refuse_while_contact(session: orm.Session, user: User, role: str) -> None:
    """A linking pin who stops being a professional first hands over their initiatives.

    Otherwise those initiatives keep a contact person who can no longer manage
    them, and their volunteers' messages reach nobody.
    """
    if user.role != Role.PROFESSIONAL or role == Role.PROFESSIONAL:
        return
    held = session.scalar(
        sa.select(sa.func.count(sa.distinct(InitiativeContact.initiative_id)))
        .join(Initiative, Initiative.id == InitiativeContact.initiative_id)
        .where(InitiativeContact.professional_id == user.id, InitiativeContact.is_current,
               Initiative.status != InitiativeStatus.CLOSED)
    )
    if held:
        raise AccountChangeRefused(ngettext(
            "%(name)s is still the contact person of %(num)d initiative. Hand it over to a colleague "
            "first, then change the role.",
            "%(name)s is still the contact person of %(num)d initiatives. Hand them over to a colleague "
            "first, then change the role.",
            held, name=user.display_name), field="role")


def change_role(session: orm.Session, user: User, role: str, *, actor: User | None) -> None:
    """Move a staff account to another staff role (see the module's rules)."""
    check_role_change(session, user, role, actor=actor)
    _keep_an_admin(session, user)
    previous = user.role
    user.role = Role(role)
    audit_record(session, "account.role_changed", "user", user.id, actor=actor, before=previous, after=user.role)
    if user.role != Role.COORDINATOR and user.is_municipal:
        user.is_municipal = False
        audit_record(session, "account.municipal_changed", "user", user.id, actor=actor, municipal=False)
    _tell(session, user, "role_changed")


def set_municipal(session: orm.Session, user: User, municipal: bool, *, actor: User | None) -> None:
    """A coordinator works for the whole city (True) or in their own districts only (False)."""
    _refuse_unusable(user)
    if user.role != Role.COORDINATOR:
        raise AccountChangeRefused(_l("Only coordinators can work for the whole city."))
    if user.is_municipal == municipal:
        raise AlreadyDone(_l("Nothing changed: the account was already like this."))
    user.is_municipal = municipal
    audit_record(session, "account.municipal_changed", "user", user.id, actor=actor, municipal=municipal)


def set_work_areas(session: orm.Session, user: User, area_ids: list[int], *, actor: User | None) -> None:
    """The neighbourhoods a professional or coordinator works in (a coordinator's districts follow from them)."""
    areas = list(session.scalars(sa.select(Neighbourhood).where(Neighbourhood.id.in_(area_ids)))) if area_ids else []
    _refuse_unusable(user)
    if user.role == Role.CITIZEN:
        raise AccountChangeRefused(_l("Residents have a neighbourhood in their profile, not work areas."))
    before = sorted(place.id for place in user.work_areas)
    after = sorted({place.id for place in areas})
    if before == after:
        raise AlreadyDone(_l("Nothing changed: the account was already like this."))
    user.work_areas = sorted(set(areas), key=lambda place: place.name)
    audit_record(session, "account.work_areas_changed", "user", user.id, actor=actor, before=before, after=after)


def send_password_reset_link(session: orm.Session, user: User, *, actor: User | None) -> None:
    """Mail the person a link to choose a new password: the same link as "forgot password" sends."""
    if user.is_erased:
        raise AccountChangeRefused(_l("This account is erased. Nothing about it can change any more."))
    if not user.is_enabled and not user.is_pending:
        raise AccountChangeRefused(_l("This account is disabled. Enable it first, then send the link."))
    request_password_reset(session, user.email)
    audit_record(session, "account.password_reset_sent", "user", user.id, actor=actor)


def erase_by_admin(session: orm.Session, user: User, *, actor: User | None) -> ErasureResult:
    """Erase someone's account as services/erasure.py does for a resident (the rules above apply)."""
    if user.is_erased:
        raise AlreadyDone(_l("This account is already erased."))
    _refuse_own_account(user, actor)
    _keep_an_admin(session, user)
    return erase_account(session, user, actor=actor, reason="admin")


def erasure_preview(session: orm.Session, user: User) -> int:
    """How many initiatives the person takes part in or waits for now (the confirmation page says so)."""
    return live_placement_count(session, user)


def _tell(session: orm.Session, user: User, change: str) -> None:
    """A short mail in the person's language: what changed, and whom to ask."""
    send_in_language(session, user.email, user.preferred_locale, "account_changed",
                     lambda: _("Your coprod-match account has changed"),
                     user=user, change=change, login_link=page_url("auth.login"))
