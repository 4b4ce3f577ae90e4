"""Notifications close the loop: each in-app message also goes by mail, in the reader's language.

Who is told of what (hand-over, colleague added, alert assigned, a volunteer
pausing, coming back or stopping, an invitation answered), who never gets a
mail (disabled, erased, pending), and the rule against a flood of mails.
The same through the pages, with a real SMTP server, is in
tests/web/test_notifications.py.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coprod_match.continuity.actions import alert_assign
from coprod_match.links import PageLink
from coprod_match.models import (
    AlertKind,
    EndReason,
    InvitationAnswer,
    Notification,
    PlacementState,
    Role,
    utcnow,
)
from coprod_match.services import initiatives as initiative_service
from coprod_match.services import participation
from coprod_match.services.erasure import erase_account
from coprod_match.services.invitations import answer_invitation
from coprod_match.services.notifications import notification_text, notify
from coprod_match.services.placement_moves import make_move
from tests import factories
from tests.outbox import outbox_rows

S = PlacementState
BASE = "http://localhost.test"  # PUBLIC_BASE_URL of the test app


@pytest.fixture
def world(db_session, make_user):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl", email="fatima@example.org")
    kofi = make_user(Role.PROFESSIONAL, name="Kofi", locale="en", email="kofi@example.org")
    walks = factories.initiative(db_session, title="Heart walks", neighbourhood="Schilderswijk",
                                 contact=fatima)
    amina = make_user(Role.CITIZEN, name="Amina", locale="en")
    db_session.commit()
    return {"fatima": fatima, "kofi": kofi, "walks": walks, "amina": amina}


def _mails(db_session, kind: str) -> dict[str, email.message.EmailMessage]:
    """The outbox mails of one notification kind, by recipient, as the recipient will read them."""
    return {row.recipient: email.message_from_bytes(row.message, policy=email.policy.default)
            for row in outbox_rows(db_session, kind=f"notification:{kind}")}


def _english(notice: Notification) -> str:
    with force_locale("en"):
        return notification_text(notice)


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _notices(db_session, user, kind: str | None = None) -> list[Notification]:
    db_session.expire_all()
    query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db_session.scalars(query))


def _applied(db_session, world, initiative=None):
    initiative = initiative or world["walks"]
    notify(db_session, [world["fatima"].id, world["kofi"].id], "placement.applied",
           PageLink("professionals.manage_initiative", initiative_id=initiative.id),
           initiative_id=initiative.id, initiative_title=initiative.title)
    db_session.commit()


# --- the mail: language, sentence, link -------------------------------------------------------------


def test_each_recipient_gets_the_inbox_sentence_by_mail_in_their_language(db_session, world):
    _applied(db_session, world)
    (notice,) = _notices(db_session, world["fatima"])
    mails = _mails(db_session, "placement.applied")
    assert set(mails) == {"fatima@example.org", "kofi@example.org"}
    dutch, english = mails["fatima@example.org"], mails["kofi@example.org"]
    assert dutch["Subject"] == "Nieuws over Heart walks"
    assert english["Subject"] == "News about Heart walks"
    assert "Hallo Fatima," in _text(dutch) and "Hello Kofi," in _text(english)
    assert 'Someone wants to help at "Heart walks".' in _text(english)
    assert 'Someone wants to help at' not in _text(dutch) and '"Heart walks"' in _text(dutch)
    # The whole address, from PUBLIC_BASE_URL, to the page the inbox opens.
    link = f"{BASE}/professionals/initiatives/{world['walks'].id}"
    assert notice.link == f"/professionals/initiatives/{world['walks'].id}"
    for mail in (dutch, english):
        assert link in _text(mail)
        assert f'href="{link}"' in mail.get_body(preferencelist=("html",)).get_content()


def test_no_mail_to_disabled_erased_or_pending_accounts_but_the_inbox_keeps_it(db_session, world, make_user):
    disabled = make_user(Role.PROFESSIONAL, is_enabled=False)
    erased = make_user(Role.PROFESSIONAL, is_enabled=False, email="erased-9@erased.invalid")
    erased.password_hash, erased.erased_at = None, utcnow()
    pending = factories.pending_citizen(db_session, email="sam@example.org")
    db_session.commit()
    walks = world["walks"]
    notify(db_session, [disabled.id, erased.id, pending.id, world["kofi"].id], "placement.accepted",
           PageLink("citizens.my_initiatives"), initiative_id=walks.id, initiative_title=walks.title)
    db_session.commit()
    assert set(_mails(db_session, "placement.accepted")) == {"kofi@example.org"}
    for person in (disabled, erased, pending):
        assert len(_notices(db_session, person)) == 1


def test_the_invitation_keeps_its_own_mail_only(db_session, world):
    walks = world["walks"]
    notify(db_session, [world["amina"].id], "invitation.received", PageLink("citizens.my_initiatives"),
           initiative_id=walks.id, initiative_title=walks.title, sender_name="Fatima")
    db_session.commit()
    assert outbox_rows(db_session) == []
    assert len(_notices(db_session, world["amina"])) == 1


# --- no flood: one mail while the earlier one is unread --------------------------------------------------


def test_one_mail_per_kind_and_page_while_the_earlier_one_is_unread(db_session, world):
    _applied(db_session, world)
    _applied(db_session, world)
    _applied(db_session, world)
    # Three sign-ups, three inbox messages, one mail each.
    assert len(_notices(db_session, world["kofi"])) == 3
    assert len(outbox_rows(db_session, recipient="kofi@example.org")) == 1

    # Kofi reads his messages; Fatima does not. The next sign-up mails Kofi again, not Fatima.
    for notice in _notices(db_session, world["kofi"]):
        notice.read_at = utcnow()
    db_session.commit()
    _applied(db_session, world)
    assert len(outbox_rows(db_session, recipient="kofi@example.org")) == 2
    assert len(outbox_rows(db_session, recipient="fatima@example.org")) == 1

    # Another initiative's page, or another kind about the same page, is news of its own.
    choir = factories.initiative(db_session, title="Choir", contact=world["fatima"])
    db_session.commit()
    _applied(db_session, world, choir)
    walks = world["walks"]
    notify(db_session, [world["fatima"].id], "placement.stopped",
           PageLink("professionals.manage_initiative", initiative_id=walks.id),
           initiative_id=walks.id, initiative_title=walks.title, citizen_name="Amina")
    db_session.commit()
    assert len(outbox_rows(db_session, recipient="fatima@example.org")) == 3


# --- who is told of what ------------------------------------------------------------------------------


def test_a_colleague_added_as_contact_is_told(db_session, world):
    initiative_service.add_contact(db_session, world["walks"], world["kofi"], actor=world["fatima"])
    db_session.commit()
    (notice,) = _notices(db_session, world["kofi"])
    assert notice.kind == "contact.added" and notice.link == f"/professionals/initiatives/{world['walks'].id}"
    assert _english(notice) == 'Fatima made you a contact person of "Heart walks".'
    assert set(_mails(db_session, "contact.added")) == {"kofi@example.org"}
    assert _notices(db_session, world["fatima"]) == []  # who did it knows


def test_hand_over_tells_the_new_contact_once(db_session, world):
    initiative_service.hand_over(db_session, world["walks"], world["fatima"], world["kofi"], actor=world["fatima"])
    db_session.commit()
    # Handed over, not also "added": one message about one change.
    (notice,) = _notices(db_session, world["kofi"])
    assert notice.kind == "contact.handed_over"
    assert _english(notice) == 'Fatima handed "Heart walks" over to you. You are now its contact person.'
    assert set(_mails(db_session, "contact.handed_over")) == {"kofi@example.org"}


def test_an_admin_reassigning_tells_the_new_contact(db_session, world, make_user):
    admin = make_user(Role.ADMIN)
    initiative_service.reassign(db_session, world["walks"], world["kofi"], actor=admin)
    db_session.commit()
    assert [n.kind for n in _notices(db_session, world["kofi"])] == ["contact.reassigned"]
    assert _notices(db_session, world["fatima"]) == []


def test_the_assignee_of_an_alert_is_told_with_a_page_they_may_open(db_session, world, make_user):
    coordinator = make_user(Role.COORDINATOR, name="Carla", locale="nl", email="carla@example.org")
    other = make_user(Role.COORDINATOR)
    alert = factories.alert(db_session, world["walks"], AlertKind.SINGLE_VOLUNTEER)
    db_session.commit()

    alert_assign(db_session, alert, world["kofi"], actor=coordinator)
    db_session.commit()
    (notice,) = _notices(db_session, world["kofi"], "alert.assigned")
    # Professionals do not see the coordinators' alert pages: the initiative's page instead.
    assert notice.link == f"/initiatives/{world['walks'].id}"
    assert _english(notice) == \
        'You were asked to handle an alert about "Heart walks": Runs on one volunteer.'
    assert set(_mails(db_session, "alert.assigned")) == {"kofi@example.org"}

    # The same person again, or the coordinator taking it on themselves: nobody new to tell.
    alert_assign(db_session, alert, world["kofi"], actor=coordinator)
    alert_assign(db_session, alert, coordinator, actor=coordinator)
    alert_assign(db_session, alert, None, actor=coordinator)
    db_session.commit()
    assert len(_notices(db_session, world["kofi"])) == 1 and _notices(db_session, coordinator) == []

    alert_assign(db_session, alert, coordinator, actor=other)
    db_session.commit()
    (told,) = _notices(db_session, coordinator)
    assert told.link == f"/coordination/alerts/{alert.id}"
    assert _mails(db_session, "alert.assigned")["carla@example.org"]["Subject"] == "Nieuws over Heart walks"


def test_an_alert_given_to_a_contact_of_its_initiative_links_to_where_they_run_it(db_session, world, make_user):
    coordinator = make_user(Role.COORDINATOR)
    alert = factories.alert(db_session, world["walks"], AlertKind.SINGLE_VOLUNTEER)
    db_session.commit()
    alert_assign(db_session, alert, world["fatima"], actor=coordinator)
    db_session.commit()
    (notice,) = _notices(db_session, world["fatima"], "alert.assigned")
    # The alert page would answer 403; the manage page is where a contact can act on it.
    assert notice.link == f"/professionals/initiatives/{world['walks'].id}"
    assert _english(notice) == \
        'You were asked to handle an alert about "Heart walks": Runs on one volunteer.'


@pytest.mark.parametrize(("start", "target", "kind"), [
    (S.ACTIVE, S.PAUSED, "placement.paused"),
    (S.PAUSED, S.ACTIVE, "placement.resumed"),
    (S.ACTIVE, S.ENDED, "placement.stopped"),
    (S.APPLIED, S.ENDED, "placement.stopped"),  # withdrawing a sign-up the contacts were told of
])
def test_the_contacts_hear_when_a_volunteer_pauses_comes_back_or_stops(db_session, world, start, target, kind):
    initiative_service.add_contact(db_session, world["walks"], world["kofi"], actor=world["fatima"])
    placement = factories.placement(db_session, world["amina"], world["walks"], start)
    db_session.commit()
    make_move(db_session, placement, target, actor=world["amina"], end_reason=EndReason.NO_TIME)
    db_session.commit()
    for contact in (world["fatima"], world["kofi"]):
        (notice,) = _notices(db_session, contact, kind)
        assert notice.payload["citizen_name"] == "Amina"
        assert notice.link == f"/professionals/initiatives/{world['walks'].id}"
    assert set(_mails(db_session, kind)) == {"fatima@example.org", "kofi@example.org"}
    english = _english(_notices(db_session, world["kofi"], kind)[0])
    assert english == {"placement.paused": 'Amina paused their help at "Heart walks".',
                       "placement.resumed": 'Amina helps at "Heart walks" again.',
                       "placement.stopped": 'Amina stopped at "Heart walks".'}[kind]


def test_a_contacts_own_move_or_a_mere_suggestion_tells_nobody(db_session, world):
    paused_by_contact = factories.placement(db_session, world["amina"], world["walks"], S.ACTIVE)
    db_session.commit()
    make_move(db_session, paused_by_contact, S.PAUSED, actor=world["fatima"])
    db_session.commit()
    choir = factories.initiative(db_session, title="Choir", contact=world["fatima"])
    suggestion = factories.placement(db_session, world["amina"], choir, S.SUGGESTED)
    db_session.commit()
    participation.end(db_session, suggestion, end_reason=EndReason.NO_TIME, note=None, actor=world["amina"])
    db_session.commit()
    assert _notices(db_session, world["fatima"]) == [] and outbox_rows(db_session) == []


@pytest.mark.parametrize(("answer", "kind"), [(InvitationAnswer.ACCEPTED, "invitation.accepted"),
                                              (InvitationAnswer.DECLINED, "invitation.declined")])
def test_an_answered_invitation_reaches_the_inviters_by_mail_too(db_session, world, answer, kind):
    placement = factories.placement(db_session, world["amina"], world["walks"], S.INVITED)
    factories.invitation(db_session, placement, sender=world["kofi"],
                         sent_at=utcnow() - dt.timedelta(days=1))
    db_session.commit()
    answer_invitation(db_session, placement, answer, actor=world["amina"])
    db_session.commit()
    # The sender and the current contact both hear it, each in their language.
    mails = _mails(db_session, kind)
    assert set(mails) == {"fatima@example.org", "kofi@example.org"}
    assert "Amina said " in _text(mails["kofi@example.org"])
    assert "Amina heeft " in _text(mails["fatima@example.org"])


def test_an_erased_person_leaves_the_news_but_not_their_name(db_session, world):
    initiative_service.add_contact(db_session, world["walks"], world["kofi"], actor=world["fatima"])
    placement = factories.placement(db_session, world["amina"], world["walks"], S.ACTIVE)
    db_session.commit()
    make_move(db_session, placement, S.PAUSED, actor=world["amina"])
    db_session.commit()
    erase_account(db_session, world["fatima"], actor=None, reason="inactive")
    erase_account(db_session, world["amina"], actor=None, reason="inactive")
    db_session.commit()
    added, paused = (_notices(db_session, world["kofi"], kind)[0] for kind in ("contact.added", "placement.paused"))
    assert "Fatima" not in str(added.payload) and "Amina" not in str(paused.payload)
    assert _english(added) == 'a former contact person made you a contact person of "Heart walks".'
    assert _english(paused) == 'a former volunteer paused their help at "Heart walks".'


def test_a_coordinator_of_another_district_is_sent_to_the_initiative_not_the_alert(db_session, world, make_user):
    elsewhere = make_user(Role.COORDINATOR, is_municipal=False)  # no work areas: not Schilderswijk
    coordinator = make_user(Role.COORDINATOR)
    alert = factories.alert(db_session, world["walks"], AlertKind.NO_VOLUNTEERS)
    db_session.commit()
    alert_assign(db_session, alert, elsewhere, actor=coordinator)
    db_session.commit()
    (notice,) = _notices(db_session, elsewhere, "alert.assigned")
    assert notice.link == f"/initiatives/{world['walks'].id}"
