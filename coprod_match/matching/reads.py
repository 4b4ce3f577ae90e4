"""What staff read from matching about residents: candidates and the plan, each look logged.

Pages and API call the same function for the same read, so both decide
access the same way and both leave the same audit record: professionals see
residents' data only as their work needs it, and every look is written down
(ids and counts only). The record rides on the request's unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..domain_errors import NotFound
from ..models import Initiative, User
from ..security import can_see_candidates
from ..services.audit import audit_record
from . import plan, service
from .facts import Match


@dataclass(frozen=True)
class Candidates:
    """One page of the people who could join an initiative, best first."""

    initiative: Initiative
    matches: list[Match]
    # The residents on this page, with their profiles.
    people: dict[int, User]
    # How many were ranked in all (at most the limit asked for).
    total: int


@dataclass(frozen=True)
class PlanRead:
    district: str | None
    result: plan.Plan
    people: dict[int, User]
    initiatives: dict[int, Initiative]


def read_candidates(session: orm.Session, initiative_id: int, *, actor: User, limit: int,
                    page: int = 1, per_page: int | None = None) -> Candidates:
    """People who could join the initiative, for its contacts, coordinators and admins.

    Ranks at most `limit` and shows one page of them (all of them when
    `per_page` is None). Someone else's initiative is not found, like a
    missing one.
    """
    initiative = session.get(Initiative, initiative_id)
    if initiative is None or not can_see_candidates(session, actor, initiative_id):
        raise NotFound()
    ranked = service.candidates_for_initiative(session, initiative_id, limit=limit)
    per_page = per_page or max(limit, 1)
    shown = ranked[(page - 1) * per_page : page * per_page]
    people = _by_id(session, User, [match.citizen_id for match in shown], orm.joinedload(User.citizen_profile))
    audit_record(session, "matching.candidates_viewed", "initiative", initiative_id,
                 actor=actor, citizen_ids=[match.citizen_id for match in shown])
    return Candidates(initiative, shown, people, len(ranked))


def read_plan(session: orm.Session, *, actor: User, district: str | None) -> PlanRead:
    """The placement plan for a district (None: the city), with the people and initiatives in it.

    An unknown district raises `service.UnknownDistrictError`.
    """
    result = service.placement_plan(session, district=district)
    people = _by_id(session, User, [row.citizen_id for row in result.rows],
                    orm.joinedload(User.citizen_profile))
    initiatives = _by_id(session, Initiative, [row.initiative_id for row in result.rows],
                         orm.joinedload(Initiative.neighbourhood))
    audit_record(session, "matching.plan_viewed", "district", None, actor=actor,
                 district=district, rows=len(result.rows))
    return PlanRead(district, result, people, initiatives)


def _by_id(session: orm.Session, model, ids: list[int], *options) -> dict:
    if not ids:
        return {}
    query = sa.select(model).where(model.id.in_(set(ids))).options(*options)
    return {item.id: item for item in session.scalars(query).unique()}
