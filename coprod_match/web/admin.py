"""Administration: accounts and roles, and the neighbourhood list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..errors import answer_refusals
from ..extensions import db
from ..models import Neighbourhood, Role
from ..queries.admin import neighbourhoods_by_district, users_by_role
from ..routing import page_arg
from ..security import role_required
from ..services import accounts
from .forms.accounts import StaffAccountForm
from .forms.choices import neighbourhood_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")

FORM_INVALID = 422


def role_label(role: str) -> str:
    return {
        Role.CITIZEN: _("Resident"),
        Role.PROFESSIONAL: _("Professional"),
        Role.COORDINATOR: _("Coordinator"),
        Role.ADMIN: _("Administrator"),
    }.get(role, role)


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    role = request.args.get("role")
    if role not in {r.value for r in Role}:
        role = None
    page = db.paginate(users_by_role(role), page=page_arg(request.args), per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, role=role, roles=list(Role), role_label=role_label)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    form = StaffAccountForm()
    form.role.choices = [SelectChoice(r.value, role_label(r)) for r in Role if r != Role.CITIZEN]
    form.work_area_ids.choices = neighbourhood_choices(None)

    def page():
        return render_template("admin/new_user.html", form=form)

    if form.validate_on_submit():
        areas = db.session.scalars(
            sa.select(Neighbourhood).where(Neighbourhood.id.in_(form.work_area_ids.data or []))
        ).all()
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        user = accounts.create_staff_user(
            db.session,
            email=form.email.data,
            password=form.password.data,
            role=Role(form.role.data),
            display_name=form.display_name.data,
            organisation=form.organisation.data,
            work_areas=areas,
            preferred_locale=form.preferred_locale.data,
            actor=current_user,
        )
        flash(_("The account for %(name)s is ready.", name=user.display_name), "success")
        return redirect(url_for("admin.users"))
    return page(), FORM_INVALID if request.method == "POST" else 200


@bp.get("/neighbourhoods")
@role_required(Role.ADMIN)
def neighbourhoods():
    return render_template("admin/neighbourhoods.html", districts=neighbourhoods_by_district(db.session))
