"""A placement's conversation through the pages: both sides write and read, unread counts, who is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    ConversationRead,
    Notification,
    PlacementMessage,
    PlacementState,
    Role,
)
from coprod_match.services import conversations
from coprod_match.vocabulary import Limits
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for

S = PlacementState


@pytest.fixture
def people(db_session, make_user):
    return {
        "resident": make_user(Role.CITIZEN, name="Amina"),
        "other_resident": make_user(Role.CITIZEN, name="Bram"),
        "contact": make_user(Role.PROFESSIONAL, name="Fatima"),
        "stranger": make_user(Role.PROFESSIONAL, name="Other Pro"),
        "coordinator": make_user(Role.COORDINATOR, name="Carla",  is_municipal=False,
                                 work_areas=factories.neighbourhoods_named(db_session, "Schilderswijk")),
        "far_coordinator": make_user(Role.COORDINATOR, is_municipal=False,
                                     work_areas=factories.neighbourhoods_named(db_session, "Benoordenhout")),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def placement(db_session, people):
    care = factories.day_care(db_session, contact=people["contact"])
    placement = factories.placement(db_session, people["resident"], care, S.APPLIED)
    db_session.commit()
    return placement


def write(client, placement_id: int, text: str):
    token = csrf_token(client, f"/conversations/{placement_id}")
    return client.post(f"/conversations/{placement_id}/messages", data={"text": text, "csrf_token": token})


def test_resident_and_contact_write_and_both_see_both(app, db_session, people, placement):
    resident, contact = client_for(app, people["resident"]), client_for(app, people["contact"])
    sent = write(resident, placement.id, "Hello! Which door do I use?")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/conversations/{placement.id}#newest")
    assert write(contact, placement.id, "The side door,\nnext to the bakery.").status_code == 302
    for client in (resident, contact):
        page = client.get(f"/conversations/{placement.id}").get_data(as_text=True)
        assert "Hello! Which door do I use?" in page and "The side door,\nnext to the bakery." in page
        assert page.index("Which door") < page.index("The side door")  # newest at the bottom
    kinds = db_session.scalars(sa.select(Notification.user_id).where(Notification.kind == "conversation.message"))
    assert sorted(kinds) == sorted([people["contact"].id, people["resident"].id])
    inbox = resident.get("/inbox/").get_data(as_text=True)
    assert "Fatima sent a message about" in inbox


def test_text_is_shown_escaped(app, db_session, people, placement):
    resident = client_for(app, people["resident"])
    write(resident, placement.id, "<script>alert(1)</script> & <b>bold</b>")
    page = client_for(app, people["contact"]).get(f"/conversations/{placement.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page


@pytest.mark.parametrize("text, error", [("   ", "Write a message first."),
                                         ("x" * (Limits.CONVERSATION_MESSAGE + 1), "Use at most 2000 characters.")])
def test_a_bad_message_shows_the_page_again_with_the_input_and_the_reason(app, db_session, people, placement,
                                                                         text, error):
    answer = write(client_for(app, people["resident"]), placement.id, text)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and error in page and 'aria-invalid="true"' in page
    if text.strip():
        assert text in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 0


def test_a_refusal_of_the_service_shows_beside_the_field(app, db_session, people, placement):
    answer = write(client_for(app, people["resident"]), placement.id, "ring the bell \x07 twice")
    assert answer.status_code == 422 and "no special characters" in answer.get_data(as_text=True)


def test_without_csrf_nothing_is_sent(app, db_session, people, placement):
    client = client_for(app, people["resident"])
    answer = client.post(f"/conversations/{placement.id}/messages", data={"text": "hi"})
    assert answer.status_code == 400
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 0


@pytest.mark.parametrize("who", ["other_resident", "stranger", "far_coordinator"])
def test_wrong_owner_and_strangers_get_not_found_and_nothing_is_logged(app, db_session, people, placement, who):
    conversations.post_message(db_session, placement.id, "Private words", actor=people["contact"])
    db_session.commit()
    client = client_for(app, people[who])
    answer = client.get(f"/conversations/{placement.id}")
    assert answer.status_code == 404 and "Private words" not in answer.get_data(as_text=True)
    # Coordinators never write (403 by role); the others are told nothing is there.
    assert write(client, placement.id, "let me in").status_code == (403 if who == "far_coordinator" else 404)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 1


def test_anonymous_visitors_are_sent_to_log_in(app, placement):
    answer = app.test_client().get(f"/conversations/{placement.id}")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_coordinator_reads_without_a_form_and_may_not_post(app, db_session, people, placement):
    conversations.post_message(db_session, placement.id, "Hello", actor=people["contact"])
    db_session.commit()
    coordinator = client_for(app, people["coordinator"])
    page = coordinator.get(f"/conversations/{placement.id}").get_data(as_text=True)
    assert "Hello" in page and "Write a message" not in page and "oversee this initiative" in page
    answer = coordinator.post(f"/conversations/{placement.id}/messages",
                              data={"text": "hi", "csrf_token": csrf_token(coordinator, "/")})
    assert answer.status_code == 403
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.actor_id == people["coordinator"].id))
    assert entry.action == "conversation.viewed" and entry.resident_ids == [people["resident"].id]


def test_an_ended_place_shows_the_conversation_closed(app, db_session, people, placement):
    conversations.post_message(db_session, placement.id, "Good luck!", actor=people["contact"])
    placement.state = S.ENDED
    db_session.commit()
    client = client_for(app, people["resident"])
    page = client.get(f"/conversations/{placement.id}").get_data(as_text=True)
    assert "Good luck!" in page and "This conversation is closed" in page and 'name="text"' not in page
    answer = write(client, placement.id, "one more thing")
    assert answer.status_code == 409 and "You can read it, but not write in it." in answer.get_data(as_text=True)


def test_unread_counts_on_my_initiatives_and_the_participants_page(app, db_session, people, placement):
    conversations.post_message(db_session, placement.id, "Can I come?", actor=people["resident"])
    for text in ("Welcome!", "Tuesday at ten?"):
        conversations.post_message(db_session, placement.id, text, actor=people["contact"])
    db_session.commit()
    resident, contact = client_for(app, people["resident"]), client_for(app, people["contact"])
    mine = resident.get("/citizens/initiatives").get_data(as_text=True)
    assert "2 new messages" in mine and f"/conversations/{placement.id}" in mine
    manage = contact.get(f"/professionals/initiatives/{placement.initiative_id}").get_data(as_text=True)
    assert "new</span>" not in manage and f"/conversations/{placement.id}" in manage  # writing is reading

    resident.get(f"/conversations/{placement.id}")
    assert "new message" not in resident.get("/citizens/initiatives").get_data(as_text=True)
    assert db_session.get(ConversationRead, (placement.id, people["resident"].id)) is not None
    write(resident, placement.id, "Fine, see you then")
    manage = contact.get(f"/professionals/initiatives/{placement.initiative_id}").get_data(as_text=True)
    assert "1 new</span>" in manage


def test_a_long_conversation_comes_in_pages_newest_first(app, db_session, people, placement):
    for number in range(1, conversations.MESSAGES_PER_PAGE + 3):
        conversations.post_message(db_session, placement.id, f"note number {number:03d}", actor=people["contact"])
    db_session.commit()
    client = client_for(app, people["resident"])
    newest = client.get(f"/conversations/{placement.id}").get_data(as_text=True)
    assert "note number 032" in newest and "note number 001" not in newest and 'rel="prev"' in newest
    oldest = client.get(f"/conversations/{placement.id}?page=1").get_data(as_text=True)
    assert "note number 001" in oldest and "note number 032" not in oldest
