"""Personal invitations: a professional (the linking pin) asks a citizen to join an initiative.

One invitation is one placement in state `invited` (moved only by the state
machine in services/placements.py) plus an Invitation row with the personal
message, the times, the answer and the hash of the link's token.

The link's token is signed with itsdangerous under its own salt, so a token
made for another purpose (a password reset) never passes. It names the
invitation and its end, and is derived again from those for the reminder, so
the reminder carries the same link. Only its SHA-256 is stored: the link is
refused once the invitation is answered, withdrawn, lapsed or past its end.

A professional may also invite someone they met in person and who has no
account, by e-mail address. That creates a *pending* citizen account
(`User.pending_since` set, no password, disabled): it cannot log in and is
listed nowhere until the person completes it from the link. Whether an
address already had an account never shows in what the professional sees.

Services flush; the caller commits. Mails go out after the commit
(`mail.send_after_commit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import orm

from ..mail import send_after_commit
from ..models import (
    CitizenProfile,
    DeclineReason,
    EndReason,
    Initiative,
    InitiativeStatus,
    Invitation,
    InvitationAnswer,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from ..passwords import hash_password, password_problem
from . import placements as machine
from .accounts import normalise_email
from .audit import audit_record
from .participation import current_contact_ids, live_placement, notify

INVITATION_SALT = "coprod-match/invitation-link"  # one salt per purpose: never valid as another token
S = PlacementState


# --- Errors: what the professional or the citizen is told ---------------------------------------


class InvitationError(Exception):
    """An invitation that cannot be sent or answered; `message` is for the person."""

    message = _l("This invitation is not possible.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class NoConsentError(InvitationError):
    message = _l("This person has not agreed to be invited. You cannot send an invitation.")


class DailyLimitError(InvitationError):
    message = _l("You have sent the most invitations for today. You can send more tomorrow.")


class RecentlyAnsweredError(InvitationError):
    message = _l(
        "This person said no to this initiative, or did not answer, not long ago. "
        "Please do not ask again so soon."
    )


class AlreadyInvolvedError(InvitationError):
    message = _l("This person is already invited here, or already takes part.")


class NoRoomError(InvitationError):
    message = _l("This initiative has no free place. You cannot invite more people now.")


class NotOpenError(InvitationError):
    message = _l("This initiative is not open, so nobody can be invited now.")


class NotInvitableError(InvitationError):
    message = _l("This person cannot be invited.")


class MessageTooLongError(InvitationError):
    message = _l("Your message is too long. Please make it shorter.")


# Why a link is refused; the page explains each in plain words.
LINK_INVALID = "invalid"
LINK_EXPIRED = "expired"
LINK_USED = "used"
LINK_WITHDRAWN = "withdrawn"


class InvitationLinkError(Exception):
    """The link cannot be used; `reason` is one of the LINK_* codes."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationRules:
    expiry_days: int = 14
    reminder_days_before: int = 4
    daily_limit: int = 20
    block_days: int = 90
    message_max_length: int = 1000

    @classmethod
    def from_config(cls, config) -> InvitationRules:
        return cls(
            expiry_days=int(config["INVITATION_EXPIRY_DAYS"]),
            reminder_days_before=int(config["INVITATION_REMINDER_DAYS_BEFORE"]),
            daily_limit=int(config["INVITATION_DAILY_LIMIT"]),
            block_days=int(config["INVITATION_BLOCK_DAYS"]),
            message_max_length=int(config["INVITATION_MESSAGE_MAX_LENGTH"]),
        )


def rules() -> InvitationRules:
    return InvitationRules.from_config(current_app.config)


# --- Tokens ---------------------------------------------------------------------------------------


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=INVITATION_SALT)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation, secret_key: str) -> str:
    """The link's token: signed, naming the invitation and when it ends (the same every time)."""
    return _serializer(secret_key).dumps(
        {"i": invitation.id, "e": int(invitation.expires_at.timestamp())}
    )


