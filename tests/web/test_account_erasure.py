"""The "Erase my account" page: password, CSRF, roles; after it, the name is gone everywhere staff look."""

from __future__ import annotations

import pytest

from coprod_match.models import PlacementState, Role, User
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.factories import api_headers, client_for
from tests.outbox import outbox_rows
from tests.web.test_auth import register

PAGE = "/account/erase"


@pytest.fixture
def world(db_session, make_user):
    """Ayse used to help at the day care (ended) and still helps at the walks."""
    fatima = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    day_care = factories.day_care(db_session, contact=fatima)
    walks = factories.initiative(db_session, title="Walks", contact=fatima)
    ayse = make_user(Role.CITIZEN, name="Ayse Yilmaz", email="ayse@example.org")
    ended = factories.placement(db_session, ayse, day_care, PlacementState.ENDED, end_reason="no_time")
    factories.placement(db_session, ayse, walks)
    db_session.commit()
    return {"fatima": fatima, "day_care": day_care, "walks": walks, "ayse": ayse, "ended": ended}


def _erase(client, password: str = TEST_PASSWORD):
    return client.post(PAGE, data={"password": password, "csrf_token": csrf_token(client, PAGE)})


def _reload(db_session, user: User) -> User:
    db_session.expire_all()
    return db_session.get(User, user.id)


def test_anonymous_is_sent_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_page_says_what_happens(app, world):
    text = client_for(app, world["ayse"]).get(PAGE).get_data(as_text=True)
    assert "This cannot be undone" in text
    assert "You stop at the 1 initiative where you take part" in text
    assert 'name="password"' in text and 'autocomplete="current-password"' in text


def test_a_wrong_password_erases_nothing(app, db_session, world):
    response = _erase(client_for(app, world["ayse"]), "not my password")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "This is not your password. Nothing was erased." in text
    assert not _reload(db_session, world["ayse"]).is_erased


def test_an_empty_password_is_asked_for(app, db_session, world):
    response = _erase(client_for(app, world["ayse"]), "")
    assert response.status_code == 422 and "Fill in your password." in response.get_data(as_text=True)
    assert not _reload(db_session, world["ayse"]).is_erased


def test_without_csrf_nothing_is_erased(app, db_session, world):
    client = client_for(app, world["ayse"])
    response = client.post(PAGE, data={"password": TEST_PASSWORD})
    assert response.status_code in (400, 422)
    assert not _reload(db_session, world["ayse"]).is_erased


def test_staff_are_told_the_administrator_erases_them(app, db_session, world):
    client = client_for(app, world["fatima"])
    page = client.get(PAGE).get_data(as_text=True)
    assert "Staff accounts are erased by the administrator" in page and 'name="password"' not in page
    response = client.post(PAGE, data={"password": TEST_PASSWORD, "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403
    assert not _reload(db_session, world["fatima"]).is_erased


def test_erasing_logs_out_everywhere_and_staff_see_a_former_volunteer(app, db_session, world, auth):
    ayse = world["ayse"]
    other_device = client_for(app, ayse)
    headers = api_headers(db_session, ayse, actor=ayse)
    db_session.commit()
    client = client_for(app, ayse)
    response = _erase(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/erase/done")
    assert "Your account is erased" in client.get("/account/erase/done").get_data(as_text=True)
    # Logged out here and on the other device; the API token stops working.
    for device in (client, other_device):
        assert device.get("/citizens/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert _reload(db_session, ayse).is_erased
    # The old login fails like any wrong one.
    old_login = auth.login("ayse@example.org")
    assert old_login.status_code == 422 and "do not match an account" in old_login.get_data(as_text=True)
    # The professional's page for the day care: the ended place stays, without her name.
    manager = client_for(app, world["fatima"])
    page = manager.get(f"/professionals/initiatives/{world['day_care'].id}").get_data(as_text=True)
    assert "a former volunteer" in page and "Ayse" not in page
    factories.two_factor_on(db_session, world["fatima"])  # staff need it before the API shows residents
    headers = api_headers(db_session, world["fatima"], actor=world["fatima"])
    db_session.commit()
    api = app.test_client().get(f"/api/v1/placements/{world['ended'].id}", headers=headers)
    assert api.status_code == 200, api.get_json()
    assert api.get_json()["citizen"]["display_name"] == "a former volunteer"


def test_the_same_address_can_register_again(app, db_session, world, client):
    _erase(client_for(app, world["ayse"]))
    schilderswijk = factories.neighbourhood_named(db_session, "Schilderswijk")
    response = register(client, display_name="Ayse", email="ayse@example.org",
                        neighbourhood_id=str(schilderswijk.id), preferred_locale="nl")
    assert response.status_code == 302
    # A new sign-up link, not "someone tried to sign up with your address".
    assert [mail.kind for mail in outbox_rows(db_session, recipient="ayse@example.org")] == ["registration"]


def test_old_inbox_messages_say_a_former_volunteer(app, db_session, world):
    from coprod_match.models import Notification

    day_care = world["day_care"]
    db_session.add(Notification(user_id=world["fatima"].id, kind="invitation.accepted", payload={
        "initiative_id": day_care.id, "initiative_title": day_care.title, "citizen_name": "Ayse Yilmaz"}))
    db_session.commit()
    _erase(client_for(app, world["ayse"]))
    inbox = client_for(app, world["fatima"]).get("/inbox/").get_data(as_text=True)
    assert "a former volunteer said yes to" in inbox and "Ayse" not in inbox
