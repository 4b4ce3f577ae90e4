"""Retention: what outlived its period goes (or is blanked), the rest stays; a dry run changes nothing.

A small world holds rows of every kind on both sides of each period; the
purge must find exactly the old ones, the real run must do exactly what the
dry run counted, and a second run must find nothing.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import (
    AlertKind,
    AlertNote,
    AlertStatus,
    AuditEntry,
    AuditResident,
    CheckInKind,
    Invitation,
    InvitationAnswer,
    JobOutcome,
    JobRun,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementMessage,
    PlacementState,
    Role,
    User,
    utcnow,
)
from coprod_match.services.audit import audit_record
from coprod_match.services.retention import KINDS, RetentionPeriods, months_before, purge
from tests import factories

PERIODS = RetentionPeriods()  # the defaults: 12 months of free text, 6 of messages, 5 years of audit...
DAY = dt.timedelta(days=1)


def test_months_before_counts_calendar_months():
    moment = dt.datetime(2027, 3, 31, 3, 0, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2027, 2, 28, 3, 0, tzinfo=dt.UTC)
    assert months_before(moment, 12) == dt.datetime(2026, 3, 31, 3, 0, tzinfo=dt.UTC)
    assert months_before(moment, 25) == dt.datetime(2025, 2, 28, 3, 0, tzinfo=dt.UTC)
    assert months_before(dt.datetime(2028, 3, 29, tzinfo=dt.UTC), 1) == dt.datetime(2028, 2, 29, tzinfo=dt.UTC)


def _ended(session, citizen, initiative, *, at, text: str):
    placement = factories.placement(session, citizen, initiative, PlacementState.ENDED, since=at,
                                    end_note=f"{text} note", citizen_message=f"{text} message")
    session.add_all([
        PlacementEvent(placement_id=placement.id, from_state="active", to_state="ended", at=at,
                       reason=f"{text} reason"),
        PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.ACTIVITY, at=at - DAY, note=f"{text} check-in"),
    ])
    return placement


def _resolved_alert_note(session, initiative, *, resolved_at, body):
    alert = factories.alert(session, initiative, AlertKind.SINGLE_VOLUNTEER, status=AlertStatus.RESOLVED,
                            first_seen_at=resolved_at - 10 * DAY, last_seen_at=resolved_at - DAY,
                            resolved_at=resolved_at)
    alert.condition_key += f":{resolved_at.date()}"
    note = AlertNote(alert_id=alert.id, body=body, created_at=resolved_at - 5 * DAY)
    session.add(note)
    return note


def _world(session, make_user, now):
    """Rows of every kind, one just old enough to go and one young enough to stay; returns them by name."""
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    care = factories.day_care(session, contact=contact)
    walking = factories.initiative(session, title="Walking group", contact=contact)
    ayse, bram = make_user(name="Ayse"), make_user(name="Bram")
    w = {"contact": contact, "ayse": ayse, "bram": bram}
    w["old_ended"] = _ended(session, ayse, care, at=now - 400 * DAY, text="old")
    w["recent_ended"] = _ended(session, bram, care, at=now - 100 * DAY, text="recent")
    # Live for years: its words are still in use, however old.
    w["old_active"] = factories.placement(session, ayse, walking, PlacementState.ACTIVE, since=now - 800 * DAY,
                                          citizen_message="still helping")
    w["old_answered"] = factories.invitation(session, w["old_ended"], sender=contact, sent_at=now - 420 * DAY,
                                             message="old invitation", answer=InvitationAnswer.ACCEPTED,
                                             answered_at=now - 410 * DAY)
    w["old_lapsed"] = factories.invitation(session, w["old_active"], sender=contact, sent_at=now - 390 * DAY,
                                           message="lapsed invitation")  # expired 376 days ago, never answered
    w["recent_answered"] = factories.invitation(session, w["recent_ended"], sender=contact,
                                                sent_at=now - 120 * DAY, message="recent invitation",
                                                answer=InvitationAnswer.DECLINED, answered_at=now - 110 * DAY)
    w["old_talk"] = PlacementMessage(placement_id=w["old_ended"].id, author_id=ayse.id, body="old talk")
    w["recent_talk"] = PlacementMessage(placement_id=w["recent_ended"].id, author_id=bram.id, body="recent talk")
    w["live_talk"] = PlacementMessage(placement_id=w["old_active"].id, author_id=ayse.id, body="still talking")
    session.add_all([w["old_talk"], w["recent_talk"], w["live_talk"]])
    w["old_alert_note"] = _resolved_alert_note(session, care, resolved_at=now - 400 * DAY, body="Ayse is ill")
    w["recent_alert_note"] = _resolved_alert_note(session, walking, resolved_at=now - 30 * DAY, body="Bram moved")
    w["old_message"] = Notification(user_id=ayse.id, kind="placement.accepted", created_at=now - 200 * DAY)
    w["recent_message"] = Notification(user_id=ayse.id, kind="placement.accepted", created_at=now - 100 * DAY)
    session.add_all([w["old_message"], w["recent_message"]])
    w["old_audit"] = audit_record(session, "placement.viewed", "placement", 1, actor=contact, residents=[ayse.id])
    w["old_audit"].at = now - 6 * 365 * DAY
    w["recent_audit"] = audit_record(session, "placement.viewed", "placement", 1, actor=contact,
                                     residents=[ayse.id])
    w["recent_audit"].at = now - 4 * 365 * DAY
    w["old_run"] = JobRun(job_name="continuity_scan", holder="a", started_at=now - 120 * DAY,
                          outcome=JobOutcome.SUCCEEDED)
    w["recent_run"] = JobRun(job_name="continuity_scan", holder="a", started_at=now - 30 * DAY,
                             outcome=JobOutcome.SUCCEEDED)
    w["stuck_run"] = JobRun(job_name="continuity_scan", holder="a", started_at=now - 120 * DAY,
                            outcome=JobOutcome.RUNNING)  # still held: the runner owns it
    session.add_all([w["old_run"], w["recent_run"], w["stuck_run"]])
    w["old_pending"] = factories.pending_citizen(session, email="never@example.org", since=now - 60 * DAY)
    w["recent_pending"] = factories.pending_citizen(session, email="soon@example.org", since=now - 2 * DAY)
    session.commit()
    return w


EXPECTED = {
    "placement_texts": 1, "placement_event_reasons": 1, "check_in_notes": 1, "invitation_messages": 2,
    "volunteer_check_in_comments": 0, "contact_check_in_comments": 0,  # tests/services/test_retention_check_ins.py
    "conversation_messages": 1, "alert_notes": 1, "notifications": 1, "audit_entries": 1, "job_runs": 1,
    "volunteer_check_ins": 0, "contact_check_ins": 0, "pending_accounts": 1,
    "inactivity_warnings_withdrawn": 0, "inactive_accounts_warned": 0, "inactive_accounts_erased": 0,
}


def test_a_dry_run_counts_and_changes_nothing_then_the_real_run_removes_exactly_that(db_session, make_user):
    now = utcnow()
    w = {name: row.id for name, row in _world(db_session, make_user, now).items()}

    dry = purge(db_session, now=now, periods=PERIODS, dry_run=True)
    db_session.commit()
    assert dry.counts == EXPECTED and list(dry.counts) == list(KINDS)
    assert dry.account_ids["pending_accounts"] == [w["old_pending"]]
    assert db_session.get(Placement, w["old_ended"]).end_note == "old note"
    assert db_session.get(User, w["old_pending"]) is not None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 2
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.purged")) is None

    real = purge(db_session, now=now, periods=PERIODS)
    db_session.commit()
    assert real.counts == dry.counts

    old, recent = db_session.get(Placement, w["old_ended"]), db_session.get(Placement, w["recent_ended"])
    assert (old.end_note, old.citizen_message, old.state, old.end_reason) == (None, None, "ended", None)
    assert [e.reason for e in old.events] == [None] and old.events[0].to_state == "ended"  # the move stays
    assert db_session.scalar(sa.select(PlacementCheckIn.note).where(PlacementCheckIn.placement_id == old.id)) is None
    assert (recent.end_note, recent.citizen_message) == ("recent note", "recent message")
    assert [e.reason for e in recent.events] == ["recent reason"]
    assert db_session.scalar(sa.select(PlacementCheckIn.note)
                             .where(PlacementCheckIn.placement_id == recent.id)) == "recent check-in"
    assert db_session.get(Placement, w["old_active"]).citizen_message == "still helping"
    messages = {i.id: i.message for i in db_session.scalars(sa.select(Invitation))}
    assert messages == {w["old_answered"]: "", w["old_lapsed"]: "", w["recent_answered"]: "recent invitation"}
    talk = {m.id: m.body for m in db_session.scalars(sa.select(PlacementMessage))}
    assert talk == {w["old_talk"]: "", w["recent_talk"]: "recent talk", w["live_talk"]: "still talking"}
    assert db_session.get(AlertNote, w["old_alert_note"]).body == "-"
    assert db_session.get(AlertNote, w["recent_alert_note"]).body == "Bram moved"
    assert set(db_session.scalars(sa.select(Notification.id))) == {w["recent_message"]}
    assert db_session.get(AuditEntry, w["old_audit"]) is None
    # The residents the old entry named went with it (cascade); the recent entry keeps its own.
    assert list(db_session.scalars(sa.select(AuditResident.entry_id))) == [w["recent_audit"]]
    assert set(db_session.scalars(sa.select(JobRun.id))) == {w["recent_run"], w["stuck_run"]}
    assert db_session.get(User, w["old_pending"]) is None
    assert db_session.get(User, w["recent_pending"]) is not None

    recorded = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.purged"))
    assert recorded.actor_id is None and recorded.details == EXPECTED

    again = purge(db_session, now=now, periods=PERIODS)
    db_session.commit()
    assert again.total == 0 and set(again.counts) == set(KINDS)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "privacy.purged")) == 1  # a run that removed nothing is quiet


def test_other_periods_come_from_the_settings(db_session, make_user):
    now = utcnow()
    _world(db_session, make_user, now)
    short = RetentionPeriods(free_text_months=2, notification_months=1, audit_months=36, job_run_months=12)
    counts = purge(db_session, now=now, periods=short, dry_run=True).counts
    assert counts["placement_texts"] == 2 and counts["invitation_messages"] == 3
    assert counts["alert_notes"] == 1 and counts["notifications"] == 2
    assert counts["audit_entries"] == 2 and counts["job_runs"] == 0


def test_the_daily_job_purges_and_logs_the_counts(app, db_session, make_user):
    from coprod_match.jobs.registry import job_named
    from coprod_match.jobs.runner import run_job

    assert str(job_named("privacy_purge").schedule(app.config)) == "daily at 03:00 UTC"
    _world(db_session, make_user, utcnow())
    result = run_job(app, "privacy_purge", "scheduler-a")
    assert result.outcome == "succeeded"
    assert {kind: result.counts[kind] for kind in KINDS} == EXPECTED
    db_session.expire_all()
    logged = db_session.get(JobRun, result.run_id)
    assert logged.counts["notifications"] == 1 and logged.counts["pending_accounts"] == 1


def test_a_pending_account_without_invitation_waits_for_its_welcome_link_and_the_grace(db_session, reference_data):
    """An import's pending account has no invitation: it goes the grace period after its welcome link ended."""
    now = utcnow()
    waiting = factories.pending_citizen(db_session, email="imported.recently@example.org", since=now - 20 * DAY)
    lapsed = factories.pending_citizen(db_session, email="imported.long.ago@example.org", since=now - 22 * DAY)
    db_session.commit()
    periods = RetentionPeriods(pending_grace_days=7, welcome_days=14)
    result = purge(db_session, now=now, periods=periods, dry_run=True)
    assert result.account_ids["pending_accounts"] == [lapsed.id]
    assert waiting.id not in result.account_ids["pending_accounts"]
