"""Invitations as they exist today: placements in state `invited`.

A professional or coordinator invites a citizen who fits (checked again on
fresh data, with the citizen's consent); the citizen accepts or declines.
The e-mailed invitation with its own link is a later feature.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from ..extensions import db
from ..matching import service as matching
from ..models import Initiative, Placement, PlacementState, Role
from ..security import can_invite, role_required
from ..services import participation
from .common import LINK_HEADER, errors, not_found, paginate, problem
from .placements import (
    log_citizens_seen,
    move,
    placement_out,
    placements_visible_to_caller,
    visible_placement,
)
from .schemas import (
    InvitationAnswerSchema,
    InvitationListArgsSchema,
    InviteSchema,
    PlacementPageSchema,
    PlacementSchema,
)

blp = Blueprint("api_invitations", __name__, description="Invitations (placements in state invited)")

ID = "<id:placement_id>"
INVITERS = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)


@blp.get("/invitations")
@role_required(*Role)
@blp.arguments(InvitationListArgsSchema, location="query")
@blp.response(200, PlacementPageSchema, headers=LINK_HEADER)
@errors(blp)
def list_invitations(args):
    """Open invitations: mine (citizen), my initiatives' (professional), all (coordinator, admin)"""
    if current_user.role == Role.COORDINATOR:
        query = sa.select(Placement).order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    else:
        query = placements_visible_to_caller()
    query = query.where(Placement.state == PlacementState.INVITED)
    if "initiative_id" in args:
        query = query.where(Placement.initiative_id == args["initiative_id"])
    body, headers = paginate(query, args)
    log_citizens_seen(body["items"], "api.invitations_viewed")
    body["items"] = [placement_out(placement) for placement in body["items"]]
    return body, headers


@blp.post("/invitations")
@role_required(*INVITERS)
@blp.arguments(InviteSchema)
@blp.response(201, PlacementSchema, headers={"Location": {"schema": {"type": "string"}}})
@errors(blp, 403, 404, 409)
def invite(data):
    """Invite a citizen who fits an initiative (they must have agreed to be contacted)"""
    initiative = db.session.get(Initiative, data["initiative_id"])
    if initiative is None or not can_invite(db.session, current_user, initiative.id):
        raise not_found()
    if participation.live_placement(db.session, data["citizen_id"], initiative.id) is not None:
        raise problem(409, _("This person already takes part here, or was invited already."),
                      problem_type="cannot-invite")
    outcome = matching.invite_plan_rows(db.session, [(data["citizen_id"], initiative.id)], actor=current_user)
    if not outcome.invited:
        db.session.rollback()
        why = outcome.skipped[0][2] if outcome.skipped else "no_longer_fits"
        detail = (_("The initiative has no free place for another invitation.") if why == "no_room" else
                  _("This person cannot be invited here: they do not fit, have not agreed to be "
                    "contacted, or already answered."))
        raise problem(409, detail, problem_type="cannot-invite")
    db.session.commit()
    placement = db.session.scalar(
        sa.select(Placement).where(Placement.citizen_id == data["citizen_id"],
                                   Placement.initiative_id == initiative.id,
                                   Placement.state == PlacementState.INVITED)
        .order_by(Placement.id.desc()).limit(1))
    location = url_for("api_placements.get_placement", placement_id=placement.id)
    return placement_out(placement), {"Location": location}


@blp.post(f"/invitations/{ID}/answer")
@role_required(Role.CITIZEN)
@blp.arguments(InvitationAnswerSchema)
@blp.response(200, PlacementSchema)
@errors(blp, 403, 404, 409)
def answer(data, placement_id):
    """Accept or decline an invitation to my own placement"""
    placement = visible_placement(placement_id)
    if placement.state != PlacementState.INVITED:
        raise problem(409, _("This invitation was already answered or has ended."),
                      problem_type="invalid-move")
    moved = move(placement, {"to": data["answer"], "reason": None, "end_reason": None, "starts_on": None})
    return placement_out(moved)
