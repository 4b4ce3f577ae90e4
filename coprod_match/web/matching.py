"""Matching pages: suggestions for a citizen, candidates for an initiative, the placement plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import orm

from ..extensions import db
from ..matching import service
from ..matching.texts import Labels, reason_texts
from ..models import Initiative, Role, User
from ..security import can_invite, can_see_candidates, role_required
from ..services import invitations
from ..services.audit import audit_record

bp = Blueprint("matching", __name__, url_prefix="/matching")

MAX_INVITES_AT_ONCE = 200  # one form post; keeps a forged request from doing unbounded work


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
    return render_template("matching/suggestions.html", items=items, facts=facts)


@bp.get("/initiatives/<int:initiative_id>/candidates")
@role_required(Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
def candidates(initiative_id: int):
    """People who could join: for the initiative's contacts, coordinators and admins."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_see_candidates(db.session, current_user, initiative_id):
        abort(404)
    matches = service.candidates_for_initiative(db.session, initiative_id, limit=20)
    people = _by_id(User, [m.citizen_id for m in matches], orm.joinedload(User.citizen_profile))
    labels = Labels(db.session)
    items = [
        (people[m.citizen_id], reason_texts(db.session, m.reasons, audience="staff", labels=labels))
        for m in matches
    ]
    # Professionals see citizens' data only as their work needs it, and every look is logged.
    audit_record(db.session, "matching.candidates_viewed", "initiative", initiative_id,
                 actor=current_user, citizen_ids=[m.citizen_id for m in matches])
    db.session.commit()
    inviting = initiative.status == "open" and can_invite(db.session, current_user, initiative_id)
    # The personal message starts as a short text in each person's own language.
    default_messages = {
        person.id: invitations.default_message(person, initiative, current_user) for person, _reasons in items
    } if inviting else {}
    return render_template("matching/candidates.html", initiative=initiative, items=items,
                           can_invite=inviting, default_messages=default_messages)


@bp.get("/plan")
@role_required(Role.COORDINATOR, Role.ADMIN)
def plan():
    """The district placement plan: who could strengthen which initiatives."""
    districts = service.districts(db.session)
    district = request.args.get("district") or None
    if district not in districts:
        district = None
    result = service.placement_plan(db.session, district=district)
    people = _by_id(User, [row.citizen_id for row in result.rows])
    initiatives = _by_id(Initiative, [row.initiative_id for row in result.rows],
                         orm.joinedload(Initiative.neighbourhood))
    labels = Labels(db.session)
    rows = [
        (row, people[row.citizen_id], initiatives[row.initiative_id],
         reason_texts(db.session, row.reasons, audience="staff", labels=labels))
        for row in result.rows
    ]
    audit_record(db.session, "matching.plan_viewed", "district", None, actor=current_user,
                 district=district, rows=len(rows))
    db.session.commit()
    return render_template("matching/plan.html", result=result, rows=rows, districts=districts,
                           district=district)


@bp.post("/plan/invite")
@role_required(Role.COORDINATOR, Role.ADMIN)
def invite_plan_rows():
    """Turn the selected plan rows into personal invitations (link, e-mail and inbox for each)."""
    district = request.form.get("district") or None
    back = redirect(url_for("matching.plan", district=district))
    pairs = []
    for value in request.form.getlist("row")[:MAX_INVITES_AT_ONCE]:
        citizen, _sep, initiative = value.partition(":")
        if _is_id(citizen) and _is_id(initiative):
            pairs.append((int(citizen), int(initiative)))
    if not pairs:
        flash(_("Choose at least one row to invite."), "info")
        return back
    outcome = service.invite_plan_rows(db.session, pairs, actor=current_user)
    db.session.commit()
    if outcome.invited:
        flash(ngettext("%(num)d person was invited.", "%(num)d people were invited.", len(outcome.invited)),
              "success")
    if outcome.skipped:
        flash(ngettext(
            "%(num)d row was not invited: it no longer fits (someone answered, or the place is taken).",
            "%(num)d rows were not invited: they no longer fit (someone answered, or the place is taken).",
            len(outcome.skipped)), "info")
    return back


def _is_id(text: str) -> bool:
    """A database id: digits only, within a 32-bit integer (anything else is bad input)."""
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**31


def _by_id(model, ids: list[int], *options) -> dict:
    if not ids:
        return {}
    query = sa.select(model).where(model.id.in_(set(ids)))
    if options:
        query = query.options(*options)
    return {item.id: item for item in db.session.scalars(query).unique()}
