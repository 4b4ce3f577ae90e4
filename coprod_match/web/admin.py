"""Administration: accounts and roles, and the neighbourhood list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..errors import answer_refusals
from ..extensions import db
from ..models import Neighbourhood, Role, User
from ..queries.admin import (
    SEARCH_MAX,
    AccountSearch,
    AccountState,
    account_state,
    neighbourhoods_by_district,
)
from ..routing import page_arg
from ..security import role_required
from ..services import account_admin, accounts
from .forms.accounts import ConfirmForm, StaffAccountForm
from .forms.admin import CorrectAccountForm, MunicipalForm, RoleForm, WorkAreasForm
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


def state_label(state: str) -> str:
    return {
        AccountState.ACTIVE: _("active"),
        AccountState.DISABLED: _("disabled"),
        AccountState.PENDING: _("not finished"),
        AccountState.ERASED: _("erased"),
    }.get(state, state)


def _search_from(args) -> AccountSearch:
    role = args.get("role")
    state = args.get("state")
    return AccountSearch(
        text=(args.get("q") or "").strip()[:SEARCH_MAX],
        role=role if role in set(Role) else None,
        state=AccountState(state) if state in set(AccountState) else None,
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    search = _search_from(request.args)
    listing = account_admin.look_at_accounts(db.session, search, page=page_arg(request.args), actor=current_user)
    return render_template("admin/users.html", listing=listing, search=search, roles=list(Role),
                           states=list(AccountState), role_label=role_label, state_label=state_label,
                           account_state=account_state)


@bp.get("/users/<id:user_id>")
@role_required(Role.ADMIN)
def account(user_id: int):
    """One account: what is known about it, and what an administrator can do with it."""
    look = account_admin.look_at_account(db.session, user_id, actor=current_user)
    return render_template("admin/user.html", look=look, user=look.user, state=account_state(look.user),
                           role_form=_role_form(look.user.role), form=ConfirmForm(), municipal_form=MunicipalForm(),
                           areas_form=_areas_form([place.id for place in look.user.work_areas]),
                           role_label=role_label, state_label=state_label)


@bp.route("/users/<id:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    """Correct an account: name, phone, language, organisation; a new address is confirmed by its owner."""
    look = account_admin.look_at_account(db.session, user_id, actor=current_user)  # the form shows them: a look
    person = look.user
    form = CorrectAccountForm(obj=None if request.method == "POST" else person)
    if request.method == "GET":
        form.email.data = ""

    def page():
        return render_template("admin/edit_user.html", user=person, form=form)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        corrected = account_admin.correct_account(db.session, person, account_admin.Corrections(
            display_name=form.display_name.data, phone=form.phone.data,
            preferred_locale=form.preferred_locale.data, organisation=form.organisation.data,
            email=form.email.data), actor=current_user)
        if corrected.changed:
            flash(_("The changes to the account of %(name)s are saved.", name=person.display_name), "success")
        if corrected.email_link_sent:
            flash(_("We sent a link to the new e-mail address. The address changes when its owner opens the link."),
                  "success")
        if not corrected.changed and not corrected.email_link_sent:
            flash(_("Nothing changed."), "info")
        return redirect(url_for("admin.account", user_id=user_id))
    return page(), FORM_INVALID if request.method == "POST" else 200


def _areas_form(chosen: list[int] | None = None) -> WorkAreasForm:
    form = WorkAreasForm(data={"work_area_ids": chosen} if chosen is not None else None)
    form.work_area_ids.choices = neighbourhood_choices(None)
    return form


def _role_form(current_role: str | None = None) -> RoleForm:
    form = RoleForm(data={"role": current_role} if current_role else None)
    form.role.choices = [SelectChoice(r.value, role_label(r)) for r in account_admin.STAFF_ROLES]
    return form


def _account(user_id: int) -> User:
    """The account an action is about; the action's refusals are flashed on its page."""
    found = db.session.get(User, user_id)
    if found is None:
        abort(404)
    answer_refusals(redirect_to=url_for("admin.account", user_id=user_id))
    return found


