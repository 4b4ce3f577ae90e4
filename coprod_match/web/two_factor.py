"""Two-factor login pages: setting up the app, the second step of logging in, and the gate.

The gate sends staff without two-factor to the setup page from every page,
and answers the API with a 403 problem document (type
urn:coprod-match:problem:two-factor-required), whether they came with the
session or a bearer token: a staff member's token works only once its owner
has set up two-factor. Only the setup page itself, logging out, the language
choice, health checks and static files stay open to them. The config switch
TWO_FACTOR_REQUIRED (always on in production) lets the test suite switch the
gate off for tests that are not about it.
"""

from __future__ import annotations

import time

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..errors import answer_refusals
from ..extensions import db
from ..models import User
from ..security import is_api_request
from ..services import two_factor
from .forms.two_factor import AppCodeForm, LoginCodeForm
from .logins import log_in

bp = Blueprint("two_factor", __name__)

FORM_INVALID = 422
# The password was right; the code must follow within this many seconds.
PENDING_LOGIN_SECONDS = 300
PENDING_LOGIN_KEY = "two_factor_login"
NEXT_KEY = "two_factor_next"
NO_STORE = {"Cache-Control": "no-store"}
OPEN_ENDPOINTS = frozenset({
    "static", "two_factor.setup", "two_factor.login_step", "auth.logout",
    "main.healthz", "main.readyz", "main.set_language", "privacy.statement",
})


def after_password(user: User, remember: bool, next_url: str):
    """Called by the login form once the password is right.

    With two-factor on, nobody is logged in yet: the person is remembered for
    a few minutes and sent to the second step. Without, answer None and the
    login form logs them in as before.
    """
    if not two_factor.is_enabled(db.session, user):
        return None
    session[PENDING_LOGIN_KEY] = {
        "user_id": user.id, "remember": bool(remember), "next": next_url,
        "until": int(time.time()) + PENDING_LOGIN_SECONDS,
    }
    return redirect(url_for("two_factor.login_step"))


def complete_login(user: User, remember: bool) -> None:
    """Log the person in once both steps are done: a login row, as after a password alone."""
    log_in(user, remember=remember)


def _pending_login() -> tuple[User, bool, str] | None:
    pending = session.get(PENDING_LOGIN_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        session.pop(PENDING_LOGIN_KEY, None)
        return None
    user = db.session.get(User, pending["user_id"])
    if user is None or not user.is_enabled:
        return None
    return user, pending["remember"], pending["next"]


@bp.route("/auth/two-factor", methods=["GET", "POST"])
def login_step():
    """The second step: a code from the app, or one of the recovery codes."""
    pending = _pending_login()
    if pending is None:
        if not current_user.is_authenticated:
            flash(_("Please log in again: the time to type the code has passed."), "info")
        return redirect(url_for("auth.login"))
    user, remember, next_url = pending
    form = LoginCodeForm()

    def page():
        return render_template("two_factor/login_step.html", form=form)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        two_factor.verify_login_code(db.session, user, form.code.data)
        session.pop(PENDING_LOGIN_KEY, None)
        complete_login(user, remember)
        return redirect(next_url)
    return page(), FORM_INVALID if request.method == "POST" else 200


def _qr_code(uri: str) -> Markup:
    """The otpauth address as an SVG QR code, made here: no script, no image from elsewhere."""
    # segno writes only path data and escapes the title: nothing from the request is in it unescaped.
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, light="#fff", title=_("QR code to scan with your authenticator app"))
    return Markup(svg)  # noqa: S704


def _continue_to() -> str:
    # The login page sends a logged-in person to their own start page.
    return session.pop(NEXT_KEY, None) or url_for("auth.login")


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def setup():
    """Set up the app (QR code and the key in text), or, when it is on, manage it."""
    if two_factor.is_enabled(db.session, current_user):
        return _manage_page(), NO_STORE
    record = two_factor.begin_setup(db.session, current_user)
    form = AppCodeForm()

    def page():
        return render_template(
            "two_factor/setup.html", form=form, qr_code=_qr_code(two_factor.provisioning_uri(current_user, record)),
            secret_groups=[record.secret[start:start + 4] for start in range(0, len(record.secret), 4)],
            required=two_factor.must_have_two_factor(current_user),
        )

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        codes = two_factor.enable(db.session, current_user, form.code.data)
        flash(_("Two-factor login is on."), "success")
        return _codes_page(codes), NO_STORE
    return page(), FORM_INVALID if request.method == "POST" else 200, NO_STORE


def _manage_page(renew_form=None, off_form=None):
    return render_template(
        "two_factor/manage.html", renew_form=renew_form or AppCodeForm(prefix="renew"),
        off_form=off_form or AppCodeForm(prefix="off"),
        codes_left=two_factor.recovery_codes_left(db.session, current_user),
        may_turn_off=not two_factor.must_have_two_factor(current_user),
    )


def _codes_page(codes: list[str]):
    return render_template("two_factor/recovery_codes.html", codes=codes, continue_to=_continue_to())


@bp.post("/account/two-factor/recovery-codes")
@login_required
def renew_codes():
    """Ten new recovery codes (the old ones stop working), for a code from the app."""
    form = AppCodeForm(prefix="renew")
    if not form.validate_on_submit():
        return _manage_page(renew_form=form), FORM_INVALID, NO_STORE
    answer_refusals(render=lambda: _manage_page(renew_form=form), form=form, status=FORM_INVALID)
    codes = two_factor.renew_recovery_codes(db.session, current_user, form.code.data)
    flash(_("You have new recovery codes. The old ones no longer work."), "success")
    return _codes_page(codes), NO_STORE


@bp.post("/account/two-factor/off")
@login_required
def turn_off():
    """Citizens may turn two-factor off again, with a code from the app; staff cannot."""
    form = AppCodeForm(prefix="off")
    if not form.validate_on_submit():
        return _manage_page(off_form=form), FORM_INVALID, NO_STORE
    # A wrong code answers 422, a staff account 403 (the refusal's own status), beside the form.
    answer_refusals(render=lambda: _manage_page(off_form=form), form=form)
    two_factor.disable(db.session, current_user, form.code.data)
    flash(_("Two-factor login is off."), "success")
    return redirect(url_for("two_factor.setup"))


def _is_own_path(path: str) -> bool:
    return path.startswith("/") and not path.startswith(("//", "/\\")) and path.isprintable()


def init_gate(app) -> None:
    """Staff without two-factor reach only its setup page (run after the API has read tokens)."""
    if app.config["APP_ENV"] == "production" and not app.config["TWO_FACTOR_REQUIRED"]:
        app.logger.warning("TWO_FACTOR_REQUIRED=0: staff without two-factor login can see residents' data")

    @app.before_request
    def _two_factor_gate():
        if not current_app.config["TWO_FACTOR_REQUIRED"] or request.endpoint in OPEN_ENDPOINTS:
            return None
        if not current_user.is_authenticated or not two_factor.must_have_two_factor(current_user):
            return None
        if two_factor.is_enabled(db.session, current_user):
            return None
        if is_api_request():
            raise two_factor.TwoFactorRequired()
        if request.method == "GET" and _is_own_path(request.path):
            session[NEXT_KEY] = request.path
        flash(_("Set up two-factor login first. You need it to see residents' data."), "info")
        return redirect(url_for("two_factor.setup"))
