"""Where you are logged in: your logins on every device, and logging out of the ones you do not want."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import db
from ..services import sessions
from .forms.accounts import ConfirmForm
from .logins import current_login_session, log_out

bp = Blueprint("account_sessions", __name__, url_prefix="/account/sessions")


@bp.get("")
@login_required
def index():
    return render_template(
        "auth/sessions.html", login_sessions=sessions.sessions_of(db.session, current_user),
        current=current_login_session(),
    ), 200, {"Cache-Control": "no-store"}


@bp.route("/others/end", methods=["GET", "POST"])
@login_required
def end_others():
    """Ask first; then every login except this browser's ends."""
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ended = sessions.end_other_sessions(db.session, current_user, keep=current_login_session(),
                                            actor=current_user)
        flash(ngettext("You are logged out on %(num)d other device.",
                       "You are logged out on %(num)d other devices.", ended), "success")
        return redirect(url_for("account_sessions.index"))
    return render_template("auth/end_sessions.html", form=form, login_session=None)


@bp.route("/<id:login_session_id>/end", methods=["GET", "POST"])
@login_required
def end_one(login_session_id: int):
    """Ask first; ending this browser's own login is logging out."""
    record = sessions.own_login_session(db.session, current_user, login_session_id)
    if record is None:
        abort(404)
    is_current = record is current_login_session()
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if is_current:
            log_out()
            flash(_("You are logged out."), "info")
            return redirect(url_for("main.home"))
        sessions.end_login_session(db.session, record)
        flash(_("That device is logged out."), "success")
        return redirect(url_for("account_sessions.index"))
    return render_template("auth/end_sessions.html", form=form, login_session=record, is_current=is_current)
