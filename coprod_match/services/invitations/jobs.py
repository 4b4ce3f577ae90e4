"""The scheduled side of invitations: one reminder before the end, then expiry without an answer."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import orm

from ...models import Invitation, Placement, PlacementState
from .. import placements as machine
from ..audit import audit_record
from .links import invitation_token
from .notices import tell_citizen, tell_inviters
from .settings import rules
from .waiting import open_invitations

S = PlacementState


def expire_due(session: orm.Session, *, now: dt.datetime) -> int:
    """Invitations past their end without an answer become expired (the job; idempotent)."""
    due = list(session.scalars(open_invitations().where(Invitation.expires_at <= now)
                               .options(orm.joinedload(Invitation.placement))))
    for invitation in due:
        machine.move_placement(session, invitation.placement, S.EXPIRED, actor=None, now=now)
        tell_inviters(session, invitation, "invitation.expired")
        audit_record(session, "invitation.expired", "invitation", invitation.id, actor=None,
                     initiative_id=invitation.placement.initiative_id)
    return len(due)


def send_due_reminders(session: orm.Session, *, now: dt.datetime, days_before: int | None = None) -> int:
    """One reminder, `days_before` days before the end (the job; reminded_at keeps it to one).

    Without `days_before`, the configured INVITATION_REMINDER_DAYS_BEFORE.
    """
    if days_before is None:
        days_before = rules().reminder_days_before
    due = list(session.scalars(
        open_invitations()
        .where(Invitation.reminded_at.is_(None), Invitation.expires_at > now,
               Invitation.expires_at <= now + dt.timedelta(days=days_before))
        .options(orm.joinedload(Invitation.placement).joinedload(Placement.citizen))
    ))
    secret_key = current_app.config["SECRET_KEY"]
    for invitation in due:
        invitation.reminded_at = now
        placement = invitation.placement
        tell_citizen(session, invitation, invitation_token(invitation, secret_key), reminder=True)
        audit_record(session, "invitation.reminded", "invitation", invitation.id, actor=None,
                     initiative_id=placement.initiative_id)
    return len(due)
