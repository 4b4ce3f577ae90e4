"""Pending accounts end with their invitations.

An e-mail invitation makes a pending account for an address that has none
(sending.py). Nobody chose that address's account but the professional, so it
must not outlive its reason: once the last invitation to it has ended and a
grace period has passed (PENDING_ACCOUNT_GRACE_DAYS), the `pending_accounts`
job removes it, with its placements, invitations and inbox messages. Until then the owner of the address can still sign up
or reset a password over it, and it becomes theirs (services/registration.py).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ...matching.changes import record_change
from ...models import Invitation, Placement, User
from ..audit import audit_record


def expired_pending_accounts(session: orm.Session, *, now: dt.datetime, grace_days: int) -> sa.Select:
    """Pending accounts older than the grace period with no invitation that ended within it (or is still open)."""
    since = now - dt.timedelta(days=grace_days)
    recent_invitation = (
        sa.select(Invitation.id)
        .join(Placement, Placement.id == Invitation.placement_id)
        .where(Placement.citizen_id == User.id, Invitation.expires_at > since)
    )
    return sa.select(User.id).where(User.pending_since.is_not(None), User.pending_since <= since,
                                    ~recent_invitation.exists())


def remove_expired_pending_accounts(session: orm.Session, *, now: dt.datetime, grace_days: int) -> int:
    """Remove pending accounts whose invitations all ended more than `grace_days` ago (the job; idempotent)."""
    ids = list(session.scalars(expired_pending_accounts(session, now=now, grace_days=grace_days)))
    if not ids:
        return 0
    initiatives = set(session.scalars(sa.select(Placement.initiative_id).where(Placement.citizen_id.in_(ids))))
    for user_id in ids:
        audit_record(session, "account.pending_removed", "user", user_id, actor=None, reason="invitation_ended")
    # Their placements (invitations nobody answered) go first, by name: the foreign key
    # refuses to delete anyone's placements by cascade (docs/erasure.md). The database's
    # ON DELETE CASCADE then removes the rest that hangs on the account and its placements.
    session.execute(sa.delete(Placement).where(Placement.citizen_id.in_(ids)),
                    execution_options={"synchronize_session": False})
    session.execute(sa.delete(User).where(User.id.in_(ids), User.pending_since.is_not(None)),
                    execution_options={"synchronize_session": False})
    session.expire_all()
    record_change(session, initiatives=sorted(initiatives))
    return len(ids)
