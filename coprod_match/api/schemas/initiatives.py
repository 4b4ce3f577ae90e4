"""Schemas of the initiatives blueprint: an initiative out, a professional's input, the search filters."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from ... import single_line
from ...models import InitiativeStatus
from ...queries.search import RADIUS_CHOICES_KM, SORTS
from ...schedule import DAYS, PARTS_OF_DAY
from ...vocabulary import UI_LOCALES, Limits, OpenTo
from ..common import (
    CODE,
    SLOT_KEYS,
    Count,
    Id,
    PageArgsSchema,
    Slot,
    StrictBoolean,
    StrictSchema,
    Text,
    page_schema,
)
from .people import ContactSchema


def one_line(text: str) -> None:
    """A title goes into mail subjects: one line, no control characters (422 otherwise)."""
    if single_line.has_control_characters(text):
        raise ValidationError(str(single_line.MESSAGE))


OPEN_TO_DESCRIPTION = ("Who may join: everyone, women or men only. A hard rule: residents outside it, "
                       "or who did not say, are not suggested and cannot sign up or be invited")


WRITTEN_IN_DESCRIPTION = ("The interface language (one of " + ", ".join(UI_LOCALES) + ") that title, description "
                          "and the tasks are written in: the original. Versions in other languages are in `versions`")
VERSION_TASKS_DESCRIPTION = ("The tasks' titles in this language, one per task in the order of core_tasks followed by "
                             "complementary_tasks; null where a task has no title in this language (readers then "
                             "get the original's)")


class VersionSchema(Schema):
    """The initiative in one language other than the original (`written_in`)."""

    locale = fields.String(dump_only=True, validate=validate.OneOf(UI_LOCALES))
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    tasks = fields.List(fields.String(allow_none=True), dump_only=True,
                        metadata={"description": VERSION_TASKS_DESCRIPTION})


class VersionInputSchema(StrictSchema):
    """An initiative's title, description and tasks in the language named in the path."""

    title = Text(required=True, validate=[validate.Length(min=1, max=Limits.INITIATIVE_TITLE), one_line])
    description = Text(load_default="", validate=validate.Length(max=Limits.INITIATIVE_DESCRIPTION))
    tasks = fields.List(Text(allow_none=True, validate=validate.Length(max=Limits.TASK_TITLE)), load_default=list,
                        validate=validate.Length(max=2 * Limits.TASKS_PER_KIND),
                        metadata={"description": VERSION_TASKS_DESCRIPTION})


class InitiativeSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True, metadata={"description": "In the language `written_in`"})
    description = fields.String(dump_only=True, metadata={"description": "In the language `written_in`"})
    written_in = fields.String(dump_only=True, validate=validate.OneOf(UI_LOCALES),
                               metadata={"description": WRITTEN_IN_DESCRIPTION})
    versions = fields.List(fields.Nested(VersionSchema), dump_only=True, metadata={
        "description": "Every version in another language than `written_in` (the original is not repeated "
                       "here), by language code"})
    status = fields.String(dump_only=True, validate=validate.OneOf([s.value for s in InitiativeStatus]))
    neighbourhood_id = fields.Integer(dump_only=True)
    neighbourhood = fields.String(dump_only=True)
    district = fields.String(dump_only=True)
    location = fields.String(dump_only=True, allow_none=True)
    target_groups = fields.List(fields.String(), dump_only=True)
    interests = fields.List(fields.String(), dump_only=True)
    languages = fields.List(fields.String(), dump_only=True)
    core_tasks = fields.List(fields.String(), dump_only=True)
    complementary_tasks = fields.List(fields.String(), dump_only=True)
    schedule = fields.List(fields.String(), dump_only=True)
    hours_per_week = fields.Integer(dump_only=True)
    volunteers_min = fields.Integer(dump_only=True)
    volunteers_ideal = fields.Integer(dump_only=True)
    active_volunteers = fields.Integer(dump_only=True)
    volunteers_needed = fields.Integer(dump_only=True, metadata={
        "description": "How many more volunteers can still be accepted: volunteers_ideal minus the places held "
                       "(accepted, active or paused), at least 0"})
    welcomes_dutch_learners = fields.Boolean(dump_only=True)
    open_to = fields.String(dump_only=True, validate=validate.OneOf([o.value for o in OpenTo]),
                            metadata={"description": OPEN_TO_DESCRIPTION})
    min_age = fields.Integer(dump_only=True, allow_none=True)
    max_age = fields.Integer(dump_only=True, allow_none=True)
    start_date = fields.Date(dump_only=True)
    end_date = fields.Date(dump_only=True, allow_none=True)
    distance_km = fields.Float(dump_only=True, allow_none=True,
                               metadata={"description": "From the `near` neighbourhood, when asked"})
    contacts = fields.List(fields.Nested(ContactSchema), dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


InitiativePageSchema = page_schema(InitiativeSchema, "InitiativePageSchema")


class InitiativeInputSchema(StrictSchema):
    """What a professional writes about an initiative (POST: all required ones; PATCH: any)."""

    title = Text(required=True, validate=[validate.Length(min=1, max=Limits.INITIATIVE_TITLE), one_line])
    description = Text(required=True, validate=validate.Length(min=1, max=Limits.INITIATIVE_DESCRIPTION))
    written_in = fields.String(load_default=UI_LOCALES[0], validate=validate.OneOf(UI_LOCALES),
                               metadata={"description": WRITTEN_IN_DESCRIPTION})
    neighbourhood_id = Id(required=True)
    location = Text(allow_none=True, load_default=None, validate=validate.Length(max=Limits.INITIATIVE_LOCATION))
    target_groups = fields.List(Text(**CODE), load_default=list, validate=validate.Length(max=Limits.CODES_PER_LIST))
    interests = fields.List(Text(**CODE), load_default=list, validate=validate.Length(max=Limits.CODES_PER_LIST))
    languages = fields.List(Text(validate=validate.Length(min=1, max=Limits.LANGUAGE_CODE)), load_default=list,
                            validate=validate.Length(max=Limits.CODES_PER_LIST))
    core_tasks = fields.List(Text(validate=validate.Length(min=1, max=Limits.TASK_TITLE)), load_default=list,
                             validate=validate.Length(max=Limits.TASKS_PER_KIND))
    complementary_tasks = fields.List(Text(validate=validate.Length(min=1, max=Limits.TASK_TITLE)), load_default=list,
                              validate=validate.Length(max=Limits.TASKS_PER_KIND),
                              metadata={"description": "Simple complementary tasks: coffee, games..."})
    schedule = fields.List(Slot(), load_default=list, validate=validate.Length(max=len(SLOT_KEYS)))
    hours_per_week = Count(1, Limits.HOURS_PER_WEEK_MAX, load_default=2)
    volunteers_min = Count(0, Limits.VOLUNTEERS_MAX, load_default=1)
    volunteers_ideal = Count(1, Limits.VOLUNTEERS_MAX, load_default=3)
    welcomes_dutch_learners = StrictBoolean(load_default=False)
    open_to = fields.String(load_default=OpenTo.EVERYONE.value, validate=validate.OneOf([o.value for o in OpenTo]),
                            metadata={"description": OPEN_TO_DESCRIPTION})
    min_age = Count(0, Limits.AGE_MAX, allow_none=True, load_default=None)
    max_age = Count(0, Limits.AGE_MAX, allow_none=True, load_default=None,
                    metadata={"description": "At least min_age; null: no upper limit"})
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)


class InitiativeChangesSchema(InitiativeInputSchema):
    """PATCH: any of the initiative's details; the rest stay as they are."""


class InitiativeStatusSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(
        [InitiativeStatus.OPEN.value, InitiativeStatus.PAUSED.value, InitiativeStatus.CLOSED.value]))


class InitiativeSearchSchema(PageArgsSchema):
    """The filters of the initiatives page, with the same meaning."""

    near = fields.Integer(validate=validate.Range(min=1, max=Limits.ID_MAX),
                          metadata={"description": "Neighbourhood id to search around"})
    radius = fields.Integer(validate=validate.OneOf(RADIUS_CHOICES_KM),
                            metadata={"description": "Km around `near`"})
    interest = Text(validate=validate.Length(min=1, max=Limits.CODE))
    group = Text(validate=validate.Length(min=1, max=Limits.CODE), metadata={"description": "Target group code"})
    language = Text(validate=validate.Length(min=1, max=Limits.LANGUAGE_CODE))
    speaks = Text(validate=validate.Length(min=1, max=Limits.LANGUAGE_CODE),
                  metadata={"description": "Language code one of its contact persons speaks"})
    day = fields.String(validate=validate.OneOf(DAYS))
    part = fields.String(validate=validate.OneOf(PARTS_OF_DAY))
    q = Text(validate=validate.Length(min=1, max=Limits.SEARCH_TEXT), metadata={"description": "Words in its title, description or tasks, in any of its languages"})
    sort = fields.String(validate=validate.OneOf(SORTS))
    open_to_me = fields.Boolean(truthy={"true", "1"}, falsy={"false", "0"}, metadata={
        "description": "Only initiatives the calling resident may join (gender, age); ignored for staff"})
