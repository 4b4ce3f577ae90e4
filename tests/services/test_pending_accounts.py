"""Pending accounts made by e-mail invitations end with their invitations, and their owner can always take them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import AuditEntry, Invitation, Notification, Placement, User, utcnow
from coprod_match.services import invitations
from coprod_match.services.retention import RetentionPeriods, purge
from tests import factories

GRACE_DAYS = 7


def remove_expired_pending_accounts(session, *, now: dt.datetime, grace_days: int) -> int:
    """The retention purge removes them (services/retention.py); how many it removed."""
    return purge(session, now=now, periods=RetentionPeriods(pending_grace_days=grace_days)).counts["pending_accounts"]


def _invite_sam(db_session, world, *, now: dt.datetime) -> User:
    invitations.invite_by_email(db_session, email="sam@example.org", name="Sam", locale="en",
                                initiative=world["day_care"], actor=world["contact"], now=now)
    db_session.commit()
    return db_session.scalar(sa.select(User).where(User.email == "sam@example.org"))


def test_a_pending_account_is_removed_a_grace_period_after_its_invitation_ended(db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    sent_at = utcnow() - dt.timedelta(days=30)
    sam = _invite_sam(db_session, world, now=sent_at)
    assert sam.is_pending
    sam_id = sam.id
    ended = db_session.scalar(sa.select(Invitation.expires_at))
    grace = dt.timedelta(days=GRACE_DAYS)

    assert remove_expired_pending_accounts(db_session, now=ended, grace_days=GRACE_DAYS) == 0
    assert remove_expired_pending_accounts(db_session, now=ended + grace - dt.timedelta(minutes=1),
                                           grace_days=GRACE_DAYS) == 0
    assert remove_expired_pending_accounts(db_session, now=ended + grace + dt.timedelta(minutes=1),
                                           grace_days=GRACE_DAYS) == 1
    db_session.commit()
    assert db_session.scalar(sa.select(User).where(User.email == "sam@example.org")) is None
    for model in (Placement, Invitation):  # what hung on the account went with it
        assert db_session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.user_id == sam_id)) == 0
    removed = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.pending_removed"))
    assert removed.entity_id == sam_id and removed.actor_id is None
    # Idempotent, and the address is free for whoever owns it.
    assert remove_expired_pending_accounts(db_session, now=ended + 2 * grace, grace_days=GRACE_DAYS) == 0


def test_complete_accounts_and_pending_ones_with_a_recent_invitation_stay(db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    long_ago = utcnow() - dt.timedelta(days=365)
    other = factories.initiative(db_session, title="Walking group", contact=world["contact"])
    db_session.commit()
    sam = _invite_sam(db_session, world, now=long_ago)
    # A second invitation, still open: the account stays while it runs.
    invitations.invite_citizen(db_session, sam, other, actor=world["contact"], via="email",
                               in_person_consent=True, now=utcnow() - dt.timedelta(days=1))
    old_citizen = make_user(email="old@example.org")
    db_session.commit()
    assert remove_expired_pending_accounts(db_session, now=utcnow(), grace_days=GRACE_DAYS) == 0
    db_session.commit()
    assert db_session.get(User, sam.id) is not None and db_session.get(User, old_citizen.id) is not None


def test_the_privacy_purge_job_removes_them(app, db_session, make_user):
    from coprod_match.jobs.runner import run_job

    factories.pending_citizen(db_session, email="never@example.org", since=utcnow() - dt.timedelta(days=60))
    db_session.commit()
    result = run_job(app, "privacy_purge", "scheduler-a")
    assert result.outcome == "succeeded" and result.counts["pending_accounts"] == 1
