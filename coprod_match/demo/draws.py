"""Random draws the demo generator's parts share: a weighted pick, a time, where people live."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Mapping, Sequence

from .content import NEIGHBOURHOODS


def weighted_choice(rng: random.Random, options: Sequence, weights: Sequence[float]):
    return rng.choices(options, weights=weights)[0]


def moment_days_ago(rng: random.Random, now: dt.datetime, days_ago: int) -> dt.datetime:
    """A plausible time of day `days_ago` days before `now` (midnight), so never in the future."""
    return now - dt.timedelta(days=days_ago) + dt.timedelta(
        hours=rng.randint(8, 20), minutes=rng.randrange(0, 60, 5)
    )


def neighbourhood_weights(neighbourhoods: Mapping[str, str]) -> tuple[list[str], list[float]]:
    """Neighbourhood names, sorted, with cumulative shares of residents for `rng.choices`."""
    names = sorted(neighbourhoods)
    weights = [NEIGHBOURHOODS.get(name, (1.0, ""))[0] for name in names]
    return names, list(itertools.accumulate(weights))


def mix_for(neighbourhood: str | None) -> str:
    """The kind of background mix where someone lives; central_mixed if unknown."""
    return NEIGHBOURHOODS.get(neighbourhood or "", (1.0, "central_mixed"))[1]
