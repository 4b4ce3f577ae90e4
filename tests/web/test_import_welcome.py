"""Imported residents are invisible until they confirm through the welcome mail (the issue's Must show).

Both sides: after the import a professional finds them neither in the
resident search nor among an initiative's candidates; each gets a welcome
mail in their language; once one confirms (password, statement, yes to
invitations) they show up in both; one who says no stays out of both, and
"asked in person" cannot override that. Unconfirmed accounts go with the
daily privacy_purge job after the link lapses, or at once when the resident asks.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa

from coprod_match.models import Consent, Role, User
from coprod_match.services import consents
from coprod_match.services.retention import RetentionPeriods, purge
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

CSV = (
    b"email,name,neighbourhood,preferred_locale,languages,availability,consent_to_contact\n"
    b"hatice@example.org,Hatice Kaya,Transvaal,nl,tr:native,tue-morning,yes\n"
    b"emre@example.org,Emre Demir,Schilderswijk,en,tr:native,tue-morning,yes\n"
)
PASSWORD = "Een lange wandeling in Transvaal 7"


@pytest.fixture
def app_config_overrides():
    # Only the change log written by each service can explain what the next request shows.
    return {"MATCHING_SNAPSHOT_SECONDS": 3600}


@pytest.fixture
def world(db_session, make_user):
    people = factories.invitation_world(db_session, make_user)  # Ayse consented: the pages' control
    people["importer"] = make_user(Role.COORDINATOR, organisation="Wijkteam Transvaal")
    return people


def _import(app, world) -> None:
    client = client_for(app, world["importer"])
    answer = client.post("/transfers/", data={"kind": "citizens", "csrf_token": csrf_token(client, "/transfers/"),
                                              "file": (io.BytesIO(CSV), "residents.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert "They stay invisible until they confirm" in client.get("/transfers/").get_data(as_text=True)


def _user(db_session, email: str) -> User:
    db_session.expire_all()
    return db_session.scalar(sa.select(User).where(User.email == email))


def _search(app, world, words: str) -> list[str]:
    """The names the professional's resident search finds."""
    page = client_for(app, world["contact"]).get(f"/invitations/search/{world['day_care'].id}?q={words}")
    assert page.status_code == 200
    return re.findall(r'<a href="/invitations/citizens/\d+">([^<]+)</a>', page.get_data(as_text=True))


def _candidates(app, world) -> str:
    page = client_for(app, world["contact"]).get(f"/matching/initiatives/{world['day_care'].id}/candidates")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _welcome_links(smtp_server) -> dict[str, tuple[str, str]]:
    deliver_outbox()
    links = {}
    for message in smtp_server.messages:
        match = re.search(r"https?://[^/\s]+(/welcome/\S+)", body_text(message))
        assert match, body_text(message)
        links[message["To"]] = (str(message["Subject"]), match.group(1))
    return links


def _confirm(client, path: str, *, invitations: str):
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]{64})"', text).group(1)
    return client.post(path, data={"csrf_token": csrf_token(client, path), "password": PASSWORD,
                                   "version": version, "accept": "y", "invitations": invitations}), text


