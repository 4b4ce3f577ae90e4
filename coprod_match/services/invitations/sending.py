"""Sending an invitation: to a citizen who agreed to be invited, or by e-mail to someone met in person.

A professional may invite someone they met in person and who has no
account, by e-mail address. That creates a *pending* citizen account
(`User.pending_since` set, no password, disabled): it cannot log in and is
listed nowhere until the person completes it from the link. Whether an
address already had an account never shows in what the professional sees.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import orm

from ...models import (
    CitizenProfile,
    Initiative,
    InitiativeStatus,
    Invitation,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from ...queries.initiative_versions import title_for
from ...vocabulary import LOCAL_ZONE, UI_LOCALES, CameThrough, Limits
from .. import consents
from .. import placements as machine
from ..accounts import normalise_email
from ..audit import audit_record
from ..open_to import check_open_to
from ..participation import live_placement
from ..tokens import hash_token
from .errors import (
    AlreadyInvolvedError,
    DailyLimitError,
    InvitationError,
    MessageTooLongError,
    NoConsentError,
    NotInvitableError,
    RecentlyAnsweredError,
)
from .links import invitation_token
from .notices import tell_citizen
from .settings import rules

S = PlacementState


def default_message(citizen: User, initiative: Initiative, sender: User) -> str:
    """A short personal text in the citizen's language; the professional may change it."""
    with force_locale(citizen.preferred_locale):
        return _(
            "Hello %(name)s, I think you would fit well in \"%(initiative)s\". "
            "Would you like to join? I am happy to tell you more. Kind regards, %(sender)s",
            name=citizen.display_name, initiative=title_for(initiative, str(get_locale())),
            sender=sender.display_name,
        )


def checked_message(message: str | None) -> str:
    """The personal message as it will be sent, or MessageTooLongError (one limit for every door)."""
    message = (message or "").strip()
    if len(message) > Limits.INVITATION_MESSAGE:
        raise MessageTooLongError()
    return message


def start_of_local_day(now: dt.datetime) -> dt.datetime:
    """Midnight today in The Hague, in UTC: the daily limit counts per calendar day."""
    local = now.astimezone(LOCAL_ZONE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def sent_today(session: orm.Session, sender: User, *, now: dt.datetime) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(
            Invitation.sender_id == sender.id, Invitation.sent_at >= start_of_local_day(now)
        )
    )


def check_daily_limit(session: orm.Session, sender: User, *, now: dt.datetime, limit: int) -> None:
    """Professionals send at most `limit` a day; coordinators' plan invitations are not capped."""
    if sender.role == Role.PROFESSIONAL and sent_today(session, sender, now=now) >= limit:
        raise DailyLimitError()


def recently_turned_down(session: orm.Session, citizen_id: int, initiative_id: int, *,
                         now: dt.datetime, block_days: int) -> bool:
    """A 'no' or an unanswered invitation for this pair within the block period."""
    since = now - dt.timedelta(days=block_days)
    return session.scalar(
        sa.select(sa.func.count()).select_from(Placement).where(
            Placement.citizen_id == citizen_id,
            Placement.initiative_id == initiative_id,
            Placement.state.in_((S.DECLINED, S.EXPIRED)),
            Placement.state_changed_at >= since,
        )
    ) > 0


def _check_initiative(session: orm.Session, initiative: Initiative) -> None:
    """Only an open initiative with a free place: the state machine's own refusals, said before anything is sent."""
    if initiative.status != InitiativeStatus.OPEN:
        raise machine.InitiativeNotOpenError()
    if machine.places_taken(session, initiative.id) >= initiative.volunteers_ideal:
        raise machine.InitiativeFullError()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    token: str


