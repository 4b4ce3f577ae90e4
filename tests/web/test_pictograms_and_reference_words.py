"""Pictograms beside themes and parts of the day, and reference words in the page's language (issue 15)."""

from __future__ import annotations

import re

from coprod_match.models import Role
from coprod_match.schedule import slots_to_mask
from coprod_match.web.pictograms import pictogram
from tests import factories
from tests.conftest import login_as


def _page(client, path: str, locale: str = "en") -> str:
    response = client.get(path, headers={"Accept-Language": locale})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _pictured(page: str, name: str, words: str) -> bool:
    """The pictogram `name` stands right before `words` (the pictogram itself has no words to find)."""
    drawing = re.escape(str(pictogram(name)))
    return re.search(drawing + r"\s*" + re.escape(words), page) is not None


def test_the_profile_shows_a_pictogram_beside_each_theme_and_part_of_day(client, make_user):
    login_as(client, make_user(Role.CITIZEN))
    page = _page(client, "/citizens/profile")
    assert _pictured(page, "sports", "Sports and exercise")
    assert _pictured(page, "faith", "Help through a faith community")
    assert _pictured(page, "evening", "Evening")
    # The theme's pictogram is inside its label: pressing the picture ticks the box.
    assert re.search(r'<label for="interests-\d+"><svg class="pictogram"', page)


def test_the_profile_names_themes_and_languages_in_its_language(client, make_user):
    login_as(client, make_user(Role.CITIZEN, locale="nl"))
    page = _page(client, "/citizens/profile")
    assert _pictured(page, "meals", "Koken en samen eten")
    assert "Turks (Türkçe)" in page
    login_as(client, make_user(Role.CITIZEN, locale="pl"))
    assert "Turecki (Türkçe)" in _page(client, "/citizens/profile")


def test_search_filters_and_cards_show_pictograms(client, db_session, reference_data):
    factories.initiative(db_session, title="Samen eten", neighbourhood="Moerwijk", interests=["meals"],
                         schedule_slots=slots_to_mask([("tue", "evening"), ("thu", "evening")]))
    db_session.commit()
    page = _page(client, "/initiatives/?near=")
    filters, _, cards = page.partition('class="initiative-list"')
    assert _pictured(filters, "greenery", "Clean-up, gardening and greenery")
    assert _pictured(filters, "morning", "Morning")
    assert _pictured(cards, "meals", "Cooking and shared meals")
    assert _pictured(cards, "evening", "Evening") and "Morning" not in cards
    # A theme chosen before stays chosen, as a radio button now.
    chosen = _page(client, "/initiatives/?near=&interest=meals&part=evening")
    assert re.search(r'id="interest-meals" name="interest" value="meals" checked', chosen)
    assert re.search(r'id="part-evening" name="part" value="evening" checked', chosen)


def test_the_initiative_page_shows_pictograms_beside_themes_and_times(client, db_session, reference_data):
    initiative = factories.initiative(db_session, interests=["sports", "company"],
                                      schedule_slots=slots_to_mask([("tue", "morning")]))
    db_session.commit()
    page = _page(client, f"/initiatives/{initiative.id}")
    assert _pictured(page, "sports", "Sports and exercise")
    assert _pictured(page, "company", "Company and visits (against loneliness)")
    assert _pictured(page, "morning", "Tuesday morning")


def _profile_form(client, db_session, **answers) -> dict:
    from tests.conftest import csrf_token

    neighbourhood = factories.neighbourhood_named(db_session, "Transvaal")
    return {"csrf_token": csrf_token(client, "/citizens/profile"), "neighbourhood_id": str(neighbourhood.id),
            "availability": ["tue-morning"], "max_initiatives": "2", **answers}


def test_hours_and_initiatives_are_chosen_not_typed(client, make_user, db_session):
    citizen = make_user(Role.CITIZEN, locale="nl")
    login_as(client, citizen)
    page = _page(client, "/citizens/profile")
    assert re.search(r'<select[^>]*id="max_hours_per_week"', page)
    assert '<option selected value="">Dat weet ik nog niet</option>' in page
    assert '<option value="4">4 uur per week</option>' in page
    assert re.search(r'<select[^>]*id="max_initiatives"', page)
    assert '<option selected value="2">2 initiatieven</option>' in page
    assert '<option value="1">1 initiatief</option>' in page
    saved = client.post("/citizens/profile", data=_profile_form(client, db_session, max_hours_per_week="8",
                                                                max_initiatives="3"))
    assert saved.status_code == 302
    db_session.expire_all()
    assert (citizen.citizen_profile.max_hours_per_week, citizen.citizen_profile.max_initiatives) == (8, 3)


def test_a_number_set_elsewhere_stays_among_the_choices(client, make_user, db_session):
    citizen = make_user(Role.CITIZEN)
    citizen.citizen_profile.max_hours_per_week = 7  # the API takes any number in range
    db_session.commit()
    login_as(client, citizen)
    assert '<option selected value="7">7 hours a week</option>' in _page(client, "/citizens/profile")


def test_a_number_out_of_range_or_junk_is_refused_beside_the_field(client, make_user, db_session):
    login_as(client, make_user(Role.CITIZEN))
    for hours, initiatives in (("61", "2"), ("many", "2"), ("", "11"), ("", "lots")):
        refused = client.post("/citizens/profile", data=_profile_form(
            client, db_session, max_hours_per_week=hours, max_initiatives=initiatives))
        assert refused.status_code == 422, (hours, initiatives)
        text = refused.get_data(as_text=True)
        assert re.search(r'id="max_(hours_per_week|initiatives)-error">\s*Choose a number from 1 to (60|10)\.', text)
