"""Browsing initiatives: open to everyone, no login needed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from ..extensions import db
from ..models import Initiative, InitiativeStatus, Neighbourhood, Role
from ..queries import active_volunteer_counts, current_contacts, public_initiatives

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")


@bp.get("/")
def list_initiatives():
    neighbourhood_id = request.args.get("neighbourhood", type=int)
    page = db.paginate(
        public_initiatives(neighbourhood_id),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    ids = [initiative.id for initiative in page.items]
    neighbourhoods = db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)).all()
    return render_template(
        "initiatives/list.html",
        page=page,
        active_counts=active_volunteer_counts(db.session, ids),
        neighbourhoods=neighbourhoods,
        neighbourhood_id=neighbourhood_id,
    )


@bp.get("/<int:initiative_id>")
def detail(initiative_id: int):
    initiative = db.session.get(Initiative, initiative_id)
    visible = initiative is not None and (
        initiative.status in (InitiativeStatus.OPEN, InitiativeStatus.PAUSED)
        or (current_user.is_authenticated and current_user.role != Role.CITIZEN)
    )
    if not visible:
        abort(404)
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        active_count=active_volunteer_counts(db.session, [initiative.id]).get(initiative.id, 0),
        contacts=current_contacts(db.session, [initiative.id]).get(initiative.id, []),
    )
