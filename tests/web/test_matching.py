"""Matching pages: right role, wrong role, wrong owner, anonymous, bad input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.matching import plan_runs
from coprod_match.models import (
    Placement,
    PlacementState,
    Role,
    utcnow,
)
from coprod_match.transaction import unit_of_work
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, client_for


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL)
    day_care = factories.day_care(db_session, contact=contact)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    db_session.commit()
    return {"day_care": day_care, "ayse": ayse, "contact": contact, "other": make_user(Role.PROFESSIONAL),
            "coordinator": make_user(Role.COORDINATOR)}


def test_citizen_sees_suggestions_with_reasons(app, world):
    page = client_for(app, world["ayse"]).get("/matching/suggestions")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Day care for elderly migrants" in text
    assert "You speak Turkish" in text and "Close to home" in text


def test_citizen_without_suggestions_is_told_why(app, world, db_session):
    world["ayse"].citizen_profile.availability_slots = 0
    db_session.commit()
    text = client_for(app, world["ayse"]).get("/matching/suggestions").get_data(as_text=True)
    assert "You have not said yet when you are free." in text


def test_candidates_for_the_contact_coordinator_and_not_for_another_professional(app, world):
    path = f"/matching/initiatives/{world['day_care'].id}/candidates"
    for user in (world["contact"], world["coordinator"]):
        page = client_for(app, user).get(path)
        assert page.status_code == 200 and "Ayse Yilmaz" in page.get_data(as_text=True)
        assert "Speaks Turkish" in page.get_data(as_text=True)
    assert client_for(app, world["other"]).get(path).status_code == 404
    assert client_for(app, world["ayse"]).get(path).status_code == 403
    assert client_for(app, world["contact"]).get("/matching/initiatives/999999/candidates").status_code == 404
    anonymous = client_for(app, None).get(path)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_coordinator_invites_selected_plan_rows(app, world, db_session):
    plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    with unit_of_work(db_session):
        plan_runs.make_next_plan(db_session, now=utcnow())
    client = client_for(app, world["coordinator"])
    page = client.get("/matching/plan")
    assert page.status_code == 200
    row = f"{world['ayse'].id}:{world['day_care'].id}"
    assert row in page.get_data(as_text=True)
    token = csrf_token(client, "/matching/plan")
    answer = client.post("/matching/plan/invite", data={"csrf_token": token, "row": [row, "junk", "1:x"]},
                         follow_redirects=True)
    assert answer.status_code == 200 and "1 person was invited." in answer.get_data(as_text=True)
    db_session.expire_all()
    placement = db_session.scalar(sa.select(Placement))
    assert placement.state == PlacementState.INVITED and placement.citizen_id == world["ayse"].id


def test_plan_invite_needs_csrf_and_bad_input_never_fails(app, world):
    client = client_for(app, world["coordinator"])
    assert client.post("/matching/plan/invite", data={"row": "1:1"}).status_code == 400
    token = csrf_token(client, "/matching/plan")
    for data in ({}, {"row": ""}, {"row": "999:999"}, {"row": "-1:2"}, {"row": "1:" + "9" * 30}):
        response = client.post("/matching/plan/invite", data={"csrf_token": token, **data})
        assert response.status_code == 302
    for query in ("?district=Atlantis", "?district="):
        assert client.get("/matching/plan" + query).status_code == 200
    assert client.get("/matching/plan?district=%00").status_code == 400  # refused, never a 500
    assert client_for(app, world["contact"]).get("/matching/plan").status_code == 403
