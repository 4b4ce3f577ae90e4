"""Finding initiatives: filters from the URL, nearby neighbourhoods, sorting, pagination."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    InitiativeStatus,
    Neighbourhood,
    PlacementState,
    Role,
)
from coprod_match.schedule import slots_to_mask
from tests import factories
from tests.factories import client_for


def titles(response) -> list[str]:
    # A title in another language than the page's is wrapped in its own lang (issue 15).
    return re.findall(r'<h2><a href="/initiatives/\d+">(?:<span[^>]*>)?([^<]+)(?:</span>)?</a></h2>',
                      response.get_data(as_text=True))


@pytest.fixture
def initiatives(db_session, reference_data, make_user):
    places = {n.name: n for n in db_session.scalars(sa.select(Neighbourhood))}

    def add(title, place, *, slots=(), ideal=3, day=1, **fields):
        return factories.initiative(db_session, title=title, neighbourhood=place, start_date=dt.date(2026, 1, 1),
                                    volunteers_ideal=ideal, schedule_slots=slots_to_mask(slots),
                                    created_at=dt.datetime(2026, 1, day, tzinfo=dt.UTC), **fields)

    add("Transvaal sport", "Transvaal", interests=["sports"], slots=[("tue", "morning")], day=1)
    add("Schilderswijk meals", "Schilderswijk", interests=["meals"], languages=["tr"],
        slots=[("wed", "evening")], day=2, description="Samen KOKEN en eten")
    add("Scheveningen walk", "Scheveningen", interests=["sports"], slots=[("sat", "morning")], ideal=6, day=3)
    add("Draft thing", "Transvaal", status=InitiativeStatus.DRAFT, day=4)
    full = add("Full café", "Schilderswijk", ideal=1, day=5)
    factories.placement(db_session, make_user(Role.CITIZEN), full, PlacementState.ACTIVE)
    db_session.commit()
    return places


def test_drafts_are_never_listed(client, initiatives):
    assert "Draft thing" not in titles(client.get("/initiatives/"))


def test_near_with_radius_and_nearest_first(client, initiatives):
    transvaal = initiatives["Transvaal"].id
    near = titles(client.get(f"/initiatives/?near={transvaal}&radius=1"))
    assert near[0] == "Transvaal sport"
    assert "Schilderswijk meals" in near  # next door, under 1 km
    assert "Scheveningen walk" not in near
    only_here = titles(client.get(f"/initiatives/?near={transvaal}&radius=0"))
    assert only_here == ["Transvaal sport"]


def test_interest_language_time_and_text(client, initiatives):
    assert titles(client.get("/initiatives/?interest=sports&near=")) == ["Scheveningen walk", "Transvaal sport"]
    assert titles(client.get("/initiatives/?language=tr")) == ["Schilderswijk meals"]
    assert titles(client.get("/initiatives/?day=tue")) == ["Transvaal sport"]
    assert titles(client.get("/initiatives/?part=morning&sort=newest")) == ["Scheveningen walk", "Transvaal sport"]
    assert titles(client.get("/initiatives/?day=wed&part=morning")) == []
    assert titles(client.get("/initiatives/?q=koken")) == ["Schilderswijk meals"]  # case-insensitive
    assert titles(client.get("/initiatives/?q=100%25")) == []  # LIKE wildcards are literal


def test_most_needed_first(client, initiatives):
    ordered = titles(client.get("/initiatives/?sort=needed"))
    assert ordered[0] == "Scheveningen walk" and ordered[-1] == "Full café"


def test_same_url_same_results_and_pagination_keeps_filters(app, client, initiatives):
    app.config["PAGE_SIZE"] = 1
    url = "/initiatives/?interest=sports&sort=newest"
    first = client.get(url)
    assert titles(first) == titles(client.get(url)) == ["Scheveningen walk"]
    page = first.get_data(as_text=True)
    next_link = re.search(r'href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert "interest=sports" in next_link and "page=2" in next_link
    assert titles(client.get(next_link)) == ["Transvaal sport"]


def test_nonsense_filters_are_ignored_not_errors(client, initiatives):
    for query in ("near=abc&radius=999", "sort=DROP", "day=someday&part=night", "page=-1", "page=99999",
                  "q=" + "x" * 5000, "interest=%00", "language=' OR 1=1 --"):
        response = client.get(f"/initiatives/?{query}")
        assert response.status_code == (400 if "%00" in query else 200), query


def test_a_citizen_starts_near_home(app, make_user, initiatives):
    citizen = make_user(Role.CITIZEN, neighbourhood="Scheveningen")
    client = client_for(app, citizen)
    assert titles(client.get("/initiatives/"))[0] == "Scheveningen walk"
    assert len(titles(client.get("/initiatives/?near="))) == 4  # explicitly everywhere
