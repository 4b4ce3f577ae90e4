"""The citizen's own pages: my page, my profile, my initiatives."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale
from ..models import (
    EndReason,
    InterestCategory,
    Language,
    LanguageLevel,
    Placement,
    PlacementState,
    Role,
    utcnow,
)
from ..queries.initiative_versions import text_for, texts_for_reader
from ..queries.initiatives import current_contacts
from ..queries.placements import placements_of_citizen
from ..reference_words import reading_order
from ..routing import page_arg
from ..schedule import mask_to_slots, parse_slot_keys, slot_key
from ..security import placement_moves_for, role_required
from ..services import attendance, consents, conversations
from ..services import citizens as citizen_service
from ..services.check_ins import open_check_ins_of
from ..services.placement_moves import make_move
from ..vocabulary import COMMITTED_STATES, Gender
from .forms.choices import chosen_neighbourhood, neighbourhood_choices, slot_choices
from .forms.citizens import make_profile_form
from .forms.placements import EndPlacementForm, end_reason_choices

bp = Blueprint("citizens", __name__, url_prefix="/citizens")


@bp.get("/account")
@role_required(Role.CITIZEN)
def account():
    """My page: how complete my profile is, and what I take part in."""
    profile = current_user.citizen_profile
    live = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Placement)
        .where(Placement.citizen_id == current_user.id, Placement.state.in_(COMMITTED_STATES))
    )
    return render_template(
        "citizens/account.html",
        profile=profile,
        steps=citizen_service.profile_steps(profile),
        live_count=live,
    )


def _languages() -> list[Language]:
    # Dutch first: almost everyone speaks some, and it matters most for matching.
    languages = db.session.scalars(sa.select(Language)).all()
    locale = current_locale()
    return sorted(languages, key=lambda language: (language.code != "nl", reading_order(language.label(locale), locale)))


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def profile():
    profile = current_user.citizen_profile
    languages = _languages()
    form = make_profile_form(languages)
    form.neighbourhood_id.choices = neighbourhood_choices(_("Choose your neighbourhood"))
    interests = db.session.scalars(sa.select(InterestCategory)).all()
    form.interests.choices = sorted(
        ((interest.code, interest.label(current_locale())) for interest in interests), key=lambda c: c[1]
    )
    form.availability.choices = slot_choices()
    for language in languages:
        form[f"language-{language.code}"].label.text = language.label(current_locale())

    if request.method == "GET" and profile is not None:
        form.neighbourhood_id.data = profile.neighbourhood_id
        form.interests.data = [interest.code for interest in profile.interests]
        form.availability.data = [slot_key(day, part) for day, part in mask_to_slots(profile.availability_slots)]
        form.wants_to_practise_dutch.data = profile.wants_to_practise_dutch
        form.max_hours_per_week.data = profile.max_hours_per_week
        form.max_initiatives.data = profile.max_initiatives
        form.consent_to_contact.data = profile.consent_to_contact
        form.gender.data = profile.gender
        form.birth_year.data = profile.birth_year
        for known in profile.languages:
            if f"language-{known.language_code}" in form:
                form[f"language-{known.language_code}"].data = known.level

    status = 422 if request.method == "POST" else 200

    def show_form():
        return render_template("citizens/profile.html", form=form, steps=citizen_service.profile_steps(profile),
                               consent_hint=consents.INVITATIONS_HINT)

    if form.validate_on_submit():
        neighbourhood = chosen_neighbourhood(form.neighbourhood_id, _("Choose your neighbourhood."))
        if neighbourhood is not None:
            changes = citizen_service.ProfileChanges(
                neighbourhood=neighbourhood,
                interest_codes=form.interests.data or [],
                languages={
                    field.name.removeprefix("language-"): LanguageLevel(field.data)
                    for field in form.language_fields()
                    if field.data
                },
                wants_to_practise_dutch=form.wants_to_practise_dutch.data,
                availability_slots=parse_slot_keys(form.availability.data or []),
                max_hours_per_week=form.max_hours_per_week.data,
                max_initiatives=form.max_initiatives.data,
                consent_to_contact=form.consent_to_contact.data,
                shown_locale=current_locale(),
                gender=Gender(form.gender.data) if form.gender.data else None,
                birth_year=form.birth_year.data,
            )
            answer_refusals(render=show_form, form=form, status=422)
            citizen_service.update_citizen_profile(db.session, current_user, changes, actor=current_user)
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("citizens.account"))
    return show_form(), status


# Nobody said yes yet: stopping here is withdrawing a sign-up.
NOT_YET_ANSWERED = frozenset({PlacementState.SUGGESTED, PlacementState.APPLIED})


@bp.get("/initiatives")
@role_required(Role.CITIZEN)
def my_initiatives():
    """Every placement of mine, live ones first, with what I can do next."""
    page = db.paginate(
        placements_of_citizen(current_user),
        page=page_arg(request.args),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "citizens/initiatives.html",
        placements=page,
        moves_of={p.id: placement_moves_for(db.session, current_user, p) for p in page.items},
        withdrawing={p.id for p in page.items if p.state in NOT_YET_ANSWERED},
        contacts=current_contacts(db.session, list({p.initiative_id for p in page.items})),
        texts=texts_for_reader(db.session, {p.initiative_id: p.initiative for p in page.items}.values(),
                               current_locale()),
        unread=conversations.unread_counts(db.session, current_user, [p.id for p in page.items]),
        has_conversation=conversations.has_conversation,
        check_ins=open_check_ins_of(db.session, current_user.id, now=utcnow()),
        helped=attendance.helped_today(db.session, [p.id for p in page.items]), helped_hours_max=attendance.HOURS_MAX,
    )


def _own_placement(placement_id: int) -> Placement:
    """The citizen's own placement; anyone else's is 'not found', so ids reveal nothing."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.citizen_id != current_user.id:
        abort(404)
    return placement


