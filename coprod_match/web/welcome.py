"""The welcome page for imported residents: confirm the account (password, statement, invitations) or remove it.

The link comes in the welcome mail (services/welcome.py). Until the resident
confirms here, the account is pending and nobody sees it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, speak_the_mails_language
from ..services import consents, welcome
from .forms.privacy import WelcomeForm
from .logins import log_in
from .privacy import ACCEPTED_KEY
from .privacy_statement import statement_in

bp = Blueprint("welcome", __name__, url_prefix="/welcome")

FORM_INVALID = 422
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _resident(token: str):
    try:
        return welcome.resident_from_link(db.session, token)
    except welcome.WelcomeLinkError:
        return None


@bp.route("/<token>", methods=["GET", "POST"])
def confirm(token: str):
    resident = _resident(token)
    if resident is None:
        return render_template("privacy/welcome_invalid.html"), 400, NO_STORE
    speak_the_mails_language(resident.preferred_locale)
    shown = statement_in(current_locale())
    form = WelcomeForm()
    if request.method == "GET":
        form.version.data = shown.version

    def page():
        return render_template("privacy/welcome.html", form=form, statement=shown, name=resident.display_name,
                               remove_form=FlaskForm(prefix="remove"), consent_hint=consents.INVITATIONS_HINT)

    if form.validate_on_submit():
        if form.version.data != shown.version:
            form.version.data = shown.version
            form.accept.errors.append(_("The privacy statement changed while you were reading it. "
                                        "Please read it again."))
            return page(), FORM_INVALID, NO_STORE
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        wording = consents.wording_shown(current_locale(), consents.INVITATIONS_WORDING, consents.INVITATIONS_HINT)
        user = welcome.confirm_account(db.session, token, password=form.password.data,
                                       invitations=form.invitations.data == "yes", statement=shown.shown,
                                       wording=wording)
        log_in(user)
        session[ACCEPTED_KEY] = [user.id, shown.version, shown.locale]
        flash(_("Welcome! Your account is ready. Check your profile, so we can suggest initiatives."), "success")
        return redirect(url_for("citizens.profile"))
    return page(), FORM_INVALID if request.method == "POST" else 200, NO_STORE


@bp.post("/<token>/remove")
def remove(token: str):
    """The resident wants no account: it is removed now."""
    form = FlaskForm(prefix="remove")
    if not form.validate_on_submit():
        abort(400)
    if _resident(token) is None:
        return render_template("privacy/welcome_invalid.html"), 400, NO_STORE
    welcome.remove_unwanted_account(db.session, token)
    return render_template("privacy/welcome_removed.html"), 200, NO_STORE
