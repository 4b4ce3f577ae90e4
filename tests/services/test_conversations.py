"""A placement's conversation, as a service: who reads and writes, read markers, notices, the log, erasure."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import InvalidInput, NotFound
from coprod_match.models import (
    AuditEntry,
    ConversationRead,
    InitiativeContact,
    Notification,
    PlacementMessage,
    PlacementState,
    Role,
    utcnow,
)
from coprod_match.services import conversations, erasure
from coprod_match.services.conversations import ConversationClosedError, Party
from coprod_match.vocabulary import Limits
from tests import factories

S = PlacementState


@pytest.fixture
def people(db_session, make_user):
    centrum = factories.neighbourhoods_named(db_session, "Schilderswijk")
    elsewhere = factories.neighbourhoods_named(db_session, "Benoordenhout")
    return {
        "resident": make_user(Role.CITIZEN, name="Amina"),
        "other_resident": make_user(Role.CITIZEN, name="Bram"),
        "contact": make_user(Role.PROFESSIONAL, name="Fatima"),
        "colleague": make_user(Role.PROFESSIONAL, name="Kees"),
        "stranger": make_user(Role.PROFESSIONAL, name="Other Pro"),
        "coordinator": make_user(Role.COORDINATOR, is_municipal=False, work_areas=centrum),
        "far_coordinator": make_user(Role.COORDINATOR, is_municipal=False, work_areas=elsewhere),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def care(db_session, people):
    care = factories.day_care(db_session, contact=people["contact"])
    care.contacts.append(InitiativeContact(professional_id=people["colleague"].id))
    db_session.commit()
    return care


def placed(db_session, people, care, state=S.APPLIED, who="resident"):
    placement = factories.placement(db_session, people[who], care, state)
    db_session.commit()
    return placement


def test_each_side_writes_and_the_other_side_is_told(db_session, people, care):
    placement = placed(db_session, people, care)
    conversations.post_message(db_session, placement.id, "  Can I bring my daughter?\r\nShe is 12.  ",
                               actor=people["resident"])
    db_session.commit()
    message = db_session.scalar(sa.select(PlacementMessage))
    assert message.body == "Can I bring my daughter?\nShe is 12." and message.author_id == people["resident"].id
    notices = db_session.scalars(sa.select(Notification).where(Notification.kind == "conversation.message")).all()
    assert sorted(n.user_id for n in notices) == sorted([people["contact"].id, people["colleague"].id])
    assert all(n.link == f"/conversations/{placement.id}" for n in notices)
    assert notices[0].payload == {"initiative_id": care.id, "initiative_title": care.title, "sender_name": "Amina"}

    conversations.post_message(db_session, placement.id, "Yes, of course.", actor=people["contact"])
    db_session.commit()
    told = db_session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "conversation.message", Notification.payload["sender_name"].as_string() == "Fatima"))
    assert list(told) == [people["resident"].id]


def test_unread_until_opened_and_never_for_ones_own(db_session, people, care):
    placement = placed(db_session, people, care)
    other = placed(db_session, people, care, who="other_resident")
    for text in ("Hello", "Are you there?"):
        conversations.post_message(db_session, placement.id, text, actor=people["contact"])
    conversations.post_message(db_session, other.id, "Hi Bram", actor=people["contact"])
    db_session.commit()
    resident, contact = people["resident"], people["contact"]
    assert conversations.unread_counts(db_session, resident, [placement.id]) == {placement.id: 2}
    assert conversations.unread_counts(db_session, contact, [placement.id, other.id]) == {}
    # The colleague never opened it: the contact's messages are new to them too.
    assert conversations.unread_counts(db_session, people["colleague"], [placement.id]) == {placement.id: 2}

    thread = conversations.read_thread(db_session, placement.id, actor=resident)
    db_session.commit()
    first = db_session.scalar(sa.select(sa.func.min(PlacementMessage.id)))
    assert thread.first_unread_id == first and thread.party == Party.RESIDENT and thread.may_write
    assert [m.body for m in thread.messages.items] == ["Hello", "Are you there?"]
    assert conversations.unread_counts(db_session, resident, [placement.id]) == {}
    conversations.post_message(db_session, placement.id, "Yes!", actor=resident)
    db_session.commit()
    assert conversations.unread_counts(db_session, resident, [placement.id]) == {}
    assert conversations.unread_counts(db_session, contact, [placement.id]) == {placement.id: 1}
    assert db_session.get(ConversationRead, (placement.id, resident.id)).read_up_to == \
        db_session.scalar(sa.select(sa.func.max(PlacementMessage.id)))


def test_newest_page_first_oldest_at_the_top(db_session, people, care):
    placement = placed(db_session, people, care, S.ACTIVE)
    for number in range(1, 8):
        conversations.post_message(db_session, placement.id, f"message {number}", actor=people["contact"])
    db_session.commit()
    newest = conversations.read_thread(db_session, placement.id, actor=people["resident"], per_page=3)
    assert newest.messages.page == 3 and newest.messages.pages == 3
    assert [m.body for m in newest.messages.items] == ["message 7"]
    first = conversations.read_thread(db_session, placement.id, actor=people["resident"], page=1, per_page=3)
    assert [m.body for m in first.messages.items] == ["message 1", "message 2", "message 3"]
    beyond = conversations.read_thread(db_session, placement.id, actor=people["resident"], page=99, per_page=3)
    assert beyond.messages.page == 3


@pytest.mark.parametrize("state", [S.APPLIED, S.INVITED, S.ACCEPTED, S.ACTIVE, S.PAUSED])
def test_both_sides_write_while_the_place_is_live(db_session, people, care, state):
    placement = placed(db_session, people, care, state)
    for who in ("resident", "contact", "colleague"):
        conversations.post_message(db_session, placement.id, f"from {who}", actor=people[who])
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 3


@pytest.mark.parametrize("state", [S.ENDED, S.DECLINED, S.REJECTED, S.EXPIRED])
def test_an_ended_place_keeps_its_conversation_to_read_only(db_session, people, care, state):
    placement = placed(db_session, people, care, S.ACTIVE)
    conversations.post_message(db_session, placement.id, "Thank you for everything", actor=people["contact"])
    placement.state = state
    db_session.commit()
    thread = conversations.read_thread(db_session, placement.id, actor=people["resident"])
    assert [m.body for m in thread.messages.items] == ["Thank you for everything"] and not thread.may_write
    for who in ("resident", "contact"):
        with pytest.raises(ConversationClosedError):
            conversations.post_message(db_session, placement.id, "one more", actor=people[who])


def test_a_suggestion_the_resident_never_saw_has_no_conversation(db_session, people, care):
    placement = placed(db_session, people, care, S.SUGGESTED)
    for who in ("resident", "contact", "admin"):
        with pytest.raises(NotFound):
            conversations.read_thread(db_session, placement.id, actor=people[who])


def test_strangers_wrong_owners_and_former_contacts_get_not_found(db_session, people, care):
    placement = placed(db_session, people, care)
    for who in ("other_resident", "stranger", "far_coordinator"):
        with pytest.raises(NotFound):
            conversations.read_thread(db_session, placement.id, actor=people[who])
        with pytest.raises(NotFound):
            conversations.post_message(db_session, placement.id, "hello", actor=people[who])
    with pytest.raises(NotFound):
        conversations.read_thread(db_session, 999_999, actor=people["resident"])
    # A professional who handed the initiative over no longer sees its conversations.
    period = db_session.scalar(sa.select(InitiativeContact).where(
        InitiativeContact.professional_id == people["colleague"].id))
    period.ends_at = utcnow()
    db_session.commit()
    with pytest.raises(NotFound):
        conversations.read_thread(db_session, placement.id, actor=people["colleague"])


def test_coordinators_over_the_area_and_admins_read_but_never_write(db_session, people, care):
    placement = placed(db_session, people, care, S.ACTIVE)
    conversations.post_message(db_session, placement.id, "Hello", actor=people["contact"])
    db_session.commit()
    for who in ("coordinator", "admin"):
        thread = conversations.read_thread(db_session, placement.id, actor=people[who])
        assert thread.party == Party.OVERSEER and not thread.may_write
        assert [m.body for m in thread.messages.items] == ["Hello"]
        with pytest.raises(ConversationClosedError):
            conversations.post_message(db_session, placement.id, "I read along", actor=people[who])
    # Reading along marks nothing read for them, so the parties' counts are theirs alone.
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ConversationRead).where(
        ConversationRead.reader_id.in_([people["coordinator"].id, people["admin"].id]))) == 0


def test_every_staff_look_is_logged_naming_the_resident(db_session, people, care):
    placement = placed(db_session, people, care)
    conversations.read_thread(db_session, placement.id, actor=people["resident"])
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0  # one's own look
    for who in ("contact", "coordinator", "admin"):
        conversations.read_thread(db_session, placement.id, actor=people[who])
    db_session.commit()
    entries = db_session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.actor_id for e in entries] == [people[w].id for w in ("contact", "coordinator", "admin")]
    assert all(e.action == "conversation.viewed" and e.entity_id == placement.id
               and e.resident_ids == [people["resident"].id] for e in entries)


@pytest.mark.parametrize("text", ["", "   \n  ", None, "x" * (Limits.CONVERSATION_MESSAGE + 1), "bell\x07",
                                  "nul\x00"])
def test_empty_too_long_or_strange_text_is_refused_at_the_field(db_session, people, care, text):
    placement = placed(db_session, people, care)
    with pytest.raises(InvalidInput) as refused:
        conversations.post_message(db_session, placement.id, text, actor=people["resident"])
    assert refused.value.field == "text"


def test_the_longest_message_and_tabs_are_fine(db_session, people, care):
    placement = placed(db_session, people, care)
    conversations.post_message(db_session, placement.id, "a\tb" + "x" * (Limits.CONVERSATION_MESSAGE - 3),
                               actor=people["resident"])


def test_erasing_a_resident_blanks_their_conversation_and_their_name_in_notices(db_session, people, care):
    placement = placed(db_session, people, care, S.ACTIVE)
    other = placed(db_session, people, care, S.ACTIVE, who="other_resident")
    conversations.post_message(db_session, placement.id, "My address is Hoefkade 12", actor=people["resident"])
    conversations.post_message(db_session, placement.id, "See you at Hoefkade 12", actor=people["contact"])
    conversations.post_message(db_session, other.id, "Hello Bram", actor=people["contact"])
    conversations.read_thread(db_session, placement.id, actor=people["resident"])
    db_session.commit()
    erasure.erase_account(db_session, people["resident"], actor=people["admin"], reason="asked")
    db_session.commit()
    bodies = dict(db_session.execute(sa.select(PlacementMessage.id, PlacementMessage.body)
                                     .order_by(PlacementMessage.id)).all())
    assert list(bodies.values()) == ["", "", "Hello Bram"]  # rows stay: the other side sees "removed"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ConversationRead).where(
        ConversationRead.reader_id == people["resident"].id)) == 0
    notice = db_session.scalar(sa.select(Notification).where(Notification.user_id == people["contact"].id,
                                                             Notification.kind == "conversation.message"))
    assert "sender_name" not in notice.payload and notice.payload["former_citizen"] is True


def test_erasing_a_contact_person_blanks_only_their_own_words(db_session, people, care):
    placement = placed(db_session, people, care, S.ACTIVE)
    conversations.post_message(db_session, placement.id, "Call me on 06 11111111", actor=people["colleague"])
    conversations.post_message(db_session, placement.id, "Thanks!", actor=people["resident"])
    db_session.commit()
    erasure.erase_account(db_session, people["colleague"], actor=people["admin"], reason="left the job")
    db_session.commit()
    assert list(db_session.scalars(sa.select(PlacementMessage.body).order_by(PlacementMessage.id))) == ["", "Thanks!"]
    notice = db_session.scalar(sa.select(Notification).where(Notification.user_id == people["resident"].id))
    assert notice.payload.get("former_sender") is True and "sender_name" not in notice.payload


def test_erasure_empties_contact_details_and_the_sharing_choice(db_session, people):
    resident, colleague = people["resident"], people["colleague"]
    resident.phone, resident.shares_phone, resident.shares_email = "06 12345678", True, True
    colleague.work_email = "kees@wijkteam.example"
    db_session.commit()
    for person in (resident, colleague):
        erasure.erase_account(db_session, person, actor=people["admin"], reason="asked")
    db_session.commit()
    assert (resident.phone, resident.shares_phone, resident.shares_email) == (None, False, False)
    assert colleague.work_email is None
