"""Professionals' languages (issue 15): staff say which languages they speak, initiative pages show
the languages of their contact persons, and the search filters on them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.models import AuditEntry, InitiativeContact, Language, Role, User, utcnow
from coprod_match.queries.search import InitiativeSearch, parse_search
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.web.test_search import titles
from tests.web.test_statement_counts import StatementCounter


def save_details(client, user: User, **fields):
    data = {"display_name": user.display_name, "phone": "", "preferred_locale": "en",
            "csrf_token": csrf_token(client, "/account/details")}
    data.update(fields)
    return client.post("/account/details", data=data)


def speaks(db_session, user: User, *codes: str) -> User:
    user.spoken_languages = [db_session.get(Language, code) for code in codes]
    return user


def spoken(db_session, user: User) -> list[str]:
    db_session.expire_all()
    return [language.code for language in db_session.get(User, user.id).spoken_languages]


# --- Account details ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR])
def test_staff_tick_the_languages_they_speak(app, db_session, make_user, role):
    person = make_user(role)
    client = client_for(app, person)
    page = client.get("/account/details").get_data(as_text=True)
    assert "Languages you speak with residents" in page
    assert '<label for="spoken_languages-' in page and "Turkish (Türkçe)" in page

    answer = save_details(client, person, spoken_languages=["tr", "ar"])
    assert answer.status_code == 302
    assert spoken(db_session, person) == ["ar", "tr"]
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.details_changed"))
    assert entry.details == {"fields": ["spoken_languages"]}
    again = client.get("/account/details").get_data(as_text=True)
    ticked = set(re.findall(r'<input checked id="spoken_languages-\d+" name="spoken_languages" type="checkbox" '
                            r'value="(\w+)">', again))
    assert ticked == {"ar", "tr"}

    save_details(client, person)  # nothing ticked: speaks none of them
    assert spoken(db_session, person) == []


def test_an_unknown_language_is_refused_next_to_the_field(app, db_session, make_user):
    person = make_user(Role.PROFESSIONAL)
    client = client_for(app, person)
    answer = save_details(client, person, spoken_languages=["tr", "klingon"], display_name="Fatima Bakr")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'value="Fatima Bakr"' in page  # the input is kept
    assert page.index("error-message", page.index('id="spoken-languages"')) < page.index("</fieldset>",
                                                                                       page.index('id="spoken-languages"'))
    assert spoken(db_session, person) == []


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.ADMIN])
def test_residents_and_administrators_have_no_such_field(app, db_session, make_user, role):
    person = make_user(role)
    client = client_for(app, person)
    assert 'id="spoken-languages"' not in client.get("/account/details").get_data(as_text=True)
    # Sent anyway, it is not stored: residents give their languages, with levels, in their profile.
    assert save_details(client, person, spoken_languages=["tr"]).status_code == 302
    assert spoken(db_session, person) == []


def test_my_data_and_the_api_list_the_languages(app, db_session, make_user):
    person = speaks(db_session, make_user(Role.PROFESSIONAL), "tr", "nl")
    db_session.commit()
    from coprod_match.services.my_data import my_data_document

    assert my_data_document(db_session, person)["account"]["spoken_languages"] == ["nl", "tr"]
    answer = client_for(app, person).get("/api/v1/me")
    assert answer.get_json()["spoken_languages"] == ["nl", "tr"]


# --- The initiative page and the search ---------------------------------------------------------


@pytest.fixture
def world(db_session, make_user):
    fatima = speaks(db_session, make_user(Role.PROFESSIONAL, name="Fatima"), "ar", "nl")
    mehmet = speaks(db_session, make_user(Role.PROFESSIONAL, name="Mehmet"), "tr", "nl")
    gone = speaks(db_session, make_user(Role.PROFESSIONAL, name="Pjotr"), "pl")
    care = factories.initiative(db_session, title="Day care", neighbourhood="Schilderswijk", contact=fatima)
    care.contacts.append(InitiativeContact(professional_id=mehmet.id))
    # Pjotr handed the walks over: his Polish no longer counts for them.
    walks = factories.initiative(db_session, title="Walks", neighbourhood="Transvaal", contact=mehmet)
    walks.contacts.append(InitiativeContact(professional_id=gone.id, starts_at=utcnow() - dt.timedelta(days=90),
                                            ends_at=utcnow() - dt.timedelta(days=30)))
    silent = factories.initiative(db_session, title="Garden", neighbourhood="Transvaal",
                                  contact=make_user(Role.PROFESSIONAL))
    db_session.commit()
    return {"care": care, "walks": walks, "garden": silent, "fatima": fatima}


def test_the_initiative_page_says_which_languages_its_contact_persons_speak(app, client, db_session, world):
    page = client.get(f"/initiatives/{world['care'].id}").get_data(as_text=True)
    assert "The contact persons speak: Arabic (العربية), Dutch (Nederlands) and Turkish (Türkçe)" in page
    walks = client.get(f"/initiatives/{world['walks'].id}").get_data(as_text=True)
    assert "The contact person speaks: Dutch (Nederlands) and Turkish (Türkçe)" in walks and "Polish" not in walks
    assert 'id="contact-languages"' not in client.get(f"/initiatives/{world['garden'].id}").get_data(as_text=True)
    dutch = client_for(app, world["fatima"])
    world["fatima"].preferred_locale = "nl"
    db_session.commit()
    assert "De contactpersonen spreken: Arabisch (العربية), Nederlands en Turks (Türkçe)" in \
        dutch.get(f"/initiatives/{world['care'].id}").get_data(as_text=True)


def test_the_search_filters_on_what_a_contact_person_speaks(client, world):
    def found(code):
        return sorted(titles(client.get("/initiatives/", query_string={"speaks": code, "near": ""})))

    assert found("ar") == ["Day care"]
    assert found("tr") == ["Day care", "Walks"]
    assert found("pl") == []  # only current contact persons count
    assert found("") == ["Day care", "Garden", "Walks"]
    page = client.get("/initiatives/", query_string={"speaks": "ar"}).get_data(as_text=True)
    assert '<label for="speaks">Contact person speaks</label>' in page
    assert '<option value="ar" selected>' in page


def test_the_api_list_filters_on_it_too(client, world):
    def found(**query):
        answer = client.get("/api/v1/initiatives", query_string=query)
        assert answer.status_code == 200
        return sorted(item["title"] for item in answer.get_json()["items"])

    assert found(speaks="tr") == ["Day care", "Walks"]
    assert found(speaks="ar", q="day") == ["Day care"]
    assert found(speaks="xx") == []
    (care,) = client.get("/api/v1/initiatives", query_string={"speaks": "ar"}).get_json()["items"]
    assert {person["display_name"]: person["spoken_languages"] for person in care["contacts"]} == {
        "Fatima": ["ar", "nl"], "Mehmet": ["nl", "tr"]}
    wrong = client.get("/api/v1/initiatives", query_string={"speaks": "x" * 50})
    assert wrong.status_code == 422 and wrong.is_json


def test_the_filter_counts_among_the_filters_on():
    from werkzeug.datastructures import MultiDict

    assert parse_search(MultiDict({"speaks": "tr"})).speaks == "tr"
    assert InitiativeSearch(speaks="tr").filters_on() == 1
    assert InitiativeSearch(speaks="tr", language="ar").filters_on() == 2
    assert InitiativeSearch(speaks="tr").url_args() == {"speaks": "tr"}


def test_the_page_and_the_list_cost_the_same_statements_with_more_contacts(app, client, db_session, world, make_user):
    counter = StatementCounter(db.engine)
    care, walks = world["care"].id, world["walks"].id

    def statements() -> tuple[int, int]:
        page, _ = counter.count(lambda: client.get(f"/initiatives/{care}"))
        listing, _ = counter.count(lambda: client.get("/initiatives/?speaks=tr&q=day&near="))
        return page, listing

    before = statements()
    for number in range(6):
        person = speaks(db_session, make_user(Role.PROFESSIONAL), "tr", "ar", "pl")
        db_session.get(type(world["care"]), care).contacts.append(InitiativeContact(professional_id=person.id))
        factories.initiative(db_session, title=f"Day care {number}", neighbourhood="Transvaal", contact=person)
    db_session.get(type(world["care"]), walks)
    db_session.commit()
    assert statements() == before
