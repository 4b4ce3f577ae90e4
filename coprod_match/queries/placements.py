"""Reads about placements: a citizen's own, for their "my initiatives" page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import Initiative, Placement, User


def placements_of_citizen(citizen: User) -> sa.Select:
    """Every placement of this citizen, the latest change first, with initiative and place loaded."""
    return (
        sa.select(Placement)
        .where(Placement.citizen_id == citizen.id)
        .options(orm.joinedload(Placement.initiative).joinedload(Initiative.neighbourhood))
        .order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    )
