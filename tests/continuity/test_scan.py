"""The scan on SQLite and PostgreSQL: open, keep, resolve, reopen; idempotent; set-based."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.models import (
    AlertKind,
    AlertStatus,
    ContinuityAlert,
    EndReason,
    PlacementState,
    Role,
)
from coprod_match.services.placements import move_placement
from tests import factories

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
A_MONTH_AGO = NOW - dt.timedelta(days=30)
T = Thresholds()
HOUR = dt.timedelta(hours=1)


def scan(session, now=NOW):
    summary = run_scan(session, now=now, thresholds=T)
    session.commit()
    return summary


def alerts(session, kind=None):
    query = sa.select(ContinuityAlert).order_by(ContinuityAlert.id)
    if kind:
        query = query.where(ContinuityAlert.kind == kind)
    session.expire_all()
    return session.scalars(query).all()


def table_state(session):
    """Everything about the alerts except last_seen_at, which a held condition moves."""
    return [
        (a.id, a.kind, a.condition_key, a.status, a.initiative_id, a.citizen_id, a.severity,
         a.details, a.first_seen_at, a.resolved_at, a.previous_alert_id)
        for a in alerts(session)
    ]


@pytest.fixture
def professional(make_user):
    return make_user(Role.PROFESSIONAL)


def test_open_kept_auto_resolved_reopened(db_session, make_user, professional):
    initiative = factories.initiative(db_session, contact=professional)
    first = factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()

    # open: exactly one active volunteer
    summary = scan(db_session)
    assert (summary.opened, summary.kept, summary.resolved) == (1, 0, 0)
    [alert] = alerts(db_session)
    assert alert.kind == AlertKind.SINGLE_VOLUNTEER and alert.status == AlertStatus.OPEN
    assert alert.condition_key == f"single_volunteer:i{initiative.id}"
    assert alert.first_seen_at == alert.last_seen_at == NOW
    assert alert.severity == 4

    # kept: the condition holds, last_seen moves on, nothing new
    summary = scan(db_session, NOW + HOUR)
    assert (summary.opened, summary.kept, summary.resolved) == (0, 1, 0)
    [alert] = alerts(db_session)
    assert alert.first_seen_at == NOW and alert.last_seen_at == NOW + HOUR

    # auto-resolved: a second volunteer joins
    second = factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    summary = scan(db_session, NOW + 2 * HOUR)
    assert (summary.opened, summary.kept, summary.resolved) == (0, 0, 1)
    [alert] = alerts(db_session)
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at == NOW + 2 * HOUR
    assert alert.details["resolved_automatically"] is True
    assert alert.last_seen_at == NOW + HOUR  # the last time the problem was seen

    # reopened: the second volunteer stops; a new alert, linked to the old one
    move_placement(db_session, second, PlacementState.ENDED, actor=None,
                   end_reason=EndReason.NO_TIME, now=NOW + 3 * HOUR)
    db_session.commit()
    summary = scan(db_session, NOW + 4 * HOUR)
    assert (summary.opened, summary.kept, summary.resolved) == (1, 0, 0)
    old, new = alerts(db_session)
    assert new.status == AlertStatus.OPEN and new.previous_alert_id == old.id
    assert new.condition_key == old.condition_key
    assert new.first_seen_at == NOW + 4 * HOUR
    # "since" in the wording is when the second volunteer left, not when the scan noticed
    assert dt.datetime.fromisoformat(new.details["since"]) == NOW + 3 * HOUR
    assert first.id  # the first volunteer stayed all along


def test_a_second_scan_changes_nothing(db_session, make_user, professional):
    lonely = factories.initiative(db_session, title="One volunteer", contact=professional)
    factories.placement(db_session, make_user(), lonely, since=A_MONTH_AGO)
    factories.initiative(db_session, title="Orphaned and empty",
                         end_date=NOW.date() + dt.timedelta(days=10))
    db_session.commit()
    first = scan(db_session)
    assert first.opened == 4  # single_volunteer, no_volunteers, no_contact, ending_soon
    before = table_state(db_session)
    second = scan(db_session)  # the same moment, a rescan
    assert (second.opened, second.kept, second.resolved) == (0, 4, 0)
    assert table_state(db_session) == before
    third = scan(db_session, NOW + HOUR)
    assert (third.opened, third.resolved) == (0, 0)
    assert table_state(db_session) == before


def test_the_database_refuses_a_second_unresolved_alert_for_one_condition(db_session, professional):
    initiative = factories.initiative(db_session, contact=professional)
    db_session.commit()
    key = f"no_volunteers:i{initiative.id}"
    db_session.add(ContinuityAlert(kind=AlertKind.NO_VOLUNTEERS, condition_key=key,
                                   initiative_id=initiative.id))
    db_session.commit()
    db_session.add(ContinuityAlert(kind=AlertKind.NO_VOLUNTEERS, condition_key=key,
                                   initiative_id=initiative.id))
    with pytest.raises(sa.exc.IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_a_racing_scan_does_not_duplicate_an_alert(db_session, professional):
    """Another scan opened the alert between our read and our insert: ON CONFLICT skips it."""
    from coprod_match.continuity import scan as scan_module

    initiative = factories.initiative(db_session, contact=professional)
    db_session.commit()
    real = scan_module._unresolved_alerts
    calls = []

    def stale_read(session):
        result = real(session)  # read before the other scan commits
        if not calls:
            calls.append(1)
            session.add(ContinuityAlert(kind=AlertKind.NO_VOLUNTEERS, initiative_id=initiative.id,
                                        condition_key=f"no_volunteers:i{initiative.id}",
                                        first_seen_at=NOW - dt.timedelta(seconds=1),
                                        last_seen_at=NOW - dt.timedelta(seconds=1)))
            session.flush()
        return result

    scan_module._unresolved_alerts = stale_read
    try:
        summary = scan(db_session)
    finally:
        scan_module._unresolved_alerts = real
    assert (summary.opened, summary.kept) == (0, 1)
    assert len(alerts(db_session, AlertKind.NO_VOLUNTEERS)) == 1


def test_a_hand_resolved_alert_comes_back_linked_while_the_problem_lasts(db_session, make_user,
                                                                          professional):
    from coprod_match.continuity.actions import alert_resolve

    coordinator = make_user(Role.COORDINATOR)
    initiative = factories.initiative(db_session, contact=professional)
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    scan(db_session)
    [alert] = alerts(db_session)
    alert_resolve(db_session, alert, "A second volunteer starts next week", actor=coordinator)
    db_session.commit()
    scan(db_session, NOW + HOUR)
    old, new = alerts(db_session)
    assert old.details["resolution_reason"] == "A second volunteer starts next week"
    assert "resolved_automatically" not in old.details
    assert new.previous_alert_id == old.id and new.status == AlertStatus.OPEN


def test_volunteer_alerts_name_citizen_and_initiative(db_session, make_user, professional):
    citizen = make_user(Role.CITIZEN)
    citizen.citizen_profile.max_initiatives = 1
    first = factories.initiative(db_session, title="A", contact=professional)
    second = factories.initiative(db_session, title="B", contact=professional)
    for initiative in (first, second):
        factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    factories.placement(db_session, citizen, first, since=A_MONTH_AGO)
    quiet = factories.placement(db_session, citizen, second, since=NOW - dt.timedelta(weeks=9))
    db_session.commit()
    scan(db_session)
    [overload] = alerts(db_session, AlertKind.VOLUNTEER_OVERLOAD)
    assert overload.citizen_id == citizen.id and overload.initiative_id is None
    [inactive] = alerts(db_session, AlertKind.VOLUNTEER_INACTIVE)
    assert (inactive.citizen_id, inactive.initiative_id) == (citizen.id, second.id)
    assert inactive.condition_key == f"volunteer_inactive:p{quiet.id}"


def test_each_alert_is_placed_where_it_belongs_and_follows_a_move(db_session, make_user, professional):
    """The dashboard filters by the place the scan keeps on the alert: the initiative's
    neighbourhood, else the volunteer's home; a move shows at the next scan."""
    citizen = make_user(Role.CITIZEN)
    citizen.citizen_profile.neighbourhood_id = factories.neighbourhood_named(db_session, "Bezuidenhout").id
    citizen.citizen_profile.max_initiatives = 1
    first = factories.initiative(db_session, title="A", neighbourhood="Transvaal", contact=professional)
    second = factories.initiative(db_session, title="B", neighbourhood="Schilderswijk", contact=professional)
    for initiative in (first, second):
        factories.placement(db_session, citizen, initiative, since=A_MONTH_AGO)
    db_session.commit()
    scan(db_session)
    places = {(a.kind, a.initiative_id): a.neighbourhood.name for a in alerts(db_session)}
    assert places[(AlertKind.SINGLE_VOLUNTEER, first.id)] == "Transvaal"
    assert places[(AlertKind.SINGLE_VOLUNTEER, second.id)] == "Schilderswijk"
    assert places[(AlertKind.VOLUNTEER_OVERLOAD, None)] == "Bezuidenhout"

    second.neighbourhood_id = factories.neighbourhood_named(db_session, "Transvaal").id
    citizen.citizen_profile.neighbourhood_id = factories.neighbourhood_named(db_session, "Moerwijk").id
    db_session.commit()
    scan(db_session, NOW + HOUR)
    places = {(a.kind, a.initiative_id): a.neighbourhood.name for a in alerts(db_session)}
    assert places[(AlertKind.SINGLE_VOLUNTEER, second.id)] == "Transvaal"
    assert places[(AlertKind.VOLUNTEER_OVERLOAD, None)] == "Moerwijk"


