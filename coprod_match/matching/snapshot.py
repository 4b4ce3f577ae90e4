"""Loading matching facts from the database: all of them for a snapshot, or a few ids fresh.

A handful of set-based queries (no per-row lazy loads) build the facts. The
side a request is about (the citizen asking, the initiative looked at) is
always read fresh, and so are the rows a change touched (`freshness.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    CitizenLanguage,
    CitizenProfile,
    Initiative,
    InitiativeStatus,
    InterestCategory,
    Language,
    Neighbourhood,
    Placement,
    Role,
    User,
    citizen_interests,
    initiative_interests,
    initiative_languages,
    utcnow,
)
from ..vocabulary import LOCAL_ZONE
from .engine import Snapshot
from .exposure import measure_exposure
from .facts import CitizenFacts, InitiativeFacts, NeighbourhoodFacts, Weights
from .load import LIVE, TURNED_AWAY, PlacementRow, PlacementSummary, summarise_placements


def _rows(session: orm.Session, query) -> list:
    """Every row of a plain column query, fetched at once on the session's connection.

    Bypassing the ORM's result handling (these are columns, not objects)
    and fetching all rows at once matter at city scale: 100,000 citizens and
    280,000 placements.
    """
    return session.connection().execute(query).all()


def load_neighbourhoods(session: orm.Session) -> list[NeighbourhoodFacts]:
    rows = session.execute(
        sa.select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.district,
                  Neighbourhood.latitude, Neighbourhood.longitude).order_by(Neighbourhood.id)
    )
    return [NeighbourhoodFacts(*row) for row in rows]


def _placement_summary(
    session: orm.Session, *, now: dt.datetime, turned_away_days: int,
    citizen_ids: Sequence[int] | None = None, initiative_ids: Sequence[int] | None = None,
) -> PlacementSummary:
    since = now - dt.timedelta(days=turned_away_days)
    query = (
        sa.select(Placement.citizen_id, Placement.initiative_id, Placement.state,
                  Placement.state_changed_at, Initiative.hours_per_week)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(
            Placement.state.in_(sorted(LIVE))
            | (Placement.state.in_(sorted(TURNED_AWAY)) & (Placement.state_changed_at >= since))
        )
    )
    if citizen_ids is not None:
        query = query.where(Placement.citizen_id.in_(citizen_ids))
    if initiative_ids is not None:
        query = query.where(Placement.initiative_id.in_(initiative_ids))
    rows, hours = [], {}
    # .all(): one fetch of every row; iterating the result fetches them one by one (much slower).
    for citizen_id, initiative_id, state, changed_at, hours_per_week in _rows(session, query):
        rows.append(PlacementRow(citizen_id, initiative_id, state, changed_at))
        hours[initiative_id] = hours_per_week
    return summarise_placements(rows, hours, now=now, turned_away_days=turned_away_days)


def load_citizens(
    session: orm.Session, *, now: dt.datetime, turned_away_days: int, ids: Sequence[int] | None = None
) -> list[CitizenFacts]:
    """Enabled citizens with a profile, with their load and blocked initiatives."""
    query = (
        sa.select(CitizenProfile.user_id, CitizenProfile.neighbourhood_id, CitizenProfile.availability_slots,
                  CitizenProfile.wants_to_practise_dutch, CitizenProfile.max_initiatives,
                  CitizenProfile.max_hours_per_week, CitizenProfile.consent_to_contact,
                  CitizenProfile.gender, CitizenProfile.birth_year)
        .join(User, User.id == CitizenProfile.user_id)
        .where(User.role == Role.CITIZEN, User.is_enabled.is_(True))
        .order_by(CitizenProfile.user_id)
    )
    languages_query = sa.select(CitizenLanguage.citizen_id, CitizenLanguage.language_code, CitizenLanguage.level)
    interests_query = sa.select(citizen_interests.c.citizen_id, citizen_interests.c.interest_code)
    if ids is not None:
        query = query.where(CitizenProfile.user_id.in_(ids))
        languages_query = languages_query.where(CitizenLanguage.citizen_id.in_(ids))
        interests_query = interests_query.where(citizen_interests.c.citizen_id.in_(ids))
    languages: dict[int, dict[str, str]] = defaultdict(dict)
    for citizen_id, code, level in _rows(session, languages_query):
        languages[citizen_id][code] = level
    interests: dict[int, set[str]] = defaultdict(set)
    for citizen_id, code in _rows(session, interests_query):
        interests[citizen_id].add(code)
    summary = _placement_summary(session, now=now, turned_away_days=turned_away_days, citizen_ids=ids)
    no_languages: dict[str, str] = {}
    return [
        CitizenFacts(
            user_id, neighbourhood_id, slots, languages.get(user_id, no_languages),
            frozenset(interests.get(user_id, ())), practise_dutch, max_initiatives, max_hours, consent,
            summary.load_count[user_id], summary.load_hours[user_id],
            frozenset(summary.blocked.get(user_id, ())), gender, birth_year,
        )
        for user_id, neighbourhood_id, slots, practise_dutch, max_initiatives, max_hours, consent, gender, birth_year
        in _rows(session, query)
    ]


def load_initiatives(
    session: orm.Session, *, now: dt.datetime, turned_away_days: int, ids: Sequence[int] | None = None
) -> list[InitiativeFacts]:
    """Initiatives that are open or paused (others take no one), with their head counts."""
    query = (
        sa.select(Initiative.id, Initiative.neighbourhood_id, Initiative.status, Initiative.schedule_slots,
                  Initiative.hours_per_week, Initiative.welcomes_dutch_learners,
                  Initiative.volunteers_min, Initiative.volunteers_ideal,
                  Initiative.open_to, Initiative.min_age, Initiative.max_age)
        .order_by(Initiative.id)
    )
    languages_query = sa.select(initiative_languages.c.initiative_id, initiative_languages.c.language_code)
    interests_query = sa.select(initiative_interests.c.initiative_id, initiative_interests.c.interest_code)
    if ids is not None:
        query = query.where(Initiative.id.in_(ids))
        languages_query = languages_query.where(initiative_languages.c.initiative_id.in_(ids))
        interests_query = interests_query.where(initiative_interests.c.initiative_id.in_(ids))
    else:
        query = query.where(Initiative.status.in_([InitiativeStatus.OPEN, InitiativeStatus.PAUSED]))
    languages: dict[int, set[str]] = defaultdict(set)
    for initiative_id, code in _rows(session, languages_query):
        languages[initiative_id].add(code)
    interests: dict[int, set[str]] = defaultdict(set)
    for initiative_id, code in _rows(session, interests_query):
        interests[initiative_id].add(code)
    summary = _placement_summary(session, now=now, turned_away_days=turned_away_days, initiative_ids=ids)
    return [
        InitiativeFacts(
            id=row.id,
            neighbourhood_id=row.neighbourhood_id,
            is_open=row.status == InitiativeStatus.OPEN,
            schedule_slots=row.schedule_slots,
            hours_per_week=row.hours_per_week,
            languages=frozenset(languages.get(row.id, ())),
            welcomes_dutch_learners=row.welcomes_dutch_learners,
            interests=frozenset(interests.get(row.id, ())),
            volunteers_min=row.volunteers_min,
            volunteers_ideal=row.volunteers_ideal,
            active=summary.active[row.id],
            places_taken=summary.places_taken[row.id],
            pending=summary.pending[row.id],
            blocked_citizens=frozenset(summary.blocked_citizens.get(row.id, ())),
            open_to=row.open_to,
            min_age=row.min_age,
            max_age=row.max_age,
        )
        for row in _rows(session, query)
    ]


def build_snapshot(session: orm.Session, weights: Weights, *, turned_away_days: int,
                   now: dt.datetime | None = None) -> Snapshot:
    """Everything matching needs, from the database, in a few set-based queries.

    Bitsets cover every language and interest of the reference lists, so a
    later change to someone's languages can be written into the snapshot.
    """
    now = now or utcnow()
    snapshot = Snapshot(
        load_neighbourhoods(session),
        load_citizens(session, now=now, turned_away_days=turned_away_days),
        load_initiatives(session, now=now, turned_away_days=turned_away_days),
        weights,
        language_codes=session.scalars(sa.select(Language.code)).all(),
        interest_codes=session.scalars(sa.select(InterestCategory.code)).all(),
        year=now.astimezone(LOCAL_ZONE).year,
    )
    if weights.exposure_boost > 0:
        # Seconds at city scale, so only when suggestions use it; rows patched in later keep theirs.
        snapshot.exposure = measure_exposure(snapshot)
    return snapshot
