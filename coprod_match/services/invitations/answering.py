"""Answering an invitation: yes or no, finishing the account it made, or taking it back.

Only an invitation still waiting can be answered or taken back (waiting.py);
a full initiative is refused by the state machine (InitiativeFullError).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ...domain_errors import InvalidInput
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
from .errors import InvitationClosedError, NotYourInvitationError
from .notices import tell_inviters
from .waiting import ensure_waiting, open_invitation_of, open_invitations

S = PlacementState


def mark_opened(invitation: Invitation, *, now: dt.datetime | None = None) -> bool:
    """The first time the link is opened counts as 'opened' in the funnel."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = now or utcnow()
    return True


def answer_invitation(session: orm.Session, placement: Placement, answer: InvitationAnswer, *, actor: User,
                      reason: DeclineReason | None = None, now: dt.datetime | None = None) -> Placement:
    """The citizen's yes or no to the invitation behind an invited placement (as the API asks it)."""
    invitation = open_invitation_of(session, placement)
    if invitation is None:
        raise InvitationClosedError()
    if answer == InvitationAnswer.ACCEPTED:
        return accept_invitation(session, invitation, actor=actor, now=now)
    return decline_invitation(session, invitation, actor=actor, reason=reason, now=now)


def accept_invitation(session: orm.Session, invitation: Invitation, *, actor: User,
                      now: dt.datetime | None = None) -> Placement:
    """The citizen says yes: the placement becomes accepted (active once the professional confirms).

    When the last place was just taken, the state machine refuses with
    InitiativeFullError (it counts places under the initiative's lock).
    """
    now = now or utcnow()
    placement = _answerable(invitation, actor, now)
    machine.move_placement(session, placement, S.ACCEPTED, actor=actor, now=now)
    _record_answer(invitation, InvitationAnswer.ACCEPTED, now)
    tell_inviters(session, invitation, "invitation.accepted")
    audit_record(session, "invitation.accepted", "invitation", invitation.id, actor=actor,
                 initiative_id=placement.initiative_id)
    return placement


def decline_invitation(session: orm.Session, invitation: Invitation, *, actor: User,
                       reason: DeclineReason | None = None, now: dt.datetime | None = None) -> Placement:
    """The citizen says no, with an optional reason; from the link, without logging in, the link's holder acts."""
    now = now or utcnow()
    placement = _answerable(invitation, actor, now)
    machine.move_placement(session, placement, S.DECLINED, actor=actor, now=now,
                           reason=reason.value if reason else None)
    _record_answer(invitation, InvitationAnswer.DECLINED, now)
    invitation.decline_reason = reason.value if reason else None
    tell_inviters(session, invitation, "invitation.declined")
    audit_record(session, "invitation.declined", "invitation", invitation.id, actor=actor,
                 initiative_id=placement.initiative_id, reason=invitation.decline_reason)
    return placement


def _answerable(invitation: Invitation, actor: User, now: dt.datetime) -> Placement:
    placement = invitation.placement
    if actor.id != placement.citizen_id:
        raise NotYourInvitationError()
    ensure_waiting(invitation, now)
    return placement


def _record_answer(invitation: Invitation, answer: InvitationAnswer, now: dt.datetime) -> None:
    invitation.answer = answer
    invitation.answered_at = now
    mark_opened(invitation, now=now)


def complete_pending_account(session: orm.Session, citizen: User, *, password: str, display_name: str,
                             neighbourhood_id: int | None, now: dt.datetime | None = None) -> User:
    """The invited person finishes the account the invitation made: a password, and it is theirs."""
    if not citizen.is_pending:
        raise InvalidInput(_l("This account is already complete. Please log in."), field="password")
    display_name = display_name.strip() or citizen.display_name
    problem = password_problem(password, email=citizen.email, name=display_name)
    if problem:
        raise InvalidInput(problem, field="password")
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


def withdraw_invitation(session: orm.Session, invitation: Invitation, *, actor: User,
                        now: dt.datetime | None = None) -> None:
    """The inviter takes back an invitation still waiting: the link stops working and the placement ends."""
    now = now or utcnow()
    ensure_waiting(invitation, now)
    _take_back(session, invitation, actor=actor, why="withdrawn", now=now)


def _take_back(session: orm.Session, invitation: Invitation, *, actor: User | None, why: str,
               now: dt.datetime) -> None:
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
        _take_back(session, invitation, actor=actor, why="consent_withdrawn", now=now)
    # Plan invitations made before invitations had rows of their own.
    for placement in session.scalars(
        sa.select(Placement).where(Placement.citizen_id == citizen.id, Placement.state == S.INVITED)
    ):
        machine.move_placement(session, placement, S.ENDED, actor=actor, now=now,
                               end_reason=EndReason.OTHER, reason="consent_withdrawn")
    return len(waiting)
