"""Attendance: the contact ticks who took part; a volunteer says "I helped today".

The routes join the professionals' and the citizens' blueprints, beside the
pages they belong to (the initiative's manage page, My initiatives).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, local_today
from ..models import Placement, Role
from ..queries.initiative_versions import text_for
from ..security import role_required
from ..services import attendance
from ..services.audit import record_look
from .citizens import bp as citizens_bp
from .forms.contact_work import AttendanceForm, HelpedForm
from .professionals import bp as professionals_bp
from .professionals import contacts_initiative


@professionals_bp.route("/initiatives/<id:initiative_id>/attendance", methods=["GET", "POST"])
@role_required(Role.PROFESSIONAL)
def attendance_list(initiative_id: int):
    """Who took part? One tick per active volunteer, for a day of the last month."""
    initiative = contacts_initiative(initiative_id)
    today = local_today()
    form = AttendanceForm()
    if request.method == "GET":
        form.day.data = today

    def page():
        volunteers = attendance.active_volunteers(db.session, initiative.id)
        form.placement_ids.choices = [SelectChoice(p.id, p.citizen.shown_name) for p in volunteers]
        recorded = attendance.recorded_on(db.session, initiative.id, form.day.data or today)
        # A staff look at residents, even when the form is shown again with its errors.
        record_look(db.session, volunteers + recorded, "attendance.viewed", actor=current_user,
                    initiative_id=initiative.id)
        return render_template("attendance/list.html", initiative=initiative, form=form, recorded=recorded,
                               today=today)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=422)
        done = attendance.record_attendance(db.session, initiative, form.placement_ids.data or [],
                                            day=form.day.data, hours=form.hours.data, actor=current_user,
                                            today=today)
        if done.recorded:
            flash(_("Recorded: %(names)s.", names=_names(done.recorded)), "success")
        if done.taken_over:
            flash(_("Already said they helped that day: %(names)s. We keep one record for each of them.",
                    names=_names(done.taken_over)), "success")
        if not done.recorded and not done.taken_over:
            flash(_("These people were already recorded for that day."), "info")
        return redirect(url_for("professionals.attendance_list", initiative_id=initiative.id))
    return page(), 422 if request.method == "POST" else 200


def _names(placements: list[Placement]) -> str:
    return ", ".join(p.citizen.shown_name for p in placements)


@citizens_bp.post("/initiatives/<id:placement_id>/helped")
@role_required(Role.CITIZEN)
def helped_today(placement_id: int):
    """ "I helped today", from My initiatives; hours are optional."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.citizen_id != current_user.id:
        abort(404)
    form = HelpedForm()
    back = url_for("citizens.my_initiatives")
    if not form.validate_on_submit():
        text = text_for(db.session, placement.initiative, current_locale())
        return render_template("attendance/helped.html", form=form, placement=placement, text=text), 422
    answer_refusals(redirect_to=back)
    attendance.say_helped_today(db.session, placement, hours=form.hours.data, actor=current_user)
    flash(_("Thank you! We noted that you helped today."), "success")
    return redirect(back)