def invite_citizen(
    session: orm.Session,
    citizen: User,
    initiative: Initiative,
    *,
    actor: User,
    message: str | None = None,
    via: str = "candidates",
    in_person_consent: bool = False,
    now: dt.datetime | None = None,
) -> SentInvitation:
    """Invite one citizen personally: placement invited, invitation, inbox message, e-mail, audit.

    Only citizens who agreed to be invited (their profile's consent), unless
    they asked the professional in person for this one invitation
    (`in_person_consent`, the e-mail path). Raises an InvitationError the
    professional can read, or the state machine's InitiativeNotOpenError or
    InitiativeFullError. Whether the actor may invite for this initiative is
    the caller's check (security.can_invite). A resident who said no to
    invitations is refused in every case (consents.InvitationsRefusedError).
    """
    now = now or utcnow()
    settings = rules()
    message = checked_message(message)
    if citizen.role != Role.CITIZEN or (not citizen.is_enabled and not citizen.is_pending):
        raise NotInvitableError()
    # An explicit no stands, whoever asks and however (InvitationsRefusedError, not an InvitationError:
    # the e-mail path tells the professional too).
    consents.check_invitable(session, citizen)
    consented = citizen.citizen_profile is not None and citizen.citizen_profile.consent_to_contact
    if not consented and not in_person_consent:
        raise NoConsentError()
    check_daily_limit(session, actor, now=now, limit=settings.daily_limit)
    _check_initiative(session, initiative)
    check_open_to(initiative, citizen, to_inviter=True, now=now)
    if recently_turned_down(session, citizen.id, initiative.id, now=now, block_days=settings.block_days):
        raise RecentlyAnsweredError()

    existing = live_placement(session, citizen.id, initiative.id)
    if existing is not None and existing.state != S.SUGGESTED:
        raise AlreadyInvolvedError()
    if existing is not None:
        placement = machine.move_placement(session, existing, S.INVITED, actor=actor, now=now)
    else:
        placement = machine.create_placement(session, citizen, initiative, S.INVITED, actor=actor, now=now)
    # The dashboard compares how long placements last by how people came in.
    placement.came_through = CameThrough.PLAN if via == "plan" else CameThrough.INVITATION

    invitation = Invitation(
        placement=placement,
        sender_id=actor.id,
        message=message or default_message(citizen, initiative, actor),
        # Random and unique until the id is known; then the hash of the token naming it.
        token_hash=secrets.token_hex(32),
        sent_at=now,
        expires_at=now + dt.timedelta(days=settings.expiry_days),
    )
    session.add(invitation)
    session.flush()
    token = invitation_token(invitation, current_app.config["SECRET_KEY"])
    invitation.token_hash = hash_token(token)
    session.flush()

    if in_person_consent and not consented:
        consents.record_in_person(session, citizen, invitation, professional=actor,
                                  shown=consents.wording_shown(actor.preferred_locale, consents.IN_PERSON_WORDING))
    audit_record(session, "invitation.sent", "invitation", invitation.id, actor=actor,
                 citizen_id=citizen.id, initiative_id=initiative.id, placement_id=placement.id, via=via,
                 consent="in_person" if in_person_consent and not consented else "profile")
    tell_citizen(session, invitation, token, reminder=False)
    return SentInvitation(invitation, token)


def invite_by_email(
    session: orm.Session,
    *,
    email: str,
    name: str,
    locale: str,
    initiative: Initiative,
    actor: User,
    message: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Invite someone met in person, by e-mail address, whether or not they have an account.

    The sender's limit and the initiative's room are checked first (they do
    not depend on the address) and raise. After that the result is the same
    for the caller in every case, so nothing reveals whether the address has
    an account: a new address gets a pending account and the invitation; an
    existing citizen gets the invitation when it is allowed; anything else
    (a staff address, a disabled account, already invited, said no recently)
    gets nothing, and only the audit log says so. One exception: a resident
    who said no to invitations is refused with a clear message
    (consents.InvitationsRefusedError), because "asked in person" must never
    override their own answer unnoticed.
    """
    now = now or utcnow()
    settings = rules()
    check_daily_limit(session, actor, now=now, limit=settings.daily_limit)
    _check_initiative(session, initiative)
    checked_message(message)
    email = normalise_email(email)
    citizen = session.scalar(sa.select(User).where(User.email == email))
    try:
        with session.begin_nested():
            # Inside the savepoint: an invitation that is not sent leaves no pending account behind.
            if citizen is None:
                citizen = _create_pending_citizen(session, email=email, name=name, locale=locale, now=now)
            invite_citizen(session, citizen, initiative, actor=actor, message=message, via="email",
                           in_person_consent=True, now=now)
    except InvitationError as error:
        audit_record(session, "invitation.not_sent", "initiative", initiative.id, actor=actor,
                     via="email", why=type(error).__name__)


def _create_pending_citizen(session: orm.Session, *, email: str, name: str, locale: str,
                            now: dt.datetime) -> User:
    user = User(
        email=email,
        password_hash=None,
        role=Role.CITIZEN,
        display_name=name.strip() or email.partition("@")[0],
        preferred_locale=locale if locale in UI_LOCALES else UI_LOCALES[0],
        is_enabled=False,
        pending_since=now,
    )
    user.citizen_profile = CitizenProfile()
    session.add(user)
    session.flush()
    audit_record(session, "account.pending_created", "user", user.id, actor=None, reason="invitation")
    return user
