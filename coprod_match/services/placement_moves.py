"""One way to move a placement, for pages and the API alike: may this person make it, then make it.

`make_move` checks the move against the table of who may make which move
(security.PLACEMENT_MOVES) and hands it to the service that knows what else
the move means: a citizen's answer to an invitation tells the inviters, an
accepted sign-up tells the citizen, an ended place records why.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput
from ..models import DeclineReason, EndReason, Invitation, Placement, PlacementState, User
from ..security import placement_moves_for
from ..vocabulary import LOCAL_ZONE
from . import invitations as invitation_service
from . import participation
from . import placements as machine

S = PlacementState


class MoveNotYoursError(DomainError):
    """The move exists, but it is for someone else to make (a citizen accepting their own sign-up)."""

    status = 403
    problem_type = "move-not-yours"
    message = _l("This move is not yours to make.")


class InvitationClosedError(DomainError):
    """An answer to an invitation that was answered, withdrawn or has ended."""

    status = 409
    problem_type = "invalid-move"
    message = _l("This invitation was already answered or has ended.")


def check_move(session: orm.Session, placement: Placement, target: PlacementState, *, actor: User) -> None:
    """Raise unless `actor` may move this placement to `target` now."""
    if target in placement_moves_for(session, actor, placement):
        return
    current = PlacementState(placement.state)
    if target in machine.ALLOWED_MOVES[current]:
        raise MoveNotYoursError()
    raise machine.PlacementMoveError(current, target)


def make_move(
    session: orm.Session,
    placement: Placement,
    target: PlacementState,
    *,
    actor: User,
    reason: str | None = None,
    end_reason: EndReason | None = None,
    starts_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Placement:
    """Move a placement for `actor`, with everything the move means; flushes, the caller commits."""
    check_move(session, placement, target, actor=actor)
    today = today or dt.datetime.now(LOCAL_ZONE).date()
    if placement.state == S.INVITED and target in (S.ACCEPTED, S.DECLINED):  # only the citizen answers
        answer_invitation(session, placement, target, actor=actor)
    elif target == S.APPLIED:
        participation.sign_up(session, placement.initiative, actor=actor, message=placement.citizen_message)
    elif target == S.ACCEPTED:
        participation.accept(session, placement, starts_on=starts_on or today, today=today, actor=actor)
    elif target == S.REJECTED:
        if not (reason or "").strip():
            raise InvalidInput(_l("Write a short, kind reason."), field="reason")
        participation.reject(session, placement, reason=reason, actor=actor)
    elif target == S.ENDED:
        participation.end(session, placement, end_reason=end_reason or EndReason.OTHER, note=reason,
                          actor=actor)
    else:
        machine.move_placement(session, placement, target, actor=actor, reason=reason, starts_on=starts_on)
    return placement


def open_invitation(session: orm.Session, placement: Placement) -> Invitation | None:
    """The invitation still waiting for this placement's answer, if it was sent as one."""
    return session.scalar(
        sa.select(Invitation).where(Invitation.placement_id == placement.id, Invitation.answered_at.is_(None),
                                    Invitation.revoked_at.is_(None))
        .order_by(Invitation.id.desc()).limit(1))


def answer_invitation(session: orm.Session, placement: Placement, answer: PlacementState, *, actor: User,
                      decline_reason: DeclineReason | None = None) -> None:
    """The citizen's yes or no, through the invitation service (it records the answer, tells the inviters)."""
    invitation = open_invitation(session, placement)
    if invitation is None:
        raise InvitationClosedError()
    if answer == S.DECLINED:
        invitation_service.decline_invitation(session, invitation, reason=decline_reason)
        return
    try:
        invitation_service.accept_invitation(session, invitation, citizen=actor)
    except invitation_service.NoRoomError:
        # Until the invitation service raises InitiativeFullError itself (one error for one refusal).
        raise machine.InitiativeFullError() from None
