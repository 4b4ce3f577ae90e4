"""The privacy statement: its page, its versions, and accepting a new version before anything else.

The statement is templates/privacy/_statement_text.html, through Flask-Babel
in every UI language. Its version is the SHA-256 of the text as rendered in a
language, so any change to the words (or to their translation) is a new
version for the readers of that language, without anyone keeping a number.

Whoever is logged in and has not accepted the current version of the
statement in the language they accepted it in is sent to the acceptance
page from every page, staff too; the API answers a 403 problem document
(type urn:coprod-match:problem:privacy-statement-required). Like the
two-factor gate, only a few pages stay open. A person's latest accepted
version is kept in their cookie session once checked, so a request costs no
query until the statement changes. PRIVACY_ACCEPTANCE_REQUIRED turns the gate
off for the tests that are not about it.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..domain_errors import DomainError
from ..extensions import db
from ..i18n import current_locale, format_date
from ..models import User
from ..security import is_api_request
from ..services import consents
from .auth import home_for
from .forms.privacy import AcceptStatementForm
from .privacy_statement import optional_url, statement_in

bp = Blueprint("privacy", __name__)

FORM_INVALID = 422
ACCEPTED_KEY = "privacy_statement_accepted"
NEXT_KEY = "privacy_next"
OPEN_ENDPOINTS = frozenset({
    "static", "privacy.statement", "privacy.accept", "auth.logout", "main.healthz", "main.readyz",
    "main.set_language", "two_factor.setup", "two_factor.login_step", "welcome.confirm", "welcome.remove",
    "account_erasure.confirm",
})


class PrivacyStatementRequired(DomainError):
    status = 403
    problem_type = "privacy-statement-required"
    message = _l("Please read and accept our privacy statement first. Log in on the website to do so.")


def _has_accepted_current(user: User) -> bool:
    remembered = session.get(ACCEPTED_KEY)
    languages = current_app.config["LANGUAGES"]
    if (isinstance(remembered, list) and len(remembered) == 3 and remembered[0] == user.id
            and remembered[2] in languages and statement_in(remembered[2]).version == remembered[1]):
        return True
    accepted = consents.accepted_statement(db.session, user)
    if accepted is None or accepted.locale not in languages or statement_in(accepted.locale).version != accepted.version:
        return False
    _remember(user, accepted)
    return True


def _remember(user: User, accepted: consents.TextShown) -> None:
    if not is_api_request():
        session[ACCEPTED_KEY] = [user.id, accepted.version, accepted.locale]


def init_gate(app) -> None:
    """Whoever is logged in accepts the current statement before anything else (after the two-factor gate)."""
    if app.config["APP_ENV"] == "production" and not app.config["PRIVACY_ACCEPTANCE_REQUIRED"]:
        app.logger.warning("PRIVACY_ACCEPTANCE_REQUIRED=0: people use the site without accepting the privacy statement")

    @app.before_request
    def _privacy_gate():
        if (not current_app.config["PRIVACY_ACCEPTANCE_REQUIRED"] or request.endpoint is None
                or request.endpoint in OPEN_ENDPOINTS or not current_user.is_authenticated):
            return None
        if _has_accepted_current(current_user):
            return None
        if is_api_request():
            raise PrivacyStatementRequired()
        if request.method == "GET" and request.path.startswith("/") and not request.path.startswith("//"):
            session[NEXT_KEY] = request.path
        return redirect(url_for("privacy.accept"))


@bp.get("/privacy")
def statement():
    """The privacy statement, for everyone, in the page's language, with its version."""
    shown = statement_in(current_locale())
    accepted_on = None
    if current_user.is_authenticated:
        record = consents.latest(db.session, current_user, consents.ConsentKind.PRIVACY_STATEMENT)
        if record is not None and record.version == shown.version:
            accepted_on = format_date(record.given_at, "long")
    return render_template("privacy/statement.html", statement=shown, accepted_on=accepted_on)


@bp.route("/privacy/accept", methods=["GET", "POST"])
@login_required
def accept():
    """Read the current statement and accept it, then go on to where the person was going."""
    shown = statement_in(current_locale())
    form = AcceptStatementForm()
    previous = consents.accepted_statement(db.session, current_user)
    if request.method == "GET":
        if previous == shown.shown:
            return redirect(url_for("privacy.statement"))
        form.version.data = shown.version

    def page():
        return render_template("privacy/accept.html", form=form, statement=shown, changed=previous is not None,
                               erase_url=optional_url("account_erasure.confirm"))

    if form.validate_on_submit():
        if form.version.data != shown.version:
            form.version.data = shown.version
            form.accept.errors.append(_("The privacy statement changed while you were reading it. "
                                        "Please read it again."))
            return page(), FORM_INVALID
        consents.accept_privacy_statement(db.session, current_user, shown.shown)
        _remember(current_user, shown.shown)
        return redirect(session.pop(NEXT_KEY, None) or home_for(current_user))
    return page(), FORM_INVALID if request.method == "POST" else 200
