"""Schemas of the jobs blueprint: the scheduler's run log and its filters."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...models import JobOutcome
from ...vocabulary import Limits
from ..common import PageArgsSchema, Text, page_schema


class JobRunSchema(Schema):
    id = fields.Integer(dump_only=True)
    job_name = fields.String(dump_only=True)
    holder = fields.String(dump_only=True)
    started_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True, validate=validate.OneOf([o.value for o in JobOutcome]))
    counts = fields.Dict(keys=fields.String(), dump_only=True)
    error = fields.String(dump_only=True, allow_none=True)


JobRunPageSchema = page_schema(JobRunSchema, "JobRunPageSchema")


class JobRunArgsSchema(PageArgsSchema):
    job_name = Text(validate=validate.Length(min=1, max=Limits.JOB_NAME))
    outcome = fields.String(validate=validate.OneOf([o.value for o in JobOutcome]))
