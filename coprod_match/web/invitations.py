"""Personal invitations: send (staff), answer (the citizen, from the link or logged in), follow up."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale, speak_the_mails_language
from ..limits import throttled
from ..matching import service as matching
from ..models import (
    DeclineReason,
    Initiative,
    Invitation,
    Role,
    User,
    utcnow,
)
from ..queries import invitation_funnel as funnel_reads
from ..queries.initiative_versions import text_for
from ..queries.initiatives import initiatives_of_contact
from ..queries.placements import already_involved
from ..routing import id_arg
from ..security import (
    can_invite,
    may_see_city_funnel,
    role_required,
)
from ..services import access
from ..services import invitations as invitation_service
from ..services.invitations import looks
from ..vocabulary import Limits
from .forms.choices import neighbourhood_choices
from .forms.fields import EmptyForm
from .forms.invitations import CompleteAccountForm, DeclineForm, InviteByEmailForm, InviteForm
from .logins import log_in

bp = Blueprint("invitations", __name__, url_prefix="/invitations")

STAFF = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
FORM_INVALID = 422

DECLINE_REASON_LABELS = {
    DeclineReason.NOT_NOW: _l("Not now"),
    DeclineReason.NOT_MY_THING: _l("It is not my thing"),
    DeclineReason.TOO_FAR: _l("It is too far away"),
    DeclineReason.LANGUAGE: _l("Because of the language"),
    DeclineReason.OTHER: _l("Another reason"),
}
STATUS_LABELS = {
    "waiting": _l("Waiting for an answer"),
    "accepted": _l("Said yes"),
    "declined": _l("Said no"),
    "expired": _l("No answer in time"),
    "withdrawn": _l("Taken back"),
}


@bp.after_request
def _no_referrer(response):
    # Links carry a token in the path: never pass it on to another site, never cache it.
    if request.endpoint and request.endpoint.endswith("_link"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


# --- Sending (staff) ------------------------------------------------------------------------------


def _initiative_for_inviting(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_invite(db.session, current_user, initiative_id):
        abort(404)
    return initiative


def _after_sending(initiative: Initiative):
    return redirect(url_for("invitations.for_initiative", initiative_id=initiative.id))


@bp.route("/new/<id:initiative_id>/<id:citizen_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def new(initiative_id: int, citizen_id: int):
    """Invite one citizen personally, with a message (a default in their language, to change)."""
    initiative = _initiative_for_inviting(initiative_id)
    citizen = looks.resident_to_invite(db.session, citizen_id, initiative=initiative, actor=current_user)
    form = InviteForm()
    if request.method == "GET":
        form.message.data = invitation_service.default_message(citizen, initiative, current_user)
    consented = citizen.citizen_profile is not None and citizen.citizen_profile.consent_to_contact

    def page():
        return render_template("invitations/new.html", form=form, initiative=initiative, citizen=citizen,
                               consented=consented, message_limit=Limits.INVITATION_MESSAGE)

    if not form.validate_on_submit():
        return page(), FORM_INVALID if request.method == "POST" else 200
    # Refusals concern the invitation as a whole, not one field: a message above the page.
    answer_refusals(render=page)
    invitation_service.invite_citizen(db.session, citizen, initiative, actor=current_user,
                           message=form.message.data, via=request.form.get("via", "candidates")[:20])
    flash(_("Your invitation to %(name)s is sent.", name=citizen.display_name), "success")
    return _after_sending(initiative)


@bp.route("/by-email/<id:initiative_id>", methods=["GET", "POST"])
@role_required(*STAFF)
@throttled("invitation-by-email")
def by_email(initiative_id: int):
    """Invite someone met in the neighbourhood by e-mail address (they may not have an account)."""
    initiative = _initiative_for_inviting(initiative_id)
    form = InviteByEmailForm()
    if request.method == "GET":
        form.preferred_locale.data = current_locale()

    def page():
        return render_template("invitations/by_email.html", form=form, initiative=initiative)

    if not form.validate_on_submit():
        return page(), FORM_INVALID if request.method == "POST" else 200
    answer_refusals(render=page)
    invitation_service.invite_by_email(
        db.session, email=form.email.data, name=form.display_name.data,
        locale=form.preferred_locale.data, initiative=initiative, actor=current_user,
        message=form.message.data,
    )
    # The same words whatever happened: this page must not reveal who has an account.
    flash(_("Thank you. If this address can receive the invitation, it is on its way."), "success")
    return _after_sending(initiative)


@bp.get("/search/<id:initiative_id>")
@role_required(*STAFF)
def search(initiative_id: int):
    """Find a resident by name among those who agreed to be invited (nobody else shows)."""
    initiative = _initiative_for_inviting(initiative_id)
    words = (request.args.get("q") or "").strip()[:Limits.SEARCH_TEXT]
    people = looks.find_invitable_residents(db.session, words, initiative=initiative, actor=current_user)
    return render_template("invitations/search.html", initiative=initiative, words=words, people=people,
                           words_limit=Limits.SEARCH_TEXT,
                           involved=already_involved(db.session, initiative.id, [person.id for person in people]))


@bp.get("/citizens/<id:citizen_id>")
@role_required(*STAFF)
def citizen(citizen_id: int):
    """A resident who agreed to be invited, as far as inviting needs: where, what, which languages, when.

    Residents who did not agree are 'not found'. Every look is logged.
    """
    person = looks.invitable_resident(db.session, citizen_id, actor=current_user)
    initiatives = looks.initiatives_to_invite_to(db.session, actor=current_user)
    chosen = id_arg(request.args, "initiative_id")
    if chosen is not None and any(initiative.id == chosen for initiative in initiatives):
        return redirect(url_for("invitations.new", initiative_id=chosen, citizen_id=person.id))
    return render_template("invitations/citizen.html", person=person, profile=person.citizen_profile,
                           initiatives=initiatives)


@bp.get("/initiatives/<id:initiative_id>")
@role_required(*STAFF)
def for_initiative(initiative_id: int):
    """Follow the invitations of one initiative: who, when, what they answered; and its funnel."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_invite(db.session, current_user, initiative_id):
        abort(404)
    now = utcnow()
    invitations = looks.sent_invitations(db.session, initiative, actor=current_user)
    rows = funnel_reads.funnel(db.session, group_by="initiative", now=now, initiative_ids=[initiative_id])
    return render_template(
        "invitations/for_initiative.html", initiative=initiative, now=now,
        items=[(i, funnel_reads.invitation_status(i, now)) for i in invitations],
        figures=rows[0] if rows else funnel_reads.FunnelRow(key=initiative_id, label=initiative.title),
        status_labels=STATUS_LABELS, reason_labels=DECLINE_REASON_LABELS, action_form=EmptyForm(),
    )


