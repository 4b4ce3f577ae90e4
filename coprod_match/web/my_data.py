"""My data: everything held about me on one page, as a download and printable; correcting my account.

The pages take no id: each shows the logged-in person's own data only.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, speak_the_mails_language
from ..limits import throttled
from ..models import Language, Role, utcnow
from ..queries.initiative_versions import texts_for_reader
from ..routing import page_arg
from ..security import role_required
from ..services import account_details, my_data
from ..services.accounts import normalise_email
from ..services.notifications import notification_text
from ..vocabulary import StillHelping
from .forms.account_details import (
    AccountDetailsForm,
    EmailChangeForm,
    label_spoken_languages,
    make_details_form,
)
from .forms.citizens import GENDER_CHOICES, LEVEL_CHOICES
from .forms.fields import EmptyForm

bp = Blueprint("my_data", __name__, url_prefix="/account")

ERASURE_ENDPOINT = "account_erasure.confirm"
ROLE_LABELS = {
    Role.CITIZEN: _l("Resident"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
}
WHO_LABELS = {"you": _l("You"), "system": _l("The system")}
CONSENT_LABELS = {"invitations": _l("Professionals may invite me"),
                  "privacy_statement": _l("The privacy statement")}
CONSENT_HOW_LABELS = {"self": _l("By you"), "in_person": _l("You said it in person; a professional wrote it down"),
                      "imported": _l("From an organisation's list (only an intention)")}
LEVEL_LABELS = {choice.value: choice.label for choice in LEVEL_CHOICES if choice.value}
GENDER_LABELS = dict(GENDER_CHOICES)
STILL_HELPING_LABELS = {StillHelping.YES: _l("yes"), StillHelping.PAUSED: _l("paused"),
                        StillHelping.STOPPED: _l("stopped")}


def _render(template: str, data: my_data.MyData, **context) -> str:
    # Each initiative named in the reader's language when it has a version in it: one read for all.
    named = [placement.initiative for placement in data.placements]
    named += [invitation.placement.initiative for invitation in data.invitations]
    return render_template(
        template, data=data, message_texts={message.id: notification_text(message) for message in data.notifications},
        initiative_texts=texts_for_reader(db.session, named, current_locale()),
        role_label=lambda role: ROLE_LABELS.get(role, role),
        who_label=lambda who: WHO_LABELS.get(who) or ROLE_LABELS.get(who, who),
        consent_label=lambda kind: CONSENT_LABELS.get(kind, kind),
        consent_how_label=lambda how: CONSENT_HOW_LABELS.get(how, how),
        language_level_label=lambda level: LEVEL_LABELS.get(level, level),
        gender_label=lambda gender: GENDER_LABELS.get(gender, gender),
        still_helping_label=lambda answer: STILL_HELPING_LABELS.get(answer, answer), my_data_who=my_data.who, now=utcnow(),
        can_erase=ERASURE_ENDPOINT in current_app.view_functions, **context)


@bp.get("/my-data")
@role_required(Role.CITIZEN)
def index():
    """Everything about me, in sections; staff looks 50 to a page."""
    data = my_data.collect(db.session, current_user, looks_page=page_arg(request.args))
    return _render("account/my_data.html", data, printing=False)


@bp.get("/my-data/print")
@role_required(Role.CITIZEN)
def printable():
    """The same, every look included, on a page without menus, to print or save as PDF."""
    return _render("account/my_data_print.html", my_data.collect(db.session, current_user), printing=True)


@bp.get("/my-data.json")
@role_required(Role.CITIZEN)
def download():
    """The whole document as a JSON file (the same as GET /api/v1/me/data)."""
    now = utcnow()
    text = my_data.as_json(my_data.my_data_document(db.session, current_user, now=now))
    filename = f"coprod-match-my-data-{now.astimezone(dt.UTC):%Y-%m-%d}.json"
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _details_page(details_form: AccountDetailsForm, email_form: EmailChangeForm):
    label_spoken_languages(details_form, db.session.scalars(sa.select(Language)).all(), current_locale())
    return render_template("account/details.html", form=details_form, email_form=email_form,
                           hours=account_details.link_hours(),
                           asks_languages=account_details.records_spoken_languages(current_user))


def _details_form(**kwargs) -> AccountDetailsForm:
    return make_details_form(current_user, db.session.scalars(sa.select(Language)).all(), **kwargs)


@bp.route("/details", methods=["GET", "POST"])
@login_required
def details():
    """My name, phone number and language (everyone), work details (staff) or what I share (residents);
    the e-mail address has its own form."""
    form = _details_form(obj=current_user if request.method == "GET" else None)
    email_form = EmailChangeForm(formdata=None)
    if form.validate_on_submit():
        answer_refusals(render=lambda: _details_page(form, email_form), form=form, status=422)
        staff = current_user.role != Role.CITIZEN
        changed = account_details.update_account_details(
            db.session, current_user, display_name=form.display_name.data, phone=form.phone.data,
            preferred_locale=form.preferred_locale.data, actor=current_user,
            work_email=form.work_email.data if staff else None, organisation=form.organisation.data if staff else None,
            shares_phone=None if staff else form.shares_phone.data, shares_email=None if staff else form.shares_email.data,
            spoken_languages=(form.spoken_languages.data or []) if account_details.records_spoken_languages(current_user)
            else None)
        flash(_("Your details are saved.") if changed else _("Nothing changed."), "success" if changed else "info")
        return redirect(url_for("my_data.details"))
    return _details_page(form, email_form), 422 if request.method == "POST" else 200


@bp.post("/email")
@login_required
@throttled("registration")  # each try mails the address typed: the same limits as signing up
def change_email():
    """Mail a link to the new address; the address changes only when that link is opened."""
    form = _details_form(formdata=None, obj=current_user)
    email_form = EmailChangeForm()
    if email_form.validate_on_submit():
        answer_refusals(render=lambda: _details_page(form, email_form), form=email_form, status=422)
        account_details.request_email_change(db.session, current_user, new_email=email_form.email.data,
                                             password=email_form.password.data)
        flash(_("We sent a link to %(email)s. Open it to confirm your new address. Until then your old "
                "address stays.", email=normalise_email(email_form.email.data)), "success")
        return redirect(url_for("my_data.details"))
    return _details_page(form, email_form), 422


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link from the mail: shows the new address, and changes it with one button (mail scanners only GET)."""
    answer_refusals(render=lambda: render_template("account/details_email_invalid.html"), status=400)
    change = account_details.email_change_from_link(db.session, token)
    speak_the_mails_language(change.user.preferred_locale)
    form = EmptyForm()
    if form.validate_on_submit():
        account_details.confirm_email_change(db.session, token)
        flash(_("Your e-mail address is now %(email)s.", email=change.new_email), "success")
        mine = current_user.is_authenticated and current_user.id == change.user.id
        return redirect(url_for("my_data.details") if mine else url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("account/details_email_confirm.html", form=form, new_email=change.new_email), status
