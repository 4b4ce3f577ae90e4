"""The professional's workspace: the initiatives they are a contact for."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..queries import active_volunteer_counts, initiatives_of_contact
from ..security import role_required

bp = Blueprint("professionals", __name__, url_prefix="/professionals")


@bp.get("/")
@role_required(Role.PROFESSIONAL)
def workspace():
    page = db.paginate(
        initiatives_of_contact(current_user),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    counts = active_volunteer_counts(db.session, [initiative.id for initiative in page.items])
    return render_template("professionals/workspace.html", page=page, active_counts=counts)
