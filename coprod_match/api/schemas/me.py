"""Schemas of the "my account" blueprint: the account, the citizen's profile, signing up."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...models import LanguageLevel
from ...vocabulary import Gender, Limits
from ..common import (
    CODE,
    SLOT_KEYS,
    Count,
    Id,
    Slot,
    StrictBoolean,
    StrictSchema,
    Text,
)

GENDER_DESCRIPTION = ("Optional. Used only for initiatives open to women or men only; "
                      "null (not said) is never suggested for those")
BIRTH_YEAR_DESCRIPTION = ("Optional. Used only for initiatives with an age range; "
                          "from 120 years ago up to this year")


class CitizenLanguageSchema(StrictSchema):
    code = Text(required=True, validate=validate.Length(min=1, max=Limits.LANGUAGE_CODE))
    level = fields.String(required=True, validate=validate.OneOf([level.value for level in LanguageLevel]))


class CitizenProfileSchema(Schema):
    """The citizen's own answers, as they see them."""

    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
    interests = fields.List(fields.String(), dump_only=True)
    languages = fields.List(fields.Nested(CitizenLanguageSchema), dump_only=True)
    wants_to_practise_dutch = fields.Boolean(dump_only=True)
    availability = fields.List(fields.String(validate=validate.OneOf(SLOT_KEYS)), dump_only=True,
                               metadata={"description": "Weekly slots, e.g. tue-morning"})
    max_hours_per_week = fields.Integer(dump_only=True, allow_none=True)
    max_initiatives = fields.Integer(dump_only=True)
    consent_to_contact = fields.Boolean(dump_only=True, metadata={
        "description": "May professionals see the citizen as a candidate and invite them?"})
    gender = fields.String(dump_only=True, allow_none=True, validate=validate.OneOf([g.value for g in Gender]),
                           metadata={"description": GENDER_DESCRIPTION})
    birth_year = fields.Integer(dump_only=True, allow_none=True, metadata={"description": BIRTH_YEAR_DESCRIPTION})
    consent_given_at = fields.DateTime(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class ProfileUpdateSchema(StrictSchema):
    """PATCH /me: any of the profile's answers; the rest stay as they are."""

    neighbourhood_id = Id(required=True)
    interests = fields.List(Text(**CODE), required=True, validate=validate.Length(max=Limits.CODES_PER_LIST))
    languages = fields.List(fields.Nested(CitizenLanguageSchema), required=True,
                            validate=validate.Length(max=Limits.CODES_PER_LIST))
    wants_to_practise_dutch = StrictBoolean(required=True)
    availability = fields.List(Slot(), required=True, validate=validate.Length(max=len(SLOT_KEYS)),
                               metadata={"description": "Weekly slots, e.g. tue-morning"})
    max_hours_per_week = Count(1, Limits.CITIZEN_HOURS_MAX, required=True, allow_none=True)
    max_initiatives = Count(1, Limits.CITIZEN_INITIATIVES_MAX, required=True)
    consent_to_contact = StrictBoolean(required=True, metadata={
        "description": "May professionals see the citizen as a candidate and invite them?"})
    gender = fields.String(required=True, allow_none=True, validate=validate.OneOf([g.value for g in Gender]),
                           metadata={"description": GENDER_DESCRIPTION})
    # The sane range depends on the year: the service checks it (422 with a pointer to this field).
    birth_year = fields.Integer(strict=True, required=True, allow_none=True,
                                metadata={"description": BIRTH_YEAR_DESCRIPTION})


class MeSchema(StrictSchema):
    """The logged-in account; the profile only for citizens."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    preferred_locale = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    spoken_languages = fields.List(fields.String(), dump_only=True, metadata={
        "description": "Language codes a professional or coordinator speaks with residents (account details)"})
    profile = fields.Nested(CitizenProfileSchema, dump_only=True, allow_none=True)


class ApplySchema(StrictSchema):
    """A citizen signing up for an initiative (the answer is a placement)."""

    initiative_id = Id(required=True)
    message = Text(allow_none=True, load_default=None, validate=validate.Length(max=Limits.SHORT_MESSAGE))
