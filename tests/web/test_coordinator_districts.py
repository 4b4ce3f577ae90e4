"""Coordinators work in their own districts; a municipal coordinator (and an admin) sees the whole city."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.continuity.digest import send_digests
from coprod_match.domain_errors import NotAllowed
from coprod_match.matching import plan_runs
from coprod_match.models import (
    AlertKind,
    ContinuityAlert,
    Invitation,
    Neighbourhood,
    OutboxMail,
    PlacementState,
    PlanRun,
    Role,
    utcnow,
)
from coprod_match.services import access
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, api_headers, client_for


@pytest.fixture
def world(db_session, make_user):
    """Day care in Schilderswijk (Centrum) and walks in Benoordenhout (Haagse Hout), each with an alert."""
    care = factories.day_care(db_session, contact=make_user(Role.PROFESSIONAL), volunteers_ideal=6)
    walks = factories.initiative(db_session, title="Walks in Benoordenhout", neighbourhood="Benoordenhout",
                                 schedule_slots=TUESDAY_MORNING, languages=["tr"], volunteers_ideal=6,
                                 contact=make_user(Role.PROFESSIONAL))
    for initiative in (care, walks):
        factories.alert(db_session, initiative, AlertKind.NO_VOLUNTEERS)
    centrum = db_session.scalars(sa.select(Neighbourhood).where(Neighbourhood.district == "Centrum")).all()
    coordinator = make_user(Role.COORDINATOR, is_municipal=False, work_areas=centrum)
    db_session.commit()
    return {"care": care, "walks": walks, "coordinator": coordinator,
            "municipal": make_user(Role.COORDINATOR, is_municipal=True),
            "nowhere": make_user(Role.COORDINATOR, is_municipal=False), "admin": make_user(Role.ADMIN)}


def test_who_oversees_what(world):
    coordinator, municipal, nowhere, admin = (world[key] for key in ("coordinator", "municipal", "nowhere", "admin"))
    assert access.own_districts(coordinator) == {"Centrum"}
    assert access.covers_initiative(coordinator, world["care"]) and not access.covers_initiative(
        coordinator, world["walks"])
    assert access.covers_district(coordinator, "Centrum") and not access.covers_district(coordinator, None)
    assert all(access.covers_district(person, None) and access.covers_initiative(person, world["walks"])
               for person in (municipal, admin))
    assert access.area_ids(nowhere) == [] and not access.covers_initiative(nowhere, world["care"])


def test_the_dashboard_shows_own_districts_only_and_offers_no_city_choice(app, world):
    page = client_for(app, world["coordinator"]).get("/coordination/?scope=all").get_data(as_text=True)
    assert "Day care for elderly migrants" in page and "Walks in Benoordenhout" not in page
    assert "All of The Hague" not in page and "your own districts" in page
    city = client_for(app, world["municipal"]).get("/coordination/?scope=all").get_data(as_text=True)
    assert "Day care for elderly migrants" in city and "Walks in Benoordenhout" in city
    nothing = client_for(app, world["nowhere"]).get("/coordination/").get_data(as_text=True)
    assert "No districts are set for you yet" in nothing and "Day care for elderly migrants" not in nothing


def test_alert_actions_outside_the_districts_are_not_found(app, db_session, world):
    outside = world["walks"].id
    alert_id = db_session.scalar(sa.select(ContinuityAlert.id).where(
        ContinuityAlert.initiative_id == outside))
    client = client_for(app, world["coordinator"])
    token = csrf_token(client, "/")
    for action in ("acknowledge", "notes", "resolve", "assign"):
        answer = client.post(f"/coordination/alerts/{alert_id}/{action}",
                             data={"csrf_token": token, "body": "x", "reason": "x", "assignee": ""})
        assert answer.status_code == 404, action
    assert client.get(f"/coordination/initiatives/{outside}/history").status_code == 404
    municipal = client_for(app, world["municipal"])
    answer = municipal.post(f"/coordination/alerts/{alert_id}/acknowledge",
                            data={"csrf_token": csrf_token(municipal, "/")})
    assert answer.status_code == 302


def test_candidates_outside_the_districts_are_not_found(app, world):
    path = "/matching/initiatives/{}/candidates"
    client = client_for(app, world["coordinator"])
    assert client.get(path.format(world["care"].id)).status_code == 200
    assert client.get(path.format(world["walks"].id)).status_code == 404
    assert client_for(app, world["municipal"]).get(path.format(world["walks"].id)).status_code == 200


def test_the_plan_is_for_own_districts_and_the_city_plan_needs_municipal(app, db_session, world):
    client = client_for(app, world["coordinator"])
    page = client.get("/matching/plan").get_data(as_text=True)
    assert 'value="Centrum" selected' in page and "The whole city" not in page and "Haagse Hout" not in page
    token = csrf_token(client, "/matching/plan")
    refused = client.post("/matching/plan", data={"csrf_token": token, "district": "Haagse Hout"},
                          follow_redirects=True)
    assert "only see and ask for the plan of your own districts" in refused.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 0
    headers = api_headers(db_session, world["coordinator"], actor=None)
    db_session.commit()
    api = app.test_client()
    city = api.get("/api/v1/placement-plans", headers=headers)
    assert city.status_code == 403 and city.get_json()["type"].endswith("district-not-yours")
    assert api.post("/api/v1/placement-plans", json={"district": None}, headers=headers).status_code == 403
    assert api.post("/api/v1/placement-plans", json={"district": "Centrum"}, headers=headers).status_code == 202
    with pytest.raises(NotAllowed):
        plan_runs.ask_for_plan(db_session, district="Haagse Hout", actor=world["coordinator"])
    db_session.rollback()
    municipal = api_headers(db_session, world["municipal"], actor=None)
    db_session.commit()
    assert api.get("/api/v1/placement-plans", headers=municipal).status_code == 200


def test_plan_rows_outside_the_districts_are_not_invited(app, db_session, world, make_user):
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    db_session.commit()
    client = client_for(app, world["coordinator"])
    client.post("/matching/plan/invite", data={
        "csrf_token": csrf_token(client, "/matching/plan"), "district": "Centrum",
        "row": [f"{ayse.id}:{world['walks'].id}"]})
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_the_funnel_and_the_invitations_list_keep_to_the_districts(app, db_session, world, make_user):
    people = [factories.profile(make_user(Role.CITIZEN, name=name), consents=True) for name in ("In Centrum",
                                                                                               "In Haagse Hout")]
    for person, initiative in zip(people, (world["care"], world["walks"]), strict=True):
        placement = factories.placement(db_session, person, initiative, PlacementState.INVITED)
        factories.invitation(db_session, placement, sender=initiative.contacts[0].professional)
    db_session.commit()
    funnel = client_for(app, world["coordinator"]).get("/invitations/funnel").get_data(as_text=True)
    assert "Schilderswijk" in funnel and "Benoordenhout" not in funnel and "All my districts" in funnel
    city = client_for(app, world["municipal"]).get("/invitations/funnel").get_data(as_text=True)
    assert "Schilderswijk" in city and "Benoordenhout" in city
    headers = api_headers(db_session, world["coordinator"], actor=None)
    db_session.commit()
    listed = app.test_client().get("/api/v1/invitations", headers=headers).get_json()["items"]
    assert [item["citizen"]["display_name"] for item in listed] == ["In Centrum"]


def test_the_daily_digest_keeps_to_the_districts_too(db_session, world):
    counts = send_digests(db_session, now=utcnow(), since=utcnow() - dt.timedelta(days=1))
    db_session.commit()
    recipients = list(db_session.scalars(sa.select(OutboxMail.recipient).where(
        OutboxMail.kind == "continuity_digest")))
    # Carla (Centrum) and the municipal coordinator; the one without districts hears nothing.
    assert counts["coordinator_mails"] == 2
    assert sorted(recipients) == sorted([world["coordinator"].email, world["municipal"].email])
