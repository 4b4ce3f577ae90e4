"""Small builders for continuity tests: initiatives, contacts and active volunteers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import (
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
)

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def add_initiative(session, *, title="Sports for women", neighbourhood="Transvaal", minimum=1,
                   ideal=4, contact=None, status=InitiativeStatus.OPEN, end_date=None,
                   hours=2) -> Initiative:
    place = session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == neighbourhood))
    initiative = Initiative(
        title=title, neighbourhood=place, status=status, volunteers_min=minimum,
        volunteers_ideal=ideal, start_date=dt.date(2025, 1, 1), end_date=end_date,
        hours_per_week=hours,
    )
    if contact is not None:
        initiative.contacts.append(InitiativeContact(professional_id=contact.id,
                                                     starts_at=NOW - dt.timedelta(days=400)))
    session.add(initiative)
    session.flush()
    return initiative


def add_volunteer(session, make_user, initiative, *, citizen=None, state=PlacementState.ACTIVE,
                  since=NOW - dt.timedelta(days=30)) -> Placement:
    citizen = citizen or make_user(Role.CITIZEN)
    placement = Placement(citizen_id=citizen.id, initiative_id=initiative.id, state=state,
                          created_at=since, state_changed_at=since, last_activity_at=since)
    session.add(placement)
    session.flush()
    return placement