@bp.post("/<id:invitation_id>/withdraw")
@role_required(*STAFF)
def withdraw(invitation_id: int):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_invite(db.session, current_user, invitation.placement.initiative_id):
        abort(404)
    follow_up = url_for("invitations.for_initiative", initiative_id=invitation.placement.initiative_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    answer_refusals(redirect_to=follow_up)
    invitation_service.withdraw_invitation(db.session, invitation, actor=current_user)
    flash(_("The invitation is taken back. The link no longer works."), "success")
    return redirect(follow_up)


@bp.get("/funnel")
@role_required(*STAFF)
def funnel():
    """The linking-pin figures: invitations sent, opened, answered, and who stayed three months."""
    now = utcnow()
    if may_see_city_funnel(current_user):
        # A coordinator who is not municipal sees their own districts only.
        own, areas = access.own_districts(current_user), access.area_ids(current_user)
        districts = [name for name in matching.districts(db.session) if own is None or name in own]
        district = request.args.get("district") or None
        if district not in districts:
            district = None
        by_place = funnel_reads.funnel(db.session, group_by="neighbourhood", now=now, district=district,
                                       neighbourhood_ids=areas)
        by_sender = funnel_reads.funnel(db.session, group_by="sender", now=now, district=district,
                                        neighbourhood_ids=areas)
        return render_template(
            "invitations/funnel.html", city=True, districts=districts, district=district,
            whole_city=own is None,
            tables=[(_("By neighbourhood"), _("Neighbourhood"), by_place),
                    (_("By professional"), _("Professional"), by_sender)],
            overall=funnel_reads.total(by_place, _("All")),
        )
    mine = funnel_reads.funnel(db.session, group_by="initiative", now=now, sender_id=current_user.id)
    managed_ids = [initiative.id for initiative in db.session.scalars(initiatives_of_contact(current_user))]
    managed = funnel_reads.funnel(db.session, group_by="initiative", now=now, initiative_ids=managed_ids)
    # Each row leads to its initiative: the manage page of one's own, the public page of the others.
    links = {row.key: url_for("initiatives.detail", initiative_id=row.key) for row in mine if row.key}
    links.update({key: url_for("professionals.manage_initiative", initiative_id=key) for key in managed_ids})
    return render_template(
        "invitations/funnel.html", city=False,
        tables=[(_("Invitations you sent"), _("Initiative"), mine),
                (_("All invitations of your initiatives"), _("Initiative"), managed)],
        overall=funnel_reads.total(mine, _("All")), initiative_links=links,
    )


# --- Answering: logged in -------------------------------------------------------------------------


def _own_invitation(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.placement.citizen_id != current_user.id:
        abort(404)
    return invitation


def _decline_form() -> DeclineForm:
    form = DeclineForm()
    form.reason.choices = [("", _("I would rather not say"))] + [
        (reason.value, label) for reason, label in DECLINE_REASON_LABELS.items()
    ]
    return form


@bp.get("/<id:invitation_id>")
@role_required(Role.CITIZEN)
def mine(invitation_id: int):
    """A citizen's own invitation, from the inbox."""
    invitation = _own_invitation(invitation_id)
    now = utcnow()
    status = funnel_reads.invitation_status(invitation, now)
    if status == "waiting":
        invitation_service.mark_opened(invitation, now=now)
    return render_template("invitations/answer.html", invitation=invitation, status=status,
                           decline_form=_decline_form(), token=None, status_labels=STATUS_LABELS,
                           text=text_for(db.session, invitation.placement.initiative, current_locale()))


@bp.post("/<id:invitation_id>/<any(accept, decline):answer>")
@role_required(Role.CITIZEN)
def answer_mine(invitation_id: int, answer: str):
    invitation = _own_invitation(invitation_id)
    back = url_for("invitations.mine", invitation_id=invitation.id)
    form = _decline_form()
    if not form.validate_on_submit():
        abort(400)
    # Answered or ended meanwhile: back to the invitation, which says so.
    answer_refusals(redirect_to=back)
    invitation_service.ensure_waiting(invitation, utcnow())
    return _answer(invitation, answer, form, actor=current_user)


def _answer(invitation: Invitation, answer: str, form: DeclineForm, *, actor: User):
    answer_refusals(render=_answer_refused)
    if answer == "accept":
        invitation_service.accept_invitation(db.session, invitation, actor=actor)
    else:
        values = {reason.value for reason in DeclineReason}
        reason = DeclineReason(form.reason.data) if form.reason.data in values else None
        invitation_service.decline_invitation(db.session, invitation, actor=actor, reason=reason)
    return _answered(invitation, answer)


def _answered(invitation: Invitation, answer: str):
    return render_template("invitations/answered.html", invitation=invitation, answer=answer,
                           text=text_for(db.session, invitation.placement.initiative, current_locale()))


def _answer_refused():
    return render_template("invitations/answered.html", invitation=None, answer=None, refused=True)


# --- Answering: from the e-mail's link (no login needed to say no) --------------------------------


def _from_link(token: str) -> Invitation:
    """The invitation the link is for; a link that cannot be used gets a page that says why."""
    answer_refusals(render=lambda: render_template("invitations/link_invalid.html"))
    invitation = invitation_service.invitation_from_token(db.session, token, current_app.config["SECRET_KEY"],
                                                          now=utcnow())
    speak_the_mails_language(invitation.placement.citizen.preferred_locale)
    return invitation


@bp.get("/link/<token>")
def by_link(token: str):
    invitation = _from_link(token)
    invitation_service.mark_opened(invitation)
    return render_template("invitations/answer.html", invitation=invitation, status="waiting",
                           decline_form=_decline_form(), token=token, status_labels=STATUS_LABELS,
                           text=text_for(db.session, invitation.placement.initiative, current_locale()))


@bp.post("/link/<token>/decline")
def decline_by_link(token: str):
    form = _decline_form()
    if not form.validate_on_submit():
        abort(400)
    invitation = _from_link(token)
    # The link is the key: whoever holds it may say no for the person it was sent to.
    return _answer(invitation, "decline", form, actor=invitation.placement.citizen)


@bp.post("/link/<token>/accept")
def accept_by_link(token: str):
    """Saying yes needs the account: log in, or finish the account the invitation made."""
    form = _decline_form()
    if not form.validate_on_submit():
        abort(400)
    invitation = _from_link(token)
    if invitation.placement.citizen.is_pending:
        return redirect(url_for("invitations.complete_account_link", token=token))
    if not current_user.is_authenticated:
        flash(_("Please log in to say yes. Then open the invitation again."), "info")
        return redirect(url_for("auth.login", next=url_for("invitations.by_link", token=token)))
    return _answer(invitation, "accept", form, actor=current_user)


@bp.route("/link/<token>/account", methods=["GET", "POST"])
def complete_account_link(token: str):
    """Finish the account a professional's invitation made, and say yes in the same step."""
    invitation = _from_link(token)
    citizen = invitation.placement.citizen
    if not citizen.is_pending:
        return redirect(url_for("invitations.by_link", token=token))
    form = CompleteAccountForm()
    form.neighbourhood_id.choices = neighbourhood_choices(_("Choose your neighbourhood"))
    if request.method == "GET":
        form.display_name.data = citizen.display_name

    text = text_for(db.session, invitation.placement.initiative, current_locale())

    def page():
        return render_template("invitations/complete_account.html", form=form, invitation=invitation, text=text)

    if not form.validate_on_submit():
        return page(), FORM_INVALID if request.method == "POST" else 200
    answer_refusals(render=page, form=form)
    invitation_service.complete_pending_account(
        db.session, citizen, password=form.password.data, display_name=form.display_name.data,
        neighbourhood_id=_known_neighbourhood(form.neighbourhood_id.data),
    )
    answer_refusals(render=_answer_refused)
    invitation_service.accept_invitation(db.session, invitation, actor=citizen)
    log_in(citizen)
    flash(_("Welcome! Your account is ready."), "success")
    return _answered(invitation, "accept")


def _known_neighbourhood(neighbourhood_id: int | None) -> int | None:
    from ..models import Neighbourhood

    if neighbourhood_id is None:
        return None
    return neighbourhood_id if db.session.get(Neighbourhood, neighbourhood_id) is not None else None
