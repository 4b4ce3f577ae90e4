""""Find volunteers" from every initiative a professional or coordinator sees, emphasised when it needs people.

The action leads to the initiative's candidates, whose page links the resident
search and invite-by-e-mail. "Needs people" is the continuity rules' staffing
condition or an unresolved alert more volunteers would solve
(coprod_match/continuity/staffing.py). People already invited, signed up or
taking part get a label instead of a second invitation.
"""

from __future__ import annotations

import re

import pytest

from coprod_match.models import AlertKind, InitiativeStatus, PlacementState, Role
from tests import factories
from tests.factories import TUESDAY_MORNING, client_for


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    # Minimum 2, one active volunteer: runs on one volunteer.
    care = factories.day_care(db_session, contact=contact, volunteers_min=2, volunteers_ideal=5)
    factories.placement(db_session, make_user(Role.CITIZEN, name="Vera Volunteer"), care, PlacementState.ACTIVE)
    # Minimum 1, two active: fine.
    walks = factories.initiative(db_session, title="Walks in Transvaal", contact=contact, volunteers_ideal=5)
    for name in ("Walker One", "Walker Two"):
        factories.placement(db_session, make_user(Role.CITIZEN, name=name), walks, PlacementState.ACTIVE)
    draft = factories.initiative(db_session, title="Repair cafe", contact=contact, status=InitiativeStatus.DRAFT)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    ilse = factories.profile(make_user(Role.CITIZEN, name="Ilse Yilmaz"), consents=True)
    db_session.commit()
    return {"contact": contact, "care": care, "walks": walks, "draft": draft, "ayse": ayse, "ilse": ilse,
            "other": make_user(Role.PROFESSIONAL), "coordinator": make_user(Role.COORDINATOR)}


def _find_action(html: str, initiative_id: int) -> re.Match | None:
    """The "Find volunteers" link of one initiative, with its class and what follows it."""
    return re.search(r'<a class="(button[^"]*)" href="/matching/initiatives/' + str(initiative_id)
                     + r'/candidates"[^>]*>Find volunteers</a>\s*(.{0,120})', html, re.S)


def test_each_open_initiative_in_the_workspace_has_the_action_emphasised_when_it_needs_people(app, world):
    page = client_for(app, world["contact"]).get("/professionals/").get_data(as_text=True)
    at_risk, fine = _find_action(page, world["care"].id), _find_action(page, world["walks"].id)
    assert at_risk.group(1) == "button" and "Runs on one volunteer" in at_risk.group(2)
    assert fine.group(1) == "button button-secondary" and "Runs on one volunteer" not in fine.group(2)
    # A draft takes nobody yet: no action that would end at "this initiative is not open".
    assert _find_action(page, world["draft"].id) is None


def test_an_open_alert_more_volunteers_would_solve_emphasises_it_too(app, db_session, world):
    factories.alert(db_session, world["walks"], AlertKind.VOLUNTEER_INACTIVE)
    db_session.commit()
    page = client_for(app, world["contact"]).get("/professionals/").get_data(as_text=True)
    found = _find_action(page, world["walks"].id)
    assert found.group(1) == "button" and "Volunteer not seen for a while" in found.group(2)


def test_the_manage_page_has_the_same_action(app, world):
    page = client_for(app, world["contact"]).get(f"/professionals/initiatives/{world['care'].id}")
    found = _find_action(page.get_data(as_text=True), world["care"].id)
    assert found is not None and found.group(1) == "button"


def test_the_action_leads_to_candidates_with_search_and_invite_by_email(app, world):
    page = client_for(app, world["contact"]).get(f"/matching/initiatives/{world['care'].id}/candidates")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ayse Yilmaz" in text
    assert f'href="/invitations/search/{world["care"].id}"' in text
    assert f'href="/invitations/by-email/{world["care"].id}"' in text


def test_coordinators_reach_it_from_the_initiative_page_and_others_do_not(app, world):
    path = f"/initiatives/{world['care'].id}"
    coordinator = client_for(app, world["coordinator"]).get(path).get_data(as_text=True)
    assert _find_action(coordinator, world["care"].id) is not None
    assert _find_action(client_for(app, world["contact"]).get(path).get_data(as_text=True), world["care"].id)
    for user in (world["other"], world["ayse"], None):
        assert "Find volunteers" not in client_for(app, user).get(path).get_data(as_text=True)


def test_the_funnel_rows_link_to_their_initiative(app, db_session, world):
    placement = factories.placement(db_session, world["ilse"], world["walks"], PlacementState.INVITED)
    factories.invitation(db_session, placement, sender=world["contact"])
    db_session.commit()
    page = client_for(app, world["contact"]).get("/invitations/funnel").get_data(as_text=True)
    assert (f'<th scope="row"><a href="/professionals/initiatives/{world["walks"].id}">Walks in Transvaal</a></th>'
            in page)


def test_the_resident_search_labels_people_already_involved_instead_of_inviting_them(app, db_session, world):
    factories.invitation(db_session, factories.placement(db_session, world["ilse"], world["care"],
                                                         PlacementState.INVITED), sender=world["contact"])
    db_session.commit()
    care = world["care"].id
    page = client_for(app, world["contact"]).get(f"/invitations/search/{care}", query_string={"q": "Yilmaz"})
    text = page.get_data(as_text=True)
    assert f'href="/invitations/new/{care}/{world["ayse"].id}"' in text
    assert f'href="/invitations/new/{care}/{world["ilse"].id}"' not in text
    # The state inside the sentence starts with a small letter, in English and in Dutch.
    assert "Already in this initiative (invited)" in text
    world["contact"].preferred_locale = "nl"
    db_session.commit()
    dutch = client_for(app, world["contact"]).get(f"/invitations/search/{care}", query_string={"q": "Yilmaz"})
    assert "Al bij dit initiatief (uitgenodigd)" in dutch.get_data(as_text=True)


def test_candidates_never_offer_someone_already_invited(app, db_session, world):
    client = client_for(app, world["contact"])
    path = f"/matching/initiatives/{world['care'].id}/candidates"
    assert "Invite Ayse Yilmaz" in client.get(path).get_data(as_text=True)
    factories.placement(db_session, world["ayse"], world["care"], PlacementState.INVITED)
    db_session.commit()
    assert "Ayse Yilmaz" not in client.get(path).get_data(as_text=True)


def test_involved_means_invited_signed_up_or_holding_a_place(db_session, world, make_user):
    """What the resident search reads (matching itself leaves these people out of the candidates)."""
    from coprod_match.queries.placements import already_involved

    care = world["care"]
    people = {}
    for state in PlacementState:
        person = make_user(Role.CITIZEN, name=f"Person {state}")
        factories.placement(db_session, person, care, state)
        people[state] = person.id
    outsider = world["ayse"].id
    found = already_involved(db_session, care.id, [*people.values(), outsider])
    assert found == {people[state]: state for state in (
        PlacementState.INVITED, PlacementState.APPLIED, PlacementState.ACCEPTED, PlacementState.ACTIVE,
        PlacementState.PAUSED)}
    assert already_involved(db_session, world["walks"].id, list(people.values())) == {}
