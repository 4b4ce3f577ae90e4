"""Required questions start unanswered: sending nothing gives a message next to the field, never a choice made for the person.

Once the stop reason was pre-selected, so "Yes, stop" recorded "I have no time
any more" for someone who chose nothing, and an alert's assignee started at
"Nobody". Each required select now opens on an empty "Choose..." option.
"""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.models import (
    AlertKind,
    ContinuityAlert,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, flags=re.S)
    assert found, f"no select {name!r}"
    return found.group(0)


def _starts_unanswered(html: str, name: str) -> None:
    """The select opens on its empty choice, and nothing in it is marked as chosen."""
    select = _select(html, name)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first, first
    assert "selected" not in select


def _error_beside(html: str, field_id: str, message: str) -> None:
    assert re.search(rf'id="{field_id}-error">\s*{re.escape(message)}', html), f"{message!r} not beside {field_id}"
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', html)


@pytest.fixture
def live_placement(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Contact Pro")
    citizen = make_user(Role.CITIZEN, name="Amina")
    initiative = factories.initiative(db_session, title="Dagbesteding", contact=contact)
    placement = factories.placement(db_session, citizen, initiative, PlacementState.ACTIVE)
    db_session.commit()
    return {"placement": placement, "citizen": citizen, "contact": contact, "initiative": initiative}


def _still_active(db_session, placement_id: int) -> bool:
    db_session.expire_all()
    return db_session.get(Placement, placement_id).state == PlacementState.ACTIVE


def test_a_citizen_who_stops_without_a_reason_is_asked_for_one(app, db_session, live_placement):
    placement = live_placement["placement"]
    citizen = client_for(app, live_placement["citizen"])
    path = f"/citizens/initiatives/{placement.id}/stop"
    page = citizen.get(path).get_data(as_text=True)
    _starts_unanswered(page, "end_reason")
    assert "Choose a reason" in _select(page, "end_reason")

    sent = citizen.post(path, data={"csrf_token": csrf_token(citizen, path), "note": "Sorry"})
    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    _error_beside(html, "end_reason", "Choose a reason.")
    assert 'autofocus' in re.search(r'<div class="error-summary"[^>]*>', html).group(0)
    assert "Sorry</textarea>" in html  # what was typed stays
    assert _still_active(db_session, placement.id)


def test_the_contact_who_ends_a_place_chooses_the_reason_too(app, db_session, live_placement):
    placement, initiative = live_placement["placement"], live_placement["initiative"]
    contact = client_for(app, live_placement["contact"])
    path = f"/professionals/initiatives/{initiative.id}/placements/{placement.id}/end"
    _starts_unanswered(contact.get(path).get_data(as_text=True), "end_reason")
    sent = contact.post(path, data={"csrf_token": csrf_token(contact, path), "end_reason": ""})
    assert sent.status_code == 422
    _error_beside(sent.get_data(as_text=True), "end_reason", "Choose a reason.")
    assert _still_active(db_session, placement.id)


@pytest.fixture
def assigned_alert(db_session, make_user):
    coordinator = make_user(Role.COORDINATOR, name="Samira")
    professional = make_user(Role.PROFESSIONAL, name="Fatima")
    lonely = factories.initiative(db_session, title="Sportief Samen", contact=professional)
    factories.placement(db_session, make_user(), lonely, since=utcnow())
    db_session.commit()
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    alert = db_session.scalar(sa.select(ContinuityAlert).where(ContinuityAlert.kind == AlertKind.SINGLE_VOLUNTEER))
    alert.assignee_id = professional.id
    db_session.commit()
    return {"alert": alert, "coordinator": coordinator}


def test_an_alerts_assignee_is_chosen_not_preset_and_nobody_is_an_answer(app, db_session, assigned_alert):
    alert = assigned_alert["alert"]
    client = client_for(app, assigned_alert["coordinator"])
    path = f"/coordination/alerts/{alert.id}"
    page = client.get(path).get_data(as_text=True)
    # Even with Fatima handling it, the form does not answer for the coordinator.
    _starts_unanswered(page, "assignee")
    token = csrf_token(client, path)

    nothing = client.post(f"{path}/assign", data={"csrf_token": token})
    assert nothing.status_code == 422  # the alert's page again, its look still logged
    html = nothing.get_data(as_text=True)
    _error_beside(html, "assignee", "Choose a person, or Nobody.")
    assert "Give it to someone" in html and 'class="error-summary"' in html
    db_session.expire_all()
    assert db_session.get(ContinuityAlert, alert.id).assignee_id is not None

    nobody = client.post(f"{path}/assign", data={"csrf_token": token, "assignee": "nobody"})
    assert nobody.status_code == 302
    db_session.expire_all()
    assert db_session.get(ContinuityAlert, alert.id).assignee_id is None
    assert "Samira took it away from the person handling it." in client.get(path).get_data(as_text=True)


def test_a_new_staff_account_needs_a_role_chosen(app, db_session, make_user):
    admin = client_for(app, make_user(Role.ADMIN))
    page = admin.get("/admin/users/new").get_data(as_text=True)
    _starts_unanswered(page, "role")
    sent = admin.post("/admin/users/new", data={
        "csrf_token": csrf_token(admin, "/admin/users/new"), "display_name": "Nieuwe Collega",
        "email": "collega@example.org", "preferred_locale": "nl", "password": "A-long-enough-password-1"})
    assert sent.status_code == 422
    _error_beside(sent.get_data(as_text=True), "role", "Choose a role.")
    assert db_session.scalar(sa.select(User).where(User.email == "collega@example.org")) is None


def test_an_import_needs_to_know_what_the_file_holds(app, make_user, reference_data):
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    _starts_unanswered(coordinator.get("/transfers/").get_data(as_text=True), "kind")
    sent = coordinator.post("/transfers/", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(coordinator, "/transfers/"), "file": (io.BytesIO(b"title\n"), "list.csv")})
    assert sent.status_code == 422
    _error_beside(sent.get_data(as_text=True), "kind", "Choose what the file holds.")


def test_a_refused_alert_form_logs_the_look_like_the_alert_page(app, db_session, make_user):
    from coprod_match.models import AuditEntry

    coordinator = make_user(Role.COORDINATOR)
    volunteer = make_user(Role.CITIZEN, name="Naima")
    initiative = factories.initiative(db_session, title="Koffie-ochtend")
    factories.placement(db_session, volunteer, initiative)
    alert = factories.alert(db_session, initiative, AlertKind.VOLUNTEER_INACTIVE, citizen_id=volunteer.id)
    db_session.commit()
    client = client_for(app, coordinator)
    path = f"/coordination/alerts/{alert.id}"
    token = csrf_token(client, path)

    def looks() -> int:
        return db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "alerts.alert_viewed"))

    before = looks()
    refused = client.post(f"{path}/notes", data={"csrf_token": token, "body": " "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Please write a note first." in html and "Naima" in html
    assert looks() == before + 1
