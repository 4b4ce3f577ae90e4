"""Schemas of the placements blueprint: a placement, its list filters, one move of its state machine.

The invitations and "my account" blueprints answer with a placement too.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...models import PlacementState
from ...vocabulary import CHOSEN_END_REASONS, Limits
from ..common import PageArgsSchema, StrictSchema, Text, page_schema
from .invitations import InvitationOutSchema
from .people import CitizenSummarySchema

STATES = [state.value for state in PlacementState]


class PlacementSchema(Schema):
    """A citizen's place in an initiative. `citizen` is given to staff only."""

    id = fields.Integer(dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    initiative_title = fields.String(dump_only=True)
    state = fields.String(dump_only=True, validate=validate.OneOf(STATES))
    created_at = fields.DateTime(dump_only=True)
    state_changed_at = fields.DateTime(dump_only=True)
    starts_on = fields.Date(dump_only=True, allow_none=True)
    end_reason = fields.String(dump_only=True, allow_none=True)
    citizen_message = fields.String(dump_only=True, allow_none=True)
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    invitation = fields.Nested(InvitationOutSchema, dump_only=True, allow_none=True,
                               metadata={"description": "The latest invitation, when there was one"})
    allowed_moves = fields.List(fields.String(validate=validate.OneOf(STATES)), dump_only=True,
                                metadata={"description": "States the caller may move this placement to"})


PlacementPageSchema = page_schema(PlacementSchema, "PlacementPageSchema")


class PlacementListArgsSchema(PageArgsSchema):
    initiative_id = fields.Integer(validate=validate.Range(min=1, max=Limits.ID_MAX))
    state = fields.String(validate=validate.OneOf(STATES))


class MoveSchema(StrictSchema):
    """One move of the placement state machine."""

    to = fields.String(required=True, validate=validate.OneOf(STATES))
    reason = Text(allow_none=True, load_default=None, validate=validate.Length(max=Limits.SHORT_MESSAGE),
                  metadata={"description": "Why (for rejected and ended)"})
    end_reason = fields.String(allow_none=True, load_default=None,
                               validate=validate.OneOf([reason.value for reason in CHOSEN_END_REASONS]))
    starts_on = fields.Date(allow_none=True, load_default=None,
                            metadata={"description": "For accepted: when the citizen starts (default today)"})

    @validates_schema
    def _reason_for_rejection(self, data, **_kwargs):
        if data["to"] == PlacementState.REJECTED and not (data.get("reason") or "").strip():
            raise ValidationError("Say why, in a few words.", "reason")
