"""How long volunteers stay, by how they came in: the evidence on whether linking pins work.

The article found that professionals act as linking pins, asking people
personally. A municipality wants to see whether that keeps people longer than
signing up on one's own or being invited from the district plan. This module
counts it, from plain rows and a date; no Flask, no database.

Definitions (the evidence page says the same in plain words):

- A placement **starts** on the local day it first became active (its first
  move to "active"); one that never became active is not counted.
- It **ends** on the local day it moved to "ended". A pause does not end it.
- For a horizon of N months (3, 6, 12), a placement **can be observed** when
  its start plus N calendar months is today or earlier; it **was kept** when it
  had not ended before that day (ending on that very day counts as kept: it
  lasted the N months).
- Calendar months: 31 January plus one month is 28 (or 29) February, the last
  day of the shorter month, never a day in March.
- The **share** is kept / observed; with nobody observed there is no share
  (not 0%): nothing can be said yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..vocabulary import LOCAL_ZONE, CameThrough

HORIZONS = (3, 6, 12)
CHANNELS = tuple(CameThrough)


@dataclass(frozen=True)
class PlacementSpan:
    """One placement's life: how the volunteer came in, where, when it started and ended (UTC moments)."""

    placement_id: int
    came_through: str
    neighbourhood_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class Kept:
    """Of the placements that could be observed at a horizon, how many were still going."""

    observed: int = 0
    kept: int = 0

    @property
    def share(self) -> float | None:
        return self.kept / self.observed if self.observed else None


@dataclass
class Retention:
    """Per channel and horizon: `counts[channel][months]`."""

    counts: dict[str, dict[int, Kept]] = field(
        default_factory=lambda: {channel.value: {months: Kept() for months in HORIZONS} for channel in CHANNELS})

    @property
    def observed(self) -> int:
        """Placements observed at the shortest horizon: zero means nothing to show at all."""
        return sum(by_horizon[HORIZONS[0]].observed for by_horizon in self.counts.values())

    def observed_at(self, months: int) -> int:
        return sum(by_horizon[months].observed for by_horizon in self.counts.values())


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; a day the month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_ZONE).date()


# Tallies while counting: per place (None = the whole), channel and horizon, [observed, kept].
_Tally = dict[str, dict[int, list[int]]]


def _tally() -> _Tally:
    return {channel.value: {months: [0, 0] for months in HORIZONS} for channel in CHANNELS}


def _as_retention(tally: _Tally) -> Retention:
    return Retention({channel: {months: Kept(*numbers) for months, numbers in by_horizon.items()}
                      for channel, by_horizon in tally.items()})


def retention(spans: Iterable[PlacementSpan], today: dt.date) -> tuple[Retention, dict[int, Retention]]:
    """The retention of all `spans` together, and per neighbourhood (those without one count in the whole only)."""
    whole, places = _tally(), {}
    for span in spans:
        # An unknown channel (not one of CameThrough) cannot be compared; the database refuses one anyway.
        if span.came_through not in whole:
            continue
        started = local_day(span.started_at)
        ended = local_day(span.ended_at) if span.ended_at is not None else None
        tallies = [whole[span.came_through]]
        if span.neighbourhood_id is not None:
            tallies.append(places.setdefault(span.neighbourhood_id, _tally())[span.came_through])
        for months in HORIZONS:
            horizon = add_months(started, months)
            if horizon > today:
                break  # the longer horizons lie further in the future still
            kept = ended is None or ended >= horizon
            for tally in tallies:
                tally[months][0] += 1
                tally[months][1] += kept
    return _as_retention(whole), {place: _as_retention(tally) for place, tally in places.items()}
