"""Schemas of the conversations blueprint: a page of a placement's conversation, and a new message."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...vocabulary import Limits
from ..common import PaginationSchema, StrictSchema, Text


class AuthorSchema(Schema):
    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)


class MessageSchema(Schema):
    """One message; `text` is empty when its author's account was erased (`removed`)."""

    id = fields.Integer(dump_only=True)
    author = fields.Nested(AuthorSchema, dump_only=True, allow_none=True)
    mine = fields.Boolean(dump_only=True, metadata={"description": "The caller wrote it"})
    text = fields.String(dump_only=True, metadata={"description": "Plain text with line breaks; show it escaped"})
    removed = fields.Boolean(dump_only=True)
    sent_at = fields.DateTime(dump_only=True)


class ConversationSchema(Schema):
    """A page of a placement's conversation, oldest first; reading it marks it read for the caller."""

    placement_id = fields.Integer(dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    initiative_title = fields.String(dump_only=True)
    resident = fields.Nested(AuthorSchema, dump_only=True)
    may_write = fields.Boolean(dump_only=True, metadata={
        "description": "False once the placement ended, and for coordinators and admins, who only read"})
    first_unread_id = fields.Integer(dump_only=True, allow_none=True, metadata={
        "description": "The first message that was new to the caller before this request"})
    items = fields.List(fields.Nested(MessageSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class NewMessageSchema(StrictSchema):
    text = Text(required=True, validate=validate.Length(min=1, max=Limits.CONVERSATION_MESSAGE),
                metadata={"description": "Plain text; line breaks are kept"})
