"""A placement's conversation through the API: the same service and rules as the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.models import AuditEntry, Notification, PlacementMessage, PlacementState, Role
from coprod_match.vocabulary import Limits
from tests import factories
from tests.factories import api_headers


@pytest.fixture
def setting(app, db_session, make_user):
    resident, contact = make_user(Role.CITIZEN, name="Amina"), make_user(Role.PROFESSIONAL, name="Fatima")
    stranger = make_user(Role.PROFESSIONAL, name="Other Pro")
    care = factories.day_care(db_session, contact=contact)
    placement = factories.placement(db_session, resident, care, PlacementState.INVITED)
    headers = {name: api_headers(db_session, user, actor=None)
               for name, user in (("resident", resident), ("contact", contact), ("stranger", stranger))}
    db_session.commit()
    return {"placement": placement, "headers": headers, "path": f"/api/v1/placements/{placement.id}/messages",
            "resident": resident, "contact": contact}


def test_post_and_list_from_both_sides(app, db_session, setting):
    client, path, headers = app.test_client(), setting["path"], setting["headers"]
    sent = client.post(path, json={"text": "Is there parking?\nI come by car."}, headers=headers["resident"])
    assert sent.status_code == 201 and sent.headers["Location"].endswith(path)
    body = sent.get_json()
    assert body["text"] == "Is there parking?\nI come by car." and body["mine"] and not body["removed"]
    assert client.post(path, json={"text": "Yes, behind the building."}, headers=headers["contact"]).status_code == 201

    listed = client.get(path, headers=headers["contact"]).get_json()
    assert [item["text"] for item in listed["items"]] == ["Is there parking?\nI come by car.",
                                                          "Yes, behind the building."]
    assert [item["mine"] for item in listed["items"]] == [False, True]
    assert listed["resident"]["display_name"] == "Amina" and listed["may_write"] is True
    assert listed["pagination"]["total"] == 2
    # The contact's reply was new to the resident until this list.
    first = client.get(path, headers=headers["resident"]).get_json()
    assert first["first_unread_id"] == listed["items"][1]["id"]
    assert client.get(path, headers=headers["resident"]).get_json()["first_unread_id"] is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.kind == "conversation.message")) == 2
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "conversation.viewed")).all()
    assert [entry.resident_ids for entry in looks] == [[setting["resident"].id]]  # the contact's one look


@pytest.mark.parametrize("body, pointer", [({"text": ""}, "#/text"), ({"text": "   "}, "#/text"),
                                           ({"text": "x" * (Limits.CONVERSATION_MESSAGE + 1)}, "#/text"),
                                           ({}, "#/text")])
def test_bad_text_is_a_problem_document_pointing_at_the_field(app, db_session, setting, body, pointer):
    answer = app.test_client().post(setting["path"], json=body, headers=setting["headers"]["resident"])
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert pointer in [error.get("pointer") for error in answer.get_json()["errors"]]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage)) == 0


def test_unknown_fields_are_refused(app, setting):
    answer = app.test_client().post(setting["path"], json={"text": "hi", "author_id": 1},
                                    headers=setting["headers"]["resident"])
    assert answer.status_code == 422


def test_a_stranger_gets_not_found_either_way(app, db_session, setting):
    client, path, headers = app.test_client(), setting["path"], setting["headers"]["stranger"]
    assert client.get(path, headers=headers).status_code == 404
    assert client.post(path, json={"text": "hello"}, headers=headers).status_code == 404
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "conversation.viewed")) == 0


def test_an_ended_place_answers_conflict_on_writing(app, db_session, setting):
    setting["placement"].state = PlacementState.DECLINED
    db_session.commit()
    answer = app.test_client().post(setting["path"], json={"text": "hello"}, headers=setting["headers"]["contact"])
    assert answer.status_code == 409 and answer.get_json()["type"].endswith("conversation-closed")
    listed = app.test_client().get(setting["path"], headers=setting["headers"]["resident"]).get_json()
    assert listed["may_write"] is False


def test_the_openapi_document_describes_both_operations(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = spec["paths"]["/api/v1/placements/{placement_id}/messages"]
    assert set(operations) >= {"get", "post"}
    assert "201" in operations["post"]["responses"] and "422" in operations["post"]["responses"]
