"""Professionals create and maintain initiatives; contacts are handed over, never overwritten."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Notification,
    Placement,
    PlacementState,
    Role,
    TaskKind,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


@pytest.fixture
def pros(make_user):
    return {name: make_user(Role.PROFESSIONAL, name=name) for name in ("Nadia", "Pieter", "Yusuf")}


def valid_form(db_session, **overrides):
    place = factories.neighbourhood_named(db_session, "Moerwijk")
    data = {
        "title": "Buurtkamer Moerwijk", "description": "Koffie en een praatje.", "neighbourhood_id": str(place.id),
        "location": "Erasmusweg 1", "target_groups": ["elderly"], "interests": ["company"],
        "languages": ["nl", "tr"], "welcomes_dutch_learners": "y", "core_tasks": "Gastvrouw zijn\nKoffie schenken",
        "complementary_tasks": "Opruimen", "schedule": ["tue-morning", "thu-morning"], "hours_per_week": "3",
        "volunteers_min": "2", "volunteers_ideal": "4", "start_date": "2026-12-01", "end_date": "2027-06-30",
    }
    data.update(overrides)
    return data


def test_create_edit_open_and_close(app, db_session, pros):
    client = client_for(app, pros["Nadia"])
    token = csrf_token(client, "/professionals/initiatives/new")
    created = client.post("/professionals/initiatives/new", data={**valid_form(db_session), "csrf_token": token})
    assert created.status_code == 302
    initiative = db_session.scalar(sa.select(Initiative).where(Initiative.title == "Buurtkamer Moerwijk"))
    assert initiative.status == InitiativeStatus.DRAFT
    assert [(t.title, t.kind) for t in initiative.tasks] == [
        ("Gastvrouw zijn", TaskKind.CORE), ("Koffie schenken", TaskKind.CORE), ("Opruimen", TaskKind.COMPLEMENTARY)]
    assert sorted(lang.code for lang in initiative.languages) == ["nl", "tr"]
    assert initiative.end_date == dt.date(2027, 6, 30) and initiative.welcomes_dutch_learners
    assert [c.professional_id for c in initiative.contacts] == [pros["Nadia"].id]

    base = f"/professionals/initiatives/{initiative.id}"
    edited = client.post(f"{base}/edit", data={**valid_form(db_session, title="Buurtkamer", complementary_tasks=""),
                                               "csrf_token": token})
    assert edited.status_code == 302
    db_session.expire_all()
    assert initiative.title == "Buurtkamer" and len(initiative.tasks) == 2

    client.post(f"{base}/status/open", data={"csrf_token": token})
    db_session.expire_all()
    assert initiative.status == InitiativeStatus.OPEN

    factories.placement(db_session, pros["Pieter"], initiative, PlacementState.ACTIVE)
    db_session.commit()
    confirm = client.get(f"{base}/status/closed")
    assert "All current places end" in confirm.get_data(as_text=True)
    client.post(f"{base}/status/closed", data={"csrf_token": token})
    db_session.expire_all()
    assert initiative.status == InitiativeStatus.CLOSED
    ended = db_session.scalar(sa.select(Placement).where(Placement.initiative_id == initiative.id))
    assert ended.state == PlacementState.ENDED and ended.end_reason == "initiative_closed"


def test_form_errors_keep_input(app, db_session, pros):
    client = client_for(app, pros["Nadia"])
    token = csrf_token(client, "/professionals/initiatives/new")
    data = valid_form(db_session, volunteers_min="5", volunteers_ideal="2", end_date="2020-01-01",
                      title="x" * 500, hours_per_week="many")
    response = client.post("/professionals/initiatives/new", data={**data, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("This must be at least the number needed.", "The end date must be after the start date.",
                    "Use at most 160 characters."):
        assert message in page
    assert "Koffie en een praatje." in page and 'value="tue-morning" id="schedule-tue-morning" checked' in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Initiative)) == 0


def test_hand_over_keeps_history(app, db_session, pros):
    initiative = factories.initiative(db_session, title="Coöperatie", neighbourhood="Moerwijk",
                                      start_date=dt.date(2026, 1, 1), contact=pros["Nadia"])
    db_session.commit()
    base = f"/professionals/initiatives/{initiative.id}"
    nadia = client_for(app, pros["Nadia"])
    token = csrf_token(nadia, base)
    nadia.post(f"{base}/contacts/add", data={"colleague_id": str(pros["Pieter"].id), "csrf_token": token})
    again = nadia.post(f"{base}/contacts/add", data={"colleague_id": str(pros["Pieter"].id), "csrf_token": token})
    assert "already a contact person" in nadia.get(again.headers["Location"]).get_data(as_text=True)
    confirm = nadia.post(f"{base}/contacts/hand_over", data={"colleague_id": str(pros["Yusuf"].id), "csrf_token": token})
    assert confirm.status_code == 200 and "Hand over Coöperatie to Yusuf?" in confirm.get_data(as_text=True)
    handed = nadia.post(f"{base}/contacts/hand_over", data={"colleague_id": str(pros["Yusuf"].id), "confirmed": "yes",
                                                          "csrf_token": token})
    assert handed.status_code == 302
    periods = db_session.scalars(sa.select(InitiativeContact).where(InitiativeContact.initiative_id == initiative.id)
                                 .order_by(InitiativeContact.id)).all()
    db_session.expire_all()
    assert [(p.professional_id, p.ends_at is None) for p in periods] == [
        (pros["Nadia"].id, False), (pros["Pieter"].id, True), (pros["Yusuf"].id, True)]
    # Nadia left: the initiative is no longer hers to manage.
    assert nadia.get(base).status_code == 404
    assert client_for(app, pros["Yusuf"]).get(base).status_code == 200


def test_only_admins_reassign(app, db_session, pros, make_user):
    initiative = factories.initiative(db_session, title="Wees", neighbourhood="Moerwijk",
                                      start_date=dt.date(2026, 1, 1), contact=pros["Nadia"])
    db_session.commit()
    base = f"/professionals/initiatives/{initiative.id}"
    nadia = client_for(app, pros["Nadia"])
    token = csrf_token(nadia, base)
    assert nadia.post(f"{base}/contacts/reassign", data={"colleague_id": str(pros["Pieter"].id),
                                                          "csrf_token": token}).status_code == 403
    admin = client_for(app, make_user(Role.ADMIN))
    token = csrf_token(admin, base)
    admin.post(f"{base}/contacts/reassign", data={"colleague_id": str(pros["Pieter"].id), "csrf_token": token})
    db_session.expire_all()
    current = db_session.scalars(sa.select(InitiativeContact.professional_id).where(
        InitiativeContact.initiative_id == initiative.id, InitiativeContact.ends_at.is_(None))).all()
    assert current == [pros["Pieter"].id]
    # Nonsense colleague ids give a message, not an error.
    for bad in ("", "abc", "999999", str(admin.application and pros["Pieter"].id)):
        response = admin.post(f"{base}/contacts/add", data={"colleague_id": bad, "csrf_token": token})
        assert response.status_code == 302


def test_hand_over_to_a_colleague_who_is_already_a_contact(app, db_session, pros):
    initiative = factories.initiative(db_session, title="Samen Dag", neighbourhood="Moerwijk",
                                      start_date=dt.date(2026, 1, 1), contact=pros["Nadia"])
    initiative.contacts.append(InitiativeContact(professional_id=pros["Pieter"].id))
    db_session.commit()
    base = f"/professionals/initiatives/{initiative.id}"
    nadia = client_for(app, pros["Nadia"])
    page = nadia.get(base).get_data(as_text=True)
    hand_over_list = page.split('id="handover-colleague"')[1].split("</select>")[0]
    # Pieter can be chosen (he is marked); Nadia cannot hand over to herself.
    assert f'value="{pros["Pieter"].id}">Pieter, already a contact person' in hand_over_list
    assert f'value="{pros["Nadia"].id}"' not in hand_over_list
    token = csrf_token(nadia, base)
    handed = nadia.post(f"{base}/contacts/hand_over", data={"colleague_id": str(pros["Pieter"].id),
                                                          "confirmed": "yes", "csrf_token": token})
    assert handed.status_code == 302
    db_session.expire_all()
    current = db_session.scalars(sa.select(InitiativeContact.professional_id).where(
        InitiativeContact.initiative_id == initiative.id, InitiativeContact.ends_at.is_(None))).all()
    assert current == [pros["Pieter"].id]
    told = db_session.scalars(sa.select(Notification.kind).where(Notification.user_id == pros["Pieter"].id)).all()
    assert told == ["contact.handed_over"]
    assert nadia.get(base).status_code == 404
