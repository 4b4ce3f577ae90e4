"""Invitations: a professional's (or coordinator's) personal invitation, and the citizen's answer.

The invitation service (services/invitations/) does the work, as for the
pages: consent, the daily limit, the block period, the e-mail and inbox
message; its refusals become problem documents in errors.py. An invitation
is listed as its placement (state `invited`) with the invitation's message,
sender and expiry.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from sqlalchemy import orm

from ..domain_errors import InvalidInput, NotFound
from ..extensions import db
from ..models import (
    DeclineReason,
    Initiative,
    InvitationAnswer,
    Placement,
    PlacementState,
    Role,
    User,
)
from ..security import can_invite, role_required
from ..services import access
from ..services import invitations as invitation_service
from ..services.audit import record_look
from .common import LINK_HEADER, ApiBlueprint, errors, paginate
from .placements import (
    placement_out,
    placements_out,
    placements_visible_to_caller,
    visible_placement,
)
from .schemas.invitations import InvitationAnswerSchema, InvitationListArgsSchema, InviteSchema
from .schemas.placements import PlacementPageSchema, PlacementSchema

blp = ApiBlueprint("api_invitations", __name__, title="Invitations", description="Personal invitations and their answers")

ID = "<id:placement_id>"
INVITERS = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)


@blp.get("/invitations")
@role_required(*Role)
@blp.arguments(InvitationListArgsSchema, location="query")
@blp.response(200, PlacementPageSchema, headers=LINK_HEADER)
@errors(blp)
def list_invitations(args):
    """Open invitations: mine (citizen), my initiatives' (professional), my districts' (coordinator; all if municipal), all (admin)"""
    if current_user.role == Role.COORDINATOR:
        # The invitations of initiatives in the coordinator's districts (all if municipal).
        overseen = sa.select(Initiative.id).where(access.in_neighbourhoods(Initiative.neighbourhood_id, current_user))
        query = sa.select(Placement).where(Placement.initiative_id.in_(overseen)).options(
            orm.joinedload(Placement.initiative),
            orm.joinedload(Placement.citizen).joinedload(User.citizen_profile),
        ).order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    else:
        query = placements_visible_to_caller()
    query = query.where(Placement.state == PlacementState.INVITED)
    if "initiative_id" in args:
        query = query.where(Placement.initiative_id == args["initiative_id"])
    body, headers = paginate(query, args)
    placements, body["items"] = body["items"], placements_out(body["items"])
    record_look(db.session, placements, "api.invitations_viewed", actor=current_user)
    return body, headers


@blp.post("/invitations")
@role_required(*INVITERS)
@blp.arguments(InviteSchema)
@blp.response(201, PlacementSchema, headers={"Location": {"schema": {"type": "string"}}})
@errors(blp, 403, 404, 409)
def invite(data):
    """Invite a citizen personally (they must have agreed to be invited); they get an e-mail and a message"""
    initiative = db.session.get(Initiative, data["initiative_id"])
    if initiative is None or not can_invite(db.session, current_user, initiative.id):
        raise NotFound()
    citizen = db.session.get(User, data["citizen_id"])
    if citizen is None or citizen.role != Role.CITIZEN:
        # The same answer for no one and for someone who is not a citizen: ids reveal nothing.
        raise InvalidInput(invitation_service.NotInvitableError.message, field="citizen_id")
    sent = invitation_service.invite_citizen(db.session, citizen, initiative, actor=current_user,
                                             message=data["message"], via="api")
    placement = sent.invitation.placement
    location = url_for("api_placements.get_placement", placement_id=placement.id)
    record_look(db.session, [placement], "api.placement_viewed", actor=current_user)
    return placement_out(placement), {"Location": location}


@blp.post(f"/invitations/{ID}/answer")
@role_required(Role.CITIZEN)
@blp.arguments(InvitationAnswerSchema)
@blp.response(200, PlacementSchema)
@errors(blp, 403, 404, 409)
def answer(data, placement_id):
    """Accept or decline an invitation to me (with a reason for no, if I want)"""
    placement = visible_placement(placement_id)
    reason = data.get("decline_reason")
    invitation_service.answer_invitation(db.session, placement, InvitationAnswer(data["answer"]),
                                         reason=DeclineReason(reason) if reason else None, actor=current_user)
    return placement_out(placement)
