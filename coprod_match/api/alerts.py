"""Continuity alerts for coordinators: list by place, detail, acknowledge, assign, note, resolve."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from ..continuity import reads
from ..continuity.actions import alert_acknowledge, alert_add_note, alert_assign, alert_resolve
from ..continuity.wording import describe
from ..domain_errors import InvalidInput, NotFound
from ..extensions import db
from ..models import ContinuityAlert, Role, User
from ..security import role_required
from .common import LINK_HEADER, ApiBlueprint, errors, json_answer, page_body
from .schemas.alerts import (
    AlertListArgsSchema,
    AlertPageSchema,
    AlertSchema,
    AssignSchema,
    NoteOutSchema,
    NoteSchema,
    ResolveSchema,
)

blp = ApiBlueprint("api_alerts", __name__, title="Continuity alerts", description="Continuity alerts (coordinators and admins)")

COORDINATION_ROLES = (Role.COORDINATOR, Role.ADMIN)
ID = "<id:alert_id>"


def alert_out(alert: ContinuityAlert) -> dict:
    place = alert.neighbourhood
    citizen = alert.citizen
    return {
        "id": alert.id, "kind": alert.kind, "status": alert.status, "severity": alert.severity,
        "description": describe(alert, citizen.shown_name if citizen is not None else None),
        "initiative_id": alert.initiative_id,
        "initiative_title": alert.initiative.title if alert.initiative is not None else None,
        "citizen": None if citizen is None else {
            "id": citizen.id, "display_name": citizen.shown_name,
            "neighbourhood_id": citizen.citizen_profile.neighbourhood_id if citizen.citizen_profile else None,
        },
        "neighbourhood_id": place.id if place is not None else None,
        "district": place.district if place is not None else None,
        "assignee_id": alert.assignee_id,
        "first_seen_at": alert.first_seen_at, "last_seen_at": alert.last_seen_at,
        "acknowledged_at": alert.acknowledged_at, "resolved_at": alert.resolved_at,
        "previous_alert_id": alert.previous_alert_id,
    }


@blp.get("/alerts")
@role_required(*COORDINATION_ROLES)
@blp.arguments(AlertListArgsSchema, location="query")
@blp.response(200, AlertPageSchema, headers=LINK_HEADER)
@errors(blp, 403)
def list_alerts(args):
    """Alerts by district and neighbourhood, with the dashboard's filters (default: unresolved, my areas)"""
    scope = args.get("scope", "mine")
    areas = [place.id for place in current_user.work_areas] if scope == "mine" else []
    filters = reads.AlertFilters(
        kind=args.get("kind"), severity=args.get("severity"), status=args.get("status", reads.UNRESOLVED),
        assignee=args.get("assignee"), district=args.get("district"),
        neighbourhood_id=args.get("neighbourhood_id"), area_ids=areas or None,
    )
    # The dashboard's reads: one page picked on narrow rows, its total from the per-kind counts.
    total = reads.total_from_counts(reads.counts_by_kind(db.session, filters, current_user), filters)
    shown = reads.alerts_page(db.session, filters, current_user, page=args["page"], per_page=args["per_page"])
    return json_answer(*page_body([alert_out(alert) for alert in shown], args["page"], args["per_page"], total))


def _alert(alert_id: int) -> ContinuityAlert:
    alert = db.session.get(ContinuityAlert, alert_id)
    if alert is None:
        raise NotFound()
    return alert


@blp.get(f"/alerts/{ID}")
@role_required(*COORDINATION_ROLES)
@blp.response(200, AlertSchema)
@errors(blp, 403, 404)
def get_alert(alert_id):
    """One alert"""
    return alert_out(_alert(alert_id))


@blp.post(f"/alerts/{ID}/acknowledge")
@role_required(*COORDINATION_ROLES)
@blp.response(200, AlertSchema)
@errors(blp, 403, 404, 409)
def acknowledge(alert_id):
    """Say "we know, we are on it"; the alert stays until the problem is gone"""
    return alert_out(alert_acknowledge(db.session, _alert(alert_id), actor=current_user))


@blp.post(f"/alerts/{ID}/assign")
@role_required(*COORDINATION_ROLES)
@blp.arguments(AssignSchema)
@blp.response(200, AlertSchema)
@errors(blp, 403, 404, 409)
def assign(data, alert_id):
    """Give the alert to a professional or coordinator (null: to nobody)"""
    alert = _alert(alert_id)
    assignee = None
    if data["assignee_id"] is not None:
        assignee = db.session.get(User, data["assignee_id"])
        if assignee is None:
            raise InvalidInput(field="assignee_id", message=_("There is no such person."))
    return alert_out(alert_assign(db.session, alert, assignee, actor=current_user))


@blp.post(f"/alerts/{ID}/notes")
@role_required(*COORDINATION_ROLES)
@blp.arguments(NoteSchema)
@blp.response(201, NoteOutSchema)
@errors(blp, 403, 404)
def add_note(data, alert_id):
    """Add a note to the alert's history (also on solved alerts)"""
    alert = _alert(alert_id)
    note = alert_add_note(db.session, alert, data["body"], actor=current_user)
    return {"id": note.id, "alert_id": alert.id, "author_id": note.author_id, "body": note.body,
            "created_at": note.created_at}


@blp.post(f"/alerts/{ID}/resolve")
@role_required(*COORDINATION_ROLES)
@blp.arguments(ResolveSchema)
@blp.response(200, AlertSchema)
@errors(blp, 403, 404, 409)
def resolve(data, alert_id):
    """Close the alert by hand, saying why (a new alert opens if the problem is still there)"""
    return alert_out(alert_resolve(db.session, _alert(alert_id), data["reason"], actor=current_user))