def test_a_check_in_counts_as_activity(db_session, make_user, professional):
    from coprod_match.models import CheckInKind, PlacementCheckIn

    initiative = factories.initiative(db_session, contact=professional)
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    quiet = factories.placement(db_session, make_user(), initiative, since=NOW - dt.timedelta(weeks=10))
    db_session.commit()
    scan(db_session)
    assert len(alerts(db_session, AlertKind.VOLUNTEER_INACTIVE)) == 1
    db_session.add(PlacementCheckIn(placement_id=quiet.id, kind=CheckInKind.CITIZEN_CONFIRMED,
                                    at=NOW + HOUR))
    db_session.commit()
    summary = scan(db_session, NOW + 2 * HOUR)
    assert summary.by_kind["volunteer_inactive"]["resolved"] == 1


def _count_queries(engine):
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", count)
    return statements, lambda: sa.event.remove(engine, "before_cursor_execute", count)


def test_the_number_of_queries_does_not_grow_with_the_initiatives(app, db_session, make_user,
                                                                   professional):
    from coprod_match.extensions import db

    def queries_for_scan(now):
        statements, stop = _count_queries(db.engine)
        try:
            scan(db_session, now)
        finally:
            stop()
        return len(statements)

    def add(count, prefix):
        for number in range(count):
            initiative = factories.initiative(db_session, title=f"{prefix} {number}", contact=professional)
            factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
        db_session.commit()

    add(1, "first")
    queries_for_scan(NOW - HOUR)
    add(2, "small")
    small_mixed, small_warm = queries_for_scan(NOW), queries_for_scan(NOW + HOUR)  # new + held
    add(30, "large")
    large_mixed, large_warm = queries_for_scan(NOW + 2 * HOUR), queries_for_scan(NOW + 3 * HOUR)
    assert (large_mixed, large_warm) == (small_mixed, small_warm)
    assert small_mixed <= 11


