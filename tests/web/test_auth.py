"""Registration, login, logout and passwords through the real forms, with bad input."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.models import AuditEntry, Role, User
from coprod_match.services import accounts
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token, login_as
from tests.outbox import deliver_outbox, outbox_rows
from tests.smtp_server import body_text

GOOD_PASSWORD = "Zomeravond aan zee 7"


@pytest.fixture
def schilderswijk(db_session, reference_data):
    return factories.neighbourhood_named(db_session, "Schilderswijk")


def register(client, **fields):
    page = client.get("/auth/register").get_data(as_text=True)
    data = {
        "display_name": "Fatima",
        "email": "fatima@example.org",
        "neighbourhood_id": "",
        "preferred_locale": "en",
        "csrf_token": csrf_token(client, "/auth/register"),
        # The privacy statement, accepted in the version the form showed.
        "privacy_version": re.search(r'name="privacy_version" type="hidden" value="([0-9a-f]{64})"', page).group(1),
        "accept_privacy": "y",
    }
    data.update(fields)
    return client.post("/auth/register", data=data)


def user_count(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(User))


def _mail_link(message, path_start: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", body_text(message))
    assert match, body_text(message)
    return match.group(1)


def _mails_to(smtp_server, address: str) -> list:
    return [message for message in smtp_server.messages if message["To"] == address]


def test_sign_up_mails_a_link_that_finishes_the_account(client, db_session, schilderswijk, smtp_server):
    response = register(client, neighbourhood_id=str(schilderswijk.id), email=" Fatima@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/register/check-your-mail")
    assert "Check your mail" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert user_count(db_session) == 0  # nothing stored for an address nobody confirmed
    assert [mail.kind for mail in outbox_rows(db_session)] == ["registration"]
    assert smtp_server.messages == []  # the outbox job sends it, never the request
    deliver_outbox()
    (message,) = smtp_server.messages
    assert message["To"] == "fatima@example.org" and "Finish your" in message["Subject"]
    link = _mail_link(message, "/auth/register/finish/")

    page = client.get(link)
    assert page.status_code == 200 and "Hello Fatima" in page.get_data(as_text=True)
    done = client.post(link, data={"password": GOOD_PASSWORD, "csrf_token": csrf_token(client, link)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/citizens/account")
    user = db_session.scalar(sa.select(User).where(User.email == "fatima@example.org"))
    assert user.role == Role.CITIZEN and user.is_enabled and not user.is_pending
    assert user.citizen_profile.neighbourhood_id == schilderswijk.id
    assert user.password_hash.startswith("scrypt:") and GOOD_PASSWORD not in user.password_hash
    page = client.get("/citizens/account").get_data(as_text=True)
    assert "Hello Fatima" in page and "Schilderswijk" in page
    assert "account.registered" in db_session.scalars(sa.select(AuditEntry.action)).all()
    assert client.get(link).status_code == 400  # used: the address has an account now


def test_register_with_empty_fields_explains_each(client, db_session, reference_data):
    before = user_count(db_session)
    response = register(client, display_name="", email="", neighbourhood_id="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Fill in your name.", "Fill in your e-mail address.", "Choose your neighbourhood."):
        assert message in page
    assert user_count(db_session) == before and outbox_rows(db_session) == []


def test_a_taken_address_answers_like_a_new_one_and_its_owner_gets_a_mail(
        app, db_session, schilderswijk, make_user, smtp_server):
    owner = make_user(Role.CITIZEN, email="fatima@example.org")
    before = user_count(db_session)
    answers = []
    for email in ("FATIMA@Example.ORG", "someone.new@example.org"):
        client = app.test_client()
        response = register(client, email=email, neighbourhood_id=str(schilderswijk.id))
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"],
                        re.sub(r'name="csrf_token"[^>]*', "", page)))
    assert answers[0] == answers[1]  # status, where it leads and the page: all the same
    assert user_count(db_session) == before
    assert [mail.kind for mail in outbox_rows(db_session)] == ["registration_taken", "registration"]
    deliver_outbox()
    (to_owner,) = _mails_to(smtp_server, owner.email)
    assert "Someone tried to sign up" in to_owner["Subject"]
    assert "/auth/register/finish/" not in body_text(to_owner) and "/auth/password/forgot" in body_text(to_owner)
    assert _mails_to(smtp_server, "someone.new@example.org")
    db_session.expire_all()
    assert db_session.get(User, owner.id).password_hash == owner.password_hash  # nothing changed


def test_the_owner_signs_up_over_a_pending_account_which_becomes_theirs(
        client, db_session, schilderswijk, smtp_server):
    pending = factories.pending_citizen(db_session, email="sam@example.org", name="Sammy")
    db_session.commit()
    register(client, email="sam@example.org", display_name="Sam", neighbourhood_id=str(schilderswijk.id))
    db_session.expire_all()
    assert db_session.get(User, pending.id).is_pending  # nothing changes before the link is opened
    deliver_outbox()
    link = _mail_link(_mails_to(smtp_server, "sam@example.org")[0], "/auth/register/finish/")
    done = client.post(link, data={"password": GOOD_PASSWORD, "csrf_token": csrf_token(client, link)})
    assert done.status_code == 302
    db_session.expire_all()
    sam = db_session.get(User, pending.id)
    assert sam.is_enabled and not sam.is_pending and sam.display_name == "Sam"
    assert sam.citizen_profile.neighbourhood_id == schilderswijk.id
    assert accounts.authenticate(db_session, "sam@example.org", GOOD_PASSWORD) is sam
    assert user_count(db_session) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use between 10 and 200 characters."),
        ("wachtwoord123", "This password is too easy to guess."),
        ("aaaaaaaaaaaa", "This password is too easy to guess."),
        ("fatima-is-my-name", "Do not use your e-mail address in your password."),
    ],
)
def test_finishing_the_account_refuses_weak_passwords(client, db_session, schilderswijk, password, message):
    from coprod_match.services import registration

    registration.request_registration(db_session, email="fatima@example.org", display_name="Fatima",
                                      neighbourhood=schilderswijk, preferred_locale="en")
    db_session.commit()
    token = _token_from_outbox(db_session)
    link = f"/auth/register/finish/{token}"
    response = client.post(link, data={"password": password, "csrf_token": csrf_token(client, link)})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user_count(db_session) == 0


def _token_from_outbox(db_session) -> str:
    import email
    import email.policy

    (mail,) = outbox_rows(db_session, kind="registration")
    message = email.message_from_bytes(mail.message, policy=email.policy.default)
    return _mail_link(message, "/auth/register/finish/").rsplit("/", 1)[1]


def test_changed_and_old_sign_up_links_are_refused(app, client, db_session, schilderswijk):
    from coprod_match.services import registration

    registration.request_registration(db_session, email="fatima@example.org", display_name="Fatima",
                                      neighbourhood=schilderswijk, preferred_locale="en")
    db_session.commit()
    token = _token_from_outbox(db_session)
    assert client.get(f"/auth/register/finish/{token[:-2]}xx").status_code == 400
    app.config["REGISTRATION_LINK_MAX_AGE"] = -1
    assert client.get(f"/auth/register/finish/{token}").status_code == 400


def test_a_name_with_a_line_break_is_refused(client, db_session, schilderswijk):
    response = register(client, display_name="Fatima\r\nBcc: all@example.org", neighbourhood_id=str(schilderswijk.id))
    assert response.status_code == 422
    assert "Use one line, without line breaks" in response.get_data(as_text=True)
    assert outbox_rows(db_session) == []


def test_register_with_a_very_long_name(client, db_session, schilderswijk):
    before = user_count(db_session)
    response = register(client, display_name="x" * 10_000, neighbourhood_id=str(schilderswijk.id))
    assert response.status_code == 422
    assert "Use at most 120 characters." in response.get_data(as_text=True)
    assert user_count(db_session) == before


def test_register_with_unknown_neighbourhood_or_junk(client, schilderswijk):
    for value in ("999999", "abc", "-1"):
        response = register(client, neighbourhood_id=value)
        assert response.status_code == 422
        assert "Choose your neighbourhood." in response.get_data(as_text=True)


def test_register_with_a_wrong_csrf_token(client, db_session, schilderswijk):
    before = user_count(db_session)
    response = register(client, csrf_token="forged", neighbourhood_id=str(schilderswijk.id))
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert user_count(db_session) == before


def login(client, email, password):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/auth/login")},
    )


def test_login_and_logout(client, auth, make_user, db_session):
    user = make_user(Role.PROFESSIONAL, email="nurse@example.org")
    response = login(client, "Nurse@Example.org", TEST_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/professionals/")
    db_session.expire_all()
    assert db_session.get(User, user.id).last_login_at is not None
    assert client.get("/professionals/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/professionals/").status_code == 302


def test_login_bad_input(client, make_user):
    make_user(Role.CITIZEN, email="sara@example.org")
    empty = login(client, "", "")
    assert empty.status_code == 422
    assert "Fill in your e-mail address." in empty.get_data(as_text=True)
    assert "Fill in your password." in empty.get_data(as_text=True)
    wrong = login(client, "sara@example.org", "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    for response in (wrong, unknown):  # the same answer: it must not reveal who has an account
        assert response.status_code == 422
        assert "do not match an account" in response.get_data(as_text=True)
    huge = login(client, "a" * 10_000 + "@example.org", "p" * 10_000)
    assert huge.status_code == 422
    forged = client.post("/auth/login", data={"email": "sara@example.org", "password": TEST_PASSWORD,
                                              "csrf_token": "forged"})
    assert forged.status_code == 400


def test_disabled_account_cannot_log_in(client, make_user):
    make_user(Role.CITIZEN, email="gone@example.org", is_enabled=False)
    assert login(client, "gone@example.org", TEST_PASSWORD).status_code == 422


def test_login_next_only_redirects_within_the_site(client, make_user):
    make_user(Role.ADMIN, email="admin@example.org")
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login?next=https://evil.example/x",
                           data={"email": "admin@example.org", "password": TEST_PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/admin/users")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login?next=/admin/neighbourhoods",
                           data={"email": "admin@example.org", "password": TEST_PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/admin/neighbourhoods")


def test_change_password(client, make_user, db_session):
    user = make_user(Role.COORDINATOR)
    login_as(client, user)
    token = csrf_token(client, "/auth/password")
    wrong = client.post("/auth/password", data={"current_password": "wrong one!!", "password": GOOD_PASSWORD,
                                                "confirm": GOOD_PASSWORD, "csrf_token": token})
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.get_data(as_text=True)
    mismatch = client.post("/auth/password", data={"current_password": TEST_PASSWORD, "password": GOOD_PASSWORD,
                                                   "confirm": GOOD_PASSWORD + "x", "csrf_token": token})
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    ok = client.post("/auth/password", data={"current_password": TEST_PASSWORD, "password": GOOD_PASSWORD,
                                             "confirm": GOOD_PASSWORD, "csrf_token": token})
    assert ok.status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, user.email, TEST_PASSWORD).status_code == 422
    assert login(client, user.email, GOOD_PASSWORD).status_code == 302


def _reset_link(message) -> str:
    return _mail_link(message, "/auth/password/reset/")


def test_password_reset_by_mail(app, client, make_user, smtp_server, db_session):
    user = make_user(Role.CITIZEN, email="amal@example.org", locale="nl")
    token = csrf_token(client, "/auth/password/forgot")
    response = client.post("/auth/password/forgot", data={"email": "AMAL@example.org", "csrf_token": token})
    assert response.status_code == 302
    # No mail server is contacted in the request: the mail waits in the outbox for the job.
    assert smtp_server.messages == []
    assert [(mail.kind, mail.status) for mail in outbox_rows(db_session)] == [("password_reset", "pending")]
    assert deliver_outbox()["sent"] == 1
    message = smtp_server.messages[0]
    assert message["To"] == "amal@example.org"
    assert message.get_body(preferencelist=("html",)) is not None
    assert app.config["PUBLIC_BASE_URL"] + "/auth/password/reset/" in body_text(message)
    assert outbox_rows(db_session)[0].message is None  # the link is a secret: gone once sent
    link = _reset_link(message)

    page = client.get(link)
    assert page.status_code == 200
    form_token = csrf_token(client, link)
    done = client.post(link, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "csrf_token": form_token})
    assert done.status_code == 302
    assert login(client, user.email, GOOD_PASSWORD).status_code == 302
    # Used once: the link no longer works.
    assert client.get(link).status_code == 400


def test_password_reset_for_unknown_address_looks_the_same(client, smtp_server, reference_data, db_session):
    token = csrf_token(client, "/auth/password/forgot")
    response = client.post("/auth/password/forgot", data={"email": "nobody@example.org", "csrf_token": token})
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "If there is an account with this e-mail address" in follow
    assert outbox_rows(db_session) == []


def test_the_owner_resets_over_a_pending_account_which_becomes_theirs(client, db_session, smtp_server):
    pending = factories.pending_citizen(db_session, email="sam@example.org", name="Sam")
    db_session.commit()
    client.post("/auth/password/forgot", data={"email": "sam@example.org",
                                               "csrf_token": csrf_token(client, "/auth/password/forgot")})
    deliver_outbox()
    link = _reset_link(_mails_to(smtp_server, "sam@example.org")[0])
    done = client.post(link, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD,
                                   "csrf_token": csrf_token(client, link)})
    assert done.status_code == 302
    db_session.expire_all()
    sam = db_session.get(User, pending.id)
    assert sam.is_enabled and not sam.is_pending
    assert login(client, "sam@example.org", GOOD_PASSWORD).status_code == 302
    assert client.get(link).status_code == 400


def test_tampered_and_expired_reset_links_are_refused(app, client, make_user, smtp_server):
    from coprod_match.services.accounts import make_password_reset_token

    user = make_user(Role.CITIZEN)
    token = make_password_reset_token(user, app.config["SECRET_KEY"])
    assert client.get(f"/auth/password/reset/{token[:-2]}xx").status_code == 400
    other_key = make_password_reset_token(user, "another-secret-key")
    assert client.get(f"/auth/password/reset/{other_key}").status_code == 400
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(f"/auth/password/reset/{token}").status_code == 400
