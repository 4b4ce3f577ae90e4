"""`flask privacy purge` on the demo, with the clock moved forward: the dry run lists, the real run does exactly that.

What the purge should find is worked out here in Python from the rows
themselves (not with the service's SQL), and everything else is compared
before and after, so a purge that took too much or too little fails.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from coprod_match.demo import seed_demo
from coprod_match.models import (
    FINAL_STATES,
    AuditEntry,
    Invitation,
    JobOutcome,
    JobRun,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    Role,
    User,
)
from coprod_match.services.audit import audit_record
from coprod_match.services.retention import KINDS, months_before
from coprod_match.vocabulary import PLACE_HOLDING_STATES
from tests import factories

TODAY = dt.date(2026, 3, 2)
SEEDED = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
# Fourteen months on: ended placements and answered invitations of the demo's first year are past 12 months.
LATER = dt.datetime(2027, 5, 2, 3, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _snapshot(session) -> dict:
    """Every value the purge may touch, by table and id."""
    session.expire_all()
    return {
        "placements": {p.id: (p.end_note, p.citizen_message) for p in session.scalars(sa.select(Placement))},
        "events": dict(iter(session.execute(sa.select(PlacementEvent.id, PlacementEvent.reason)))),
        "check_ins": dict(iter(session.execute(sa.select(PlacementCheckIn.id, PlacementCheckIn.note)))),
        "invitations": dict(iter(session.execute(sa.select(Invitation.id, Invitation.message)))),
        "notifications": set(session.scalars(sa.select(Notification.id))),
        "audit": set(session.scalars(sa.select(AuditEntry.id))),
        "job_runs": set(session.scalars(sa.select(JobRun.id))),
        "users": {u.id: (u.email, u.erased_at, u.inactivity_warned_at) for u in session.scalars(sa.select(User))},
    }


def _expected(session, now: dt.datetime) -> dict:
    """What the purge at `now` should touch, found row by row with the README's rules."""
    free_text_cutoff = months_before(now, 12)
    placements = list(session.scalars(sa.select(Placement)))
    ended = {p.id for p in placements if p.state in FINAL_STATES and p.state_changed_at < free_text_cutoff}
    taking_part = {p.citizen_id for p in placements if p.state in PLACE_HOLDING_STATES}
    inactive_cutoff = months_before(now, 24)
    users = list(session.scalars(sa.select(User)))
    return {
        "placement_texts": {p.id for p in placements if p.id in ended and (p.end_note or p.citizen_message)},
        "placement_event_reasons": {e.id for e in session.scalars(sa.select(PlacementEvent))
                                    if e.placement_id in ended and e.reason is not None},
        "check_in_notes": {c.id for c in session.scalars(sa.select(PlacementCheckIn))
                           if c.placement_id in ended and c.note is not None},
        "invitation_messages": {
            i.id for i in session.scalars(sa.select(Invitation))
            if i.message and (i.answered_at or i.revoked_at or i.expires_at) < free_text_cutoff},
        "notifications": {n.id for n in session.scalars(sa.select(Notification))
                          if n.created_at < months_before(now, 6)},
        "audit_entries": {a.id for a in session.scalars(sa.select(AuditEntry)) if a.at < months_before(now, 60)},
        "job_runs": {r.id for r in session.scalars(sa.select(JobRun))
                     if r.started_at < months_before(now, 3) and r.outcome != JobOutcome.RUNNING},
        "inactive_accounts_warned": {
            u.id for u in users
            if u.role != Role.ADMIN and not u.is_erased and not u.is_pending and u.id not in taking_part
            and (u.last_login_at or u.created_at) < inactive_cutoff},
    }


def _printed_counts(output: str) -> dict[str, int]:
    """The count printed on each kind's line, by the line's label."""
    return {match[1].strip(): int(match[2]) for match in re.finditer(r"^  (\S.*?)\s+(\d+)$", output, re.M)}


def _add_what_the_demo_lacks(session):
    """The demo has no messages, audit entries, run log or pending accounts yet: one of each on both sides."""
    citizen = session.scalar(sa.select(User).where(User.email == "citizen0001@demo.coprod.nl"))
    admin = session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    session.add_all([
        Notification(user_id=citizen.id, kind="placement.accepted", created_at=LATER - 200 * DAY),
        Notification(user_id=citizen.id, kind="placement.accepted", created_at=LATER - 20 * DAY),
        JobRun(job_name="continuity_scan", holder="a", started_at=LATER - 100 * DAY, outcome=JobOutcome.SUCCEEDED),
        JobRun(job_name="continuity_scan", holder="a", started_at=LATER - 10 * DAY, outcome=JobOutcome.SUCCEEDED),
    ])
    for years in (6, 4):
        entry = audit_record(session, "placement.viewed", "placement", 1, actor=admin, residents=[citizen.id])
        entry.at = LATER - years * 365 * DAY
    factories.pending_citizen(session, email="invited.long.ago@example.org", since=LATER - 60 * DAY)
    factories.pending_citizen(session, email="invited.yesterday@example.org", since=LATER - DAY)
    session.commit()


