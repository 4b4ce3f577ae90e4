"""One way to move a placement, for pages and the API alike: may this person make it, then make it.

`make_move` checks the move against the table of who may make which move
(security.PLACEMENT_MOVES) and hands it to the service that knows what else
the move means: a citizen's answer to an invitation tells the inviters, an
accepted sign-up tells the citizen, a volunteer who pauses, comes back or
stops tells the contacts, an ended place records why.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput
from ..models import EndReason, InvitationAnswer, Placement, PlacementState, User
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
        invitation_service.answer_invitation(session, placement, InvitationAnswer(target), actor=actor)
    elif target == S.APPLIED:
        participation.apply(session, placement.initiative, actor=actor, message=placement.citizen_message)
    elif target == S.ACCEPTED:
        participation.accept(session, placement, starts_on=starts_on or today, today=today, actor=actor)
    elif target == S.REJECTED:
        if not (reason or "").strip():
            raise InvalidInput(_l("Write a short, kind reason."), field="reason")
        participation.reject(session, placement, reason=reason, actor=actor)
    elif target == S.PAUSED:
        participation.pause(session, placement, actor=actor, reason=reason)
    elif target == S.ACTIVE and placement.state == S.PAUSED:
        participation.resume(session, placement, actor=actor, reason=reason)
    elif target == S.ENDED:
        participation.end(session, placement, end_reason=end_reason or EndReason.OTHER, note=reason,
                          actor=actor)
    else:
        machine.move_placement(session, placement, target, actor=actor, reason=reason, starts_on=starts_on)
    return placement
