"""Reference data, read-only and public: neighbourhoods, languages, interests, target groups."""

from __future__ import annotations

import sqlalchemy as sa

from ..models import InterestCategory, Language, Neighbourhood, TargetGroup
from .common import LINK_HEADER, ApiBlueprint, PageArgsSchema, errors, paginate
from .schemas.reference import CategoryPageSchema, LanguagePageSchema, NeighbourhoodPageSchema

blp = ApiBlueprint("api_reference", __name__, title="Reference data", description="Neighbourhoods and taxonomies (read-only)")


@blp.get("/neighbourhoods")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, NeighbourhoodPageSchema, headers=LINK_HEADER)
@errors(blp)
def neighbourhoods(args):
    """The neighbourhoods of the city, by district"""
    return paginate(sa.select(Neighbourhood).order_by(Neighbourhood.district, Neighbourhood.name,
                                                      Neighbourhood.id), args)


@blp.get("/languages")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, LanguagePageSchema, headers=LINK_HEADER)
@errors(blp)
def languages(args):
    """Languages residents speak (ISO 639 codes)"""
    return paginate(sa.select(Language).order_by(Language.code), args)


@blp.get("/interests")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CategoryPageSchema, headers=LINK_HEADER)
@errors(blp)
def interests(args):
    """Interest categories"""
    return paginate(sa.select(InterestCategory).order_by(InterestCategory.code), args)


@blp.get("/target-groups")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CategoryPageSchema, headers=LINK_HEADER)
@errors(blp)
def target_groups(args):
    """Target groups of initiatives"""
    return paginate(sa.select(TargetGroup).order_by(TargetGroup.code), args)

