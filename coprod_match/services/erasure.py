"""Erasing an account: the person's data goes, the rows other people's history needs stay anonymous.

An erased account keeps its row, so placements, contact periods, events and
audit entries keep pointing at it: an initiative's history and its counts
do not change, continuity figures stay right, and the audit log keeps its
record ids. What identifies the person is wiped (name, e-mail address,
password, phone, the profile that matching reads, the free text they wrote
or that was written about them) or deleted (their messages, API tokens,
logins, two-factor set-up). Their words in conversations are blanked, the
messages kept, so the other side sees that something was removed. Live placements end as "left the service", open
invitations are withdrawn, and a professional stops being a current contact.

Pages show an erased person as "a former volunteer" or "a former contact
person" from `User.is_erased` (web/template_helpers.person_name); the row
itself holds a fixed, untranslated placeholder. The e-mail address becomes
`erased-<id>@erased.invalid`, so the real address can register again.

docs/erasure.md says what happens to every table that points at users.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput, NotAllowed
from ..links import PageLink
from ..matching.changes import record_change
from ..models import (
    LIVE_STATES,
    AlertNote,
    AlertStatus,
    ApiToken,
    Consent,
    ContactCheckIn,
    ContinuityAlert,
    ConversationRead,
    DeclineReason,
    EndReason,
    InitiativeContact,
    Invitation,
    LoginLockout,
    MailStatus,
    Notification,
    OutboxMail,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementMessage,
    PlacementState,
    PlacementThanks,
    PlanRow,
    RecoveryCode,
    Role,
    TwoFactor,
    User,
    VolunteerCheckIn,
    utcnow,
)
from ..passwords import verify_password
from ..queries.initiatives import current_contact_ids
from ..vocabulary import COMMITTED_STATES
from . import placements as machine
from .audit import audit_record
from .notifications import notify
from .sessions import end_all_sessions

# Stored in the row, never shown: pages say "a former volunteer" in the reader's language.
ERASED_NAME = "Erased account"
# Replaces free text that must not be empty (an alert note).
ERASED_TEXT = "-"
# Event reasons that are codes, not someone's words: they stay, the words go.
_REASON_CODES = frozenset({reason.value for reason in DeclineReason}) | {
    "withdrawn", "consent_withdrawn", "account_erased",
}
# Inbox messages to other people that carry this person's name in their payload.
_FORMER = {"citizen_name": "former_citizen", "sender_name": "former_sender"}
_NAME_KEYS = tuple(_FORMER)
_CONVERSATION = "conversation.message"


def erased_email(user_id: int) -> str:
    """An address nobody can receive mail at (.invalid), unique per account, not the person's."""
    return f"erased-{user_id}@erased.invalid"


@dataclass
class ErasureResult:
    """What one erasure ended and removed, as counts, for the caller to show or log."""

    user_id: int
    already_erased: bool = False
    profile_removed: bool = False
    placements_ended: int = 0
    invitations_withdrawn: int = 0
    contact_periods_ended: int = 0
    alerts_unassigned: int = 0
    texts_blanked: int = 0
    notifications_removed: int = 0
    names_removed_from_messages: int = 0
    api_tokens_removed: int = 0
    sessions_ended: int = 0
    two_factor_removed: int = 0
    mails_cancelled: int = 0
    plan_rows_removed: int = 0
    consents_removed: int = 0
    thanks_removed: int = 0

    def counts(self) -> dict[str, int]:
        """The counts by kind (for the audit entry and a page's summary)."""
        return {key: int(value) for key, value in vars(self).items()
                if key not in ("user_id", "already_erased")}


class StaffErasedByAdminError(NotAllowed):
    """Staff accounts hold other people's work: only an administrator erases them."""

    problem_type = "erasure-by-admin"
    message = _l("Staff accounts are erased by the administrator. Please ask them.")


class WrongPasswordError(InvalidInput):
    problem_type = "wrong-password"
    message = _l("This is not your password. Nothing was erased.")

    def __init__(self, message=None):
        super().__init__(message, field="password")


