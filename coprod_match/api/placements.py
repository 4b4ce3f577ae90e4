"""Placements: a citizen's own, or those of initiatives a professional manages, and their moves.

Every move goes through `placement_moves.make_move`, as on the web pages: one
table of who may make which move (security.py), one state machine.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy import orm

from ..domain_errors import NotFound
from ..extensions import db
from ..models import (
    EndReason,
    InitiativeContact,
    Invitation,
    Placement,
    PlacementState,
    Role,
    User,
)
from ..security import (
    can_see_placement,
    initiatives_managed_among,
    placement_moves_for,
    role_required,
)
from ..services import placement_moves
from ..services.audit import record_look
from .common import LINK_HEADER, ApiBlueprint, errors, paginate
from .schemas.placements import (
    MoveSchema,
    PlacementListArgsSchema,
    PlacementPageSchema,
    PlacementSchema,
)

blp = ApiBlueprint("api_placements", __name__, title="Placements", description="Placements and their state moves")

ID = "<id:placement_id>"
# Coordinators oversee alerts and plans; participants' details are for those who run the initiative.
PLACEMENT_ROLES = (Role.CITIZEN, Role.PROFESSIONAL, Role.ADMIN)


def placements_out(placements: list[Placement]) -> list[dict]:
    """Placements as the caller may see them: staff get a summary of the citizen, citizens their own.

    Invitations and the initiatives the caller manages are read in one query each.
    """
    ids = [placement.id for placement in placements]
    invitations: dict[int, Invitation] = {}
    if ids:
        for invitation in db.session.scalars(
                sa.select(Invitation).where(Invitation.placement_id.in_(ids))
                .options(orm.joinedload(Invitation.sender)).order_by(Invitation.id)):
            invitations[invitation.placement_id] = invitation  # the latest wins
    managed = initiatives_managed_among(db.session, current_user, {p.initiative_id for p in placements})
    return [_placement_out(placement, invitations.get(placement.id), placement.initiative_id in managed)
            for placement in placements]


def placement_out(placement: Placement) -> dict:
    return placements_out([placement])[0]


def _placement_out(placement: Placement, invitation: Invitation | None, manages: bool) -> dict:
    out = {
        "id": placement.id, "initiative_id": placement.initiative_id,
        "initiative_title": placement.initiative.title, "state": placement.state,
        "created_at": placement.created_at, "state_changed_at": placement.state_changed_at,
        "starts_on": placement.starts_on, "end_reason": placement.end_reason,
        "citizen_message": placement.citizen_message,
        "allowed_moves": sorted(placement_moves_for(db.session, current_user, placement, manages=manages)),
        "invitation": None if invitation is None else {
            "id": invitation.id, "message": invitation.message, "sent_at": invitation.sent_at,
            "expires_at": invitation.expires_at, "answer": invitation.answer,
            "decline_reason": invitation.decline_reason,
            "sender": None if invitation.sender is None else {
                "id": invitation.sender.id, "display_name": invitation.sender.shown_name,
                "organisation": invitation.sender.organisation},
        },
    }
    if current_user.role != Role.CITIZEN:
        citizen = placement.citizen
        profile = citizen.citizen_profile
        out["citizen"] = {"id": citizen.id, "display_name": citizen.shown_name,
                          "neighbourhood_id": profile.neighbourhood_id if profile else None}
    return out


def placements_visible_to_caller() -> sa.Select:
    """The caller's own placements (citizen), their initiatives' (professional), or all (admin)."""
    query = sa.select(Placement)
    if current_user.role == Role.CITIZEN:
        query = query.where(Placement.citizen_id == current_user.id)
    elif current_user.role != Role.ADMIN:
        managed = sa.select(InitiativeContact.initiative_id).where(
            InitiativeContact.professional_id == current_user.id, InitiativeContact.is_current)
        query = query.where(Placement.initiative_id.in_(managed))
    return query.options(
        orm.joinedload(Placement.initiative),
        orm.joinedload(Placement.citizen).joinedload(User.citizen_profile),
    ).order_by(Placement.state_changed_at.desc(), Placement.id.desc())


@blp.get("/placements")
@role_required(*PLACEMENT_ROLES)
@blp.arguments(PlacementListArgsSchema, location="query")
@blp.response(200, PlacementPageSchema, headers=LINK_HEADER)
@errors(blp, 403)
def list_placements(args):
    """Placements I may see: my own (citizen), my initiatives' (professional), all (admin)"""
    query = placements_visible_to_caller()
    if "initiative_id" in args:
        query = query.where(Placement.initiative_id == args["initiative_id"])
    if "state" in args:
        query = query.where(Placement.state == args["state"])
    body, headers = paginate(query, args)
    placements, body["items"] = body["items"], placements_out(body["items"])
    record_look(db.session, placements, "api.placements_viewed", actor=current_user)
    return body, headers


def visible_placement(placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or not can_see_placement(db.session, current_user, placement):
        raise NotFound()
    return placement


@blp.get(f"/placements/{ID}")
@role_required(*PLACEMENT_ROLES)
@blp.response(200, PlacementSchema)
@errors(blp, 403, 404)
def get_placement(placement_id):
    """One placement, with the moves I may make on it"""
    placement = visible_placement(placement_id)
    out = placement_out(placement)
    record_look(db.session, [placement], "api.placement_viewed", actor=current_user)
    return out


@blp.post(f"/placements/{ID}/moves")
@role_required(*PLACEMENT_ROLES)
@blp.arguments(MoveSchema)
@blp.response(200, PlacementSchema)
@errors(blp, 403, 404, 409)
def move_placement(data, placement_id):
    """Move a placement: accept, reject, activate, pause, resume, end (with a reason)

    A citizen moves their own placement (answer an invitation, pause, resume,
    stop); an initiative's contacts answer sign-ups and manage participants.
    """
    placement = visible_placement(placement_id)
    placement_moves.make_move(
        db.session, placement, PlacementState(data["to"]), actor=current_user, reason=data["reason"],
        end_reason=EndReason(data["end_reason"]) if data["end_reason"] else None, starts_on=data["starts_on"],
    )
    return placement_out(placement)

