"""Erase my account: a resident confirms with their password; staff are told an administrator does it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import answer_refusals
from ..extensions import db
from ..models import Role
from ..services import erasure
from .forms.erasure import EraseAccountForm
from .logins import forget_ended_login

bp = Blueprint("account_erasure", __name__, url_prefix="/account/erase")


@bp.route("", methods=["GET", "POST"])
@login_required
def confirm():
    """What erasing means, in plain words, and the password to do it."""
    form = EraseAccountForm()
    is_resident = current_user.role == Role.CITIZEN

    def page():
        return render_template(
            "account/erase.html", form=form, is_resident=is_resident,
            live_count=erasure.live_placement_count(db.session, current_user) if is_resident else 0,
        )

    if form.validate_on_submit():
        # Staff get the error page (403); a wrong password shows the form again, by the field.
        answer_refusals(render=page if is_resident else None, form=form, status=422)
        erasure.erase_own_account(db.session, current_user, password=form.password.data)
        forget_ended_login()
        return redirect(url_for("account_erasure.goodbye"))
    return page(), 422 if request.method == "POST" else 200


@bp.get("/done")
def goodbye():
    """Said once the account is gone (the person is no longer logged in)."""
    return render_template("account/erased.html")
