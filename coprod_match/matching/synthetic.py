"""Matching facts straight from the demo generator's plain values (no database).

For benchmarks and tests at city scale: `generate_demo` gives the same
citizens, initiatives and placements that `flask demo seed` would write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .facts import CitizenFacts, InitiativeFacts, NeighbourhoodFacts
from .load import PlacementRow, summarise_placements


@dataclass(frozen=True)
class SyntheticWorld:
    neighbourhoods: list[NeighbourhoodFacts]
    citizens: list[CitizenFacts]
    initiatives: list[InitiativeFacts]


def world_from_demo(
    demo, neighbourhoods: Sequence[NeighbourhoodFacts], *, now: dt.datetime, turned_away_days: int = 90
) -> SyntheticWorld:
    """Number the demo's people and initiatives and summarise its placements."""
    place_id = {n.name: n.id for n in neighbourhoods}
    citizen_id = {seed.email: number for number, seed in enumerate(demo.citizens, start=1)}
    initiative_id = {seed.title: number for number, seed in enumerate(demo.initiatives, start=1)}
    hours = {initiative_id[i.title]: i.hours_per_week for i in demo.initiatives}
    summary = summarise_placements(
        (
            PlacementRow(citizen_id[p.citizen_email], initiative_id[p.initiative_title], p.state, p.state_changed_at)
            for p in demo.placements
            if p.citizen_email in citizen_id
        ),
        hours,
        now=now,
        turned_away_days=turned_away_days,
    )
    citizens = [
        CitizenFacts(
            id=citizen_id[seed.email],
            neighbourhood_id=place_id.get(seed.neighbourhood) if seed.neighbourhood else None,
            availability_slots=seed.availability_slots,
            languages=dict(seed.languages),
            interests=frozenset(seed.interests),
            wants_to_practise_dutch=seed.wants_to_practise_dutch,
            max_initiatives=seed.max_initiatives,
            max_hours_per_week=seed.max_hours_per_week,
            consent_to_contact=seed.consent_to_contact,
            load_count=summary.load_count[citizen_id[seed.email]],
            load_hours=summary.load_hours[citizen_id[seed.email]],
            blocked_initiatives=frozenset(summary.blocked.get(citizen_id[seed.email], ())),
            gender=seed.gender,
            birth_year=seed.birth_year,
        )
        for seed in demo.citizens
    ]
    initiatives = [
        InitiativeFacts(
            id=initiative_id[seed.title],
            neighbourhood_id=place_id[seed.neighbourhood],
            is_open=seed.status == "open",
            schedule_slots=seed.schedule_slots,
            hours_per_week=seed.hours_per_week,
            languages=frozenset(seed.languages),
            welcomes_dutch_learners=seed.welcomes_dutch_learners,
            interests=frozenset(seed.interests),
            volunteers_min=seed.volunteers_min,
            volunteers_ideal=seed.volunteers_ideal,
            active=summary.active[initiative_id[seed.title]],
            places_taken=summary.places_taken[initiative_id[seed.title]],
            pending=summary.pending[initiative_id[seed.title]],
            blocked_citizens=frozenset(summary.blocked_citizens.get(initiative_id[seed.title], ())),
            open_to=seed.open_to,
        )
        for seed in demo.initiatives
    ]
    return SyntheticWorld(list(neighbourhoods), citizens, initiatives)
