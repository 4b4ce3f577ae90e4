"""An administrator corrects an account: name, phone, language, organisation; a new address by its owner's link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.models import AuditEntry, Role, User
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Ada Admin", email="ada@example.org")


def _correct(client, user_id: int, **fields):
    data = {"display_name": "Piet Jansen", "phone": "", "preferred_locale": "en", "organisation": "", "email": "",
            "csrf_token": csrf_token(client, f"/admin/users/{user_id}/edit")}
    data.update(fields)
    return client.post(f"/admin/users/{user_id}/edit", data=data)


def _audits(db_session, action: str) -> list[AuditEntry]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_the_account_page_offers_the_correction_form_with_the_current_details(app, make_user, admin):
    piet = make_user(Role.PROFESSIONAL, name="Piet", email="piet@example.org", phone="070 1234567",
                     organisation="Wijkteam")
    client = client_for(app, admin)
    assert f'href="/admin/users/{piet.id}/edit"' in client.get(f"/admin/users/{piet.id}").get_data(as_text=True)
    form = client.get(f"/admin/users/{piet.id}/edit").get_data(as_text=True)
    assert 'value="Piet"' in form and 'value="070 1234567"' in form and 'value="Wijkteam"' in form
    assert "piet@example.org" in form


def test_name_phone_language_and_organisation_are_corrected_and_audited_without_values(
        app, db_session, make_user, admin):
    piet = make_user(Role.PROFESSIONAL, name="Piet", email="piet@example.org", organisation="Wijkteam")
    answer = _correct(client_for(app, admin), piet.id, display_name="Piet Jansen", phone="06 12345678",
                      preferred_locale="nl", organisation="Xtra Welzijn")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/admin/users/{piet.id}")
    db_session.expire_all()
    user = db_session.get(User, piet.id)
    assert (user.display_name, user.phone, user.preferred_locale, user.organisation) == (
        "Piet Jansen", "06 12345678", "nl", "Xtra Welzijn")
    entries = _audits(db_session, "account.details_changed")
    assert [entry.actor_id for entry in entries] == [admin.id, admin.id]
    assert sorted(field for entry in entries for field in entry.details["fields"]) == [
        "display_name", "organisation", "phone", "preferred_locale"]
    assert "Xtra" not in str([entry.details for entry in entries])


def test_a_residents_details_are_corrected_and_the_look_is_logged(app, db_session, make_user, admin):
    ayse = make_user(Role.CITIZEN, name="Ayse", email="ayse@example.org")
    client = client_for(app, admin)
    assert client.get(f"/admin/users/{ayse.id}/edit").status_code == 200
    assert [look.resident_ids for look in _audits(db_session, "admin.account_viewed")] == [[ayse.id]]
    assert _correct(client, ayse.id, display_name="Ayse Yilmaz").status_code == 302
    db_session.expire_all()
    assert db_session.get(User, ayse.id).display_name == "Ayse Yilmaz"


def test_bad_input_comes_back_beside_the_field_and_changes_nothing(app, db_session, make_user, admin):
    piet = make_user(Role.PROFESSIONAL, name="Piet", email="piet@example.org")
    client = client_for(app, admin)
    answer = _correct(client, piet.id, display_name="", phone="call me", email="not-an-address")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Fill in your name." in text and "Use only digits" in text and "This is not a valid e-mail address" in text
    assert 'value="call me"' in text
    db_session.expire_all()
    assert db_session.get(User, piet.id).display_name == "Piet"


def test_a_new_address_changes_only_when_its_owner_opens_the_link(app, db_session, make_user, admin, smtp_server):
    piet = make_user(Role.PROFESSIONAL, name="Piet", email="piet@example.org")
    answer = _correct(client_for(app, admin), piet.id, display_name="Piet", email="Piet.New@Example.org")
    assert answer.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, piet.id).email == "piet@example.org"
    [requested] = _audits(db_session, "account.email_change_requested")
    assert requested.actor_id == admin.id and requested.entity_id == piet.id
    deliver_outbox()
    [mail] = [m for m in smtp_server.messages if m["To"] == "piet.new@example.org"]
    link = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+)", body_text(mail)).group(1)
    owner = client_for(app, piet)
    confirmed = owner.post(link, data={"csrf_token": csrf_token(owner, link)})
    assert confirmed.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, piet.id).email == "piet.new@example.org"


def test_residents_have_no_organisation(app, db_session, make_user, admin):
    ayse = make_user(Role.CITIZEN, name="Ayse")
    answer = _correct(client_for(app, admin), ayse.id, display_name="Ayse", organisation="Club")
    assert answer.status_code == 422 and "Residents have no organisation." in answer.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, ayse.id).organisation is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.CITIZEN])
def test_only_administrators_correct_accounts(app, db_session, make_user, admin, role):
    piet = make_user(Role.PROFESSIONAL, name="Piet")
    client = client_for(app, make_user(role))
    assert client.get(f"/admin/users/{piet.id}/edit").status_code == 403
    token = csrf_token(client, "/auth/password")
    answer = client.post(f"/admin/users/{piet.id}/edit", data={"csrf_token": token, "display_name": "Hacked",
                                                               "preferred_locale": "en"})
    assert answer.status_code == 403
    db_session.expire_all()
    assert db_session.get(User, piet.id).display_name == "Piet"
    assert _audits(db_session, "account.details_changed") == []


def test_without_the_csrf_token_nothing_changes(app, db_session, make_user, admin):
    piet = make_user(Role.PROFESSIONAL, name="Piet")
    answer = client_for(app, admin).post(f"/admin/users/{piet.id}/edit",
                                         data={"display_name": "Other", "preferred_locale": "en"})
    assert answer.status_code in (400, 422)
    db_session.expire_all()
    assert db_session.get(User, piet.id).display_name == "Piet"


def test_an_unknown_or_erased_account_is_not_corrected(app, db_session, make_user, admin):
    client = client_for(app, admin)
    assert client.get("/admin/users/999999/edit").status_code == 404
    gone = make_user(Role.PROFESSIONAL, name="Gone")
    from coprod_match.services.account_admin import erase_by_admin

    erase_by_admin(db_session, gone, actor=admin)
    db_session.commit()
    answer = _correct(client, gone.id, display_name="Back again")
    assert answer.status_code == 422 and "This account is erased" in answer.get_data(as_text=True)
