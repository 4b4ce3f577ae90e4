"""Reads about placements: a citizen's own, and an initiative's participants for its managers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import Initiative, Placement, User
from ..services.audit import record_look
from ..vocabulary import COMMITTED_STATES


def placements_of_citizen(citizen: User) -> sa.Select:
    """Every placement of this citizen, the latest change first, with initiative and place loaded."""
    return (
        sa.select(Placement)
        .where(Placement.citizen_id == citizen.id)
        .options(orm.joinedload(Placement.initiative).joinedload(Initiative.neighbourhood))
        .order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    )


def participants_of(session: orm.Session, initiative: Initiative, *, actor: User) -> list[Placement]:
    """Everyone placed at this initiative, latest change first; the look is logged (staff see residents)."""
    placements = list(session.scalars(
        sa.select(Placement)
        .where(Placement.initiative_id == initiative.id)
        .options(orm.joinedload(Placement.citizen))
        .order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    ))
    record_look(session, placements, "participants.viewed", actor=actor, initiative_id=initiative.id)
    return placements


def already_involved(session: orm.Session, initiative_id: int, citizen_ids: list[int]) -> dict[int, str]:
    """Which of these residents already take part, are invited or signed up here: citizen id -> state.

    They are not offered an invitation again (a resident has at most one live
    placement per initiative); the pages show a label instead. Reads only ids
    and states of people the caller already shows, so it logs no look itself.
    """
    if not citizen_ids:
        return {}
    rows = session.execute(
        sa.select(Placement.citizen_id, Placement.state)
        .where(Placement.initiative_id == initiative_id, Placement.citizen_id.in_(set(citizen_ids)),
               Placement.state.in_(sorted(COMMITTED_STATES)))
    ).tuples().all()
    return dict(rows)
