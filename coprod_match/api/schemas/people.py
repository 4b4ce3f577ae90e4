"""People as others see them, nested in the answers of several blueprints."""

from __future__ import annotations

from marshmallow import Schema, fields


class ContactSchema(Schema):
    """A contact professional, as anyone may see them on an initiative."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True, allow_none=True)
    spoken_languages = fields.List(fields.String(), dump_only=True, metadata={
        "description": "Language codes this contact person speaks with residents"})


class CitizenSummarySchema(Schema):
    """What staff see of a citizen: enough to recognise and contact through the site, no more."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
