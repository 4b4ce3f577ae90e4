"""Matching sees a change made on a page on the very next request, exactly as one made through the API.

The snapshot of everyone else is kept for MATCHING_SNAPSHOT_SECONDS, an hour
here: only the refresh the services ask for after commit can explain what the
next request shows. (The side a request is about is always read fresh, so
each check looks at the other side: the candidates after a citizen's change,
another citizen's suggestions after an accepted sign-up.)
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    CitizenLanguage,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    utcnow,
)
from coprod_match.schedule import slots_to_mask
from coprod_match.services.api_tokens import create_api_token
from tests.conftest import csrf_token, login_as

TUESDAY = slots_to_mask([("tue", "morning")])
EDGES = ("page", "api")


@pytest.fixture
def app_config_overrides():
    return {"MATCHING_SNAPSHOT_SECONDS": 3600}


def _turkish_speaker(make_user, name: str, *, free_on_tuesday: bool):
    citizen = make_user(Role.CITIZEN, name=name)
    profile = citizen.citizen_profile
    profile.availability_slots = TUESDAY if free_on_tuesday else 0
    profile.consent_to_contact, profile.consent_given_at = True, utcnow()
    profile.languages.append(CitizenLanguage(language_code="tr", level="native"))
    return citizen


@pytest.fixture
def world(db_session, make_user):
    """Day care with one place on Tuesday mornings, for Turkish speakers; Ayse and Bram speak Turkish."""
    place = db_session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == "Schilderswijk"))
    contact = make_user(Role.PROFESSIONAL, name="Contact Pro")
    day_care = Initiative(
        title="Day care for elderly migrants", neighbourhood=place, status=InitiativeStatus.OPEN,
        start_date=dt.date(2025, 1, 1), schedule_slots=TUESDAY, volunteers_min=1, volunteers_ideal=1,
    )
    day_care.languages.append(db_session.get(Language, "tr"))
    day_care.contacts.append(InitiativeContact(professional_id=contact.id))
    db_session.add(day_care)
    ayse = _turkish_speaker(make_user, "Ayse Yilmaz", free_on_tuesday=False)
    bram = _turkish_speaker(make_user, "Bram de Vries", free_on_tuesday=True)
    db_session.commit()
    return {"day_care": day_care, "contact": contact, "ayse": ayse, "bram": bram}


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def _api_headers(db_session, user) -> dict[str, str]:
    _record, token = create_api_token(db_session, user, "matching test", actor=user)
    db_session.commit()
    return {"Authorization": f"Bearer {token}"}


def _candidates(app, world) -> str:
    path = f"/matching/initiatives/{world['day_care'].id}/candidates"
    page = _client(app, world["contact"]).get(path)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _suggestions(app, citizen) -> str:
    page = _client(app, citizen).get("/matching/suggestions")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _save_tuesday_on_the_profile_page(app, world) -> None:
    ayse = world["ayse"]
    client = _client(app, ayse)
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
    world["ayse"].citizen_profile.availability_slots = TUESDAY
    sign_up = Placement(citizen_id=world["bram"].id, initiative_id=world["day_care"].id,
                        state=PlacementState.APPLIED)
    db_session.add(sign_up)
    db_session.commit()
    assert "Day care for elderly migrants" in _suggestions(app, world["ayse"])  # one place free; snapshot built
    assert "Ayse Yilmaz" in _candidates(app, world)

    if edge == "page":
        contact = _client(app, world["contact"])
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