def _purge(runner, *options):
    result = runner.invoke(args=["privacy", "purge", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_on_the_demo_dry_run_then_real_run_then_nothing(runner, db_session):
    seed_demo(db_session, today=TODAY)
    db_session.commit()
    _add_what_the_demo_lacks(db_session)
    expected = _expected(db_session, LATER)
    assert all(expected[kind] for kind in expected), expected  # the demo has some of every kind
    before = _snapshot(db_session)

    output = _purge(runner, "--dry-run", "--now", LATER.isoformat())
    assert output.startswith("Dry run as of 2027-05-02T03:00:00+00:00: nothing was changed.")
    printed = _printed_counts(output)
    assert printed["notes and messages of ended placements (blanked)"] == len(expected["placement_texts"])
    assert printed["reasons in the history of ended placements (blanked)"] == len(expected["placement_event_reasons"])
    assert printed["check-in notes of ended placements (blanked)"] == len(expected["check_in_notes"])
    assert printed["messages of ended invitations (blanked)"] == len(expected["invitation_messages"])
    # The demo's own messages are this month's check-in questions; the one added above is older still.
    assert printed["in-app messages"] == len(expected["notifications"]) > 1
    assert printed["audit log entries"] == printed["scheduler run log entries"] == 1
    assert printed["pending accounts whose invitations ended"] == 1
    assert printed["unused accounts warned by mail"] == len(expected["inactive_accounts_warned"])
    assert printed["unused accounts erased after the warning"] == 0
    assert printed["total"] == sum(count for label, count in printed.items() if label != "total")
    warned_ids = sorted(expected["inactive_accounts_warned"])
    assert f"account ids: {', '.join(map(str, warned_ids[:5]))}," in output
    assert _snapshot(db_session) == before  # the dry run changed nothing

    output = _purge(runner, "--now", LATER.isoformat())
    assert output.startswith("Purge as of 2027-05-02T03:00:00+00:00: removed")
    assert _printed_counts(output) == printed  # exactly what the dry run listed
    after = _snapshot(db_session)
    for table, kind, blank in (("placements", "placement_texts", (None, None)),
                               ("events", "placement_event_reasons", None),
                               ("check_ins", "check_in_notes", None),
                               ("invitations", "invitation_messages", "")):
        assert after[table] == {row_id: blank if row_id in expected[kind] else value
                                for row_id, value in before[table].items()}, table
    assert after["notifications"] == before["notifications"] - expected["notifications"]
    assert after["job_runs"] == before["job_runs"] - expected["job_runs"]
    assert before["audit"] - after["audit"] == expected["audit_entries"]
    gone = set(before["users"]) - set(after["users"])
    assert [before["users"][user_id][0] for user_id in gone] == ["invited.long.ago@example.org"]
    assert {user_id for user_id, (_email, _erased, warned) in after["users"].items() if warned} == set(warned_ids)

    output = _purge(runner, "--now", LATER.isoformat())
    assert _printed_counts(output)["total"] == 0

    # The grace period later, the warned accounts that never logged in are erased, and only they.
    output = _purge(runner, "--dry-run", "--now", (LATER + 30 * DAY).isoformat())
    assert _printed_counts(output)["unused accounts erased after the warning"] == len(warned_ids)
    output = _purge(runner, "--now", (LATER + 30 * DAY).isoformat())
    assert _printed_counts(output)["unused accounts erased after the warning"] == len(warned_ids)
    erased = set(db_session.scalars(sa.select(User.id).where(User.erased_at.is_not(None))))
    assert erased == set(warned_ids)
    assert _printed_counts(_purge(runner, "--now", (LATER + 30 * DAY).isoformat()))["total"] == 0


def test_the_command_says_what_each_kind_is_and_refuses_a_wrong_moment(runner, db_session, reference_data):
    output = _purge(runner, "--dry-run")
    for kind in KINDS:
        assert kind not in output  # labels for people, not the codes
    assert "in-app messages" in output and "total" in output
    wrong = runner.invoke(args=["privacy", "purge", "--now", "next tuesday"])
    assert wrong.exit_code == 2 and "2027-06-01T03:00:00Z" in wrong.output
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.purged")) is None
