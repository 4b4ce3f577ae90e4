"""Matching for staff: people who could join an initiative, and the district placement plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import orm

from ..extensions import db
from ..matching import service as matching
from ..matching.texts import Labels, reason_text
from ..models import Initiative, Role, User
from ..security import can_see_candidates, role_required
from ..services.audit import audit_record
from .common import (
    LINK_HEADER,
    ApiBlueprint,
    PageArgsSchema,
    errors,
    not_found,
    param_problem,
    slice_page,
)
from .schemas.matching import CandidatePageSchema, PlanArgsSchema, PlanSchema

blp = ApiBlueprint("api_matching", __name__, title="Matching", description="Suggested people and the placement plan")

MAX_CANDIDATES = 50


def citizen_summaries(ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    users = db.session.scalars(sa.select(User).where(User.id.in_(set(ids)))
                               .options(orm.joinedload(User.citizen_profile))).unique()
    return {user.id: {"id": user.id, "display_name": user.display_name,
                      "neighbourhood_id": user.citizen_profile.neighbourhood_id if user.citizen_profile else None}
            for user in users}


def reasons_out(reasons, labels: Labels) -> list[dict]:
    return [{"code": reason.code, "text": reason_text(reason, labels, audience="staff")} for reason in reasons]


@blp.get("/initiatives/<id:initiative_id>/candidates")
@role_required(Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CandidatePageSchema, headers=LINK_HEADER)
@errors(blp, 403, 404)
def candidates(args, initiative_id):
    """People who could join this initiative, best first, with why (contacts, coordinators, admins)"""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_see_candidates(db.session, current_user, initiative_id):
        raise not_found()
    matches = matching.candidates_for_initiative(db.session, initiative_id, limit=MAX_CANDIDATES)
    body, headers = slice_page(matches, args)
    people = citizen_summaries([match.citizen_id for match in body["items"]])
    labels = Labels(db.session)
    # Professionals see citizens' data only as their work needs it, and every look is logged.
    audit_record(db.session, "matching.candidates_viewed", "initiative", initiative_id,
                 actor=current_user, citizen_ids=[match.citizen_id for match in body["items"]])
    db.session.commit()
    body["items"] = [{"citizen": people[match.citizen_id], "score": round(match.score, 4),
                      "reasons": reasons_out(match.reasons, labels)} for match in body["items"]]
    return body, headers


@blp.get("/placement-plans")
@role_required(Role.COORDINATOR, Role.ADMIN)
@blp.arguments(PlanArgsSchema, location="query")
@blp.response(200, PlanSchema)
@errors(blp, 403)
def placement_plan(args):
    """The placement plan for a district (or the city): who could strengthen which initiatives"""
    district = args.get("district")
    try:
        result = matching.placement_plan(db.session, district=district)
    except matching.UnknownDistrictError:
        raise param_problem("district", _("There is no such district.")) from None
    people = citizen_summaries([row.citizen_id for row in result.rows])
    ids = {row.initiative_id for row in result.rows}
    titles = dict(db.session.execute(
        sa.select(Initiative.id, Initiative.title).where(Initiative.id.in_(ids))).tuples().all()) if ids else {}
    labels = Labels(db.session)
    audit_record(db.session, "matching.plan_viewed", "district", None, actor=current_user,
                 district=district, rows=len(result.rows))
    db.session.commit()
    return {
        "district": district, "summary": result.summary(),
        "rows": [{"citizen": people[row.citizen_id], "initiative_id": row.initiative_id,
                  "initiative_title": titles.get(row.initiative_id, ""), "score": round(row.score, 4),
                  "reasons": reasons_out(row.reasons, labels)} for row in result.rows],
    }
