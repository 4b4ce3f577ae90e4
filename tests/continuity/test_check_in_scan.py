"""The scan turns check-in answers into alerts on SQLite and PostgreSQL: opened once, kept,
resolved by a relaxed answer, reopened, and rescans change nothing."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.models import (
    AlertKind,
    AlertStatus,
    ContinuityAlert,
    InitiativeContact,
    PlacementState,
    Role,
)
from tests import factories
from tests.check_ins import contact_check_in, volunteer_check_in

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)  # local month: March 2026
DEC, JAN, FEB, MAR = dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
HOUR = dt.timedelta(hours=1)
T = Thresholds()


def scan(session, now=NOW):
    summary = run_scan(session, now=now, thresholds=T)
    session.commit()
    return summary


def alerts(session, kind):
    session.expire_all()
    return session.scalars(sa.select(ContinuityAlert).where(ContinuityAlert.kind == kind)
                           .order_by(ContinuityAlert.id)).all()


def state(session, kind):
    return [(a.id, a.status, a.condition_key, a.details, a.first_seen_at, a.resolved_at, a.previous_alert_id)
            for a in alerts(session, kind)]


def test_volunteer_strain_opens_keeps_resolves_and_reopens(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL)
    initiative = factories.initiative(db_session, contact=contact)
    citizen = make_user(Role.CITIZEN)
    placement = factories.placement(db_session, citizen, initiative)
    calm = factories.placement(db_session, make_user(Role.CITIZEN), initiative, PlacementState.PAUSED)
    volunteer_check_in(db_session, placement, DEC, too_much=5)  # older than the latest two: ignored
    volunteer_check_in(db_session, placement, JAN, too_much=4)
    volunteer_check_in(db_session, placement, FEB, too_much=5)
    volunteer_check_in(db_session, calm, JAN)
    volunteer_check_in(db_session, calm, FEB)
    db_session.commit()

    assert scan(db_session).by_kind["volunteer_strain"]["opened"] == 1
    [alert] = alerts(db_session, AlertKind.VOLUNTEER_STRAIN)
    assert alert.condition_key == f"volunteer_strain:p{placement.id}"
    assert (alert.initiative_id, alert.citizen_id, alert.severity) == (initiative.id, citizen.id, 2)
    assert alert.details["reasons"] == ["too_much"]
    assert [a["month"] for a in alert.details["answers"]] == ["2026-02-01", "2026-01-01"]
    assert alert.details["answers"][0]["too_much"] == 5

    before = state(db_session, AlertKind.VOLUNTEER_STRAIN)
    assert scan(db_session, NOW + HOUR).by_kind["volunteer_strain"] == {"opened": 0, "kept": 1, "resolved": 0}
    assert state(db_session, AlertKind.VOLUNTEER_STRAIN) == before

    volunteer_check_in(db_session, placement, MAR, too_much=2)  # relaxed
    db_session.commit()
    assert scan(db_session, NOW + 2 * HOUR).by_kind["volunteer_strain"]["resolved"] == 1
    assert scan(db_session, NOW + 3 * HOUR).by_kind.get("volunteer_strain") is None

    # Strain comes back in April and May: a new alert, linked to the old one.
    volunteer_check_in(db_session, placement, dt.date(2026, 4, 1), too_much=4, appreciated=2)
    volunteer_check_in(db_session, placement, dt.date(2026, 5, 1), too_much=4, appreciated=1)
    db_session.commit()
    scan(db_session, NOW + 4 * HOUR)
    old, new = alerts(db_session, AlertKind.VOLUNTEER_STRAIN)
    assert old.status == AlertStatus.RESOLVED and old.details["resolved_automatically"] is True
    assert new.status == AlertStatus.OPEN and new.previous_alert_id == old.id
    assert new.details["reasons"] == ["too_much", "not_appreciated"]


def test_contact_strain_per_professional_and_unanswered_check_ins(db_session, make_user):
    tired, fine = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    initiative = factories.initiative(db_session, contact=tired)
    initiative.contacts.append(InitiativeContact(professional_id=fine.id))  # a co-contact, strained once
    contact_check_in(db_session, initiative, tired, JAN, burden="heavier")
    contact_check_in(db_session, initiative, tired, FEB, burden="heavier")
    contact_check_in(db_session, initiative, fine, FEB, burden="heavier")

    quiet = factories.initiative(db_session, title="Quiet", contact=fine)
    volunteers = [factories.placement(db_session, make_user(Role.CITIZEN), quiet) for _ in range(3)]
    for placement in volunteers:
        volunteer_check_in(db_session, placement, JAN, answered=False)
        volunteer_check_in(db_session, placement, FEB, answered=placement is volunteers[0])
    db_session.commit()

    first = scan(db_session)
    [strain] = alerts(db_session, AlertKind.CONTACT_STRAIN)
    assert strain.condition_key == f"contact_strain:i{initiative.id}:u{tired.id}"
    assert strain.citizen_id is None and strain.details["professional_id"] == tired.id
    assert strain.details["reasons"] == ["heavier"]
    [silent] = alerts(db_session, AlertKind.CHECK_INS_UNANSWERED)
    assert silent.initiative_id == quiet.id and silent.severity == 1
    assert (silent.details["asked"], silent.details["silent"]) == (3, 2)
    assert first.by_kind["contact_strain"]["opened"] == 1

    # A rescan changes nothing. In May the February answers are too old, and March was asked
    # and answered by everyone at Quiet: both alerts resolve.
    before = state(db_session, AlertKind.CONTACT_STRAIN) + state(db_session, AlertKind.CHECK_INS_UNANSWERED)
    scan(db_session, NOW + HOUR)
    assert before == state(db_session, AlertKind.CONTACT_STRAIN) + state(
        db_session, AlertKind.CHECK_INS_UNANSWERED)
    for placement in volunteers:
        volunteer_check_in(db_session, placement, MAR)
    db_session.commit()
    later = scan(db_session, dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC))
    assert later.by_kind["contact_strain"]["resolved"] == 1
    assert later.by_kind["check_ins_unanswered"]["resolved"] == 1
