# ruff: noqa: RUF001  (Turkish words with a dotless i: the test reads a Turkish page)
"""Recognition: the volunteer's printable statement of participation, and the contact's thanks on it."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    AuditResident,
    CheckInKind,
    EndReason,
    InitiativeContact,
    Notification,
    OutboxMail,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
    PlacementThanks,
    Role,
)
from coprod_match.services import participation
from coprod_match.vocabulary import Limits
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for

S = PlacementState
MAY_1 = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def world(db_session, make_user):
    """Ayse helped at the day care (three records on two days, ended), and signed up for sports (never started)."""
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse", organisation="Zorg Den Haag")
    ayse = make_user(Role.CITIZEN, name="Ayse Yilmaz", locale="tr")
    care = factories.day_care(db_session, contact=contact)
    helped = participation.apply(db_session, care, actor=ayse, message=None)
    participation.accept(db_session, helped, starts_on=dt.date(2026, 5, 1), today=dt.date(2026, 5, 1), actor=contact)
    db_session.execute(sa.update(PlacementEvent).where(PlacementEvent.placement_id == helped.id,
                                                       PlacementEvent.to_state == S.ACTIVE).values(at=MAY_1))
    for day, minutes in ((1, 90), (8, 60), (8, 30)):
        db_session.add(PlacementCheckIn(placement_id=helped.id, kind=CheckInKind.ACTIVITY, recorded_by_id=contact.id,
                                        at=MAY_1.replace(day=day), minutes=minutes))
    sports = factories.initiative(db_session, title="Sports for women", contact=contact)
    waiting = participation.apply(db_session, sports, actor=ayse, message=None)
    db_session.commit()
    return {"contact": contact, "ayse": ayse, "care": care, "helped": helped, "waiting": waiting}


def thanks_path(placement) -> str:
    return f"/initiatives/{placement.initiative_id}/volunteers/{placement.id}/thanks"


def post_thanks(client, placement, **data):
    token = csrf_token(client, thanks_path(placement))
    return client.post(thanks_path(placement), data={"csrf_token": token, **data})


def test_statement_lists_only_what_was_active_with_hours_organisation_and_thanks(app, db_session, world, make_user):
    contact = client_for(app, world["contact"])
    sent = post_thanks(contact, world["helped"], sentence="Ayse made every Tuesday\nwarmer.", save="1")
    assert sent.status_code == 302
    participation.end(db_session, world["helped"], end_reason=EndReason.MOVED, note=None, actor=world["ayse"])
    # A second contact of that time, from an organisation whose name holds a comma.
    colleague = make_user(Role.PROFESSIONAL, name="Joost", organisation="Buurtwerk, Welzijn en Zorg")
    db_session.add(InitiativeContact(initiative_id=world["care"].id, professional_id=colleague.id, starts_at=MAY_1))
    db_session.commit()

    ayse = client_for(app, world["ayse"])
    page = ayse.get("/my/statement")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # Ayse reads Turkish: the statement and the page around it are in Turkish.
    for expected in ("Katılım belgesi", "Ayse Yilmaz", "Day care for elderly migrants", "Schilderswijk",
                     "1 Mayıs 2026", "2 günde 3 saat", "Zorg Den Haag", "Ayse made every Tuesday warmer.",
                     "Fatima the nurse, irtibat kişisi", "Girişimlerim sayfasına dön", "Hollandaca yazdır"):
        assert expected in text, expected
    assert "bugüne" not in text  # it ended: the period has an end date, not "until now"
    assert "Sports for women" not in text  # a sign-up that never started is not on a statement

    # The thanks reached Ayse's inbox, and a mail in her language is waiting in the outbox.
    message = db_session.scalar(sa.select(Notification).where(Notification.user_id == world["ayse"].id,
                                                              Notification.kind == "placement.thanked"))
    assert message is not None and message.link == "/my/statement"
    mail = db_session.scalar(sa.select(OutboxMail).where(OutboxMail.recipient == world["ayse"].email,
                                                         OutboxMail.kind == "notification:placement.thanked"))
    assert mail is not None
    assert "teşekkür" in message_from_bytes(mail.message, policy=default_policy).get_body(("plain",)).get_content()

    # In Dutch for an employer: the statement changes language, the page around it does not.
    dutch = ayse.get("/my/statement?in=nl").get_data(as_text=True)
    assert "Verklaring van deelname" in dutch and "Girişimlerim sayfasına dön" in dutch
    assert '<div lang="nl" dir="ltr" class="statement">' in dutch
    assert "3 uur op 2 dagen" in dutch and "1 mei 2026" in dutch and "Katılım belgesi" not in dutch
    # Each organisation on its own line, under a plural label.
    assert "Organisaties van de contactpersonen" in dutch
    names = re.search(r"<dd>([^<]*)<br>([^<]*)</dd>", dutch)
    assert names is not None and set(names.groups()) == {"Zorg Den Haag", "Buurtwerk, Welzijn en Zorg"}


def test_statement_when_nothing_was_active_yet_says_so(app, make_user):
    newcomer = make_user(Role.CITIZEN)
    text = client_for(app, newcomer).get("/my/statement").get_data(as_text=True)
    assert "You have not helped at an initiative yet." in text and "Print in Dutch" not in text


def test_only_a_current_contact_writes_thanks_and_each_look_is_logged(app, db_session, world, make_user):
    helped = world["helped"]
    refused = {
        "other professional": (make_user(Role.PROFESSIONAL), 403),
        "coordinator": (make_user(Role.COORDINATOR), 403),
        "admin": (make_user(Role.ADMIN), 403),
        "the volunteer": (world["ayse"], 403),
    }
    for who, (user, status) in refused.items():
        assert client_for(app, user).get(thanks_path(helped)).status_code == status, who
    contact = client_for(app, world["contact"])
    # A placement of another initiative under this initiative's address is not found.
    other = factories.initiative(db_session, title="Walks", contact=world["contact"])
    db_session.commit()
    assert contact.get(f"/initiatives/{other.id}/volunteers/{helped.id}/thanks").status_code == 404

    assert contact.get(thanks_path(helped)).status_code == 200
    looked = db_session.scalars(
        sa.select(AuditResident.citizen_id).join(AuditEntry, AuditEntry.id == AuditResident.entry_id)
        .where(AuditEntry.action == "thanks.viewed", AuditEntry.actor_id == world["contact"].id)).all()
    assert world["ayse"].id in looked

    too_long = "x" * (Limits.THANKS_SENTENCE + 1)
    answer = post_thanks(contact, helped, sentence=too_long, save="1")
    assert answer.status_code == 422 and too_long in answer.get_data(as_text=True)
    empty = post_thanks(contact, helped, sentence="  ", save="1")
    assert empty.status_code == 422 and "Write a sentence of thanks first." in empty.get_data(as_text=True)
    # Thanks are for someone who started: a sign-up that never did is refused, with the page shown again.
    assert post_thanks(contact, world["waiting"], sentence="Thank you", save="1").status_code == 422

    manage_path = f"/professionals/initiatives/{helped.initiative_id}"
    assert "Add thanks" in contact.get(manage_path).get_data(as_text=True)
    assert "gets a message in their inbox" in contact.get(thanks_path(helped)).get_data(as_text=True)
    assert post_thanks(contact, helped, sentence="Thank you!", save="1").status_code == 302
    assert post_thanks(contact, helped, sentence="Thank you so much!", save="1").status_code == 302
    db_session.expire_all()
    assert db_session.get(PlacementThanks, helped.id).sentence == "Thank you so much!"
    # A change of wording is not news: Ayse was told once, when the thanks were new.
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == world["ayse"].id, Notification.kind == "placement.thanked")) == 1
    reopened = contact.get(thanks_path(helped)).get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*Thank you so much!</textarea>", reopened)  # the box is filled in
    assert "sees this sentence on their statement." in reopened and "message in their inbox" not in reopened
    manage = contact.get(manage_path).get_data(as_text=True)
    assert "Change thanks" in manage and "Add thanks" not in manage
    assert post_thanks(contact, helped, sentence="", remove="1").status_code == 302
    db_session.expire_all()
    assert db_session.get(PlacementThanks, helped.id) is None
    # The contact's page offers the link next to the volunteer.
    manage = contact.get(f"/professionals/initiatives/{helped.initiative_id}").get_data(as_text=True)
    assert thanks_path(helped) in manage
