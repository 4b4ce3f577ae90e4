"""How many more volunteers an initiative needs: the one definition of "needs N more".

N is the initiative's ideal number of volunteers minus the volunteers who hold
one of its places, never below zero. A place is held in the states
`vocabulary.PLACE_HOLDING_STATES` (accepted, active, paused): the same states
the capacity check counts (services/placements.py), so "needs 2 more" means
exactly that two more people can still be accepted. Someone who was accepted
but has not started, or who pauses, keeps their place; an open invitation or
a sign-up does not hold one yet.

Pure (plain numbers or numpy columns in, the same out), so the matching
engine uses it as well as the pages; `queries.initiatives.volunteers_needed_sql`
is its SQL twin for lists and ordering, tested to agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def volunteers_needed(volunteers_ideal, places_taken):
    """How many more volunteers can still be accepted: ideal minus places held, at least 0.

    Works on two numbers (an int back) or on two numpy columns (a column back).
    """
    needed = np.maximum(0, np.subtract(volunteers_ideal, places_taken))
    return int(needed) if np.ndim(needed) == 0 else needed


@dataclass(frozen=True)
class PlacesHeld:
    """Who holds an initiative's places, by state, and so how many more can come (one initiative).

    Pages say it this way so the sum adds up: "3 active volunteers, 1 paused. Room for 2 more."
    with ideal 6; a bare "3 volunteers, needs 2 more" read as wrong arithmetic.
    """

    volunteers_ideal: int
    active: int = 0
    paused: int = 0
    starting: int = 0  # accepted, not started yet

    @property
    def needed(self) -> int:
        return volunteers_needed(self.volunteers_ideal, self.active + self.paused + self.starting)