def invitation_from_token(
    session: orm.Session, token: str, secret_key: str, *, now: dt.datetime
) -> Invitation:
    """The invitation a link is for, or InvitationLinkError saying why it cannot be used."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        raise InvitationLinkError(LINK_INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("e"), int):
        raise InvitationLinkError(LINK_INVALID)
    invitation = session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or invitation.id != data["i"]:
        raise InvitationLinkError(LINK_INVALID)
    if invitation.answered_at is not None:
        raise InvitationLinkError(LINK_USED)
    if invitation.revoked_at is not None:
        raise InvitationLinkError(LINK_WITHDRAWN)
    if data["e"] <= now.timestamp() or invitation.expires_at <= now or invitation.placement.state == S.EXPIRED:
        raise InvitationLinkError(LINK_EXPIRED)
    if invitation.placement.state != S.INVITED:
        raise InvitationLinkError(LINK_WITHDRAWN)
    return invitation


# --- Sending --------------------------------------------------------------------------------------


def default_message(citizen: User, initiative: Initiative, sender: User) -> str:
    """A short personal text in the citizen's language; the professional may change it."""
    with force_locale(citizen.preferred_locale):
        return _(
            "Hello %(name)s, I think you would fit well in \"%(initiative)s\". "
            "Would you like to join? I am happy to tell you more. Kind regards, %(sender)s",
            name=citizen.display_name, initiative=initiative.title, sender=sender.display_name,
        )


