"""Matching sees a change made on a page on the very next request, exactly as one made through the API.

A whole new snapshot is published only every MATCHING_SNAPSHOT_SECONDS, an
hour here: only the change log the services write with each change can
explain what the next request shows. (The side a request is about is always read fresh, so
each check looks at the other side: the candidates after a citizen's change,
another citizen's suggestions after an accepted sign-up.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.models import (
    Placement,
    PlacementState,
    Role,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, client_for

EDGES = ("page", "api")


@pytest.fixture
def app_config_overrides():
    return {"MATCHING_SNAPSHOT_SECONDS": 3600}


@pytest.fixture
def world(db_session, make_user):
    """Day care with one place on Tuesday mornings, for Turkish speakers; Ayse and Bram speak Turkish."""
    contact = make_user(Role.PROFESSIONAL, name="Contact Pro")
    day_care = factories.day_care(db_session, contact=contact, volunteers_min=1, volunteers_ideal=1)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz"), availability_slots=0,
                             native_languages=["tr"], consents=True)
    bram = factories.profile(make_user(Role.CITIZEN, name="Bram de Vries"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    db_session.commit()
    return {"day_care": day_care, "contact": contact, "ayse": ayse, "bram": bram}


def _api_headers(db_session, user) -> dict[str, str]:
    headers = factories.api_headers(db_session, user, actor=user)
    db_session.commit()
    return headers


def _candidates(app, world) -> str:
    path = f"/matching/initiatives/{world['day_care'].id}/candidates"
    page = client_for(app, world["contact"]).get(path)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _suggestions(app, citizen) -> str:
    page = client_for(app, citizen).get("/matching/suggestions")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _save_tuesday_on_the_profile_page(app, world) -> None:
    ayse = world["ayse"]
    client = client_for(app, ayse)
    token = csrf_token(client, "/citizens/profile")
    saved = client.post("/citizens/profile", data={
        "csrf_token": token, "neighbourhood_id": str(ayse.citizen_profile.neighbourhood_id),
        "availability": ["tue-morning"], "language-tr": "native", "max_initiatives": "2",
        "consent_to_contact": "y",
    })
    assert saved.status_code == 302, saved.get_data(as_text=True)


@pytest.mark.parametrize("edge", EDGES)
def test_a_saved_profile_changes_candidates_at_once(app, db_session, world, edge):
    assert "Ayse Yilmaz" not in _candidates(app, world)  # not free when they meet; the snapshot is built now
    if edge == "page":
        _save_tuesday_on_the_profile_page(app, world)
    else:
        changed = app.test_client().patch("/api/v1/me", headers=_api_headers(db_session, world["ayse"]),
                                          json={"availability": ["tue-morning"]})
        assert changed.status_code == 200, changed.get_json()

    assert "Ayse Yilmaz" in _candidates(app, world)
    assert "Day care for elderly migrants" in _suggestions(app, world["ayse"])


@pytest.mark.parametrize("edge", EDGES)
def test_an_accepted_sign_up_changes_suggestions_at_once(app, db_session, world, edge):
    world["ayse"].citizen_profile.availability_slots = TUESDAY_MORNING
    sign_up = factories.placement(db_session, world["bram"], world["day_care"], PlacementState.APPLIED)
    db_session.commit()
    assert "Day care for elderly migrants" in _suggestions(app, world["ayse"])  # one place free; snapshot built
    assert "Ayse Yilmaz" in _candidates(app, world)

    if edge == "page":
        contact = client_for(app, world["contact"])
        base = f"/professionals/initiatives/{world['day_care'].id}"
        accepted = contact.post(f"{base}/placements/{sign_up.id}/accept",
                                data={"starts_on": dt.date.today().isoformat(), "csrf_token": csrf_token(contact, base)})
        assert accepted.status_code == 302
    else:
        accepted = app.test_client().post(f"/api/v1/placements/{sign_up.id}/moves",
                                          headers=_api_headers(db_session, world["contact"]), json={"to": "accepted"})
        assert accepted.status_code == 200, accepted.get_json()
    db_session.expire_all()
    assert db_session.get(Placement, sign_up.id).state == PlacementState.ACTIVE

    # The only place is taken: Day care is suggested to nobody, and has no candidates.
    assert "Day care for elderly migrants" not in _suggestions(app, world["ayse"])
    assert "Ayse Yilmaz" not in _candidates(app, world)
