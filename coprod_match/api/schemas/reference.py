"""Schemas of the reference blueprint: neighbourhoods, languages, interests and target groups."""

from __future__ import annotations

from marshmallow import Schema, fields

from ..common import page_schema


class NeighbourhoodSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    district = fields.String(dump_only=True)
    latitude = fields.Float(dump_only=True)
    longitude = fields.Float(dump_only=True)


class LanguageSchema(Schema):
    code = fields.String(dump_only=True)
    english_name = fields.String(dump_only=True)
    dutch_name = fields.String(dump_only=True)
    endonym = fields.String(dump_only=True)


class CategorySchema(Schema):
    """An interest category or a target group."""

    code = fields.String(dump_only=True)
    label_en = fields.String(dump_only=True)
    label_nl = fields.String(dump_only=True)


NeighbourhoodPageSchema = page_schema(NeighbourhoodSchema, "NeighbourhoodPageSchema")
LanguagePageSchema = page_schema(LanguageSchema, "LanguagePageSchema")
CategoryPageSchema = page_schema(CategorySchema, "CategoryPageSchema")
