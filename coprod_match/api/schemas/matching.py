"""Schemas of matching's answers: candidates and the placement plan (matching blueprint), and the
suggestions a citizen gets (served by the "my account" blueprint), each with its reasons."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...models import PlanState
from ...vocabulary import Limits
from ..common import PageArgsSchema, PaginationSchema, StrictSchema, Text, page_schema
from .initiatives import InitiativeSchema
from .people import CitizenSummarySchema


class ReasonSchema(Schema):
    code = fields.String(dump_only=True)
    text = fields.String(dump_only=True, metadata={"description": "In the caller's language"})


class SuggestionSchema(Schema):
    initiative = fields.Nested(InitiativeSchema, dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


class CandidateSchema(Schema):
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


SuggestionPageSchema = page_schema(SuggestionSchema, "SuggestionPageSchema")
CandidatePageSchema = page_schema(CandidateSchema, "CandidatePageSchema")


class PlanArgsSchema(PageArgsSchema):
    district = Text(validate=validate.Length(min=1, max=Limits.DISTRICT),
                    metadata={"description": "Only this district's initiatives (default: the whole city)"})


class PlanRequestSchema(StrictSchema):
    district = Text(validate=validate.Length(min=1, max=Limits.DISTRICT), allow_none=True,
                    metadata={"description": "Only this district's initiatives (absent or null: the whole city)"})


class PlanRowSchema(Schema):
    citizen = fields.Nested(CitizenSummarySchema, dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    initiative_title = fields.String(dump_only=True)
    score = fields.Float(dump_only=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


class PlanSummarySchema(Schema):
    objective = fields.Float(dump_only=True)
    objective_points = fields.Integer(dump_only=True)
    placed = fields.Integer(dump_only=True)
    at_risk_served = fields.Integer(dump_only=True)
    at_risk_servable = fields.Integer(dump_only=True)
    at_risk_in_scope = fields.Integer(dump_only=True)
    candidate_arcs = fields.Integer(dump_only=True)
    citizens_considered = fields.Integer(dump_only=True)
    initiatives_considered = fields.Integer(dump_only=True)


class PlanRunSchema(Schema):
    """One plan as asked for: waiting (queued, running), made (done) or failed."""

    id = fields.Integer(dump_only=True)
    district = fields.String(dump_only=True, allow_none=True)
    state = fields.String(dump_only=True, metadata={"enum": [state.value for state in PlanState]})
    requested_at = fields.DateTime(dump_only=True)
    started_at = fields.DateTime(dump_only=True, allow_none=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)


class PlanSchema(Schema):
    """The newest stored plan for a district or the city, one page of its rows."""

    district = fields.String(dump_only=True, allow_none=True)
    plan = fields.Nested(PlanRunSchema, dump_only=True, allow_none=True,
                         metadata={"description": "The newest plan made; null when none was made yet"})
    age_seconds = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "How old that plan is"})
    summary = fields.Nested(PlanSummarySchema, dump_only=True, allow_none=True)
    waiting = fields.Nested(PlanRunSchema, dump_only=True, allow_none=True,
                            metadata={"description": "A plan asked for and not made yet"})
    failed = fields.Nested(PlanRunSchema, dump_only=True, allow_none=True,
                           metadata={"description": "The newest plan, when it could not be made"})
    items = fields.List(fields.Nested(PlanRowSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)
