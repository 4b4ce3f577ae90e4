"""The volunteer's monthly check-in: from the mailed link without logging in, or in the app.

Both doors show the same short form and call the same service; the link
speaks the mail's language (the volunteer's) and acts for the person it was
sent to, as an invitation's "no" does. A link that cannot be used (answered,
past its time, not right) gets a friendly page that says only that.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, speak_the_mails_language
from ..models import EndReason, Role, VolunteerCheckIn, utcnow
from ..queries.initiative_versions import text_for
from ..security import role_required
from ..services import check_ins as check_in_service
from ..vocabulary import Limits, StillHelping
from .forms.check_ins import SCALE_LABELS, SCALE_STATEMENTS, STILL_HELPING_LABELS, CheckInForm
from .forms.placements import end_reason_choices

bp = Blueprint("check_ins", __name__)

FORM_INVALID = 422
# The face drawn beside each step of a scale (static/pictograms/face-<n>.svg, sad to glad). For
# "It is too much for me" the faces turn round: "very much" too much is the sad face.
FACES = {value: f"face-{value}" for value in SCALE_LABELS}
FACES_TURNED = {value: f"face-{len(SCALE_LABELS) + 1 - value}" for value in SCALE_LABELS}


@bp.after_request
def _no_referrer(response):
    # The link carries its token in the path: never pass it on to another site, never cache it.
    if request.endpoint == "check_ins.by_link":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/check-in/<token>", methods=["GET", "POST"])
def by_link(token: str):
    """The check-in a mail's link opens; no login needed: the link is the key, and works once."""
    answer_refusals(render=lambda: render_template("check_ins/link_invalid.html"))
    check_in = check_in_service.check_in_from_token(db.session, token, current_app.config["SECRET_KEY"],
                                                    now=utcnow())
    speak_the_mails_language(check_in.placement.citizen.preferred_locale)
    return _answer_page(check_in, via="link")


@bp.route("/my/check-ins/<id:check_in_id>", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def mine(check_in_id: int):
    """The same questions in the app, for the volunteer logged in (their own check-ins only)."""
    check_in = check_in_service.own_check_in(db.session, check_in_id, current_user)
    answer_refusals(redirect_to=url_for("citizens.my_initiatives"))
    check_in_service.ensure_open(check_in, now=utcnow(), via="app")
    return _answer_page(check_in, via="app")


def _answer_page(check_in: VolunteerCheckIn, *, via: str):
    form = CheckInForm()
    form.end_reason.choices = end_reason_choices(for_citizen=True)
    text = text_for(db.session, check_in.placement.initiative, current_locale())

    def page():
        return render_template("check_ins/answer.html", form=form, text=text, check_in=check_in,
                               still_helping_labels=STILL_HELPING_LABELS, scale_labels=SCALE_LABELS,
                               statements=SCALE_STATEMENTS, faces=FACES, faces_turned=FACES_TURNED,
                               comment_limit=Limits.CHECK_IN_COMMENT)

    if not form.validate_on_submit():
        return page(), FORM_INVALID if request.method == "POST" else 200
    answer_refusals(render=page, form=form, status=FORM_INVALID)
    answer = form.answer()
    stopped = answer.still_helping == StillHelping.STOPPED
    check_in_service.answer_check_in(
        db.session, check_in, answer, via=via, now=utcnow(),
        end_reason=EndReason(form.end_reason.data) if stopped else None,
        note=(form.note.data or None) if stopped else None)
    return render_template("check_ins/thanks.html", text=text, still_helping=answer.still_helping)