def start_of_local_day(now: dt.datetime) -> dt.datetime:
    """Midnight today in Amsterdam, in UTC: the daily limit counts per calendar day."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    local = now.astimezone(zone)
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
    if initiative.status != InitiativeStatus.OPEN:
        raise NotOpenError()
    if machine.places_taken(session, initiative.id) >= initiative.volunteers_ideal:
        raise NoRoomError()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    token: str


def invite_citizen(
    session: orm.Session,
    citizen: User,
    initiative: Initiative,
    *,
    sender: User,
    message: str | None = None,
    via: str = "candidates",
    in_person_consent: bool = False,
    now: dt.datetime | None = None,
) -> SentInvitation:
    """Invite one citizen personally: placement invited, invitation, inbox message, e-mail, audit.

    Only citizens who agreed to be invited (their profile's consent), unless
    they asked the professional in person for this one invitation
    (`in_person_consent`, the e-mail path). Raises an InvitationError the
    professional can read. Whether the sender may invite for this initiative
    is the caller's check (security.can_invite).
    """
    now = now or utcnow()
    settings = rules()
    message = (message or "").strip()
    if len(message) > settings.message_max_length:
        raise MessageTooLongError()
    if citizen.role != Role.CITIZEN or (not citizen.is_enabled and not citizen.is_pending):
        raise NotInvitableError()
    consented = citizen.citizen_profile is not None and citizen.citizen_profile.consent_to_contact
    if not consented and not in_person_consent:
        raise NoConsentError()
    check_daily_limit(session, sender, now=now, limit=settings.daily_limit)
    _check_initiative(session, initiative)
    if recently_turned_down(session, citizen.id, initiative.id, now=now, block_days=settings.block_days):
        raise RecentlyAnsweredError()

    existing = live_placement(session, citizen.id, initiative.id)
    if existing is not None and existing.state != S.SUGGESTED:
        raise AlreadyInvolvedError()
    try:
        if existing is not None:
            placement = machine.move_placement(session, existing, S.INVITED, actor=sender, now=now)
        else:
            placement = machine.create_placement(session, citizen, initiative, S.INVITED, actor=sender, now=now)
    except machine.InitiativeNotOpenError:
        raise NotOpenError() from None

    invitation = Invitation(
        placement=placement,
        sender_id=sender.id,
        message=message or default_message(citizen, initiative, sender),
        # Random and unique until the id is known; then the hash of the token naming it.
        token_hash=secrets.token_hex(32),
        sent_at=now,
        expires_at=now + dt.timedelta(days=settings.expiry_days),
    )
    session.add(invitation)
    session.flush()
    token = invitation_token(invitation, current_app.config["SECRET_KEY"])
    invitation.token_hash = token_hash(token)
    session.flush()

    notify(session, [citizen.id], "invitation.received", f"/invitations/{invitation.id}",
           initiative_id=initiative.id, initiative_title=initiative.title, sender_name=sender.display_name)
    audit_record(session, "invitation.sent", "invitation", invitation.id, actor=sender,
                 citizen_id=citizen.id, initiative_id=initiative.id, placement_id=placement.id, via=via,
                 consent="in_person" if in_person_consent and not consented else "profile")
    _queue_invitation_mail(session, invitation, token, reminder=False)
    return SentInvitation(invitation, token)


def invite_by_email(
    session: orm.Session,
    *,
    email: str,
    name: str,
    locale: str,
    initiative: Initiative,
    sender: User,
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
    gets nothing, and only the audit log says so.
    """
    now = now or utcnow()
    settings = rules()
    check_daily_limit(session, sender, now=now, limit=settings.daily_limit)
    _check_initiative(session, initiative)
    if len((message or "").strip()) > settings.message_max_length:
        raise MessageTooLongError()
    email = normalise_email(email)
    citizen = session.scalar(sa.select(User).where(User.email == email))
    if citizen is None:
        citizen = _create_pending_citizen(session, email=email, name=name, locale=locale, now=now)
    try:
        with session.begin_nested():
            invite_citizen(session, citizen, initiative, sender=sender, message=message, via="email",
                           in_person_consent=True, now=now)
    except InvitationError as error:
        audit_record(session, "invitation.not_sent", "initiative", initiative.id, actor=sender,
                     via="email", why=type(error).__name__)


def _create_pending_citizen(session: orm.Session, *, email: str, name: str, locale: str,
                            now: dt.datetime) -> User:
    locales = current_app.config["LANGUAGES"]
    user = User(
        email=email,
        password_hash=None,
        role=Role.CITIZEN,
        display_name=name.strip() or email.partition("@")[0],
        preferred_locale=locale if locale in locales else current_app.config["BABEL_DEFAULT_LOCALE"],
        is_enabled=False,
        pending_since=now,
    )
    user.citizen_profile = CitizenProfile()
    session.add(user)
    session.flush()
    audit_record(session, "account.pending_created", "user", user.id, actor=None, reason="invitation")
    return user


def _queue_invitation_mail(session: orm.Session, invitation: Invitation, token: str, *, reminder: bool) -> None:
    from ..continuity.digest import external_url

    citizen = invitation.placement.citizen
    initiative = invitation.placement.initiative
    context = {
        "citizen": citizen,
        "initiative": initiative,
        "sender": invitation.sender,
        "message": invitation.message,
        "expires_at": invitation.expires_at,
        "link": external_url("invitations.by_link", token=token),
        "reminder": reminder,
        "pending": citizen.is_pending,
    }
    with force_locale(citizen.preferred_locale):
        subject = (_("Reminder: %(initiative)s would like you to join", initiative=initiative.title) if reminder
                   else _("A personal invitation: %(initiative)s", initiative=initiative.title))
        text = render_template("emails/invitation.txt", **context)
        html = render_template("emails/invitation.html", **context)
    send_after_commit(session, citizen.email, subject, text, html)


# --- Answering ------------------------------------------------------------------------------------


def mark_opened(invitation: Invitation, *, now: dt.datetime | None = None) -> bool:
    """The first time the link is opened counts as 'opened' in the funnel."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = now or utcnow()
    return True


def _tell_inviters(session: orm.Session, invitation: Invitation, kind: str) -> None:
    placement = invitation.placement
    people = set(current_contact_ids(session, placement.initiative_id))
    if invitation.sender_id is not None:
        people.add(invitation.sender_id)
    notify(session, sorted(people), kind, f"/invitations/initiatives/{placement.initiative_id}",
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title,
           citizen_name=placement.citizen.display_name)


def accept_invitation(session: orm.Session, invitation: Invitation, *, citizen: User,
                      now: dt.datetime | None = None) -> Placement:
    """The citizen says yes: the placement becomes accepted (active once the professional confirms).

    Raises NoRoomError when the last place was just taken (capacity is
    checked under the initiative's lock by the state machine).
    """
    now = now or utcnow()
    placement = invitation.placement
    if citizen.id != placement.citizen_id:
        raise NotInvitableError()
    try:
        machine.move_placement(session, placement, S.ACCEPTED, actor=citizen, now=now)
    except machine.InitiativeFullError:
        raise NoRoomError() from None
    invitation.answer = InvitationAnswer.ACCEPTED
    invitation.answered_at = now
    mark_opened(invitation, now=now)
    _tell_inviters(session, invitation, "invitation.accepted")
    audit_record(session, "invitation.accepted", "invitation", invitation.id, actor=citizen,
                 initiative_id=placement.initiative_id)
    return placement


def decline_invitation(session: orm.Session, invitation: Invitation, *, reason: DeclineReason | None,
                       now: dt.datetime | None = None) -> Placement:
    """The citizen says no, with an optional reason; works from the link without logging in."""
    now = now or utcnow()
    placement = invitation.placement
    citizen = placement.citizen
    machine.move_placement(session, placement, S.DECLINED, actor=citizen, now=now,
                           reason=reason.value if reason else None)
    invitation.answer = InvitationAnswer.DECLINED
    invitation.answered_at = now
    invitation.decline_reason = reason.value if reason else None
    mark_opened(invitation, now=now)
    _tell_inviters(session, invitation, "invitation.declined")
    audit_record(session, "invitation.declined", "invitation", invitation.id, actor=citizen,
                 initiative_id=placement.initiative_id, reason=invitation.decline_reason)
    return placement


def complete_pending_account(session: orm.Session, citizen: User, *, password: str, display_name: str,
                             neighbourhood_id: int | None, now: dt.datetime | None = None) -> User:
    """The invited person finishes the account the invitation made: a password, and it is theirs."""
    from .accounts import AccountError

    if not citizen.is_pending:
        raise AccountError(_l("This account is already complete. Please log in."), field="password")
    display_name = display_name.strip() or citizen.display_name
    problem = password_problem(password, email=citizen.email, name=display_name)
    if problem:
        raise AccountError(problem, field="password")
    citizen.display_name = display_name
    citizen.password_hash = hash_password(password)
    citizen.pending_since = None
    citizen.is_enabled = True
    citizen.last_login_at = now or utcnow()
    if citizen.citizen_profile is None:
        citizen.citizen_profile = CitizenProfile()
    citizen.citizen_profile.neighbourhood_id = neighbourhood_id
    session.flush()
    audit_record(session, "account.completed", "user", citizen.id, actor=citizen, via="invitation")
    return citizen


# --- Ending without an answer ---------------------------------------------------------------------


def _open_invitations() -> sa.Select:
    """Invitations still waiting for an answer (their placement is still invited)."""
    return (
        sa.select(Invitation)
        .join(Placement, Placement.id == Invitation.placement_id)
        .where(Invitation.answered_at.is_(None), Invitation.revoked_at.is_(None),
               Placement.state == S.INVITED)
    )


def withdraw_invitation(session: orm.Session, invitation: Invitation, *, actor: User | None,
                        why: str = "withdrawn", now: dt.datetime | None = None) -> None:
    """Take an invitation back: the link stops working and the placement ends."""
    now = now or utcnow()
    invitation.revoked_at = now
    placement = invitation.placement
    if placement.state == S.INVITED:
        machine.move_placement(session, placement, S.ENDED, actor=actor, now=now,
                               end_reason=EndReason.OTHER, reason=why)
    audit_record(session, "invitation.withdrawn", "invitation", invitation.id, actor=actor,
                 initiative_id=placement.initiative_id, why=why)


def lapse_invitations_of(session: orm.Session, citizen: User, *, actor: User | None,
                         now: dt.datetime | None = None) -> int:
    """Consent withdrawn: every invitation still waiting lapses (and invited placements without one)."""
    now = now or utcnow()
    waiting = list(session.scalars(_open_invitations().where(Placement.citizen_id == citizen.id)))
    for invitation in waiting:
        withdraw_invitation(session, invitation, actor=actor, why="consent_withdrawn", now=now)
    # Plan invitations made before invitations had rows of their own.
    for placement in session.scalars(
        sa.select(Placement).where(Placement.citizen_id == citizen.id, Placement.state == S.INVITED)
    ):
        machine.move_placement(session, placement, S.ENDED, actor=actor, now=now,
                               end_reason=EndReason.OTHER, reason="consent_withdrawn")
    return len(waiting)


def expire_due(session: orm.Session, *, now: dt.datetime) -> int:
    """Invitations past their end without an answer become expired (the job; idempotent)."""
    due = list(session.scalars(_open_invitations().where(Invitation.expires_at <= now)
                               .options(orm.joinedload(Invitation.placement))))
    for invitation in due:
        machine.move_placement(session, invitation.placement, S.EXPIRED, actor=None, now=now)
        _tell_inviters(session, invitation, "invitation.expired")
        audit_record(session, "invitation.expired", "invitation", invitation.id, actor=None,
                     initiative_id=invitation.placement.initiative_id)
    return len(due)


def send_due_reminders(session: orm.Session, *, now: dt.datetime, days_before: int) -> int:
    """One reminder, `days_before` days before the end (the job; reminded_at keeps it to one)."""
    due = list(session.scalars(
        _open_invitations()
        .where(Invitation.reminded_at.is_(None), Invitation.expires_at > now,
               Invitation.expires_at <= now + dt.timedelta(days=days_before))
        .options(orm.joinedload(Invitation.placement).joinedload(Placement.citizen))
    ))
    secret_key = current_app.config["SECRET_KEY"]
    for invitation in due:
        invitation.reminded_at = now
        placement = invitation.placement
        notify(session, [placement.citizen_id], "invitation.reminder", f"/invitations/{invitation.id}",
               initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)
        _queue_invitation_mail(session, invitation, invitation_token(invitation, secret_key), reminder=True)
        audit_record(session, "invitation.reminded", "invitation", invitation.id, actor=None,
                     initiative_id=placement.initiative_id)
    return len(due)
