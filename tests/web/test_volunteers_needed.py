"""One "needs N more" (coprod_match/volunteer_need.py): the same N on every page and in the API.

The day care wants 8 volunteers: 2 are active, 1 was accepted and starts
soon, 1 pauses. Those 4 hold a place (the capacity check counts the same
states), so it needs 4 more. An open invitation and a sign-up hold none yet.
Before this definition the pages said 6 (ideal minus active) while the
suggestions said 4.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.models import Initiative, PlacementState, Role
from coprod_match.queries.initiatives import volunteers_needed_by_id, volunteers_needed_sql
from coprod_match.volunteer_need import volunteers_needed
from tests import factories
from tests.factories import TUESDAY_MORNING, client_for

NEED = re.compile(r"(?:[Nn]eeds?|Room for) (\d+) more")


@pytest.fixture
def day_care(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    care = factories.day_care(db_session, contact=contact, volunteers_min=2, volunteers_ideal=8)
    states = [PlacementState.ACTIVE, PlacementState.ACTIVE, PlacementState.ACCEPTED, PlacementState.PAUSED,
              PlacementState.INVITED, PlacementState.APPLIED, PlacementState.ENDED, PlacementState.DECLINED]
    for number, state in enumerate(states):
        factories.placement(db_session, make_user(Role.CITIZEN, name=f"Volunteer {number}"), care, state)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    db_session.commit()
    return {"care": care, "contact": contact, "ayse": ayse}


def _needs(html: str) -> set[int]:
    return {int(number) for number in NEED.findall(html)}


def test_the_same_n_on_the_list_the_detail_page_suggestions_candidates_and_the_api(app, db_session, day_care):
    care = day_care["care"]
    ayse = client_for(app, day_care["ayse"])

    listing = client_for(app).get("/initiatives/", query_string={"near": "", "q": "Day care"})
    detail = ayse.get(f"/initiatives/{care.id}")
    suggestions = ayse.get("/matching/suggestions")
    candidates = client_for(app, day_care["contact"]).get(f"/matching/initiatives/{care.id}/candidates")
    one = client_for(app).get(f"/api/v1/initiatives/{care.id}").get_json()
    found = client_for(app).get("/api/v1/initiatives", query_string={"q": "Day care"}).get_json()

    assert _needs(listing.get_data(as_text=True)) == {4}
    detail_text = detail.get_data(as_text=True)
    # The detail page says it twice: in the facts, and in why it fits her (matching's reason).
    assert _needs(detail_text) == {4} and "They need 4 more volunteers" in detail_text
    # Who holds the places is said too, so the sum adds up to the 8 wanted.
    assert "2 active volunteers, 1 paused and 1 about to start. Room for 4 more." in detail_text
    assert _needs(suggestions.get_data(as_text=True)) == {4}
    assert _needs(candidates.get_data(as_text=True)) == {4}
    assert one["volunteers_needed"] == 4
    assert [item["volunteers_needed"] for item in found["items"] if item["id"] == care.id] == [4]


def test_the_sql_and_the_python_definition_agree_at_the_edges(db_session, day_care):
    care = day_care["care"]
    for ideal in (2, 4, 5, 9):  # below, at and above the 4 places held
        db_session.execute(sa.update(Initiative).where(Initiative.id == care.id)
                           .values(volunteers_ideal=ideal, volunteers_min=1))
        db_session.flush()
        assert volunteers_needed_by_id(db_session, [care.id]) == {care.id: volunteers_needed(ideal, 4)}
        assert db_session.scalar(sa.select(volunteers_needed_sql()).where(Initiative.id == care.id)) == max(0, ideal - 4)


def test_enough_volunteers_says_so_everywhere(app, db_session, day_care):
    care = day_care["care"]
    db_session.execute(sa.update(Initiative).where(Initiative.id == care.id).values(volunteers_ideal=4))
    db_session.commit()
    detail = client_for(app, day_care["ayse"]).get(f"/initiatives/{care.id}").get_data(as_text=True)
    assert "2 active volunteers, 1 paused and 1 about to start. Has enough volunteers for now." in detail
    assert not _needs(detail)
    assert client_for(app).get(f"/api/v1/initiatives/{care.id}").get_json()["volunteers_needed"] == 0


def test_the_workspace_says_who_holds_the_places_not_active_over_ideal(app, db_session, day_care):
    page = client_for(app, day_care["contact"]).get("/professionals/").get_data(as_text=True)
    assert "2 active volunteers, 1 paused and 1 about to start. Room for 4 more." in page
    assert "2 / 8" not in page


def test_most_needed_first_orders_by_the_same_n(app, db_session, day_care, make_user):
    # 5 wanted, nobody yet: needs 5, more than the day care's 4 (which has more places but more people).
    factories.initiative(db_session, title="Coffee morning", neighbourhood="Schilderswijk", volunteers_ideal=5)
    db_session.commit()
    page = client_for(app).get("/initiatives/", query_string={"near": "", "sort": "needed"}).get_data(as_text=True)
    assert page.index("Coffee morning") < page.index("Day care for elderly migrants")
