"""Answering an invitation: yes or no, finishing the account it made, or taking it back."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ...models import (
    CitizenProfile,
    DeclineReason,
    EndReason,
    Invitation,
    InvitationAnswer,
    Placement,
    PlacementState,
    User,
    utcnow,
)
from ...passwords import hash_password, password_problem
from .. import placements as machine
from ..audit import audit_record
from .errors import NoRoomError, NotInvitableError
from .notices import tell_inviters
from .waiting import open_invitations

S = PlacementState


def mark_opened(invitation: Invitation, *, now: dt.datetime | None = None) -> bool:
    """The first time the link is opened counts as 'opened' in the funnel."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = now or utcnow()
    return True


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
    tell_inviters(session, invitation, "invitation.accepted")
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
    tell_inviters(session, invitation, "invitation.declined")
    audit_record(session, "invitation.declined", "invitation", invitation.id, actor=citizen,
                 initiative_id=placement.initiative_id, reason=invitation.decline_reason)
    return placement


def complete_pending_account(session: orm.Session, citizen: User, *, password: str, display_name: str,
                             neighbourhood_id: int | None, now: dt.datetime | None = None) -> User:
    """The invited person finishes the account the invitation made: a password, and it is theirs."""
    from ..accounts import AccountError

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
    waiting = list(session.scalars(open_invitations().where(Placement.citizen_id == citizen.id)))
    for invitation in waiting:
        withdraw_invitation(session, invitation, actor=actor, why="consent_withdrawn", now=now)
    # Plan invitations made before invitations had rows of their own.
    for placement in session.scalars(
        sa.select(Placement).where(Placement.citizen_id == citizen.id, Placement.state == S.INVITED)
    ):
        machine.move_placement(session, placement, S.ENDED, actor=actor, now=now,
                               end_reason=EndReason.OTHER, reason="consent_withdrawn")
    return len(waiting)
