"""Schemas of the alerts blueprint: continuity alerts, their filters, and acting on one."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...models import AlertKind, AlertStatus
from ...vocabulary import Limits
from ..common import Id, PageArgsSchema, StrictSchema, Text, page_schema
from .people import CitizenSummarySchema


class AlertSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, validate=validate.OneOf([k.value for k in AlertKind]))
    status = fields.String(dump_only=True, validate=validate.OneOf([s.value for s in AlertStatus]))
    severity = fields.Integer(dump_only=True)
    description = fields.String(dump_only=True, metadata={"description": "In plain words"})
    initiative_id = fields.Integer(dump_only=True, allow_none=True)
    initiative_title = fields.String(dump_only=True, allow_none=True)
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True, allow_none=True)
    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
    district = fields.String(dump_only=True, allow_none=True)
    assignee_id = fields.Integer(dump_only=True, allow_none=True)
    first_seen_at = fields.DateTime(dump_only=True)
    last_seen_at = fields.DateTime(dump_only=True)
    acknowledged_at = fields.DateTime(dump_only=True, allow_none=True)
    resolved_at = fields.DateTime(dump_only=True, allow_none=True)
    previous_alert_id = fields.Integer(dump_only=True, allow_none=True)


AlertPageSchema = page_schema(AlertSchema, "AlertPageSchema")


class AlertListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf([k.value for k in AlertKind]))
    status = fields.String(validate=validate.OneOf(
        [s.value for s in AlertStatus] + ["unresolved", "all"]), metadata={"description": "Default: unresolved"})
    severity = fields.Integer(validate=validate.Range(min=1, max=4))
    district = Text(validate=validate.Length(min=1, max=Limits.DISTRICT))
    neighbourhood_id = fields.Integer(validate=validate.Range(min=1, max=Limits.ID_MAX))
    assignee = fields.String(validate=validate.Regexp(r"^(me|nobody|[1-9][0-9]{0,8})$"),
                             metadata={"description": "me, nobody, or a user id"})
    scope = fields.String(validate=validate.OneOf(["mine", "all"]),
                          metadata={"description": "mine: the caller's work areas (default); all: the city"})


class AssignSchema(StrictSchema):
    assignee_id = Id(required=True, allow_none=True, metadata={"description": "null: nobody"})


class ResolveSchema(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=1, max=Limits.ALERT_NOTE))


class NoteSchema(StrictSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=Limits.ALERT_NOTE))


class NoteOutSchema(Schema):
    id = fields.Integer(dump_only=True)
    alert_id = fields.Integer(dump_only=True)
    author_id = fields.Integer(dump_only=True, allow_none=True)
    body = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
