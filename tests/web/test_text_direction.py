"""Text direction and the reader's words (issue 15's walkthrough): phone numbers stay left to right on an
Arabic page, an initiative is named in the reader's language wherever a resident meets it, lists are joined
as the page's language joins them, and text in a known language carries that language's direction."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from coprod_match.extensions import db
from coprod_match.models import InitiativeVersion, PlacementState
from coprod_match.services import conversations
from coprod_match.web.template_helpers import direction_of, listed
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.web.test_statement_counts import StatementCounter

ARABIC_TITLE = "Samen Dag: \u0631\u0639\u0627\u064a\u0629 \u0646\u0647\u0627\u0631\u064a\u0629"  # starts with Latin words
ORIGINAL_TITLE = "Day care for elderly migrants"
PHONE = "070 359 4769"


@pytest.fixture
def world(db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    care = world["day_care"]
    care.written_in = "nl"
    care.versions.append(InitiativeVersion(locale="ar", title=ARABIC_TITLE, description="\u0645\u0639\u0627"))
    world["contact"].phone = PHONE
    world["ayse"].preferred_locale = "ar"
    world["ayse"].phone = "06 12345678"
    db_session.commit()
    return world


def _main(answer) -> str:
    assert answer.status_code in (200, 422), answer.status_code
    return answer.get_data(as_text=True).split("<main", 1)[-1]


def _tag(page: str, marker: str) -> str:
    """The opening tag that contains `marker` (attributes come in any order)."""
    found = re.search(r"<[^<>]*" + re.escape(marker) + r"[^<>]*>", page)
    assert found, marker
    return found.group(0)


def test_phone_numbers_and_addresses_stay_left_to_right_on_an_arabic_page(app, db_session, world):
    factories.placement(db_session, world["ayse"], world["day_care"], PlacementState.ACTIVE)
    db_session.commit()
    client = client_for(app, world["ayse"])
    mine = _main(client.get("/citizens/initiatives"))
    assert f'<a dir="ltr" href="tel:0703594769">{PHONE}</a>' in mine
    details = _main(client.get("/account/details"))
    assert 'dir="ltr"' in _tag(details, 'name="phone"')
    assert 'dir="ltr"' in _tag(details, 'type="email"')
    my_data = _main(client.get("/account/my-data"))
    assert '<span dir="ltr">06 12345678</span>' in my_data and '<span dir="ltr">ayse@example.org</span>' in my_data


def test_a_resident_meets_the_initiative_in_her_language(app, db_session, world):
    placement = factories.placement(db_session, world["ayse"], world["day_care"], PlacementState.ACTIVE)
    db_session.commit()
    conversations.post_message(db_session, placement.id, "\u0645\u0631\u062d\u0628\u0627 hello", actor=world["contact"])
    db_session.commit()
    client = client_for(app, world["ayse"])
    for path in (f"/conversations/{placement.id}", f"/citizens/initiatives/{placement.id}/stop"):
        page = _main(client.get(path))
        assert ARABIC_TITLE in page, path
        assert ORIGINAL_TITLE not in page, path
    # My data: the initiative's heading (the inbox lines keep the title their notice was written with).
    my_data = _main(client.get("/account/my-data"))
    assert f"<h3>{ARABIC_TITLE}</h3>" in my_data and f">{ORIGINAL_TITLE}</h3>" not in my_data
    # A message's language is unknown: the browser decides its direction from its letters.
    assert '<p class="message-text" dir="auto">' in _main(client.get(f"/conversations/{placement.id}"))


def test_my_data_reads_the_titles_of_all_initiatives_at_once(app, db_session, world):
    client = client_for(app, world["ayse"])
    counter = StatementCounter(db.engine)

    def statements() -> int:
        count, answer = counter.count(lambda: client.get("/account/my-data"))
        assert answer.status_code == 200
        return count

    factories.placement(db_session, world["ayse"], world["day_care"], PlacementState.ACTIVE)
    db_session.commit()
    one = statements()
    for number in range(3):
        other = factories.initiative(db_session, title=f"Other {number}", contact=world["contact"])
        other.versions.append(InitiativeVersion(locale="ar", title=f"آخر {number}", description="-"))
        factories.placement(db_session, world["ayse"], other, PlacementState.ENDED)
    db_session.commit()
    assert statements() == one


def test_text_in_another_language_carries_that_languages_direction(app, db_session, world):
    written_in_arabic = factories.initiative(db_session, title=ARABIC_TITLE, written_in="ar",
                                             description="\u0645\u0639\u0627", contact=world["contact"])
    db_session.commit()
    page = _main(app.test_client().get(f"/initiatives/{written_in_arabic.id}", headers={"Accept-Language": "nl"}))
    assert f'lang="ar" dir="rtl">{ARABIC_TITLE}</h1>' in page
    # A Dutch title on an Arabic page is Dutch, left to right, on the heading itself.
    page = _main(app.test_client().get(f"/initiatives/{world['day_care'].id}", headers={"Accept-Language": "pl"}))
    assert f'lang="nl" dir="ltr">{ORIGINAL_TITLE}</h1>' in page


@pytest.mark.parametrize("locale, joined", [
    ("nl", "a, b en c"), ("en", "a, b and c"), ("tr", "a, b ve c"), ("ar", "a \u0648b \u0648c"),
    ("pl", "a, b i c"), ("bg", "a, b \u0438 c"), ("uk", "a, b \u0456 c"),
])
def test_lists_are_joined_as_the_language_joins_them(app, locale, joined):
    with app.test_request_context(), force_locale(locale):
        assert listed(["a", "b", "c"]) == joined
        assert listed([]) == ""


def test_direction_of_a_language():
    assert (direction_of("ar"), direction_of("nl"), direction_of("tr")) == ("rtl", "ltr", "ltr")
    assert direction_of("not-a-language") == "auto"


def test_the_version_form_writes_in_the_versions_language(app, db_session, world):
    care = world["day_care"]
    client = client_for(app, world["contact"])
    base = f"/professionals/initiatives/{care.id}/versions"
    editing = _main(client.get(f"{base}/ar"))
    title = _tag(editing, 'id="title"')
    assert 'lang="ar"' in title and 'dir="rtl"' in title
    assert 'lang="ar"' in _tag(editing, 'id="description"') and 'dir="rtl"' in _tag(editing, 'id="description"')
    assert 'class="back-link"' in editing
    new = _main(client.get(f"{base}/new"))
    assert 'dir="auto"' in _tag(new, 'id="title"') and "lang=" not in _tag(new, 'id="title"')
    refused = _main(client.post(f"{base}/new", data={"csrf_token": csrf_token(client, f"{base}/new"),
                                                      "locale": "tr", "title": "", "description": "x"}))
    title = _tag(refused, 'id="title"')
    assert 'lang="tr"' in title and 'dir="ltr"' in title


def test_draft_invitations_are_written_in_the_residents_language(app, db_session, world):
    page = _main(client_for(app, world["contact"]).get(f"/matching/initiatives/{world['day_care'].id}/candidates"))
    draft = _tag(page, f'id="message-{world["ayse"].id}"')
    assert 'lang="ar"' in draft and 'dir="rtl"' in draft
