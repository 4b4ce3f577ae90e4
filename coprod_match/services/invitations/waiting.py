"""Whether an invitation still waits for its answer: one rule for the link, the answer and taking it back."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ...models import Invitation, Placement, PlacementState
from .errors import LINK_EXPIRED, LINK_USED, LINK_WITHDRAWN, InvitationClosedError


def why_closed(invitation: Invitation, now: dt.datetime) -> str | None:
    """None while the invitation waits for an answer; else LINK_USED, LINK_WITHDRAWN or LINK_EXPIRED.

    Past its end it is closed at once, before the expiry job has run.
    """
    if invitation.answered_at is not None:
        return LINK_USED
    if invitation.revoked_at is not None:
        return LINK_WITHDRAWN
    if invitation.expires_at <= now or invitation.placement.state == PlacementState.EXPIRED:
        return LINK_EXPIRED
    if invitation.placement.state != PlacementState.INVITED:
        return LINK_WITHDRAWN
    return None


def ensure_waiting(invitation: Invitation, now: dt.datetime) -> None:
    """Raise InvitationClosedError unless the invitation still waits for its answer."""
    if why_closed(invitation, now) is not None:
        raise InvitationClosedError()


def open_invitations() -> sa.Select:
    """Invitations still waiting for an answer (their placement is still invited)."""
    return (
        sa.select(Invitation)
        .join(Placement, Placement.id == Invitation.placement_id)
        .where(Invitation.answered_at.is_(None), Invitation.revoked_at.is_(None),
               Placement.state == PlacementState.INVITED)
    )


def open_invitation_of(session: orm.Session, placement: Placement) -> Invitation | None:
    """The invitation still waiting behind an invited placement, if it was sent as one."""
    return session.scalar(
        sa.select(Invitation)
        .where(Invitation.placement_id == placement.id, Invitation.answered_at.is_(None),
               Invitation.revoked_at.is_(None))
        .order_by(Invitation.id.desc()).limit(1)
    )