def erase_own_account(session: orm.Session, user: User, *, password: str) -> ErasureResult:
    """A resident erases their own account, after typing their password again."""
    if user.role != Role.CITIZEN:
        raise StaffErasedByAdminError()
    if not verify_password(user.password_hash, password):
        raise WrongPasswordError()
    return erase_account(session, user, actor=user, reason="own_request")


def live_placement_count(session: orm.Session, user: User) -> int:
    """How many initiatives the person takes part in or waits for now (the page says they will stop)."""
    return session.scalar(
        sa.select(sa.func.count()).select_from(Placement)
        .where(Placement.citizen_id == user.id, Placement.state.in_(COMMITTED_STATES))
    ) or 0


def erase_account(session: orm.Session, user: User, *, actor: User | None, reason: str) -> ErasureResult:
    """Erase `user`'s personal data and end what they take part in; flushes, the caller commits.

    `actor` is the person who asked (the user themselves, an administrator) or
    None for the system (the retention job); `reason` is a short code such as
    "own_request", "admin" or "inactive", kept in the audit entry. Erasing an
    erased account changes nothing and says so (`already_erased`).
    """
    result = ErasureResult(user_id=user.id)
    if user.is_erased:
        result.already_erased = True
        return result
    now = utcnow()
    old_email, old_name = user.email, user.display_name
    _end_participation(session, user, actor=actor, now=now, result=result)
    _end_contact_periods(session, user, actor=actor, now=now, result=result)
    _blank_free_text(session, user, result)
    _remove_names_from_messages(session, user, old_name, result)
    _remove_own_records(session, user, actor=actor, result=result)
    _cancel_mail(session, old_email, user.id, result)
    _wipe_account(session, user, now, result)
    audit_record(session, "account.erased", "user", user.id, actor=actor, reason=reason,
                 **result.counts())
    session.flush()
    return result


def _end_participation(session: orm.Session, user: User, *, actor: User | None, now: dt.datetime,
                       result: ErasureResult) -> None:
    """Open invitations are withdrawn and live placements end as "left the service"."""
    waiting = session.scalars(
        sa.select(Invitation).join(Placement, Placement.id == Invitation.placement_id)
        .where(Placement.citizen_id == user.id, Invitation.answered_at.is_(None),
               Invitation.revoked_at.is_(None))
    ).all()
    for invitation in waiting:
        invitation.revoked_at = now
        result.invitations_withdrawn += 1
        audit_record(session, "invitation.withdrawn", "invitation", invitation.id, actor=actor,
                     initiative_id=invitation.placement.initiative_id, why="account_erased")
    live = session.scalars(
        sa.select(Placement).where(Placement.citizen_id == user.id, Placement.state.in_(LIVE_STATES))
        .order_by(Placement.id)
    ).all()
    for placement in live:
        was_committed = placement.state in COMMITTED_STATES
        machine.move_placement(session, placement, PlacementState.ENDED, actor=actor, now=now,
                               end_reason=EndReason.LEFT_SERVICE, reason="account_erased")
        result.placements_ended += 1
        if was_committed:  # a mere suggestion was never news to anyone
            # Like any stop: the contacts hear it in their inbox, without a name.
            notify(session, current_contact_ids(session, placement.initiative_id), "placement.volunteer_left",
                   PageLink("professionals.manage_initiative", initiative_id=placement.initiative_id),
                   initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)


def _end_contact_periods(session: orm.Session, user: User, *, actor: User | None, now: dt.datetime,
                         result: ErasureResult) -> None:
    """A professional stops being a current contact, as a hand-over would end it; the period stays as history.

    Coordinators then see the usual "no contact" alert at the next continuity scan.
    """
    periods = session.scalars(
        sa.select(InitiativeContact)
        .where(InitiativeContact.professional_id == user.id, InitiativeContact.is_current)
    ).all()
    for period in periods:
        period.ends_at = now
        result.contact_periods_ended += 1
        audit_record(session, "initiative.contact_left", "initiative", period.initiative_id, actor=actor,
                     professional_id=user.id, why="account_erased")
    # Alerts they were handling wait for someone else, as if never given to anyone.
    result.alerts_unassigned = session.execute(
        sa.update(ContinuityAlert)
        .where(ContinuityAlert.assignee_id == user.id, ContinuityAlert.status != AlertStatus.RESOLVED)
        .values(assignee_id=None).execution_options(synchronize_session="fetch")
    ).rowcount or 0