# The page's pause and resume buttons, and the move each one asks for.
PAGE_MOVES = {"pause": PlacementState.PAUSED, "resume": PlacementState.ACTIVE}


@bp.post("/initiatives/<id:placement_id>/<any(pause, resume):action>")
@role_required(Role.CITIZEN)
def move_my_placement(placement_id: int, action: str):
    placement = _own_placement(placement_id)
    target = PAGE_MOVES[action]
    answer_refusals(redirect_to=url_for("citizens.my_initiatives"))
    make_move(db.session, placement, target, actor=current_user)
    flash(
        _("You paused your help. You can start again whenever you want.")
        if target == PlacementState.PAUSED
        else _("Welcome back! You are taking part again."),
        "success",
    )
    return redirect(url_for("citizens.my_initiatives"))


@bp.route("/initiatives/<id:placement_id>/stop", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def stop_my_placement(placement_id: int):
    """Stop (or withdraw a sign-up), after a confirmation page that asks why."""
    placement = _own_placement(placement_id)
    if not placement.is_live:
        flash(_("You already stopped here."), "info")
        return redirect(url_for("citizens.my_initiatives"))
    form = EndPlacementForm()
    form.end_reason.choices = end_reason_choices(for_citizen=True)
    text = text_for(db.session, placement.initiative, current_locale())
    if form.validate_on_submit():
        answer_refusals(redirect_to=url_for("citizens.my_initiatives"))
        make_move(db.session, placement, PlacementState.ENDED, actor=current_user,
                  end_reason=EndReason(form.end_reason.data), reason=form.note.data or None)
        flash(_("You stopped at %(title)s. Thank you for your help!", title=text.title), "success")
        return redirect(url_for("citizens.my_initiatives"))
    status = 422 if request.method == "POST" else 200
    return render_template("citizens/stop.html", form=form, placement=placement, text=text), status
