"""From placement rows to what matching needs: load, head counts and blocked pairs.

State names are plain strings here so the engine does not import the
models; tests check they agree with models.LIVE_STATES and the state machine.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Live placements (models.LIVE_STATES): a citizen never gets a second one at the same initiative.
LIVE = frozenset({"suggested", "invited", "applied", "accepted", "active", "paused"})
# Live placements that claim the citizen's time (a mere suggestion does not).
CLAIMING = frozenset({"invited", "applied", "accepted", "active", "paused"})
# Holding one of the initiative's places (services.placements.PLACE_HOLDING_STATES).
PLACE_HOLDING = frozenset({"accepted", "active", "paused"})
# Waiting for an answer: the place may soon be taken.
PENDING = frozenset({"invited", "applied"})
# Said no or stopped: not suggested again there for a while.
TURNED_AWAY = frozenset({"declined", "ended", "expired", "rejected"})


@dataclass(frozen=True, slots=True)
class PlacementRow:
    citizen_id: int
    initiative_id: int
    state: str
    state_changed_at: dt.datetime


@dataclass
class PlacementSummary:
    load_count: Counter = field(default_factory=Counter)  # citizen -> claiming placements
    load_hours: Counter = field(default_factory=Counter)  # citizen -> hours a week they claim
    blocked: defaultdict = field(default_factory=lambda: defaultdict(set))  # citizen -> initiatives
    blocked_citizens: defaultdict = field(default_factory=lambda: defaultdict(set))
    active: Counter = field(default_factory=Counter)  # initiative -> active volunteers
    places_taken: Counter = field(default_factory=Counter)
    pending: Counter = field(default_factory=Counter)


def summarise_placements(
    rows: Iterable[PlacementRow],
    hours_per_week: dict[int, int],
    *,
    now: dt.datetime,
    turned_away_days: int,
) -> PlacementSummary:
    """Load per citizen, counts per initiative, and the pairs the hard filters block."""
    since = now - dt.timedelta(days=turned_away_days)
    summary = PlacementSummary()
    for row in rows:
        if row.state in CLAIMING:
            summary.load_count[row.citizen_id] += 1
            summary.load_hours[row.citizen_id] += hours_per_week.get(row.initiative_id, 0)
        if row.state in LIVE or (row.state in TURNED_AWAY and row.state_changed_at >= since):
            summary.blocked[row.citizen_id].add(row.initiative_id)
            summary.blocked_citizens[row.initiative_id].add(row.citizen_id)
        if row.state == "active":
            summary.active[row.initiative_id] += 1
        if row.state in PLACE_HOLDING:
            summary.places_taken[row.initiative_id] += 1
        if row.state in PENDING:
            summary.pending[row.initiative_id] += 1
    return summary