def _confirmed(form) -> None:
    if not form.validate_on_submit():
        abort(400)


@bp.route("/users/<id:user_id>/disable", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def disable(user_id: int):
    """Ask first: the person is logged out everywhere and cannot log in until enabled again."""
    person = _account(user_id)
    form = ConfirmForm()
    if request.method == "GET":  # the confirmation names the person: a look, logged like the account page
        look = account_admin.look_at_account(db.session, user_id, actor=current_user)
        return render_template("admin/confirm_disable.html", user=look.user, form=form)
    _confirmed(form)
    account_admin.disable_account(db.session, person, actor=current_user)
    flash(_("The account of %(name)s is disabled. They are logged out everywhere.", name=person.display_name),
          "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/users/<id:user_id>/enable")
@role_required(Role.ADMIN)
def enable(user_id: int):
    person = _account(user_id)
    _confirmed(ConfirmForm())
    account_admin.enable_account(db.session, person, actor=current_user)
    flash(_("The account of %(name)s is enabled again.", name=person.display_name), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/users/<id:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    """Making someone an administrator asks once more: they can then change every account."""
    person = _account(user_id)
    form = _role_form()
    _confirmed(form)
    # A change that will be refused is refused now, not after "are you sure?".
    account_admin.check_role_change(db.session, person, form.role.data, actor=current_user)
    if form.role.data == Role.ADMIN and person.role != Role.ADMIN and form.confirmed.data != "yes":
        return render_template("admin/confirm_admin.html", user=person, form=form)
    account_admin.change_role(db.session, person, form.role.data, actor=current_user)
    flash(_("%(name)s is now: %(role)s.", name=person.display_name, role=role_label(person.role)), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/users/<id:user_id>/municipal")
@role_required(Role.ADMIN)
def municipal(user_id: int):
    person = _account(user_id)
    form = MunicipalForm()
    _confirmed(form)
    account_admin.set_municipal(db.session, person, form.municipal.data == "yes", actor=current_user)
    if person.is_municipal:
        flash(_("%(name)s now works for the whole city.", name=person.display_name), "success")
    else:
        flash(_("%(name)s now works in their own districts only.", name=person.display_name), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/users/<id:user_id>/work-areas")
@role_required(Role.ADMIN)
def work_areas(user_id: int):
    person = _account(user_id)
    form = _areas_form()
    _confirmed(form)
    account_admin.set_work_areas(db.session, person, form.work_area_ids.data or [], actor=current_user)
    flash(_("The work areas of %(name)s are saved.", name=person.display_name), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/users/<id:user_id>/password-reset")
@role_required(Role.ADMIN)
def password_reset(user_id: int):
    person = _account(user_id)
    _confirmed(ConfirmForm())
    account_admin.send_password_reset_link(db.session, person, actor=current_user)
    flash(_("A link to choose a new password is on its way to %(email)s.", email=person.email), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.route("/users/<id:user_id>/erase", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def erase(user_id: int):
    """Ask first, saying what erasure means: it cannot be undone."""
    person = _account(user_id)
    form = ConfirmForm()
    if request.method == "GET":  # the confirmation names the person: a look, logged like the account page
        account_admin.look_at_account(db.session, user_id, actor=current_user)
        return render_template("admin/confirm_erase.html", user=person, form=form,
                               live_count=account_admin.erasure_preview(db.session, person))
    _confirmed(form)
    account_admin.erase_by_admin(db.session, person, actor=current_user)
    flash(_("The account is erased. Nothing on this site shows who it was any more."), "success")
    return redirect(url_for("admin.account", user_id=user_id))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    form = StaffAccountForm()
    form.role.choices = [SelectChoice("", _("Choose a role"))] + [
        SelectChoice(r.value, role_label(r)) for r in Role if r != Role.CITIZEN]
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
