"""Which residents a staff member may see, and where a coordinator works: the one place that decides.

Staff see a resident's name or profile only as their work needs it:

- a resident who agreed to be invited (consent given, account in use: not
  pending, not disabled, not erased) may be seen by every staff member, as
  inviting needs;
- a resident who takes part (any placement, live or ended) is seen by those
  who run that initiative: its current contacts; a coordinator for
  initiatives in their areas (and volunteers who live there); an admin for
  all.

Coordinators work in their own areas (`User.work_areas`: a district is all
its neighbourhoods). A municipal coordinator (`User.is_municipal`, set by an
admin) works for the whole city, and so does every admin.

Lists filter with `visible_residents(actor)` in SQL; a single page asks
`may_see_resident`. No Flask here: pages, API, jobs and tests ask the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import CitizenProfile, Initiative, InitiativeContact, Placement, Role, User

# --- where a coordinator works ------------------------------------------------------------------


def sees_whole_city(user: User) -> bool:
    """Admins and municipal coordinators oversee the whole city."""
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and bool(user.is_municipal))


def area_ids(user: User) -> list[int] | None:
    """The neighbourhoods `user` oversees; None is the whole city, [] is nowhere."""
    if sees_whole_city(user):
        return None
    if user.role == Role.COORDINATOR:
        return [place.id for place in user.work_areas]
    return []


def covers_neighbourhood(user: User, neighbourhood_id: int | None) -> bool:
    """Does `user` oversee this place? Something without a place is for the whole city only."""
    areas = area_ids(user)
    if areas is None:
        return True
    return neighbourhood_id is not None and neighbourhood_id in areas


def own_districts(user: User) -> set[str] | None:
    """The districts a coordinator works in (those of their neighbourhoods); None is the whole city."""
    if sees_whole_city(user):
        return None
    if user.role != Role.COORDINATOR:
        return set()
    return {place.district for place in user.work_areas}


def covers_district(user: User, district: str | None) -> bool:
    """May `user` oversee this district (None: the whole city, for those who oversee it)?"""
    districts = own_districts(user)
    if districts is None:
        return True
    return district is not None and district in districts


def covers_initiative(user: User, initiative: Initiative) -> bool:
    """Is this initiative in the areas `user` oversees (coordinators; admins everywhere)?"""
    return covers_neighbourhood(user, initiative.neighbourhood_id)


# --- which residents --------------------------------------------------------------------------


def _consented() -> sa.ColumnElement[bool]:
    return sa.and_(
        User.is_enabled.is_(True), User.pending_since.is_(None),
        User.id.in_(sa.select(CitizenProfile.user_id).where(CitizenProfile.consent_to_contact.is_(True))),
    )


def _taking_part(actor: User) -> sa.ColumnElement[bool]:
    """Residents with a placement (live or ended) in an initiative `actor` runs or oversees."""
    placed = sa.select(Placement.citizen_id)
    if actor.role == Role.ADMIN:
        return User.id.in_(placed)
    if actor.role == Role.PROFESSIONAL:
        runs = sa.select(InitiativeContact.initiative_id).where(
            InitiativeContact.professional_id == actor.id, InitiativeContact.is_current)
        return User.id.in_(placed.where(Placement.initiative_id.in_(runs)))
    if actor.role == Role.COORDINATOR:
        areas = area_ids(actor)
        if areas is None:
            return User.id.in_(placed)
        in_areas = sa.select(Initiative.id).where(Initiative.neighbourhood_id.in_(areas))
        living_there = sa.select(CitizenProfile.user_id).where(CitizenProfile.neighbourhood_id.in_(areas))
        return sa.or_(
            User.id.in_(placed.where(Placement.initiative_id.in_(in_areas))),
            sa.and_(User.id.in_(placed), User.id.in_(living_there)),
        )
    return sa.false()


def visible_residents(actor: User) -> sa.ColumnElement[bool]:
    """A filter on `User` rows: the residents `actor` may see (none for a citizen, who sees only themself)."""
    if not actor.is_authenticated or actor.role == Role.CITIZEN:
        return sa.false()
    return sa.and_(User.role == Role.CITIZEN, User.erased_at.is_(None),
                   sa.or_(_consented(), _taking_part(actor)))


def residents_visible_among(session: orm.Session, actor: User, citizen_ids: Iterable[int]) -> set[int]:
    """Which of these residents `actor` may see, in one query."""
    ids = set(citizen_ids)
    if not ids:
        return set()
    return set(session.scalars(sa.select(User.id).where(User.id.in_(ids), visible_residents(actor))))


def may_see_resident(session: orm.Session, actor: User, citizen_id: int) -> bool:
    """May `actor` see this resident's name and profile?"""
    return bool(residents_visible_among(session, actor, [citizen_id]))


def in_neighbourhoods(column: sa.ColumnElement, user: User) -> sa.ColumnElement[bool]:
    """A filter on a neighbourhood id column: the places `user` oversees."""
    areas = area_ids(user)
    if areas is None:
        return sa.true()
    return column.in_(areas)
