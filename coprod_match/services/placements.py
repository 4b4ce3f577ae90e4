"""The placement state machine: the one code path that moves a placement.

Allowed moves are data (ALLOWED_MOVES); who may make which of them is
security.PLACEMENT_MOVES. Every move records a PlacementEvent (who, when,
from, to, why). Moves that take a place in an initiative lock the initiative
first and check capacity, so two people accepting the last place at the same
moment cannot both get it. Every move changes what matching sees, so each
one asks for a fresh matching snapshot once it is stored.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..matching.changes import record_change
from ..models import (
    EndReason,
    Initiative,
    InitiativeStatus,
    Placement,
    PlacementEvent,
    PlacementState,
    User,
    utcnow,
)
from ..vocabulary import PLACE_HOLDING_STATES
from .audit import audit_record

S = PlacementState

# from-state -> states it may move to. None is "no placement yet".
ALLOWED_MOVES: dict[PlacementState | None, frozenset[PlacementState]] = {
    None: frozenset({S.SUGGESTED, S.INVITED, S.APPLIED}),
    S.SUGGESTED: frozenset({S.INVITED, S.APPLIED, S.ENDED}),
    S.INVITED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.ENDED}),
    S.APPLIED: frozenset({S.ACCEPTED, S.REJECTED, S.ENDED}),
    S.ACCEPTED: frozenset({S.ACTIVE, S.ENDED}),
    S.ACTIVE: frozenset({S.PAUSED, S.ENDED}),
    S.PAUSED: frozenset({S.ACTIVE, S.ENDED}),
    S.DECLINED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
    S.ENDED: frozenset(),
}



class PlacementMoveError(DomainError):
    """A move the state machine does not allow from where the placement is now."""

    status = 409
    problem_type = "invalid-move"
    message = _l("This is not possible any more. Please look at the current status.")

    def __init__(self, from_state: str | None = None, to_state: str | None = None, message=None):
        super().__init__(message)
        self.from_state = from_state
        self.to_state = to_state


class InitiativeFullError(DomainError):
    """The initiative has no open place left (for a sign-up, an invitation or its answer)."""

    status = 409
    problem_type = "initiative-full"
    message = _l("There is no free place left in this initiative.")


class InitiativeNotOpenError(DomainError):
    """Only open initiatives take new people."""

    status = 409
    problem_type = "initiative-not-open"
    message = _l("This initiative does not take new people at the moment.")


def lock_initiative(session: orm.Session, initiative_id: int) -> None:
    """Serialise place-taking moves on one initiative until the transaction ends.

    A no-op UPDATE takes a row lock on PostgreSQL and the write lock on SQLite,
    so the capacity count that follows cannot be raced.
    """
    session.execute(
        sa.update(Initiative)
        .where(Initiative.id == initiative_id)
        .values(volunteers_ideal=Initiative.volunteers_ideal)
        .execution_options(synchronize_session=False)
    )


def places_taken(session: orm.Session, initiative_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(Placement)
        .where(Placement.initiative_id == initiative_id, Placement.state.in_(PLACE_HOLDING_STATES))
    )


def _check_capacity(session: orm.Session, initiative: Initiative) -> None:
    lock_initiative(session, initiative.id)
    if places_taken(session, initiative.id) >= initiative.volunteers_ideal:
        raise InitiativeFullError()


def _record(
    session: orm.Session,
    placement: Placement,
    from_state: str | None,
    to_state: PlacementState,
    *,
    actor: User | None,
    reason: str | None,
    now: dt.datetime,
) -> None:
    placement.state = to_state
    placement.state_changed_at = now
    session.add(
        PlacementEvent(
            placement=placement,
            from_state=from_state,
            to_state=to_state,
            actor_id=actor.id if actor else None,
            at=now,
            reason=reason,
        )
    )
    record_change(session, citizens=[placement.citizen_id or placement.citizen],
                  initiatives=[placement.initiative_id or placement.initiative])


def create_placement(
    session: orm.Session,
    citizen: User,
    initiative: Initiative,
    state: PlacementState,
    *,
    actor: User | None,
    message: str | None = None,
    now: dt.datetime | None = None,
) -> Placement:
    """Start a placement as suggested, invited or applied."""
    if state not in ALLOWED_MOVES[None]:
        raise PlacementMoveError(None, state)
    if initiative.status != InitiativeStatus.OPEN and state != S.SUGGESTED:
        raise InitiativeNotOpenError()
    now = now or utcnow()
    placement = Placement(
        citizen_id=citizen.id,
        initiative_id=initiative.id,
        state=state,
        created_at=now,
        citizen_message=message,
    )
    session.add(placement)
    _record(session, placement, None, state, actor=actor, reason=None, now=now)
    session.flush()
    audit_record(session, f"placement.{state}", "placement", placement.id, actor=actor,
                 initiative_id=initiative.id)
    return placement


def move_placement(
    session: orm.Session,
    placement: Placement,
    to_state: PlacementState,
    *,
    actor: User | None,
    reason: str | None = None,
    end_reason: EndReason | None = None,
    starts_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Placement:
    """Apply one move, or raise; the caller commits (and rolls back on error).

    This only knows which moves exist; `placement_moves.make_move` also checks
    that the actor may make it, and is what pages and the API call.
    """
    from_state = PlacementState(placement.state)
    if to_state not in ALLOWED_MOVES[from_state]:
        raise PlacementMoveError(from_state, to_state)
    if to_state in PLACE_HOLDING_STATES and from_state not in PLACE_HOLDING_STATES:
        _check_capacity(session, placement.initiative)
    now = now or utcnow()
    if to_state == S.ENDED:
        placement.end_reason = EndReason(end_reason or EndReason.OTHER).value
        placement.end_note = reason
    if to_state == S.ACCEPTED and starts_on is not None:
        placement.starts_on = starts_on
    if to_state == S.ACTIVE:
        placement.last_activity_at = now
        placement.starts_on = placement.starts_on or now.date()
    _record(session, placement, from_state, to_state, actor=actor, reason=reason, now=now)
    session.flush()
    audit_record(session, f"placement.{to_state}", "placement", placement.id, actor=actor,
                 from_state=str(from_state), initiative_id=placement.initiative_id)
    return placement
