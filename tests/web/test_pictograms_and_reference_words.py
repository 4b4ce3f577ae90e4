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