def _blank_free_text(session: orm.Session, user: User, result: ErasureResult) -> None:
    """Words the person wrote, or that were written about them, go; codes and dates stay."""
    own_placements = sa.select(Placement.id).where(Placement.citizen_id == user.id)
    for placement in session.scalars(sa.select(Placement).where(Placement.citizen_id == user.id)):
        for column in ("end_note", "citizen_message"):
            if getattr(placement, column):
                setattr(placement, column, None)
                result.texts_blanked += 1
    for event in session.scalars(
        sa.select(PlacementEvent).where(PlacementEvent.placement_id.in_(own_placements),
                                        PlacementEvent.reason.is_not(None))
    ):
        if event.reason not in _REASON_CODES:
            event.reason = None
            result.texts_blanked += 1
    result.texts_blanked += _blank(session, PlacementCheckIn, PlacementCheckIn.note, None,
                                   PlacementCheckIn.placement_id.in_(own_placements))
    # Invitations to the person, and those a professional wrote to others (they may sign with their name).
    result.texts_blanked += _blank(session, Invitation, Invitation.message, "",
                                   Invitation.placement_id.in_(own_placements) | (Invitation.sender_id == user.id))
    # Conversations: what the person wrote anywhere, and a resident's own conversations whole (what the
    # contact persons wrote there is about them). The rows stay, so the other side sees "removed".
    result.texts_blanked += _blank(session, PlacementMessage, PlacementMessage.body, "",
                                   (PlacementMessage.author_id == user.id)
                                   | PlacementMessage.placement_id.in_(own_placements))
    # Monthly check-ins: how the person said they felt (volunteer) or how their work went (contact person).
    # The scales stay, anonymous, for the initiative's figures; the words go.
    result.texts_blanked += _blank(session, VolunteerCheckIn, VolunteerCheckIn.comment, None,
                                   VolunteerCheckIn.placement_id.in_(own_placements))
    result.texts_blanked += _blank(session, ContactCheckIn, ContactCheckIn.comment, None,
                                   ContactCheckIn.professional_id == user.id)
    # Thanks to the person were for their statement, which nobody can print any more. Thanks a contact
    # person wrote to others stay: they belong to those volunteers' statements ("the contact person").
    result.thanks_removed = _delete(session, PlacementThanks, PlacementThanks.placement_id.in_(own_placements))
    about_person = sa.select(ContinuityAlert.id).where(ContinuityAlert.citizen_id == user.id)
    result.texts_blanked += _blank(session, AlertNote, AlertNote.body, ERASED_TEXT,
                                   AlertNote.alert_id.in_(about_person))


def _blank(session: orm.Session, model, column, empty, condition) -> int:
    """Set `column` to `empty` where there are words; how many rows changed."""
    has_words = column.is_not(None) if empty is None else (column.is_not(None) & (column != empty))
    return session.execute(
        sa.update(model).where(condition, has_words).values({column.key: empty})
        .execution_options(synchronize_session="fetch")
    ).rowcount or 0