def test_scan_command_prints_json_and_the_alerts_command_lists(runner, db_session, make_user,
                                                               professional):
    initiative = factories.initiative(db_session, contact=professional)
    factories.placement(db_session, make_user(), initiative, since=A_MONTH_AGO)
    db_session.commit()
    result = runner.invoke(args=["continuity", "scan", "--now", "2026-03-03T10:00:00", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary) >= {"opened", "kept", "resolved", "by_kind"}
    assert summary["opened"] == 1 and summary["by_kind"]["single_volunteer"]["opened"] == 1

    again = runner.invoke(args=["continuity", "scan", "--now", "2026-03-03T11:00:00+00:00"])
    assert again.exit_code == 0 and "0 opened, 1 kept, 0 resolved" in again.output

    listed = runner.invoke(args=["continuity", "alerts", "--status", "open", "--json"])
    assert listed.exit_code == 0, listed.output
    [alert] = json.loads(listed.output)
    assert alert["kind"] == "single_volunteer" and alert["initiative_id"] == initiative.id
    assert alert["citizen_id"] is None and alert["status"] == "open"
    assert alert["first_seen"].startswith("2026-03-03T10:00")
    assert alert["last_seen"].startswith("2026-03-03T11:00")
    assert json.loads(runner.invoke(
        args=["continuity", "alerts", "--status", "resolved", "--json"]).output) == []


def test_scan_command_rejects_a_bad_moment(runner):
    result = runner.invoke(args=["continuity", "scan", "--now", "yesterday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output
