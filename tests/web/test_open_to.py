"""A women-only initiative, end to end: matching, the plan, search, sign-up and invitations follow one rule.

Every test runs on SQLite and PostgreSQL (the `db_session` fixture).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.matching import service as matching
from coprod_match.models import Initiative, Placement, Role
from coprod_match.open_to import why_not_open
from coprod_match.queries.search import InitiativeSearch, Resident, search_query
from coprod_match.services import participation
from coprod_match.services.invitations import sending
from coprod_match.services.open_to import NotOpenToThemError, local_year
from coprod_match.vocabulary import Gender, OpenTo
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, client_for

MAN_REFUSED = "This initiative is only for women."


def _resident(make_user, name, gender=None, birth_year=None):
    person = factories.profile(make_user(Role.CITIZEN, name=name, neighbourhood="Transvaal"),
                               availability_slots=TUESDAY_MORNING, native_languages=["tr"], consents=True)
    person.citizen_profile.gender = gender
    person.citizen_profile.birth_year = birth_year
    return person


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Physio Pia")
    sports = factories.initiative(db_session, title="Sportief Samen", neighbourhood="Transvaal",
                                  schedule_slots=TUESDAY_MORNING, languages=["tr"], volunteers_min=2,
                                  volunteers_ideal=5, contact=contact, open_to=OpenTo.WOMEN)
    people = {
        "hatice": _resident(make_user, "Hatice", Gender.WOMAN, 1972),
        "mehmet": _resident(make_user, "Mehmet", Gender.MAN, 1980),
        "sam": _resident(make_user, "Robin"),  # said nothing
        "noor": _resident(make_user, "Noor", Gender.RATHER_NOT_SAY),
    }
    db_session.commit()
    return {"sports": sports, "contact": contact, "coordinator": make_user(Role.COORDINATOR), **people}


def test_no_man_and_nobody_who_did_not_say_in_candidates_plan_or_suggestions(app, db_session, world):
    sports = world["sports"]
    candidates = [m.citizen_id for m in matching.candidates_for_initiative(db_session, sports.id)]
    assert candidates == [world["hatice"].id]
    for name in ("mehmet", "sam", "noor"):
        assert matching.suggestions_for_citizen(db_session, world[name].id) == [], name
        assert matching.reasons_for(db_session, world[name].id, sports.id) is None, name
    assert [m.initiative_id for m in matching.suggestions_for_citizen(db_session, world["hatice"].id)] == [sports.id]
    plan = matching.placement_plan(db_session)
    assert [(row.citizen_id, row.initiative_id) for row in plan.rows] == [(world["hatice"].id, sports.id)]
    # A plan row for a man (made before a change, or typed in) is not invited either.
    outcome = matching.invite_plan_rows(db_session, [(world["mehmet"].id, sports.id)], actor=world["coordinator"])
    assert outcome.invited == [] and db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_candidates_page_shows_the_woman_and_no_man(app, world):
    page = client_for(app, world["contact"]).get(f"/matching/initiatives/{world['sports'].id}/candidates")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hatice" in text
    assert "Mehmet" not in text and "Robin" not in text and "Noor" not in text


def test_a_mans_sign_up_is_refused_with_a_clear_message_on_the_page(app, db_session, world):
    client = client_for(app, world["mehmet"])
    detail = client.get(f"/initiatives/{world['sports'].id}").get_data(as_text=True)
    assert "Women only" in detail and MAN_REFUSED in detail
    # His profile cannot change this: no button pointing there.
    assert "See my profile" not in detail
    assert "I&#39;d like to help" not in detail and "I'd like to help" not in detail
    # Posting anyway (an old tab, a crafted form): the same words, and nothing is stored.
    token = csrf_token(client, "/citizens/profile")
    answer = client.post(f"/initiatives/{world['sports'].id}/apply", data={"csrf_token": token},
                         follow_redirects=True)
    assert answer.status_code == 200 and MAN_REFUSED in answer.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_someone_who_did_not_say_is_told_how_to_join(app, world):
    client = client_for(app, world["sam"])
    detail = client.get(f"/initiatives/{world['sports'].id}").get_data(as_text=True)
    # The group the page names ("Women only"), not "only for women or only for men".
    assert ("This initiative is for women only. You have not said if you are a woman: "
            "you can add it to your profile.") in detail
    assert "or only for men" not in detail and "See my profile" in detail
    # Posting anyway gives the same words.
    token = csrf_token(client, "/citizens/profile")
    answer = client.post(f"/initiatives/{world['sports'].id}/apply", data={"csrf_token": token},
                         follow_redirects=True)
    assert "This initiative is for women only. You have not said if you are a woman" in answer.get_data(as_text=True)


def test_a_woman_signs_up(app, db_session, world):
    client = client_for(app, world["hatice"])
    detail = client.get(f"/initiatives/{world['sports'].id}").get_data(as_text=True)
    assert "I&#39;d like to help" in detail or "I'd like to help" in detail
    participation.apply(db_session, world["sports"], actor=world["hatice"])
    db_session.commit()
    assert db_session.scalar(sa.select(Placement.citizen_id)) == world["hatice"].id


def test_the_api_refuses_a_mans_sign_up_with_409(app, db_session, world):
    headers = factories.api_headers(db_session, world["mehmet"], actor=world["mehmet"])
    db_session.commit()
    answer = app.test_client().post("/api/v1/me/placements", headers=headers,
                                    json={"initiative_id": world["sports"].id})
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["type"] == "urn:coprod-match:problem:not-open-to-you" and body["detail"] == MAN_REFUSED


def test_an_invitation_to_a_man_is_refused_without_saying_his_gender(app, db_session, world):
    said = []
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for name in ("mehmet", "sam", "noor"):
            with pytest.raises(NotOpenToThemError) as refused:
                sending.invite_citizen(db_session, world[name], world["sports"], actor=world["contact"])
            said.append(str(refused.value.message))
    # The same words for a man, someone who did not say and someone who would rather not say.
    assert len(set(said)) == 1 and "this person is not in it or has not said" in said[0]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_search_open_to_me_agrees_with_the_rule(app, db_session, world, make_user):
    seniors = factories.initiative(db_session, title="Seniors walk", min_age=60)
    men = factories.initiative(db_session, title="Men's shed", open_to=OpenTo.MEN, max_age=70)
    everyone = factories.initiative(db_session, title="Coffee morning")
    db_session.commit()
    initiatives = [world["sports"], seniors, men, everyone]
    year = local_year()
    for gender in (None, *Gender):
        for birth_year in (None, year - 30, year - 65, year - 75):
            found = db_session.scalars(search_query(
                db_session, InitiativeSearch(open_to_me=True),
                resident=Resident(gender, birth_year, year)).select).all()
            expected = {i.id for i in initiatives
                        if why_not_open(i.open_to, i.min_age, i.max_age, gender, birth_year, year=year) is None}
            assert {i.id for i in found} == expected, (gender, birth_year)


def test_search_page_filter_for_a_resident(app, world):
    client = client_for(app, world["mehmet"])
    everything = client.get("/initiatives/?near=").get_data(as_text=True)
    assert "Sportief Samen" in everything and "Only initiatives I can join" in everything
    mine = client.get("/initiatives/?near=&open_to_me=1").get_data(as_text=True)
    assert "Sportief Samen" not in mine
    assert "Sportief Samen" in client_for(app, world["hatice"]).get("/initiatives/?near=&open_to_me=1").get_data(
        as_text=True)


def test_profile_page_saves_gender_and_birth_year_and_refuses_a_year_in_the_future(app, db_session, world):
    client = client_for(app, world["sam"])
    page = client.get("/citizens/profile").get_data(as_text=True)
    assert "We use your answer only to find out if you can join those" in page
    token = csrf_token(client, "/citizens/profile")
    form = {"csrf_token": token, "neighbourhood_id": str(world["sports"].neighbourhood_id),
            "availability": ["tue-morning"], "max_initiatives": "2", "language-tr": "native",
            "consent_to_contact": "y", "gender": "woman", "birth_year": str(local_year() + 1)}
    refused = client.post("/citizens/profile", data=form)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert f"Fill in a year from {local_year() - 120} to {local_year()}" in text
    assert 'checked id="gender-0" name="gender" type="radio" value="woman"' in text  # the answer is kept
    form["birth_year"] = "1985"
    assert client.post("/citizens/profile", data=form).status_code == 302
    db_session.expire_all()
    profile = db_session.get(type(world["sam"]), world["sam"].id).citizen_profile
    assert (profile.gender, profile.birth_year) == ("woman", 1985)
    # And the matching sees her at once.
    assert world["sam"].id in [m.citizen_id for m in matching.candidates_for_initiative(db_session, world["sports"].id)]


def test_api_profile_and_initiative_fields(app, db_session, world):
    headers = factories.api_headers(db_session, world["sam"], actor=world["sam"])
    staff = factories.api_headers(db_session, world["contact"], actor=world["contact"])
    db_session.commit()
    client = app.test_client()
    changed = client.patch("/api/v1/me", headers=headers, json={"gender": "man", "birth_year": 1990})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["profile"]["gender"] == "man"
    bad = client.patch("/api/v1/me", headers=headers, json={"birth_year": 1700})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["pointer"] == "#/birth_year"
    assert client.patch("/api/v1/me", headers=headers, json={"gender": "robot"}).status_code == 422
    out = client.get(f"/api/v1/initiatives/{world['sports'].id}", headers=staff).get_json()
    assert (out["open_to"], out["min_age"], out["max_age"]) == ("women", None, None)
    patched = client.patch(f"/api/v1/initiatives/{world['sports'].id}", headers=staff,
                           json={"min_age": 50, "max_age": 40})
    assert patched.status_code == 422 and patched.get_json()["errors"][0]["pointer"] == "#/max_age"
    patched = client.patch(f"/api/v1/initiatives/{world['sports'].id}", headers=staff,
                           json={"open_to": "everyone", "min_age": 18})
    assert patched.status_code == 200 and patched.get_json()["open_to"] == "everyone"
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert "open_to" in schemas["Initiative"]["properties"] and "gender" in schemas["ProfileUpdate"]["properties"]


def test_initiative_form_saves_who_can_join(app, db_session, world):
    client = client_for(app, world["contact"])
    path = f"/professionals/initiatives/{world['sports'].id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert "Who can join?" in page
    form = {"csrf_token": csrf_token(client, path), "title": "Sportief Samen", "description": "Sports.",
            "neighbourhood_id": str(world["sports"].neighbourhood_id), "schedule": ["tue-morning"],
            "hours_per_week": "2", "volunteers_min": "2", "volunteers_ideal": "5", "start_date": "2025-01-01",
            "open_to": "women", "min_age": "40", "max_age": "30"}
    refused = client.post(path, data=form)
    assert refused.status_code == 422 and "The maximum age must be at least the minimum age." in \
        refused.get_data(as_text=True)
    form.update(min_age="18", max_age="")
    assert client.post(path, data=form).status_code == 302
    db_session.expire_all()
    saved = db_session.get(Initiative, world["sports"].id)
    assert (saved.open_to, saved.min_age, saved.max_age) == ("women", 18, None)
    detail = client_for(app, world["hatice"]).get(f"/initiatives/{saved.id}").get_data(as_text=True)
    assert "Women only, aged 18 or older" in detail


def test_list_cards_say_who_can_join_only_when_it_is_not_everyone(app, db_session, world):
    factories.initiative(db_session, title="Taalcafe", neighbourhood="Transvaal")
    factories.initiative(db_session, title="Seniorensoos", neighbourhood="Transvaal", min_age=60)
    db_session.commit()
    page = client_for(app).get("/initiatives/", query_string={"near": ""}).get_data(as_text=True)
    # A title in another language than the page's ends in its own <span lang> (issue 15).
    cards = {card.split("</a></h2>")[0].removesuffix("</span>").rsplit(">", 1)[1]: card
             for card in page.split('<li class="card">')[1:]}
    assert "Women only" in cards["Sportief Samen"]
    assert "Everyone, aged 60 or older" in cards["Seniorensoos"]
    assert 'class="open-to"' not in cards["Taalcafe"]


def test_erasure_takes_gender_and_birth_year_with_the_profile(app, db_session, world):
    from coprod_match.models import CitizenProfile
    from coprod_match.services import erasure

    erasure.erase_account(db_session, world["hatice"], actor=None, reason="test")
    db_session.commit()
    assert db_session.get(CitizenProfile, world["hatice"].id) is None


def test_my_data_exports_gender_and_birth_year(app, db_session, world):
    headers = factories.api_headers(db_session, world["hatice"], actor=world["hatice"])
    db_session.commit()
    body = app.test_client().get("/api/v1/me/data", headers=headers).get_json()
    assert (body["profile"]["gender"], body["profile"]["birth_year"]) == ("woman", 1972)
    page = client_for(app, world["hatice"]).get("/account/my-data").get_data(as_text=True)
    assert "1972" in page and "Woman" in page


def test_residents_open_to_agrees_with_the_rule(db_session, world):
    from coprod_match.models import CitizenProfile
    from coprod_match.queries.search import residents_open_to

    year = local_year()
    people = [world[name] for name in ("hatice", "mehmet", "sam", "noor")]
    for open_to in OpenTo:
        for low, high in ((None, None), (50, None), (None, 50), (40, 60)):
            found = set(db_session.scalars(sa.select(CitizenProfile.user_id).where(
                CitizenProfile.user_id.in_([p.id for p in people]),
                residents_open_to(open_to, low, high, year=year))))
            expected = {p.id for p in people if why_not_open(
                open_to, low, high, p.citizen_profile.gender, p.citizen_profile.birth_year, year=year) is None}
            assert found == expected, (open_to, low, high)


def test_the_resident_search_for_inviting_finds_no_man_for_a_women_only_initiative(app, world):
    client = client_for(app, world["contact"])
    for name in ("Hatice", "Mehmet"):
        page = client.get(f"/invitations/search/{world['sports'].id}?q={name}")
        assert page.status_code == 200
        assert (name in page.get_data(as_text=True).split("</form>")[-1]) == (name == "Hatice")


def test_initiative_form_without_the_question_keeps_everyone_and_refuses_a_made_up_group(app, db_session, world):
    client = client_for(app, world["contact"])
    path = f"/professionals/initiatives/{world['sports'].id}/edit"
    form = {"csrf_token": csrf_token(client, path), "title": "Sportief Samen", "description": "Sports.",
            "neighbourhood_id": str(world["sports"].neighbourhood_id), "schedule": ["tue-morning"],
            "hours_per_week": "2", "volunteers_min": "2", "volunteers_ideal": "5", "start_date": "2025-01-01"}
    assert client.post(path, data={**form, "open_to": "children"}).status_code == 422
    assert client.post(path, data=form).status_code == 302
    db_session.expire_all()
    assert db_session.get(Initiative, world["sports"].id).open_to == "everyone"


def test_api_search_open_to_me(app, db_session, world):
    headers = {name: factories.api_headers(db_session, world[name], actor=world[name]) for name in ("hatice", "mehmet")}
    db_session.commit()
    client = app.test_client()

    def titles(name, query):
        answer = client.get(f"/api/v1/initiatives{query}", headers=headers[name])
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [item["title"] for item in answer.get_json()["items"]]

    assert titles("mehmet", "") == ["Sportief Samen"]
    assert titles("mehmet", "?open_to_me=true") == []
    assert titles("hatice", "?open_to_me=true") == ["Sportief Samen"]
    assert client.get("/api/v1/initiatives?open_to_me=maybe", headers=headers["hatice"]).status_code == 422
