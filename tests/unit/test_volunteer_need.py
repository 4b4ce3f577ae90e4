"""The one definition of "needs N more": ideal minus places held, never below zero, on numbers and columns."""

from __future__ import annotations

import numpy as np

from coprod_match.matching.facts import InitiativeFacts
from coprod_match.volunteer_need import volunteers_needed


def test_ideal_minus_places_held_never_below_zero():
    assert volunteers_needed(8, 4) == 4
    assert volunteers_needed(4, 4) == 0
    assert volunteers_needed(3, 5) == 0  # an ideal lowered below the people already there
    assert type(volunteers_needed(8, 4)) is int


def test_columns_give_a_column():
    assert volunteers_needed(np.array([8, 4, 3]), np.array([4, 4, 5])).tolist() == [4, 0, 0]


def test_matching_counts_held_places_not_only_active_ones():
    facts = InitiativeFacts(id=1, neighbourhood_id=1, is_open=True, schedule_slots=1, hours_per_week=2,
                            languages=frozenset(), welcomes_dutch_learners=False, interests=frozenset(),
                            volunteers_min=1, volunteers_ideal=8, active=2, places_taken=4, pending=3)
    assert facts.open_places == 4
