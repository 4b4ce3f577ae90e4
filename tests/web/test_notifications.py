"""Notifications through the pages, read from a real SMTP server in each recipient's language.

A volunteer pausing, coming back and stopping; a hand-over and a colleague
added; an alert given to someone. The rules themselves (who, when not, no
flood) are in tests/services/test_notifications.py.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.models import AlertKind, InitiativeContact, Notification, PlacementState, Role
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

BASE = "http://localhost.test"


@pytest.fixture
def world(db_session, make_user):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl", email="fatima@example.org")
    kofi = make_user(Role.PROFESSIONAL, name="Kofi", locale="en", email="kofi@example.org")
    walks = factories.initiative(db_session, title="Heart walks", neighbourhood="Schilderswijk",
                                 start_date=dt.date(2026, 1, 1), contact=fatima)
    walks.contacts.append(InitiativeContact(professional_id=kofi.id))
    amina = make_user(Role.CITIZEN, name="Amina", locale="en", email="amina@example.org")
    placement = factories.placement(db_session, amina, walks, PlacementState.ACTIVE)
    db_session.commit()
    return {"fatima": fatima, "kofi": kofi, "walks": walks, "amina": amina, "placement": placement}


def _by_recipient(smtp_server) -> dict[str, list]:
    mails: dict[str, list] = {}
    for message in smtp_server.messages:
        mails.setdefault(message["To"], []).append(message)
    return mails


def test_a_volunteer_pausing_resuming_and_stopping_reaches_both_contacts_by_mail(app, world, smtp_server):
    placement = world["placement"]
    amina = client_for(app, world["amina"])
    token = csrf_token(amina, "/citizens/initiatives")
    assert amina.post(f"/citizens/initiatives/{placement.id}/pause", data={"csrf_token": token}).status_code == 302
    assert deliver_outbox()["sent"] == 2
    mails = _by_recipient(smtp_server)
    (dutch,), (english,) = mails["fatima@example.org"], mails["kofi@example.org"]
    assert dutch["Subject"] == "Nieuws over Heart walks" and english["Subject"] == "News about Heart walks"
    assert 'Amina neemt een pauze bij "Heart walks".' in body_text(dutch)
    assert 'Amina paused their help at "Heart walks".' in body_text(english)
    link = f"{BASE}/professionals/initiatives/{world['walks'].id}"
    assert link in body_text(dutch) and link in body_text(english)

    # Each contact opens their message: the next news mails again (one mail per unread message).
    for contact in (world["fatima"], world["kofi"]):
        reader = client_for(app, contact)
        notice_id = db.session.scalar(
            sa.select(Notification.id).where(Notification.user_id == contact.id))
        reader.post(f"/inbox/{notice_id}/open", data={"csrf_token": csrf_token(reader, "/inbox/")})
    amina.post(f"/citizens/initiatives/{placement.id}/resume", data={"csrf_token": token})
    stopped = amina.post(f"/citizens/initiatives/{placement.id}/stop",
                         data={"csrf_token": token, "end_reason": "no_time"})
    assert stopped.status_code == 302
    assert deliver_outbox()["sent"] == 4
    english_texts = [body_text(m) for m in _by_recipient(smtp_server)["kofi@example.org"]]
    assert any('Amina helps at "Heart walks" again.' in text for text in english_texts)
    assert any('Amina stopped at "Heart walks".' in text for text in english_texts)
    dutch_texts = [body_text(m) for m in _by_recipient(smtp_server)["fatima@example.org"]]
    assert any('Amina helpt weer mee bij "Heart walks".' in text for text in dutch_texts)
    assert any('Amina is gestopt bij "Heart walks".' in text for text in dutch_texts)


def test_hand_over_and_colleague_added_through_the_page_mail_the_new_contact(app, db_session, world, make_user,
                                                                               smtp_server):
    yusuf = make_user(Role.PROFESSIONAL, name="Yusuf", locale="nl", email="yusuf@example.org")
    lotte = make_user(Role.PROFESSIONAL, name="Lotte", locale="en", email="lotte@example.org")
    base = f"/professionals/initiatives/{world['walks'].id}"
    fatima = client_for(app, world["fatima"])
    token = csrf_token(fatima, base)
    fatima.post(f"{base}/contacts/add", data={"colleague_id": str(lotte.id), "csrf_token": token})
    handed = fatima.post(f"{base}/contacts/hand_over", data={"colleague_id": str(yusuf.id), "confirmed": "yes",
                                                            "csrf_token": token})
    assert handed.status_code == 302
    assert deliver_outbox()["sent"] == 2
    mails = _by_recipient(smtp_server)
    assert set(mails) == {"yusuf@example.org", "lotte@example.org"}  # Fatima did it: she is not told
    assert 'Fatima heeft "Heart walks" aan jou overgedragen.' in body_text(mails["yusuf@example.org"][0])
    assert 'Fatima made you a contact person of "Heart walks".' in body_text(mails["lotte@example.org"][0])
    assert f"{BASE}{base}" in body_text(mails["yusuf@example.org"][0])


def test_an_alert_given_to_someone_on_the_alert_page_mails_them(app, db_session, world, make_user, smtp_server):
    coordinator = make_user(Role.COORDINATOR, name="Carla")
    alert = factories.alert(db_session, world["walks"], AlertKind.SINGLE_VOLUNTEER)
    db_session.commit()
    path = f"/coordination/alerts/{alert.id}"
    carla = client_for(app, coordinator)
    response = carla.post(f"{path}/assign", data={"csrf_token": csrf_token(carla, path),
                                                  "assignee": str(world["kofi"].id)})
    assert response.status_code == 302
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    assert mail["To"] == "kofi@example.org"
    assert 'You were asked to handle an alert about "Heart walks": Runs on one volunteer.' in body_text(mail)
    # Kofi is a contact: the link opens the page where he runs the initiative (the alert page is 403 to him).
    manage = f"/professionals/initiatives/{world['walks'].id}"
    assert f"{BASE}{manage}" in body_text(mail)
    kofi = client_for(app, world["kofi"])
    assert kofi.get(manage).status_code == 200
    # The same sentence waits in the inbox.
    inbox = html.unescape(kofi.get("/inbox/").get_data(as_text=True))
    assert 'You were asked to handle an alert about "Heart walks": Runs on one volunteer.' in inbox


def test_conversation_messages_mail_the_resident_again_once_the_conversation_was_read(app, db_session, world,
                                                                                     make_user, smtp_server):
    noor = make_user(Role.CITIZEN, name="Noor", locale="nl", email="noor@example.org")
    placement = factories.placement(db_session, noor, world["walks"], PlacementState.APPLIED)
    db_session.commit()
    thread = f"/conversations/{placement.id}"
    fatima, resident = client_for(app, world["fatima"]), client_for(app, noor)

    def write(text: str) -> None:
        token = csrf_token(fatima, thread)
        assert fatima.post(f"{thread}/messages", data={"text": text, "csrf_token": token}).status_code == 302

    write("Welkom! Kom je dinsdag?")
    write("Om tien uur bij de ingang.")  # Noor has not looked yet: no second mail
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    assert mail["To"] == "noor@example.org" and mail["Subject"] == "Nieuws over Heart walks"
    assert 'Fatima stuurde een bericht over "Heart walks".' in body_text(mail)
    assert f"{BASE}{thread}" in body_text(mail)

    # Noor reads the conversation (not the inbox): the next message mails her again.
    assert resident.get(thread).status_code == 200
    write("Tot dinsdag!")
    assert deliver_outbox()["sent"] == 1
    assert [message["To"] for message in smtp_server.messages] == ["noor@example.org"] * 2