def test_imported_residents_are_invisible_until_they_confirm(app, db_session, world, smtp_server):
    _import(app, world)
    hatice, emre = _user(db_session, "hatice@example.org"), _user(db_session, "emre@example.org")
    for person in (hatice, emre):
        assert person.is_pending and not person.is_enabled and person.password_hash is None
        assert not person.citizen_profile.consent_to_contact
        (record,) = db_session.scalars(sa.select(Consent).where(Consent.user_id == person.id)).all()
        assert (record.source, record.granted, record.organisation, record.recorded_by_id) == (
            "imported", True, "Wijkteam Transvaal", world["importer"].id)

    # The professional's side: the search and the candidates show Ayse (who agreed), not them.
    assert _search(app, world, "Ayse") == ["Ayse"]
    assert _search(app, world, "Hatice") == [] and _search(app, world, "Emre") == []
    candidates = _candidates(app, world)
    assert "Ayse" in candidates and "Hatice" not in candidates and "Emre" not in candidates

    # Each got a welcome mail in their own language.
    links = _welcome_links(smtp_server)
    assert links["hatice@example.org"][0] == "Uw account op coprod-match: bevestig het alstublieft"
    assert links["emre@example.org"][0] == "Your account on coprod-match: please confirm it"

    # Hatice confirms and says yes: the page speaks Dutch, and now she can be found.
    visitor = app.test_client()
    done, page = _confirm(visitor, links["hatice@example.org"][1], invitations="yes")
    assert "Welkom, Hatice Kaya" in page and "Privacyverklaring" in page
    assert done.status_code == 302 and done.headers["Location"].endswith("/citizens/profile")
    assert visitor.get("/citizens/profile").status_code == 200  # logged in
    hatice = _user(db_session, "hatice@example.org")
    assert hatice.is_enabled and not hatice.is_pending and hatice.citizen_profile.consent_to_contact
    own = {(r.kind, r.source, r.granted, r.locale) for r in db_session.scalars(
        sa.select(Consent).where(Consent.user_id == hatice.id, Consent.source == "self"))}
    assert own == {("privacy_statement", "self", True, "nl"), ("invitations", "self", True, "nl")}
    assert consents.invitations_answer(db_session, hatice) is True
    assert _search(app, world, "Hatice") == ["Hatice Kaya"]
    assert "Hatice" in _candidates(app, world)
    assert visitor.get(links["hatice@example.org"][1]).status_code == 400  # the link worked once

    # Emre confirms but says no: his account works, and no professional finds or invites him.
    done, _page = _confirm(app.test_client(), links["emre@example.org"][1], invitations="no")
    assert done.status_code == 302
    emre = _user(db_session, "emre@example.org")
    assert emre.is_enabled and not emre.citizen_profile.consent_to_contact
    assert consents.invitations_answer(db_session, emre) is False  # an explicit no
    assert _search(app, world, "Emre") == [] and "Emre" not in _candidates(app, world)
    professional = client_for(app, world["contact"])
    path = f"/invitations/by-email/{world['day_care'].id}"
    refused = professional.post(path, data={"csrf_token": csrf_token(professional, path), "display_name": "Emre",
                                            "email": "emre@example.org", "preferred_locale": "en",
                                            "message": "", "asked_in_person": "y"})
    assert refused.status_code == 409 and "said no to personal invitations" in refused.get_data(as_text=True)


def test_a_weak_password_or_no_answer_keeps_the_form_and_the_account_pending(app, db_session, world, smtp_server):
    _import(app, world)
    path = _welcome_links(smtp_server)["emre@example.org"][1]
    client = app.test_client()
    text = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]{64})"', text).group(1)
    answer = client.post(path, data={"csrf_token": csrf_token(client, path), "password": PASSWORD,
                                     "version": version})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Please accept the privacy statement" in page and "Please choose yes or no." in page
    assert _user(db_session, "emre@example.org").is_pending


def test_a_resident_who_wants_no_account_is_removed_at_once(app, db_session, world, smtp_server):
    _import(app, world)
    path = _welcome_links(smtp_server)["emre@example.org"][1]
    client = app.test_client()
    client.get(path)
    token = re.search(r'name="remove-csrf_token" type="hidden" value="([^"]+)"',
                      client.get(path).get_data(as_text=True)).group(1)
    removed = client.post(path + "/remove", data={"remove-csrf_token": token})
    assert removed.status_code == 200 and "Your details are removed" in removed.get_data(as_text=True)
    assert _user(db_session, "emre@example.org") is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Consent).where(
        Consent.organisation == "Wijkteam Transvaal")) == 1  # Hatice's only
    assert client.get(path).status_code == 400


def test_a_changed_link_does_not_work(app, db_session, world, smtp_server):
    _import(app, world)
    path = _welcome_links(smtp_server)["emre@example.org"][1]
    answer = app.test_client().get(path[:-3] + "xyz")
    assert answer.status_code == 400 and "This link does not work any more" in answer.get_data(as_text=True)


def test_unconfirmed_imports_go_only_after_the_welcome_link_and_the_grace_period(app, db_session, world):
    _import(app, world)
    imported_at = _user(db_session, "emre@example.org").pending_since
    days = app.config["WELCOME_LINK_DAYS"] + app.config["PENDING_ACCOUNT_GRACE_DAYS"]
    periods = RetentionPeriods.from_config(app.config)  # as the daily privacy_purge job reads them
    before = imported_at + dt.timedelta(days=days) - dt.timedelta(hours=1)
    assert purge(db_session, now=before, periods=periods).counts["pending_accounts"] == 0
    after = imported_at + dt.timedelta(days=days, hours=1)
    assert purge(db_session, now=after, periods=periods).counts["pending_accounts"] == 2
    db_session.commit()
    assert _user(db_session, "emre@example.org") is None and _user(db_session, "hatice@example.org") is None
