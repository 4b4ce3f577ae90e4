"""Schemas of the invitations blueprint: sending an invitation, answering it, listing them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...models import DeclineReason
from ...vocabulary import Limits
from ..common import Id, PageArgsSchema, StrictSchema, Text
from .people import ContactSchema


class InvitationAnswerSchema(StrictSchema):
    answer = fields.String(required=True, validate=validate.OneOf(["accepted", "declined"]))
    decline_reason = fields.String(allow_none=True, load_default=None,
                                   validate=validate.OneOf([reason.value for reason in DeclineReason]),
                                   metadata={"description": "Why not (optional, for declined)"})


class InviteSchema(StrictSchema):
    citizen_id = Id(required=True)
    initiative_id = Id(required=True)
    message = Text(allow_none=True, load_default=None, validate=validate.Length(max=Limits.INVITATION_MESSAGE),
                   metadata={"description": "A personal message (default: a friendly standard text)"})


class InvitationOutSchema(Schema):
    """The invitation behind an invited placement."""

    id = fields.Integer(dump_only=True)
    message = fields.String(dump_only=True)
    sender = fields.Nested(ContactSchema, dump_only=True, allow_none=True)
    sent_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    answer = fields.String(dump_only=True, allow_none=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)


class InvitationListArgsSchema(PageArgsSchema):
    initiative_id = fields.Integer(validate=validate.Range(min=1, max=Limits.ID_MAX))
