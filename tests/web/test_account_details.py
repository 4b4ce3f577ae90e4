"""Correcting one's account: name, phone and language at once; a new e-mail address only through a link mailed to it.

The e-mail flow runs end to end through a real SMTP server: the request
puts mails in the outbox, `deliver_outbox` sends them, the test follows the
link from the mail as its reader would.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.models import AuditEntry, Role, User
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.factories import client_for
from tests.outbox import deliver_outbox, outbox_rows
from tests.smtp_server import body_text


def save_details(client, **fields):
    data = {"display_name": "Ayse Yilmaz", "phone": "", "preferred_locale": "en",
            "csrf_token": csrf_token(client, "/account/details")}
    data.update(fields)
    return client.post("/account/details", data=data)


def ask_for_email_change(client, email: str, password: str = TEST_PASSWORD):
    return client.post("/account/email", data={"email": email, "password": password,
                                               "csrf_token": csrf_token(client, "/account/details")})


def mails_to(smtp_server, address: str) -> list:
    return [message for message in smtp_server.messages if message["To"] == address]


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+)", body_text(message))
    assert match, body_text(message)
    return match.group(1)


def audit_actions(db_session) -> list[str]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def ayse(make_user):
    return make_user(Role.CITIZEN, name="Ayse", email="ayse@example.org")


def test_name_phone_and_language_are_saved_and_audited_without_the_values(app, db_session, ayse):
    client = client_for(app, ayse)
    answer = save_details(client, display_name="Ayse Yilmaz", phone="+31 (0)70 123-4567", preferred_locale="nl")
    assert answer.status_code == 302
    db_session.expire_all()
    user = db_session.get(User, ayse.id)
    assert (user.display_name, user.phone, user.preferred_locale) == ("Ayse Yilmaz", "+31 (0)70 123-4567", "nl")
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.details_changed"))
    assert entry.entity_id == ayse.id and entry.details == {"fields": ["display_name", "phone", "preferred_locale"]}
    assert "Yilmaz" not in str(entry.details) and "4567" not in str(entry.details)
    # The page now speaks Dutch, and the phone number can be emptied again.
    assert "Je gegevens zijn opgeslagen" in client.get("/account/details").get_data(as_text=True)
    save_details(client, phone="")
    db_session.expire_all()
    assert db_session.get(User, ayse.id).phone is None


@pytest.mark.parametrize(("fields", "message"), [
    ({"display_name": ""}, "Fill in your name."),
    ({"display_name": "Ayse\r\nBcc: all@example.org"}, "Use one line, without line breaks"),
    ({"display_name": "x" * 500}, "Use at most 120 characters."),
    ({"phone": "call me maybe"}, "Use only digits, spaces and + - ( )."),
    ({"phone": "12"}, "Use only digits, spaces and + - ( )."),
    ({"phone": "06\t12345678"}, "Use one line, without line breaks"),
    ({"phone": "0" * 41}, "Use at most 40 characters."),
    ({"preferred_locale": "xx"}, "Not a valid choice"),
])
def test_bad_details_come_back_with_the_input_and_a_message_by_the_field(app, db_session, ayse, fields, message):
    answer = save_details(client_for(app, ayse), **fields)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and message in page
    assert 'aria-invalid="true"' in page
    db_session.expire_all()
    assert db_session.get(User, ayse.id).display_name == "Ayse"


def test_a_form_without_its_csrf_token_changes_nothing(app, db_session, ayse):
    answer = client_for(app, ayse).post("/account/details", data={"display_name": "Mallory", "preferred_locale": "en"})
    assert answer.status_code == 400
    db_session.expire_all()
    assert db_session.get(User, ayse.id).display_name == "Ayse"


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN])
def test_staff_correct_their_own_name_too(app, db_session, make_user, role):
    member = make_user(role, name="Old Name")
    assert save_details(client_for(app, member), display_name="New Name", phone="070 1234567").status_code == 302
    db_session.expire_all()
    assert db_session.get(User, member.id).display_name == "New Name"


def test_a_new_address_changes_only_when_the_link_mailed_to_it_is_opened(app, db_session, ayse, smtp_server):
    client = client_for(app, ayse)
    answer = ask_for_email_change(client, " Ayse.New@Example.org ")
    assert answer.status_code == 302
    assert "We sent a link to ayse.new@example.org" in client.get(answer.headers["Location"]).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse@example.org"  # not yet
    deliver_outbox()
    (mail,) = mails_to(smtp_server, "ayse.new@example.org")
    assert "Confirm your new e-mail address" in mail["Subject"]
    link = link_in(mail)

    # The link works on any device, logged in or not; opening it asks first (mail scanners only look).
    stranger = app.test_client()
    page = stranger.get(link)
    assert page.status_code == 200 and "ayse.new@example.org" in page.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse@example.org"
    done = stranger.post(link, data={"csrf_token": csrf_token(stranger, link)})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse.new@example.org"
    assert audit_actions(db_session)[-2:] == ["account.email_change_requested", "account.email_changed"]
    assert "ayse" not in str(db_session.scalars(sa.select(AuditEntry.details)).all())

    deliver_outbox()
    (notice,) = mails_to(smtp_server, "ayse@example.org")
    assert "was changed" in notice["Subject"] and "ayse.new@example.org" not in body_text(notice)
    # Used once: the address it was made for is gone, so the link no longer works.
    again = stranger.get(link)
    assert again.status_code == 400 and "This link does not work" in again.get_data(as_text=True)


def test_a_changed_or_old_link_is_refused_with_a_clear_message(app, db_session, ayse, smtp_server):
    client = client_for(app, ayse)
    ask_for_email_change(client, "ayse.new@example.org")
    deliver_outbox()
    link = link_in(mails_to(smtp_server, "ayse.new@example.org")[0])
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "This link does not work" in tampered.get_data(as_text=True)
    app.config["REGISTRATION_LINK_MAX_AGE"] = -1
    expired = client.get(link)
    assert expired.status_code == 400 and "Your e-mail address has not changed" in expired.get_data(as_text=True)
    assert client.post(link, data={"csrf_token": csrf_token(client, "/account/details")}).status_code == 400
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse@example.org"


def test_a_taken_address_is_not_revealed_and_its_owner_is_told(app, db_session, ayse, make_user, smtp_server):
    owner = make_user(Role.CITIZEN, name="Noor", email="noor@example.org")
    client = client_for(app, ayse)
    answers = []
    for address in ("NOOR@example.org", "free@example.org"):
        answer = ask_for_email_change(client, address)
        page = client.get(answer.headers["Location"]).get_data(as_text=True)
        answers.append((answer.status_code, re.sub(r'name="csrf_token"[^>]*|[a-z]+@example\.org', "", page)))
    assert answers[0] == answers[1]  # the same answer whether the address is taken or not
    assert [mail.kind for mail in outbox_rows(db_session)] == ["email_change_taken", "email_change"]
    deliver_outbox()
    (to_owner,) = mails_to(smtp_server, owner.email)
    assert "/account/email/confirm/" not in body_text(to_owner) and "Noor" in body_text(to_owner)
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse@example.org"
    assert db_session.get(User, owner.id).email == "noor@example.org"


def test_an_address_taken_after_the_link_was_sent_is_not_given_away(app, db_session, ayse, make_user, smtp_server):
    client = client_for(app, ayse)
    ask_for_email_change(client, "late@example.org")
    deliver_outbox()
    link = link_in(mails_to(smtp_server, "late@example.org")[0])
    make_user(Role.CITIZEN, email="late@example.org")
    assert client.get(link).status_code == 400
    db_session.expire_all()
    assert db_session.get(User, ayse.id).email == "ayse@example.org"


@pytest.mark.parametrize(("email", "password", "message"), [
    ("ayse.new@example.org", "not my password", "This is not your current password."),
    ("ayse@example.org", TEST_PASSWORD, "This is already your e-mail address."),
    ("not-an-address", TEST_PASSWORD, "This is not a valid e-mail address."),
    ("", TEST_PASSWORD, "Fill in your e-mail address."),
])
def test_a_wrong_request_for_a_new_address_sends_nothing(app, db_session, ayse, email, password, message):
    answer = ask_for_email_change(client_for(app, ayse), email, password)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert outbox_rows(db_session) == []


def test_the_details_pages_need_a_login(app):
    for path in ("/account/details",):
        answer = app.test_client().get(path)
        assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]
    assert app.test_client().post("/account/email", data={}).status_code in (302, 400)
