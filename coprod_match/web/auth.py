"""Registration, login, logout and passwords."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, speak_the_mails_language
from ..limits import throttled
from ..links import safe_next
from ..models import Role
from ..services import accounts, api_tokens, registration
from . import two_factor
from .forms.accounts import (
    ChangePasswordForm,
    FinishRegistrationForm,
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
)
from .forms.choices import chosen_neighbourhood, neighbourhood_choices
from .logins import current_login_session, log_in, log_out
from .privacy_statement import statement_in

bp = Blueprint("auth", __name__, url_prefix="/auth")

FORM_INVALID = 422


def home_for(user) -> str:
    """Where each role starts after logging in."""
    return {
        Role.CITIZEN: url_for("citizens.account"),
        Role.PROFESSIONAL: url_for("professionals.workspace"),
        Role.COORDINATOR: url_for("coordination.dashboard"),
        Role.ADMIN: url_for("admin.users"),
    }.get(user.role, url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@throttled("registration")
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegistrationForm()
    form.neighbourhood_id.choices = neighbourhood_choices(_("Choose your neighbourhood"))
    statement = statement_in(current_locale())
    if request.method == "GET":
        form.preferred_locale.data = current_locale()
        form.privacy_version.data = statement.version

    def page():
        return render_template("auth/register.html", form=form)

    if form.validate_on_submit():
        neighbourhood = chosen_neighbourhood(form.neighbourhood_id, _("Choose your neighbourhood."))
        if form.privacy_version.data != statement.version:
            form.privacy_version.data = statement.version
            form.accept_privacy.errors.append(_("The privacy statement changed while you were reading it. "
                                                "Please read it again."))
        elif neighbourhood is not None:
            # The same answer for every address: only the mail, read by the address's owner, differs.
            registration.request_registration(
                db.session,
                email=form.email.data,
                display_name=form.display_name.data,
                neighbourhood=neighbourhood,
                preferred_locale=form.preferred_locale.data,
                privacy_statement=statement.shown,
            )
            return redirect(url_for("auth.check_your_mail"))
    return page(), FORM_INVALID if request.method == "POST" else 200


@bp.get("/register/check-your-mail")
def check_your_mail():
    hours = current_app.config["REGISTRATION_LINK_MAX_AGE"] // 3600
    return render_template("auth/check_your_mail.html", hours=hours)


@bp.route("/register/finish/<token>", methods=["GET", "POST"])
def finish_registration(token: str):
    try:
        signing_up = registration.registration_from_link(db.session, token)
    except registration.RegistrationLinkError:
        return render_template("auth/registration_link_invalid.html"), 400
    speak_the_mails_language(signing_up.preferred_locale)
    form = FinishRegistrationForm()

    def page():
        return render_template("auth/finish_registration.html", form=form, name=signing_up.display_name)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        user = registration.complete_registration(db.session, token, password=form.password.data)
        log_in(user)
        flash(_("Welcome! Your account is ready. Tell us a bit more about yourself, so we can suggest initiatives."), "success")
        return redirect(url_for("citizens.account"))
    return page(), FORM_INVALID if request.method == "POST" else 200


@bp.route("/login", methods=["GET", "POST"])
@throttled("login")
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("This e-mail address and password do not match an account."))
        else:
            next_url = safe_next(request.args.get("next")) or home_for(user)
            # With two-factor on, the code comes first: the person is not logged in yet.
            second_step = two_factor.after_password(user, form.remember.data, next_url)
            if second_step is not None:
                return second_step
            log_in(user, remember=form.remember.data)
            return redirect(next_url)
    status = FORM_INVALID if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    log_out()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@throttled("password-reset")
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        # The mail waits in the outbox: no mail server is contacted here, so timing tells nothing.
        registration.request_password_reset(db.session, form.email.data)
        # The same answer either way: this page must not reveal who has an account.
        flash(_("If there is an account with this e-mail address, we have sent a link to choose a new password. The link works for one hour."), "info")
        return redirect(url_for("auth.login"))
    status = FORM_INVALID if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = accounts.user_from_password_reset_token(
        db.session, token, current_app.config["SECRET_KEY"], current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    speak_the_mails_language(user.preferred_locale)
    form = PasswordResetForm()
    live_tokens = api_tokens.live_token_count(db.session, user)

    def page():
        return render_template("auth/reset_password.html", form=form, live_tokens=live_tokens)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        registration.claim_pending_for_reset(db.session, user)
        accounts.set_password(db.session, user, form.password.data)
        if live_tokens and form.revoke_tokens.data:
            api_tokens.revoke_all_api_tokens(db.session, user, actor=user)
        flash(_("Your new password is saved. You are logged out everywhere. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return page(), FORM_INVALID if request.method == "POST" else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    live_tokens = api_tokens.live_token_count(db.session, current_user)

    def page():
        return render_template("auth/change_password.html", form=form, live_tokens=live_tokens)

    if form.validate_on_submit():
        answer_refusals(render=page, form=form, status=FORM_INVALID)
        accounts.change_password(db.session, current_user, form.current_password.data, form.password.data,
                                 current_login=current_login_session())
        if live_tokens and form.revoke_tokens.data:
            api_tokens.revoke_all_api_tokens(db.session, current_user, actor=current_user)
        flash(_("Your new password is saved. You are logged out on every other device."), "success")
        return redirect(home_for(current_user))
    return page(), FORM_INVALID if request.method == "POST" else 200
