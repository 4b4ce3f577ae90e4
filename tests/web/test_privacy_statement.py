"""The privacy statement: a public page per language with its version, accepted at sign-up, and asked
for again at the next login (staff too) once the statement has a new version."""

from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from coprod_match.models import Consent, ConsentKind, Role, User
from coprod_match.services import consents
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

OLD_VERSION = hashlib.sha256(b"an older privacy statement").hexdigest()
VERSION = re.compile(r"Version: ([0-9a-f]{12})|Versie: ([0-9a-f]{12})")


@pytest.fixture
def app_config_overrides():
    return {"PRIVACY_ACCEPTANCE_REQUIRED": True}


def _version_on(page: str) -> str:
    match = VERSION.search(page)
    assert match, page
    return match.group(1) or match.group(2)


def _statement_records(db_session, user: User) -> list[Consent]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Consent).where(
        Consent.user_id == user.id, Consent.kind == ConsentKind.PRIVACY_STATEMENT).order_by(Consent.id)))


def test_the_statement_is_public_in_every_language_with_its_own_version(client, reference_data):
    english = client.get("/privacy")
    assert english.status_code == 200
    text = english.get_data(as_text=True)
    for heading in ("Who is responsible", "Which data we keep", "The legal basis", "Who can see your data",
                    "How long we keep it", "Your rights", "Contact"):
        assert heading in text
    assert "Municipality of The Hague" in text and "Last changed on 1 December 2026" in text
    dutch = client.get("/privacy", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Wie is verantwoordelijk" in dutch and "Gemeente Den Haag" in dutch
    assert _version_on(text) != _version_on(dutch)  # a version per language: the hash of that text
    assert _version_on(text) == _version_on(client.get("/privacy").get_data(as_text=True))  # stable
    # Linked from every page's footer and from the sign-up form.
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in client.get("/auth/register").get_data(as_text=True)


def _register(client, neighbourhood_id: int, *, accept: bool, version: str | None = None):
    page = client.get("/auth/register").get_data(as_text=True)
    shown = re.search(r'name="privacy_version" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    data = {"display_name": "Fatima", "email": "fatima@example.org", "neighbourhood_id": str(neighbourhood_id),
            "preferred_locale": "en", "csrf_token": csrf_token(client, "/auth/register"),
            "privacy_version": version or shown}
    if accept:
        data["accept_privacy"] = "y"
    return client.post("/auth/register", data=data), shown


def test_signing_up_needs_the_statement_accepted_and_records_its_version(client, db_session, reference_data,
                                                                          smtp_server):
    schilderswijk = factories.neighbourhood_named(db_session, "Schilderswijk")
    refused, _shown = _register(client, schilderswijk.id, accept=False)
    assert refused.status_code == 422
    assert "Please accept the privacy statement" in refused.get_data(as_text=True)
    stale, _shown = _register(client, schilderswijk.id, accept=True, version=OLD_VERSION)
    assert stale.status_code == 422 and "changed while you were reading" in stale.get_data(as_text=True)
    deliver_outbox()
    assert smtp_server.messages == []

    sent, shown = _register(client, schilderswijk.id, accept=True)
    assert sent.status_code == 302
    deliver_outbox()
    (message,) = smtp_server.messages
    link = re.search(r"https?://[^/\s]+(/auth/register/finish/\S+)", body_text(message)).group(1)
    done = client.post(link, data={"password": "Zomeravond aan zee 7", "csrf_token": csrf_token(client, link)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/citizens/account")
    user = db_session.scalar(sa.select(User).where(User.email == "fatima@example.org"))
    (record,) = _statement_records(db_session, user)
    assert (record.version, record.locale, record.source, record.granted) == (shown, "en", "self", True)
    # Accepted at sign-up: the gate lets the new resident straight on.
    assert client.get("/citizens/account").status_code == 200


def _log_in(client, email: str):
    return client.post("/auth/login", data={"email": email, "password": TEST_PASSWORD,
                                            "csrf_token": csrf_token(client, "/auth/login")})


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PROFESSIONAL])
def test_a_new_version_is_asked_for_at_the_next_login_before_anything_else(app, db_session, make_user, role):
    person = make_user(role, email="person@example.org")
    # They accepted an older text of the statement.
    consents.accept_privacy_statement(db_session, person, consents.TextShown(OLD_VERSION, "en"))
    db_session.commit()
    client = app.test_client()

    logged_in = _log_in(client, "person@example.org")
    assert logged_in.status_code == 302
    wanted = logged_in.headers["Location"]
    gated = client.get(wanted)
    assert gated.status_code == 302 and gated.headers["Location"].endswith("/privacy/accept")
    assert client.get("/inbox/").headers["Location"].endswith("/privacy/accept")
    # Reading the statement itself and logging out stay open.
    assert client.get("/privacy").status_code == 200

    page = client.get("/privacy/accept")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "has changed since you last accepted it" in text
    shown = re.search(r'name="version" type="hidden" value="([0-9a-f]{64})"', text).group(1)
    token = csrf_token(client, "/privacy/accept")
    not_ticked = client.post("/privacy/accept", data={"csrf_token": token, "version": shown})
    assert not_ticked.status_code == 422 and "Please accept the privacy statement" in not_ticked.get_data(as_text=True)
    stale = client.post("/privacy/accept", data={"csrf_token": token, "version": OLD_VERSION, "accept": "y"})
    assert stale.status_code == 422
    assert [r.version for r in _statement_records(db_session, person)] == [OLD_VERSION]

    accepted = client.post("/privacy/accept", data={"csrf_token": token, "version": shown, "accept": "y"})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/inbox/"  # on to where they were going
    assert client.get(wanted).status_code == 200
    assert [r.version for r in _statement_records(db_session, person)] == [OLD_VERSION, shown]
    assert "You accepted this version on" in client.get("/privacy").get_data(as_text=True)

    # The next login is not asked again.
    again = app.test_client()
    assert _log_in(again, "person@example.org").status_code == 302
    assert again.get(wanted).status_code == 200


def test_someone_who_never_accepted_is_asked_too_and_the_api_says_why(app, db_session, make_user):
    citizen = make_user(Role.CITIZEN)
    headers = factories.api_headers(db_session, citizen, actor=citizen)
    db_session.commit()
    client = app.test_client()
    _log_in(client, citizen.email)
    assert client.get("/citizens/account").headers["Location"].endswith("/privacy/accept")
    page = client.get("/privacy/accept").get_data(as_text=True)
    assert "Before you go on, please read how we handle your data" in page

    answer = app.test_client().get("/api/v1/me", headers=headers)
    assert answer.status_code == 403
    assert answer.get_json()["type"] == "urn:coprod-match:problem:privacy-statement-required"

    consents.accept_privacy_statement(db_session, citizen, _current(client))
    db_session.commit()
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/citizens/account").status_code == 200


def _current(client) -> consents.TextShown:
    page = client.get("/privacy/accept").get_data(as_text=True)
    return consents.TextShown(re.search(r'name="version" type="hidden" value="([0-9a-f]{64})"', page).group(1), "en")
