"""The contact professional's month at one initiative: hours, how the volunteers weigh, help needed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..models import Role, utcnow
from ..security import role_required
from ..services import contact_check_ins
from .forms.contact_work import BURDEN_CHOICES, MonthForm
from .professionals import contacts_initiative

bp = Blueprint("contact_month", __name__, url_prefix="/initiatives")


@bp.route("/<id:initiative_id>/my-month", methods=["GET", "POST"])
@role_required(Role.PROFESSIONAL)
def my_month(initiative_id: int):
    initiative = contacts_initiative(initiative_id)
    now = utcnow()
    form = MonthForm()
    if request.method == "GET" and (answered := contact_check_ins.this_month(
            db.session, initiative.id, current_user.id, now=now)) is not None and answered.answered_at:
        form.hours.data = answered.hours
        form.burden.data = answered.burden
        form.needs_help.data = "yes" if answered.needs_help else "no"
        form.comment.data = answered.comment

    def page():
        return render_template(
            "contact_month/my_month.html", initiative=initiative, form=form,
            month=contact_check_ins.month_of(now), burden_words={c.value: c.label for c in BURDEN_CHOICES},
            earlier=contact_check_ins.earlier_answers(db.session, initiative.id, current_user.id, now=now))

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=422)
        contact_check_ins.answer_contact_check_in(
            db.session, initiative,
            contact_check_ins.MonthAnswer(hours=form.hours.data, burden=form.burden.data,
                                          needs_help=form.needs_help.data == "yes", comment=form.comment.data),
            actor=current_user, now=now)
        flash(_("Thank you. Your answer is saved."), "success")
        return redirect(url_for("contact_month.my_month", initiative_id=initiative.id))
    return page(), 422 if request.method == "POST" else 200
