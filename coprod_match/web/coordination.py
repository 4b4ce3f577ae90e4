"""The coordinator's continuity dashboard."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..extensions import db
from ..models import AlertKind, Role
from ..queries import unresolved_alert_counts, unresolved_alerts
from ..security import role_required

bp = Blueprint("coordination", __name__, url_prefix="/coordination")


@bp.get("/")
@role_required(Role.COORDINATOR, Role.ADMIN)
def dashboard():
    kind = request.args.get("kind")
    if kind not in {k.value for k in AlertKind}:
        kind = None
    page = db.paginate(
        unresolved_alerts(kind),
        page=request.args.get("page", 1, type=int),
        per_page=25,
        error_out=False,
    )
    return render_template(
        "coordination/dashboard.html",
        page=page,
        counts=unresolved_alert_counts(db.session),
        kinds=list(AlertKind),
        kind=kind,
    )
