"""Matching pages: suggestions for a citizen, candidates for an initiative, the placement plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import orm

from ..errors import answer_refusals
from ..extensions import db
from ..i18n import current_locale
from ..matching import plan_runs, reads, service
from ..matching.engine import fit_out_of_100
from ..matching.texts import Labels, reason_texts
from ..models import Initiative, InitiativeStatus, Role, utcnow
from ..queries.initiative_versions import texts_for_reader
from ..routing import as_id, page_arg
from ..security import role_required
from ..services import access, invitations
from ..vocabulary import Limits

bp = Blueprint("matching", __name__, url_prefix="/matching")

MAX_INVITES_AT_ONCE = 200  # one form post; keeps a forged request from doing unbounded work
PLAN_ROWS_PER_PAGE = 50
PLAN_REFRESH_SECONDS = 15


@bp.get("/suggestions")
@role_required(Role.CITIZEN)
def suggestions():
    """Suggested for you: initiatives that fit, with why in plain words."""
    matches = service.suggestions_for_citizen(db.session, current_user.id, limit=10)
    initiatives = _by_id(Initiative, [m.initiative_id for m in matches],
                         orm.joinedload(Initiative.neighbourhood))
    labels = Labels(db.session)
    items = [
        (initiatives[m.initiative_id], reason_texts(db.session, m.reasons, audience="citizen", labels=labels))
        for m in matches
    ]
    facts = service.citizen_facts(db.session, current_user.id) if not items else None
    texts = texts_for_reader(db.session, [initiative for initiative, _reasons in items], current_locale())
    return render_template("matching/suggestions.html", items=items, facts=facts, texts=texts)


@bp.get("/initiatives/<id:initiative_id>/candidates")
@role_required(Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
def candidates(initiative_id: int):
    """People who could join: for the initiative's contacts, coordinators and admins."""
    found = reads.read_candidates(db.session, initiative_id, actor=current_user, limit=20)
    initiative = found.initiative
    labels = Labels(db.session)
    items = [
        (found.people[m.citizen_id], reason_texts(db.session, m.reasons, audience="staff", labels=labels))
        for m in found.matches
    ]
    # Whoever may see the candidates may invite them (tests/web/test_candidates_rights.py), so the
    # access check read_candidates made stands for both.
    inviting = initiative.status == InitiativeStatus.OPEN
    # The personal message starts as a short text in each person's own language.
    default_messages = {
        person.id: invitations.default_message(person, initiative, current_user) for person, _reasons in items
    } if inviting else {}
    return render_template("matching/candidates.html", initiative=initiative, items=items,
                           can_invite=inviting, default_messages=default_messages,
                           message_max=Limits.INVITATION_MESSAGE, volunteers_needed=found.volunteers_needed)


@bp.get("/plan")
@role_required(Role.COORDINATOR, Role.ADMIN)
def plan():
    """The stored placement plan for a district or the city, a page of rows at a time; never solves."""
    whole_city = access.sees_whole_city(current_user)
    own = access.own_districts(current_user)
    districts = [name for name in service.districts(db.session) if own is None or name in own]
    # An unknown district shows the whole city's plan, as the district menu's first choice does;
    # a coordinator who is not municipal gets their first district instead.
    district = request.args.get("district") if request.args.get("district") in districts else None
    if district is None and not whole_city and districts:
        district = districts[0]
    found = reads.read_plan(db.session, actor=current_user, district=district, page=page_arg(request.args),
                            per_page=PLAN_ROWS_PER_PAGE)
    labels = Labels(db.session)
    weights = service.weights()
    rows = [
        (row, found.people[row.citizen_id], found.initiatives[row.initiative_id],
         reason_texts(db.session, row.reasons, audience="staff", labels=labels),
         fit_out_of_100(row.score, weights))
        for row in found.rows
    ]
    summary = found.plan_run.summary if found.plan_run else {}
    average_fit = (fit_out_of_100(summary["objective"] / summary["placed"], weights)
                   if summary.get("placed") else None)
    page = render_template("matching/plan.html", found=found, rows=rows, districts=districts, district=district,
                           whole_city=whole_city, summary=summary, average_fit=average_fit, age=_age)
    # While a plan is being made the browser loads the page again by itself; no JavaScript needed.
    return page, 200, ({"Refresh": str(PLAN_REFRESH_SECONDS)} if found.waiting else {})


@bp.post("/plan")
@role_required(Role.COORDINATOR, Role.ADMIN)
def ask_for_plan():
    """Ask for a new plan; the scheduler makes it within a minute or so, and the page shows it then."""
    district = request.form.get("district") or None
    answer_refusals(redirect_to=url_for("matching.plan"))
    plan_runs.ask_for_plan(db.session, district=district, actor=current_user)
    flash(_("A new plan is being made. This page shows it when it is ready."), "success")
    return redirect(url_for("matching.plan", district=district))


def _age(moment) -> str:
    """How long ago, in words: "12 minutes ago"."""
    return format_timedelta(moment - utcnow(), add_direction=True, threshold=1.0)


@bp.post("/plan/invite")
@role_required(Role.COORDINATOR, Role.ADMIN)
def invite_plan_rows():
    """Turn the selected plan rows into personal invitations (link, e-mail and inbox for each)."""
    district = request.form.get("district") or None
    back = redirect(url_for("matching.plan", district=district, page=as_id(request.form.get("page"))))
    pairs = []
    for value in request.form.getlist("row")[:MAX_INVITES_AT_ONCE]:
        citizen, _sep, initiative = value.partition(":")
        citizen_id, initiative_id = as_id(citizen), as_id(initiative)
        if citizen_id is not None and initiative_id is not None:
            pairs.append((citizen_id, initiative_id))
    if not pairs:
        flash(_("Choose at least one row to invite."), "info")
        return back
    outcome = service.invite_plan_rows(db.session, pairs, actor=current_user)
    if outcome.invited:
        flash(ngettext("%(num)d person was invited.", "%(num)d people were invited.", len(outcome.invited)),
              "success")
    if outcome.skipped:
        flash(ngettext(
            "%(num)d row was not invited: it no longer fits (someone answered, or the place is taken).",
            "%(num)d rows were not invited: they no longer fit (someone answered, or the place is taken).",
            len(outcome.skipped)), "info")
    return back


def _by_id(model, ids: list[int], *options) -> dict:
    if not ids:
        return {}
    query = sa.select(model).where(model.id.in_(set(ids)))
    if options:
        query = query.options(*options)
    return {item.id: item for item in db.session.scalars(query).unique()}
