"""A placement's conversation: read a page of it, write in it. The same service as the pages.

Who may read and write is decided in services/conversations.py: the resident
and the initiative's current contact persons read and write while the
placement is live; coordinators over its area and admins read. Someone
else's conversation answers 404.
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from ..extensions import db
from ..models import PlacementMessage, Role
from ..security import role_required
from ..services import conversations
from .common import LINK_HEADER, ApiBlueprint, PageArgsSchema, errors, page_body
from .schemas.conversations import ConversationSchema, MessageSchema, NewMessageSchema

blp = ApiBlueprint("api_conversations", __name__, title="Conversations",
                   description="The messages between a resident and the contact persons of an initiative")

PATH = "/placements/<id:placement_id>/messages"


def message_out(message: PlacementMessage) -> dict:
    author = message.author
    return {
        "id": message.id, "mine": message.author_id == current_user.id, "text": message.body,
        "removed": not message.body, "sent_at": message.sent_at,
        "author": None if author is None else {"id": author.id, "display_name": author.shown_name},
    }


@blp.get(PATH)
@role_required(*Role)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ConversationSchema, headers=LINK_HEADER)
@errors(blp, 403, 404)
def list_messages(args, placement_id):
    """A page of the conversation, oldest first (page 1 is the start); marks it read for me"""
    thread = conversations.read_thread(db.session, placement_id, actor=current_user, page=args["page"],
                                       per_page=args["per_page"])
    page = thread.messages
    body, headers = page_body([message_out(m) for m in page.items], page.page, page.per_page, page.total)
    placement = thread.placement
    body.update(placement_id=placement.id, initiative_id=placement.initiative_id,
                initiative_title=placement.initiative.title, may_write=thread.may_write,
                first_unread_id=thread.first_unread_id,
                resident={"id": placement.citizen_id, "display_name": placement.citizen.shown_name})
    return body, headers


@blp.post(PATH)
@role_required(Role.CITIZEN, Role.PROFESSIONAL)
@blp.arguments(NewMessageSchema)
@blp.response(201, MessageSchema, headers={"Location": {"schema": {"type": "string"}}})
@errors(blp, 403, 404, 409, 422)
def post_message(data, placement_id):
    """Write a message; the other side is told in their inbox"""
    message = conversations.post_message(db.session, placement_id, data["text"], actor=current_user)
    location = url_for("api_conversations.list_messages", placement_id=placement_id)
    return message_out(message), {"Location": location}