def _remove_names_from_messages(session: orm.Session, user: User, old_name: str,
                                result: ErasureResult) -> None:
    """Other people's inbox messages that named this person keep their news, not the name."""
    initiative_ids = set(session.scalars(
        sa.select(Placement.initiative_id).where(Placement.citizen_id == user.id)
    ))
    initiative_ids |= set(session.scalars(
        sa.select(Placement.initiative_id).join(Invitation, Invitation.placement_id == Placement.id)
        .where(Invitation.sender_id == user.id)
    ))
    initiative_ids |= set(session.scalars(
        sa.select(Placement.initiative_id).join(PlacementMessage, PlacementMessage.placement_id == Placement.id)
        .where(PlacementMessage.author_id == user.id)
    ))
    # A professional named in the messages about their initiatives (added, handed over).
    initiative_ids |= set(session.scalars(
        sa.select(InitiativeContact.initiative_id).where(InitiativeContact.professional_id == user.id)
    ))
    if not initiative_ids:
        return
    # Every kind: invitations, conversations, a volunteer pausing or stopping, a hand-over carry a name.
    candidates = session.scalars(
        sa.select(Notification).where(Notification.user_id != user.id,
                                      Notification.created_at >= user.created_at)
    )
    for message in candidates:
        payload = message.payload or {}
        if payload.get("initiative_id") not in initiative_ids:
            continue
        named = [key for key in _NAME_KEYS if payload.get(key) == old_name]
        if named:
            # "citizen_name" becomes "former_citizen": True; the inbox words it "a former volunteer".
            # A message in a conversation was sent by a resident or a contact person: their role says which.
            former = {key: ("former_citizen" if message.kind == _CONVERSATION and user.role == Role.CITIZEN
                            else _FORMER[key]) for key in named}
            kept = {k: v for k, v in payload.items() if k not in named}
            message.payload = {**kept, **{flag: True for flag in former.values()}}
            result.names_removed_from_messages += 1


def _remove_own_records(session: orm.Session, user: User, *, actor: User | None,
                        result: ErasureResult) -> None:
    """The profile, inbox, tokens, logins, two-factor and stored plan rows of the person are deleted."""
    profile = user.citizen_profile
    if profile is not None:
        session.delete(profile)
        session.flush()
        session.expire(user, ["citizen_profile"])
        result.profile_removed = True
        record_change(session, citizens=[user.id])
    user.work_areas = []
    user.spoken_languages = []
    result.notifications_removed = _delete(session, Notification, Notification.user_id == user.id)
    result.api_tokens_removed = _delete(session, ApiToken, ApiToken.user_id == user.id)
    _delete(session, ConversationRead, ConversationRead.reader_id == user.id)
    result.sessions_ended = end_all_sessions(session, user, actor=actor)
    result.two_factor_removed = _delete(session, TwoFactor, TwoFactor.user_id == user.id)
    _delete(session, RecoveryCode, RecoveryCode.user_id == user.id)
    _delete(session, LoginLockout, LoginLockout.user_id == user.id)
    # A stored plan proposes people by name: the person leaves it, as they left matching.
    result.plan_rows_removed = _delete(session, PlanRow, PlanRow.citizen_id == user.id)
    # Proof of consent is needed while the data is processed; after erasure nothing is.
    result.consents_removed = _delete(session, Consent, Consent.user_id == user.id)


def _delete(session: orm.Session, model, condition) -> int:
    return session.execute(
        sa.delete(model).where(condition).execution_options(synchronize_session="fetch")
    ).rowcount or 0


def _cancel_mail(session: orm.Session, old_email: str, user_id: int, result: ErasureResult) -> None:
    """Mail still waiting for the old address is not sent; the outbox forgets the address."""
    result.mails_cancelled = session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.recipient == old_email, OutboxMail.status == MailStatus.PENDING)
        .values(status=MailStatus.FAILED, message=None, last_error="account erased")
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    session.execute(
        sa.update(OutboxMail).where(OutboxMail.recipient == old_email)
        .values(recipient=erased_email(user_id), message=None)
        .execution_options(synchronize_session=False)
    )


def _wipe_account(session: orm.Session, user: User, now: dt.datetime, result: ErasureResult) -> None:
    user.display_name = ERASED_NAME
    user.email = erased_email(user.id)
    user.password_hash = None
    user.is_enabled = False
    user.pending_since = None
    user.phone = None
    user.work_email = None
    user.shares_phone = user.shares_email = False
    user.last_login_at = None
    user.inactivity_warned_at = None
    user.is_municipal = False
    user.erased_at = now
    # A professional's organisation is where they worked, not who they are: it stays.
    session.flush()
