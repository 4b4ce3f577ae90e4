"""Schemas of matching's answers: candidates and the placement plan (matching blueprint), and the
suggestions a citizen gets (served by the "my account" blueprint), each with its reasons."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...vocabulary import Limits
from ..common import StrictSchema, Text, page_schema
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


class PlanArgsSchema(StrictSchema):
    district = Text(validate=validate.Length(min=1, max=Limits.DISTRICT))


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


class PlanSchema(Schema):
    district = fields.String(dump_only=True, allow_none=True)
    summary = fields.Nested(PlanSummarySchema, dump_only=True)
    rows = fields.List(fields.Nested(PlanRowSchema), dump_only=True)
