"""Matching for staff: people who could join an initiative, and the district placement plan."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from ..domain_errors import InvalidInput
from ..extensions import db
from ..matching import plan_runs, reads
from ..matching import service as matching
from ..matching.texts import Labels, reason_text
from ..models import Role, User, utcnow
from ..security import role_required
from .common import LINK_HEADER, ApiBlueprint, PageArgsSchema, errors, json_answer, page_body
from .schemas.matching import (
    CandidatePageSchema,
    PlanArgsSchema,
    PlanRequestSchema,
    PlanRunSchema,
    PlanSchema,
)

blp = ApiBlueprint("api_matching", __name__, title="Matching", description="Suggested people and the placement plan")

MAX_CANDIDATES = 50


def citizen_summary(user: User) -> dict:
    return {"id": user.id, "display_name": user.display_name,
            "neighbourhood_id": user.citizen_profile.neighbourhood_id if user.citizen_profile else None}


def reasons_out(reasons, labels: Labels) -> list[dict]:
    return [{"code": reason.code, "text": reason_text(reason, labels, audience="staff")} for reason in reasons]


@blp.get("/initiatives/<id:initiative_id>/candidates")
@role_required(Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CandidatePageSchema, headers=LINK_HEADER)
@errors(blp, 403, 404)
def candidates(args, initiative_id):
    """People who could join this initiative, best first, with why (contacts, coordinators, admins)"""
    found = reads.read_candidates(db.session, initiative_id, actor=current_user, limit=MAX_CANDIDATES,
                                  page=args["page"], per_page=args["per_page"])
    labels = Labels(db.session)
    items = [{"citizen": citizen_summary(found.people[match.citizen_id]), "score": round(match.score, 4),
              "reasons": reasons_out(match.reasons, labels)} for match in found.matches]
    return json_answer(*page_body(items, args["page"], args["per_page"], found.total))


@blp.get("/placement-plans")
@role_required(Role.COORDINATOR, Role.ADMIN)
@blp.arguments(PlanArgsSchema, location="query")
@blp.response(200, PlanSchema, headers=LINK_HEADER)
@errors(blp, 403)
def placement_plan(args):
    """The newest stored placement plan for a district (or the city), a page of rows, with its age; never solves"""
    district = args.get("district")
    # Checked here, so the answer names the query parameter rather than a field of a body.
    if district is not None and district not in matching.districts(db.session):
        raise InvalidInput(_("There is no such district."), parameter="district")
    found = reads.read_plan(db.session, actor=current_user, district=district, page=args["page"],
                            per_page=args["per_page"])
    labels = Labels(db.session)
    items = [{"citizen": citizen_summary(found.people[row.citizen_id]), "initiative_id": row.initiative_id,
              "initiative_title": getattr(found.initiatives.get(row.initiative_id), "title", ""),
              "score": round(row.score, 4), "reasons": reasons_out(row.reasons, labels)}
             for row in found.rows]
    body, headers = page_body(items, args["page"], args["per_page"], found.page.total)
    made = found.plan_run
    body.update(
        district=district, plan=made, waiting=found.waiting, failed=found.failed,
        summary=made.summary if made else None,
        age_seconds=int((utcnow() - made.finished_at).total_seconds()) if made else None,
    )
    return body, headers


@blp.post("/placement-plans")
@role_required(Role.COORDINATOR, Role.ADMIN)
@blp.arguments(PlanRequestSchema)
@blp.response(202, PlanRunSchema)
@errors(blp, 403, 422)
def ask_for_placement_plan(body):
    """Ask for a new placement plan; the scheduler makes it soon. A plan already waiting for the same
    district is joined, not repeated"""
    return plan_runs.ask_for_plan(db.session, district=body.get("district"), actor=current_user)
