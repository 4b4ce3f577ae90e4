"""Signing up, answering sign-ups, and managing one's own places, through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    InitiativeStatus,
    Notification,
    Placement,
    PlacementState,
    Role,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


@pytest.fixture
def people(make_user):
    return {
        "citizen": make_user(Role.CITIZEN, name="Amina"),
        "other_citizen": make_user(Role.CITIZEN, name="Bram"),
        "contact": make_user(Role.PROFESSIONAL, name="Contact Pro"),
        "stranger": make_user(Role.PROFESSIONAL, name="Other Pro"),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def initiative(db_session, people):
    initiative = factories.initiative(db_session, title="Dagbesteding", neighbourhood="Schilderswijk",
                                      start_date=dt.date(2026, 1, 1), volunteers_ideal=1, contact=people["contact"])
    db_session.commit()
    return initiative


def sign_up(client, initiative, message="Ik kan op dinsdag."):
    token = csrf_token(client, f"/initiatives/{initiative.id}")
    return client.post(f"/initiatives/{initiative.id}/apply", data={"message": message, "csrf_token": token})


def placement_of(db_session, user, initiative):
    db_session.expire_all()
    return db_session.scalar(sa.select(Placement).where(Placement.citizen_id == user.id,
                                                        Placement.initiative_id == initiative.id))


def test_sign_up_accept_and_become_active(app, db_session, people, initiative):
    citizen = client_for(app, people["citizen"])
    response = sign_up(citizen, initiative)
    assert response.status_code == 302
    page = citizen.get(response.headers["Location"]).get_data(as_text=True)
    assert "The contact person will answer you soon" in page
    placement = placement_of(db_session, people["citizen"], initiative)
    assert placement.state == PlacementState.APPLIED and placement.citizen_message == "Ik kan op dinsdag."
    assert db_session.scalar(sa.select(Notification.kind).where(Notification.user_id == people["contact"].id)) \
        == "placement.applied"

    again = sign_up(citizen, initiative)
    assert "You already signed up here" in citizen.get(again.headers["Location"]).get_data(as_text=True)

    contact = client_for(app, people["contact"])
    manage = contact.get(f"/professionals/initiatives/{initiative.id}").get_data(as_text=True)
    assert "Amina" in manage and "Ik kan op dinsdag." in manage
    token = csrf_token(contact, f"/professionals/initiatives/{initiative.id}")
    accepted = contact.post(f"/professionals/initiatives/{initiative.id}/placements/{placement.id}/accept",
                            data={"starts_on": dt.date.today().isoformat(), "csrf_token": token})
    assert accepted.status_code == 302
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.ACTIVE
    mine = citizen.get("/citizens/initiatives").get_data(as_text=True)
    assert "Dagbesteding" in mine and "Taking part" in mine


def test_future_start_date_stays_accepted_until_started(app, db_session, people, initiative):
    citizen = client_for(app, people["citizen"])
    sign_up(citizen, initiative)
    placement = placement_of(db_session, people["citizen"], initiative)
    contact = client_for(app, people["contact"])
    token = csrf_token(contact, f"/professionals/initiatives/{initiative.id}")
    later = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    contact.post(f"/professionals/initiatives/{initiative.id}/placements/{placement.id}/accept",
                 data={"starts_on": later, "csrf_token": token})
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.ACCEPTED
    contact.post(f"/professionals/initiatives/{initiative.id}/placements/{placement.id}/activate",
                 data={"csrf_token": token})
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.ACTIVE


def test_full_initiative_gives_a_clear_message(app, db_session, people, initiative):
    for person in ("citizen", "other_citizen"):
        sign_up(client_for(app, people[person]), initiative)
    contact = client_for(app, people["contact"])
    token = csrf_token(contact, f"/professionals/initiatives/{initiative.id}")
    today = dt.date.today().isoformat()
    first = placement_of(db_session, people["citizen"], initiative)
    second = placement_of(db_session, people["other_citizen"], initiative)
    url = f"/professionals/initiatives/{initiative.id}/placements/{{}}/accept"
    contact.post(url.format(first.id), data={"starts_on": today, "csrf_token": token})
    response = contact.post(url.format(second.id), data={"starts_on": today, "csrf_token": token})
    page = contact.get(response.headers["Location"]).get_data(as_text=True)
    assert "There is no free place left" in page
    assert placement_of(db_session, people["other_citizen"], initiative).state == PlacementState.APPLIED


def test_reject_needs_a_reason(app, db_session, people, initiative):
    sign_up(client_for(app, people["citizen"]), initiative)
    placement = placement_of(db_session, people["citizen"], initiative)
    contact = client_for(app, people["contact"])
    url = f"/professionals/initiatives/{initiative.id}/placements/{placement.id}/reject"
    token = csrf_token(contact, url)
    empty = contact.post(url, data={"reason": "  ", "csrf_token": token})
    assert empty.status_code == 422 and "Write a short, kind reason." in empty.get_data(as_text=True)
    contact.post(url, data={"reason": "We are full this season.", "csrf_token": token})
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.REJECTED


def test_citizen_pauses_resumes_and_stops_with_a_reason(app, db_session, people, initiative):
    factories.placement(db_session, people["citizen"], initiative, PlacementState.ACTIVE)
    db_session.commit()
    placement = placement_of(db_session, people["citizen"], initiative)
    citizen = client_for(app, people["citizen"])
    token = csrf_token(citizen, "/citizens/initiatives")
    citizen.post(f"/citizens/initiatives/{placement.id}/pause", data={"csrf_token": token})
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.PAUSED
    citizen.post(f"/citizens/initiatives/{placement.id}/resume", data={"csrf_token": token})
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.ACTIVE

    confirm = citizen.get(f"/citizens/initiatives/{placement.id}/stop")
    assert confirm.status_code == 200 and (
        'Stop at <span lang="nl" dir="ltr">Dagbesteding</span>?' in confirm.get_data(as_text=True))  # a Dutch title
    missing = citizen.post(f"/citizens/initiatives/{placement.id}/stop", data={"csrf_token": token,
                                                                               "end_reason": "nonsense"})
    assert missing.status_code == 422
    done = citizen.post(f"/citizens/initiatives/{placement.id}/stop",
                        data={"csrf_token": token, "end_reason": "no_time", "note": "Nieuwe baan"})
    assert done.status_code == 302
    stopped = placement_of(db_session, people["citizen"], initiative)
    assert stopped.state == PlacementState.ENDED and stopped.end_reason == "no_time"
    assert stopped.end_note == "Nieuwe baan"


def test_other_peoples_records_are_not_found(app, db_session, people, initiative):
    factories.placement(db_session, people["citizen"], initiative, PlacementState.ACTIVE)
    db_session.commit()
    placement = placement_of(db_session, people["citizen"], initiative)

    other = client_for(app, people["other_citizen"])
    token = csrf_token(other, "/citizens/initiatives")
    assert other.post(f"/citizens/initiatives/{placement.id}/pause", data={"csrf_token": token}).status_code == 404
    assert other.get(f"/citizens/initiatives/{placement.id}/stop").status_code == 404

    stranger = client_for(app, people["stranger"])
    base = f"/professionals/initiatives/{initiative.id}"
    token = csrf_token(stranger, "/professionals/")
    for path in (base, f"{base}/edit", f"{base}/status/closed", f"{base}/placements/{placement.id}/end",
                 f"{base}/placements/{placement.id}/reject"):
        assert stranger.get(path).status_code == 404, path
    for path in (f"{base}/placements/{placement.id}/pause", f"{base}/contacts/add", f"{base}/status/paused"):
        assert stranger.post(path, data={"csrf_token": token}).status_code == 404, path
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.ACTIVE

    # A placement id from another initiative is not found under this one.
    contact = client_for(app, people["contact"])
    assert contact.get(f"/professionals/initiatives/{initiative.id}/placements/999999/end").status_code == 404
    # Admins may manage any initiative.
    assert client_for(app, people["admin"]).get(base).status_code == 200


def test_bad_input_never_500(app, people, initiative):
    citizen = client_for(app, people["citizen"])
    huge = sign_up(citizen, initiative, message="x" * 50_000)
    assert huge.status_code == 302
    assert "Use at most 1000 characters." in citizen.get(huge.headers["Location"]).get_data(as_text=True)
    token = csrf_token(citizen, "/citizens/initiatives")
    for path in ("/initiatives/999999/apply", "/citizens/initiatives/abc/pause", "/citizens/initiatives/1/explode"):
        assert citizen.post(path, data={"csrf_token": token}).status_code in (404, 405)
    contact = client_for(app, people["contact"])
    token = csrf_token(contact, "/professionals/")
    response = contact.post(f"/professionals/initiatives/{initiative.id}/placements/1/accept",
                            data={"starts_on": "not-a-date", "csrf_token": token})
    assert response.status_code in (302, 404)


def test_looking_at_participants_is_logged(app, db_session, people, initiative):
    from coprod_match.models import AuditEntry

    sign_up(client_for(app, people["citizen"]), initiative)
    client_for(app, people["contact"]).get(f"/professionals/initiatives/{initiative.id}")
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "participants.viewed"))
    assert entry.actor_id == people["contact"].id and entry.entity_id == initiative.id
    assert entry.details == {} and entry.resident_ids == [people["citizen"].id]


def test_buttons_are_the_moves_each_person_may_make(app, db_session, people, initiative):
    applied = factories.placement(db_session, people["citizen"], initiative, PlacementState.APPLIED)
    paused = factories.placement(db_session, people["other_citizen"], initiative, PlacementState.PAUSED)
    db_session.commit()
    base = f"/professionals/initiatives/{initiative.id}"
    manage = client_for(app, people["contact"]).get(base).get_data(as_text=True)
    assert f"{base}/placements/{applied.id}/accept" in manage and f"{base}/placements/{applied.id}/reject" in manage
    assert f"{base}/placements/{applied.id}/end" not in manage  # a sign-up is answered, not ended
    assert f"{base}/placements/{paused.id}/resume" in manage and f"{base}/placements/{paused.id}/end" in manage
    assert f"{base}/placements/{paused.id}/pause" not in manage

    mine = client_for(app, people["other_citizen"]).get("/citizens/initiatives").get_data(as_text=True)
    assert f"/citizens/initiatives/{paused.id}/resume" in mine and f"/citizens/initiatives/{paused.id}/pause" not in mine
    signed_up = client_for(app, people["citizen"])
    page = signed_up.get("/citizens/initiatives").get_data(as_text=True)
    assert "Withdraw my sign-up" in page and f"/citizens/initiatives/{applied.id}/pause" not in page
    # A move without a button is refused with why, and nothing changes.
    token = csrf_token(signed_up, "/citizens/initiatives")
    refused = signed_up.post(f"/citizens/initiatives/{applied.id}/resume", data={"csrf_token": token})
    assert "This is not possible any more. Please look at the current status." in signed_up.get(
        refused.headers["Location"]).get_data(as_text=True)
    assert placement_of(db_session, people["citizen"], initiative).state == PlacementState.APPLIED


def test_refusals_on_pages_say_why(app, db_session, people, initiative):
    initiative.status = InitiativeStatus.PAUSED
    db_session.commit()
    citizen = client_for(app, people["citizen"])
    refused = sign_up(citizen, initiative)
    assert refused.status_code == 302
    assert "This initiative does not take new people at the moment." in citizen.get(
        refused.headers["Location"]).get_data(as_text=True)
    assert placement_of(db_session, people["citizen"], initiative) is None

    contact = client_for(app, people["contact"])
    base = f"/professionals/initiatives/{initiative.id}"
    token = csrf_token(contact, base)
    again = contact.post(f"{base}/status/paused", data={"csrf_token": token})
    assert again.status_code == 302
    assert "This is not possible any more. Please look at the current status." in contact.get(
        again.headers["Location"]).get_data(as_text=True)
