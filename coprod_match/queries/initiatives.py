"""Reads about initiatives: their active volunteers, their current contacts, a professional's list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    Initiative,
    InitiativeContact,
    Placement,
    PlacementState,
    User,
)


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
        .where(InitiativeContact.initiative_id.in_(initiative_ids), InitiativeContact.is_current)
        .order_by(InitiativeContact.starts_at)
    ).all()
    contacts: dict[int, list[User]] = {}
    for initiative_id, user in rows:
        contacts.setdefault(initiative_id, []).append(user)
    return contacts


def current_contact_periods(session: orm.Session, initiative_id: int) -> list[InitiativeContact]:
    """The open contact periods of one initiative (who is its contact now, since when)."""
    return list(session.scalars(
        sa.select(InitiativeContact).where(InitiativeContact.initiative_id == initiative_id,
                                           InitiativeContact.is_current)
    ))


def current_contact_ids(session: orm.Session, initiative_id: int) -> list[int]:
    """Ids of the professionals who are a contact of one initiative now (to tell them something)."""
    return [period.professional_id for period in current_contact_periods(session, initiative_id)]


def initiatives_of_contact(professional: User) -> sa.Select:
    """Initiatives this professional is a current contact for."""
    return (
        sa.select(Initiative)
        .join(InitiativeContact, InitiativeContact.initiative_id == Initiative.id)
        .where(InitiativeContact.professional_id == professional.id, InitiativeContact.is_current)
        .options(orm.joinedload(Initiative.neighbourhood))
        .order_by(Initiative.title, Initiative.id)
    )
