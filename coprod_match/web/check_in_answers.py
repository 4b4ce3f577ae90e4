"""How the volunteers feel: an initiative's answers to the monthly check-ins.

A route of the professionals' blueprint beside the initiative's manage page;
coordinators and admins reach it from an alert. Who sees what is decided in
queries/check_in_answers.py.
"""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user

from ..extensions import db
from ..i18n import local_today
from ..models import Initiative, Role
from ..queries import check_in_answers as answers
from ..security import role_required
from ..services.audit import audit_record
from .professionals import bp


@bp.get("/initiatives/<id:initiative_id>/check-ins")
@role_required(Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
def initiative_check_ins(initiative_id: int):
    initiative = db.session.get(Initiative, initiative_id)
    view = answers.check_in_view(db.session, current_user, initiative_id) if initiative else None
    if view is None:
        abort(404)  # like another professional's manage page: not theirs, not found
    today = local_today()
    months = answers.month_summaries(db.session, initiative_id, today=today,
                                     min_answers=current_app.config["CHECK_IN_MIN_ANSWERS_FOR_AVERAGES"])
    individual = []
    if view == answers.CheckInView.ANSWERS:
        individual = answers.volunteer_answers(db.session, initiative_id, today=today)
        if individual:
            audit_record(db.session, "check_ins.answers_viewed", "initiative", initiative_id,
                         actor=current_user, residents={row.citizen_id for row in individual})
    return render_template(
        "professionals/check_ins.html", initiative=initiative, months=months, individual=individual,
        sees_answers=view == answers.CheckInView.ANSWERS,
        min_answers=current_app.config["CHECK_IN_MIN_ANSWERS_FOR_AVERAGES"],
    )
