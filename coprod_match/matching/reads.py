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
from ..models import WAITING_PLAN_STATES, Initiative, PlanRow, PlanRun, PlanState, User, scope_key
from ..queries.paging import Page
from ..security import can_see_candidates
from ..services import access
from ..services.audit import audit_record
from . import plan_runs, service
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
    # "Needs N more" from the same fresh head counts the ranking used; None when it takes no one (not open).
    volunteers_needed: int | None = None


@dataclass(frozen=True)
class PlanRead:
    """One page of the newest stored plan for a district (or the city), and any plan still being made."""

    district: str | None
    # The newest plan that was made (None: none yet), and its rows on this page, best first.
    plan_run: PlanRun | None
    rows: list[Match]
    people: dict[int, User]
    initiatives: dict[int, Initiative]
    page: Page
    # A plan asked for and not made yet (queued or running), and the newest plan if it failed after it.
    waiting: PlanRun | None
    failed: PlanRun | None


def read_candidates(session: orm.Session, initiative_id: int, *, actor: User, limit: int,
                    page: int = 1, per_page: int | None = None) -> Candidates:
    """People who could join the initiative, for its contacts, coordinators and admins.

    Ranks at most `limit` and shows one page of them (all of them when
    `per_page` is None). Someone else's initiative is not found, like a
    missing one.
    """
    # With its versions: each candidate's default invitation names it in their language (one query).
    initiative = session.get(Initiative, initiative_id, options=[orm.joinedload(Initiative.versions)])
    if initiative is None or not can_see_candidates(session, actor, initiative_id):
        raise NotFound()
    facts = service.initiative_facts(session, initiative_id)
    ranked = service.candidates_for_initiative(session, initiative_id, limit=limit, facts=facts)
    per_page = per_page or max(limit, 1)
    page_matches = ranked[(page - 1) * per_page : page * per_page]
    # The ranking reads a snapshot: someone who withdrew consent a moment ago is left out here.
    people = _by_id(session, User, [match.citizen_id for match in page_matches],
                    orm.joinedload(User.citizen_profile), where=access.visible_residents(actor))
    shown = [match for match in page_matches if match.citizen_id in people]
    audit_record(session, "matching.candidates_viewed", "initiative", initiative_id,
                 actor=actor, residents=[match.citizen_id for match in shown])
    return Candidates(initiative, shown, people, len(ranked),
                      volunteers_needed=facts.open_places if facts is not None else None)


def read_plan(session: orm.Session, *, actor: User, district: str | None, page: int = 1,
              per_page: int = 50) -> PlanRead:
    """One page of the newest stored plan for a district (None: the city); never makes a plan.

    The look is logged with the residents shown on this page. An unknown
    district raises `service.UnknownDistrictError`.
    """
    if district is not None and district not in service.districts(session):
        raise service.UnknownDistrictError(field="district")
    plan_runs.check_district(actor, district)
    runs = sa.select(PlanRun).where(PlanRun.scope_key == scope_key(district))
    made = session.scalar(runs.where(PlanRun.state == PlanState.DONE)
                          .order_by(PlanRun.finished_at.desc(), PlanRun.id.desc()).limit(1))
    waiting = session.scalar(runs.where(PlanRun.state.in_(WAITING_PLAN_STATES)).order_by(PlanRun.id).limit(1))
    failed = session.scalar(runs.where(PlanRun.state == PlanState.FAILED)
                            .order_by(PlanRun.finished_at.desc(), PlanRun.id.desc()).limit(1))
    if failed is not None and made is not None and failed.id < made.id:
        failed = None
    stored, total = [], 0
    if made is not None:
        # Only rows of residents the viewer may see now (consent can be withdrawn after the plan was made).
        shown_rows = (sa.select(PlanRow).join(User, User.id == PlanRow.citizen_id)
                      .where(PlanRow.plan_run_id == made.id, access.visible_residents(actor)))
        total = session.scalar(sa.select(sa.func.count()).select_from(shown_rows.subquery()))
        stored = session.scalars(shown_rows.order_by(PlanRow.position)
                                 .offset((page - 1) * per_page).limit(per_page)).all()
    rows = [Match(row.citizen_id, row.initiative_id, row.score,
                  tuple(plan_runs.reason_from_json(reason) for reason in row.reasons)) for row in stored]
    people = _by_id(session, User, [row.citizen_id for row in rows], orm.joinedload(User.citizen_profile))
    initiatives = _by_id(session, Initiative, [row.initiative_id for row in rows],
                         orm.joinedload(Initiative.neighbourhood))
    audit_record(session, "matching.plan_viewed", "plan_run", made.id if made else None, actor=actor,
                 district=district, page=page, residents=[row.citizen_id for row in rows])
    return PlanRead(district, made, rows, people, initiatives, Page(rows, page, per_page, total), waiting, failed)


def _by_id(session: orm.Session, model, ids: list[int], *options, where=None) -> dict:
    if not ids:
        return {}
    query = sa.select(model).where(model.id.in_(set(ids))).options(*options)
    if where is not None:
        query = query.where(where)
    return {item.id: item for item in session.scalars(query).unique()}
