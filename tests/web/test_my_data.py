"""My data: the page, the download and the printable page show everything held about the resident, and who looked.

Each kind of item is made the way the app makes it (sign-up, accept, end;
an invitation; a message; a token; a login; a staff member opening the
participants page), then looked for on the page and in the JSON.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import current_app

from coprod_match.models import (
    AuditEntry,
    CheckInKind,
    EndReason,
    InitiativeContact,
    PlacementCheckIn,
    Role,
    utcnow,
)
from coprod_match.services import participation
from coprod_match.services.api_tokens import create_api_token
from coprod_match.services.audit import audit_record
from coprod_match.services.sessions import SessionLifetimes, start_login_session
from tests import factories
from tests.factories import client_for
from tests.web.test_statement_counts import StatementCounter

DOCUMENT_KEYS = ["version", "generated_at", "account", "profile", "consents", "placements", "invitations",
                 "messages", "api_tokens", "login_sessions", "staff_looks", "contact_check_ins"]


def build_history(session, citizen, initiative, contact, *, note: str = "Moved to Delft") -> None:
    """A placement with a full history, a check-in, its notifications and an invitation, as the app makes them."""
    placement = participation.apply(session, initiative, actor=citizen, message="I can make coffee")
    participation.accept(session, placement, starts_on=dt.date(2026, 1, 5), today=dt.date(2026, 1, 5), actor=contact)
    session.add(PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.ACTIVITY, recorded_by_id=contact.id,
                                 note="Helped with the games"))
    participation.end(session, placement, end_reason=EndReason.MOVED, note=note, actor=citizen)
    invited = factories.placement(session, citizen, factories.initiative(
        session, title=f"Walks in Moerwijk {placement.id}", contact=contact), state="invited")
    factories.invitation(session, invited, sender=contact, message="Would you walk with us?")


@pytest.fixture
def world(app, db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse", organisation="Zorg Den Haag")
    looker = make_user(Role.PROFESSIONAL, name="Bram Looker", organisation="Wijkteam Transvaal")
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse", email="ayse@example.org"),
                             native_languages=["tr"], consents=True)
    ayse.phone = "06 12345678"
    sports = factories.initiative(db_session, title="Sports for women", contact=contact)
    sports.contacts.append(InitiativeContact(professional_id=looker.id))
    build_history(db_session, ayse, sports, contact)
    create_api_token(db_session, ayse, "My phone app", actor=ayse)
    db_session.commit()
    # A real look: the second contact opens the initiative's page with its participants.
    assert client_for(app, looker).get(f"/professionals/initiatives/{sports.id}").status_code == 200
    return {"ayse": ayse, "contact": contact, "looker": looker, "sports": sports}


def test_the_page_shows_every_kind_of_item_and_who_looked_without_a_name(app, world):
    page = client_for(app, world["ayse"]).get("/account/my-data")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for expected in ("ayse@example.org", "06 12345678", "Schilderswijk", "Turkish", "Mother tongue",
                     "Professionals may invite me",
                     "Sports for women", "Signed up, waiting for an answer", "Taking part", "Stopped", "Moved away",
                     "Moved to Delft", "I can make coffee", "Helped with the games",
                     "Would you walk with us?", "Fatima the nurse",
                     "You can start at",  # the message the acceptance sent
                     "My phone app", "Wijkteam Transvaal"):
        assert expected in text, expected
    looks = text.split('id="my-data-looks"', 1)[1]
    assert "Wijkteam Transvaal" in looks and "Professional" in looks
    assert "Bram" not in text  # the staff member who looked is never named
    assert "token_hash" not in text


def test_the_download_is_the_whole_document_with_stable_keys(app, world, db_session):
    answer = client_for(app, world["ayse"]).get("/account/my-data.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="coprod-match-my-data-')
    document = json.loads(answer.get_data(as_text=True))
    assert list(document) == DOCUMENT_KEYS
    assert document["account"]["email"] == "ayse@example.org" and document["account"]["phone"] == "06 12345678"
    assert document["profile"]["languages"] == [{"code": "tr", "level": "native"}]
    assert document["consents"][0]["kind"] == "invitations" and document["consents"][0]["given"] is True
    ended = next(p for p in document["placements"] if p["state"] == "ended")
    assert [move["to_state"] for move in ended["history"]] == ["applied", "accepted", "active", "ended"]
    assert [move["by"] for move in ended["history"]] == ["you", "professional", "professional", "you"]
    assert ended["end_reason"] == "moved" and ended["end_note"] == "Moved to Delft"
    assert ended["check_ins"][0]["note"] == "Helped with the games" and ended["check_ins"][0]["by"] == "professional"
    (invitation,) = document["invitations"]
    assert invitation["sender"] == {"display_name": "Fatima the nurse", "organisation": "Zorg Den Haag"}
    assert [message["kind"] for message in document["messages"]] == ["placement.accepted"]
    assert [token["name"] for token in document["api_tokens"]] == ["My phone app"]
    assert set(document["api_tokens"][0]) == {"id", "name", "created_at", "last_used_at", "revoked_at"}
    assert len(document["login_sessions"]) == 1
    (look,) = document["staff_looks"]
    assert look["organisation"] == "Wijkteam Transvaal" and look["role"] == "professional"
    assert look["action"] == "participants.viewed"
    assert "Bram" not in answer.get_data(as_text=True)
    assert document["generated_at"].endswith("Z") and look["at"].endswith("Z")
    assert dt.datetime.fromisoformat(look["at"]) <= utcnow()


def test_the_printable_page_has_the_data_and_no_menu(app, world):
    answer = client_for(app, world["ayse"]).get("/account/my-data/print")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "print.css" in text and "Main menu" not in text and "Log out" not in text
    assert "Moved to Delft" in text and "Wijkteam Transvaal" in text and "Bram" not in text


def test_the_menu_links_my_data_for_residents_only(app, world):
    assert 'href="/account/my-data"' in client_for(app, world["ayse"]).get("/").get_data(as_text=True)
    staff_menu = client_for(app, world["contact"]).get("/").get_data(as_text=True)
    assert 'href="/account/my-data"' not in staff_menu and 'href="/account/details"' in staff_menu


def test_another_resident_sees_only_their_own_data(app, world, make_user):
    other = make_user(Role.CITIZEN, name="Noor", email="noor@example.org")
    client = client_for(app, other)
    for path in ("/account/my-data", "/account/my-data/print", f"/account/my-data?user_id={world['ayse'].id}",
                 f"/account/my-data.json?id={world['ayse'].id}"):
        text = client.get(path).get_data(as_text=True)
        assert "noor@example.org" in text
        assert "ayse@example.org" not in text and "Sports for women" not in text and "My phone app" not in text


@pytest.mark.parametrize("path", ["/account/my-data", "/account/my-data.json", "/account/my-data/print"])
def test_staff_cannot_open_a_residents_my_data_and_visitors_must_log_in(app, world, path):
    for role in ("contact", "looker"):
        assert client_for(app, world[role]).get(path).status_code == 403
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_looks_come_fifty_to_a_page_newest_first(app, world, db_session):
    ayse, looker = world["ayse"], world["looker"]
    start = utcnow() - dt.timedelta(days=30)
    for number in range(120):
        entry = audit_record(db_session, "participants.viewed", "initiative", world["sports"].id, actor=looker,
                             residents=[ayse.id])
        entry.at = start + dt.timedelta(hours=number)
    # The resident's own actions and system actions are not looks.
    audit_record(db_session, "account.details_changed", "user", ayse.id, actor=ayse, residents=[ayse.id])
    audit_record(db_session, "job.something", "user", ayse.id, actor=None, residents=[ayse.id])
    db_session.commit()
    client = client_for(app, ayse)

    def dates_on(page: int) -> list[str]:
        text = client.get(f"/account/my-data?page={page}").get_data(as_text=True)
        table = text.split('id="my-data-looks"', 1)[1].split("</table>", 1)[0]
        return [row.split("<td>", 2)[1].split("</td>")[0] for row in table.split("<tr>")[2:]]

    first, third = dates_on(1), dates_on(3)
    assert len(first) == 50 and len(dates_on(2)) == 50 and len(third) == 21  # 120 + the real look
    assert "Page 1 of 3" in client.get("/account/my-data").get_data(as_text=True)
    assert "There is nothing more on this page." in client.get("/account/my-data?page=4").get_data(as_text=True)
    document = client.get("/account/my-data.json").get_json()
    looks = document["staff_looks"]
    assert len(looks) == 121 and looks == sorted(looks, key=lambda look: look["at"], reverse=True)
    assert {look["role"] for look in looks} == {"professional"}
    printed = client.get("/account/my-data/print").get_data(as_text=True)
    assert printed.count("Wijkteam Transvaal") == 121


def test_the_erase_section_links_to_erasure_when_the_app_has_it(app, world):
    text = client_for(app, world["ayse"]).get("/account/my-data").get_data(as_text=True)
    section = text.split('id="my-data-erase"', 1)[1]
    if "account_erasure.confirm" in app.view_functions:
        with app.test_request_context():
            from flask import url_for

            assert f'href="{url_for("account_erasure.confirm")}"' in section
    else:
        assert "Ask the administrator" in section


def test_nothing_is_logged_or_changed_by_reading_my_data(app, world, db_session):
    before = db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    client = client_for(app, world["ayse"])
    for path in ("/account/my-data", "/account/my-data.json", "/account/my-data/print"):
        assert client.get(path).status_code == 200
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def _grow(session, ayse, contacts, *, times: int) -> None:
    """`times` more of every kind of item: placements with history, check-ins, invitations, messages,
    tokens, logins and staff looks."""
    for number in range(times):
        contact = contacts[number % len(contacts)]
        initiative = factories.initiative(session, title=f"Initiative {number}", contact=contact)
        build_history(session, ayse, initiative, contact, note=f"Note {number}")
        create_api_token(session, ayse, f"Token {number}", actor=ayse)
        start_login_session(session, ayse, device=("Firefox", "Linux"), remember=False,
                            lifetimes=SessionLifetimes.from_config(current_app.config))
        for _look in range(3):
            audit_record(session, "participants.viewed", "initiative", initiative.id, actor=contact,
                         residents=[ayse.id])
    session.commit()


def test_the_same_few_statements_with_ten_times_more_data(app, db_session, make_user):
    contacts = [make_user(Role.PROFESSIONAL, organisation=f"Organisation {number}") for number in range(3)]
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse"), native_languages=["tr", "ar"], consents=True)
    db_session.commit()
    client = client_for(app, ayse)
    token = factories.api_headers(db_session, ayse, actor=ayse)
    db_session.commit()
    api = app.test_client()
    requests = {
        "page": lambda: client.get("/account/my-data"),
        "page 2 of the looks": lambda: client.get("/account/my-data?page=2"),
        "printable": lambda: client.get("/account/my-data/print"),
        "download": lambda: client.get("/account/my-data.json"),
        "API": lambda: api.get("/api/v1/me/data", headers=token),
    }

    def counts() -> dict[str, int]:
        counter = StatementCounter(db_session.get_bind())
        try:
            found = {}
            for name, request in requests.items():
                assert request().status_code == 200, name  # warm: a login's last-seen time is written once
                found[name], answer = counter.count(request)
                assert answer.status_code == 200, name
            return found
        finally:
            sa.event.remove(db_session.get_bind(), "before_cursor_execute", counter._seen)

    _grow(db_session, ayse, contacts, times=3)
    small = counts()
    _grow(db_session, ayse, contacts, times=27)
    large = counts()
    assert "Page 2 of 2" in client.get("/account/my-data?page=2").get_data(as_text=True)  # 90 looks
    assert large == small
    assert max(large.values()) <= 20, large


def test_an_erased_sender_is_not_named(app, world, db_session):
    contact = world["contact"]
    contact.erased_at, contact.password_hash, contact.is_enabled = utcnow(), None, False
    db_session.commit()
    client = client_for(app, world["ayse"])
    assert "from someone who no longer has an account" in client.get("/account/my-data").get_data(as_text=True)
    assert client.get("/account/my-data.json").get_json()["invitations"][0]["sender"] is None
