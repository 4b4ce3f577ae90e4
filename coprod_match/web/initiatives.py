"""Browsing initiatives (open to everyone, no login needed) and signing up."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..continuity.staffing import initiatives_needing_people
from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale
from ..matching.service import reasons_for
from ..models import (
    Initiative,
    InitiativeStatus,
    InterestCategory,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    TargetGroup,
)
from ..open_to import MISSING_ANSWERS, has_age_range
from ..queries.initiative_versions import texts_for_reader
from ..queries.initiatives import initiative_page, interest_codes_by_id, volunteers_needed_by_id
from ..queries.paging import page_of
from ..queries.search import RADIUS_CHOICES_KM, SORTS, parse_search, search_query
from ..routing import page_arg
from ..security import (
    can_manage_initiative,
    can_see_candidates,
    can_view_initiative,
    placement_moves_for,
    role_required,
)
from ..services import participation
from ..services.open_to import refusal_for, refusal_words, searching_resident, who_it_is_open_to
from ..vocabulary import OpenTo
from .forms.placements import ApplyForm

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")


def _filter_options() -> dict:
    return {
        "neighbourhoods": db.session.scalars(
            sa.select(Neighbourhood).order_by(Neighbourhood.district, Neighbourhood.name)
        ).all(),
        "interests": db.session.scalars(sa.select(InterestCategory)).all(),
        "groups": db.session.scalars(sa.select(TargetGroup)).all(),
        "languages": db.session.scalars(sa.select(Language)).all(),
        "radius_choices": RADIUS_CHOICES_KM,
        "sorts": SORTS,
    }


@bp.get("/")
def list_initiatives():
    args = request.args
    profile = current_user.citizen_profile if current_user.is_authenticated else None
    if "near" not in args and profile is not None and profile.neighbourhood_id is not None:
        # A citizen starts near home; an explicit empty "near" in the URL means everywhere.
        args = args.copy()
        args["near"] = str(profile.neighbourhood_id)
    search = parse_search(args)
    found = search_query(db.session, search, resident=searching_resident(current_user))
    page = page_of(db.session, found.select, count=found.count,
                   page=page_arg(request.args), per_page=current_app.config["PAGE_SIZE"])
    ids = [initiative.id for initiative in page.items]
    return render_template(
        "initiatives/list.html",
        page=page,
        search=search,
        distances=found.distances,
        needed_counts=volunteers_needed_by_id(db.session, ids),
        # Each card in the reader's language when it has a version in it, else as written.
        texts=texts_for_reader(db.session, page.items, current_locale()),
        themes=interest_codes_by_id(db.session, ids),
        # A card says who can join only when it is not everyone: "Women only", an age range.
        open_to_words={i.id: who_it_is_open_to(i) for i in page.items
                       if i.open_to != OpenTo.EVERYONE or has_age_range(i.min_age, i.max_age)},
        **_filter_options(),
    )


def _visible_initiative(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_view_initiative(db.session, current_user, initiative):
        abort(404)
    return initiative


def _fit_reasons(initiative: Initiative) -> list[str] | None:
    """Why this initiative fits the logged-in citizen (None when it does not, or for others)."""
    if not current_user.is_authenticated or current_user.role != Role.CITIZEN:
        return None
    return reasons_for(db.session, current_user.id, initiative.id)


@bp.get("/<id:initiative_id>")
def detail(initiative_id: int):
    citizen = current_user.is_authenticated and current_user.role == Role.CITIZEN
    found = initiative_page(db.session, initiative_id, locale=current_locale(),
                            citizen_id=current_user.id if citizen else None)
    if found is None or not can_view_initiative(db.session, current_user, found.initiative):
        abort(404)
    initiative, own = found.initiative, found.own_placement
    refusal = refusal_for(initiative, current_user) if citizen else None
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        text=found.text,
        details=found,
        places_held=found.places_held,
        contacts=found.contacts,
        own_placement=own,
        can_apply=_can_apply(initiative, own) and refusal is None,
        open_to_words=who_it_is_open_to(initiative),
        not_open_to_you=(refusal_words(refusal, initiative.open_to)
                         if refusal is not None and _can_apply(initiative, own) else None),
        # Only when answering a question on the profile could open it (not to a man at a women-only one).
        profile_could_help=refusal in MISSING_ANSWERS,
        apply_form=ApplyForm(),
        fit_reasons=_fit_reasons(initiative),
        can_manage=current_user.is_authenticated and can_manage_initiative(db.session, current_user, initiative.id),
        needing_people=_needing_people(initiative),
    )


def _needing_people(initiative: Initiative) -> dict | None:
    """For staff who may look for volunteers here (contacts, coordinators over its area): whether it needs
    people now, for the "Find volunteers" action; None for everyone else."""
    if (initiative.status != InitiativeStatus.OPEN or not current_user.is_authenticated
            or not can_see_candidates(db.session, current_user, initiative.id)):
        return None
    return initiatives_needing_people(db.session, [initiative])


def _can_apply(initiative: Initiative, own: Placement | None) -> bool:
    """Whether the logged-in citizen gets the sign-up form: as the moves table says, while it is open."""
    if not current_user.is_authenticated or current_user.role != Role.CITIZEN:
        return False
    if initiative.status != InitiativeStatus.OPEN:
        return False
    return own is None or PlacementState.APPLIED in placement_moves_for(db.session, current_user, own)


@bp.post("/<id:initiative_id>/apply")
@role_required(Role.CITIZEN)
def apply(initiative_id: int):
    initiative = _visible_initiative(initiative_id)
    form = ApplyForm()
    if not form.validate_on_submit():
        for error in form.message.errors:
            flash(error, "error")
        return redirect(url_for("initiatives.detail", initiative_id=initiative.id))
    answer_refusals(redirect_to=url_for("initiatives.detail", initiative_id=initiative.id))
    participation.apply(db.session, initiative, actor=current_user, message=form.message.data or None)
    flash(_("Thank you! The contact person will answer you soon. You can write to each other on My initiatives."), "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative.id))
