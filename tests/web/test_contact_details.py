"""Contact details by choice: staff's work details reach their participants; residents choose what to share."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.models import AuditEntry, PlacementState, Role, User
from coprod_match.schedule import slots_to_mask
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for

S = PlacementState


@pytest.fixture
def people(make_user):
    return {
        "resident": make_user(Role.CITIZEN, name="Amina", email="amina@example.org", phone="06 12345678"),
        "applicant": make_user(Role.CITIZEN, name="Bram", phone="06 99999999", shares_phone=True),
        "contact": make_user(Role.PROFESSIONAL, name="Fatima", phone="070 1234567",
                             work_email="fatima@buurtzorg.example", organisation="Buurtzorg"),
        "other_contact": make_user(Role.PROFESSIONAL, name="Kees"),
    }


@pytest.fixture
def sports(db_session, people):
    sports = factories.initiative(db_session, title="Sportief Samen", neighbourhood="Transvaal",
                                  location="Gymzaal Hoefkade 20", contact=people["contact"],
                                  schedule_slots=slots_to_mask([("tue", "morning"), ("thu", "evening")]))
    db_session.commit()
    return sports


def save_details(client, **fields):
    token = csrf_token(client, "/account/details")
    data = {"display_name": fields.pop("display_name", "Name"), "preferred_locale": "en", "csrf_token": token,
            **fields}
    return client.post("/account/details", data=data)


def test_a_resident_shares_nothing_until_they_choose(app, db_session, people):
    page = client_for(app, people["resident"]).get("/account/details").get_data(as_text=True)
    assert "What the contact persons of your initiatives may see" in page
    assert 'name="shares_phone"' in page and "checked" not in page.split('name="shares_phone"')[1][:40]
    assert 'name="work_email"' not in page
    assert people["resident"].shares_phone is False and people["resident"].shares_email is False


def test_a_resident_chooses_phone_and_can_take_it_back(app, db_session, people):
    client = client_for(app, people["resident"])
    answer = save_details(client, display_name="Amina", phone="06 12345678", shares_phone="y")
    assert answer.status_code == 302
    db_session.expire_all()
    resident = db_session.get(User, people["resident"].id)
    assert resident.shares_phone and not resident.shares_email
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.details_changed"))
    assert entry.details["fields"] == ["shares_phone"]  # names of fields, never the values
    save_details(client, display_name="Amina", phone="06 12345678")
    db_session.expire_all()
    assert db_session.get(User, people["resident"].id).shares_phone is False


def test_staff_give_a_work_email_and_organisation(app, db_session, people):
    client = client_for(app, people["other_contact"])
    page = client.get("/account/details").get_data(as_text=True)
    assert 'name="work_email"' in page and 'name="shares_phone"' not in page
    answer = save_details(client, display_name="Kees", phone="070 7654321", work_email="Kees@Wijkteam.example",
                          organisation="Wijkteam Centrum")
    assert answer.status_code == 302
    db_session.expire_all()
    kees = db_session.get(User, people["other_contact"].id)
    assert (kees.work_email, kees.organisation, kees.phone) == ("kees@wijkteam.example", "Wijkteam Centrum",
                                                                "070 7654321")


@pytest.mark.parametrize("fields, message", [
    ({"work_email": "not an address"}, "This is not a valid e-mail address"),
    ({"organisation": "x" * 161}, "Use at most 160 characters."),
])
def test_bad_work_details_show_again_beside_the_field(app, db_session, people, fields, message):
    answer = save_details(client_for(app, people["other_contact"]), display_name="Kees", **fields)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and message in page and next(iter(fields.values())) in page


def test_my_initiatives_shows_contact_place_and_times(app, db_session, people, sports):
    factories.placement(db_session, people["resident"], sports, S.ACTIVE)
    db_session.commit()
    page = client_for(app, people["resident"]).get("/citizens/initiatives").get_data(as_text=True)
    for text in ("Fatima", "Buurtzorg", "070 1234567", 'href="tel:0701234567"', "fatima@buurtzorg.example",
                 "Gymzaal Hoefkade 20, Transvaal", "Tuesday morning and Thursday evening",
                 "Send a message to the contact person"):
        assert text in page, text


def test_every_page_names_times_in_one_wording(app, db_session, people, sports):
    """The same words as the candidates and plan pages (matching/texts.py): "dinsdagochtend", not "Dinsdag ochtend"."""
    resident = people["resident"]
    resident.preferred_locale = "nl"
    factories.profile(resident, availability_slots=slots_to_mask([("tue", "morning")]))
    factories.placement(db_session, resident, sports, S.ACTIVE)
    db_session.commit()
    client = client_for(app, resident)
    for path in ("/citizens/initiatives", f"/initiatives/{sports.id}"):
        page = client.get(path).get_data(as_text=True)
        # The detail page lists each part of the day on its own line, beside its pictogram.
        assert "dinsdagochtend" in page and "donderdagavond" in page, path
        assert "Dinsdag ochtend" not in page, path
    assert "dinsdagochtend en donderdagavond" in client.get("/citizens/initiatives").get_data(as_text=True)
    assert "dinsdagochtend" in client.get("/account/my-data").get_data(as_text=True)


def test_a_contact_without_details_is_reached_by_message(app, db_session, people, sports):
    quiet = factories.initiative(db_session, title="Taalcafé", contact=people["other_contact"])
    factories.placement(db_session, people["resident"], quiet, S.APPLIED)
    db_session.commit()
    page = client_for(app, people["resident"]).get("/citizens/initiatives").get_data(as_text=True)
    assert "Kees" in page and "tel:" not in page and "By appointment" in page
    assert "Send a message to the contact person" in page


def test_the_manage_page_shows_what_accepted_residents_share_and_logs_it(app, db_session, people, sports):
    resident = people["resident"]
    resident.shares_phone = resident.shares_email = True
    active = factories.placement(db_session, resident, sports, S.ACTIVE)
    factories.placement(db_session, people["applicant"], sports, S.APPLIED)  # shares, but not accepted yet
    db_session.commit()
    page = client_for(app, people["contact"]).get(f"/professionals/initiatives/{sports.id}").get_data(as_text=True)
    assert "06 12345678" in page and "amina@example.org" in page
    assert "06 99999999" not in page
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "contact_details.viewed")).all()
    assert [entry.resident_ids for entry in looks] == [[resident.id]] and looks[0].entity_id == sports.id

    resident.shares_phone = resident.shares_email = False
    db_session.commit()
    page = client_for(app, people["contact"]).get(f"/professionals/initiatives/{sports.id}").get_data(as_text=True)
    assert "06 12345678" not in page and "amina@example.org" not in page
    assert "Only messages through this site" in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "contact_details.viewed")) == 1
    assert active.id  # the placement the page listed


def test_another_professional_never_sees_shared_details(app, db_session, people, sports):
    people["resident"].shares_phone = True
    factories.placement(db_session, people["resident"], sports, S.ACTIVE)
    db_session.commit()
    answer = client_for(app, people["other_contact"]).get(f"/professionals/initiatives/{sports.id}")
    assert answer.status_code == 404 and "06 12345678" not in answer.get_data(as_text=True)
