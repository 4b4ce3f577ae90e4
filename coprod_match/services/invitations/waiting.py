"""Which invitations still wait for an answer."""

from __future__ import annotations

import sqlalchemy as sa

from ...models import Invitation, Placement, PlacementState


def open_invitations() -> sa.Select:
    """Invitations still waiting for an answer (their placement is still invited)."""
    return (
        sa.select(Invitation)
        .join(Placement, Placement.id == Invitation.placement_id)
        .where(Invitation.answered_at.is_(None), Invitation.revoked_at.is_(None),
               Placement.state == PlacementState.INVITED)
    )
