"""Reads: select() builders and small aggregate queries, shared by pages and the API."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from .models import (
    AlertStatus,
    ContinuityAlert,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Neighbourhood,
    Placement,
    PlacementState,
    User,
)


def public_initiatives(neighbourhood_id: int | None = None) -> sa.Select:
    """Open initiatives, newest first, for anyone to browse."""
    query = (
        sa.select(Initiative)
        .where(Initiative.status == InitiativeStatus.OPEN)
        .options(orm.joinedload(Initiative.neighbourhood))
        .order_by(Initiative.created_at.desc(), Initiative.id.desc())
    )
    if neighbourhood_id is not None:
        query = query.where(Initiative.neighbourhood_id == neighbourhood_id)
    return query


def active_volunteer_counts(session: orm.Session, initiative_ids: list[int]) -> dict[int, int]:
    """Active volunteers per initiative, in one grouped query."""
    if not initiative_ids:
        return {}
    rows = session.execute(
        sa.select(Placement.initiative_id, sa.func.count())
        .where(Placement.initiative_id.in_(initiative_ids), Placement.state == PlacementState.ACTIVE)
        .group_by(Placement.initiative_id)
    ).all()
    return {initiative_id: count for initiative_id, count in rows}


def current_contacts(session: orm.Session, initiative_ids: list[int]) -> dict[int, list[User]]:
    """Professionals who are a contact now, per initiative, in one query."""
    if not initiative_ids:
        return {}
    rows = session.execute(
        sa.select(InitiativeContact.initiative_id, User)
        .join(User, User.id == InitiativeContact.professional_id)
        .where(InitiativeContact.initiative_id.in_(initiative_ids), InitiativeContact.ends_at.is_(None))
        .order_by(InitiativeContact.starts_at)
    ).all()
    contacts: dict[int, list[User]] = {}
    for initiative_id, user in rows:
        contacts.setdefault(initiative_id, []).append(user)
    return contacts


def initiatives_of_contact(professional: User) -> sa.Select:
    """Initiatives this professional is a current contact for."""
    return (
        sa.select(Initiative)
        .join(InitiativeContact, InitiativeContact.initiative_id == Initiative.id)
        .where(InitiativeContact.professional_id == professional.id, InitiativeContact.ends_at.is_(None))
        .options(orm.joinedload(Initiative.neighbourhood))
        .order_by(Initiative.title, Initiative.id)
    )


def placements_of_citizen(citizen: User) -> sa.Select:
    return (
        sa.select(Placement)
        .where(Placement.citizen_id == citizen.id)
        .options(orm.joinedload(Placement.initiative).joinedload(Initiative.neighbourhood))
        .order_by(Placement.state_changed_at.desc(), Placement.id.desc())
    )


def unresolved_alerts(kind: str | None = None) -> sa.Select:
    query = (
        sa.select(ContinuityAlert)
        .where(ContinuityAlert.status != AlertStatus.RESOLVED)
        .options(orm.joinedload(ContinuityAlert.initiative))
        .order_by(ContinuityAlert.severity.desc(), ContinuityAlert.first_seen_at, ContinuityAlert.id)
    )
    if kind:
        query = query.where(ContinuityAlert.kind == kind)
    return query


def unresolved_alert_counts(session: orm.Session) -> dict[str, int]:
    rows = session.execute(
        sa.select(ContinuityAlert.kind, sa.func.count())
        .where(ContinuityAlert.status != AlertStatus.RESOLVED)
        .group_by(ContinuityAlert.kind)
    ).all()
    return dict(rows)


def users_by_role(role: str | None = None) -> sa.Select:
    # Pending invited accounts are nobody's business until their owner completes them.
    query = sa.select(User).where(User.pending_since.is_(None)).order_by(User.role, User.display_name, User.id)
    if role:
        query = query.where(User.role == role)
    return query


def neighbourhoods_by_district(session: orm.Session) -> dict[str, list[Neighbourhood]]:
    districts: dict[str, list[Neighbourhood]] = {}
    for place in session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.district, Neighbourhood.name)):
        districts.setdefault(place.district, []).append(place)
    return districts
