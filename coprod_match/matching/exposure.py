"""Spreading attention: which initiatives residents see at the top of their suggestions.

Suggestions favour what fits best, so the same well-placed initiatives fill
many residents' lists while others, nearly as good, are shown to no one.
Here, for every resident at once (in arrays, neighbourhood by
neighbourhood, as the plan scores its candidates), the top five
suggestions; from them how many residents see each initiative (its
exposure, kept in the snapshot as `Snapshot.exposure`) and how many pairs
the lists could make at most. The engine turns low exposure into a small
ranking bonus (`engine.attention_bonus`); bench/matching.py measures both
figures with and without it. Pure: no Flask, no database.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from .engine import Snapshot, attention_bonus, evaluate, highest_score
from .plan import (
    blocked_in_place,
    citizen_plan_capacity,
    initiative_plan_capacity,
    rule_out_blocked,
)

# What a resident sees first: the suggestions page shows ten, the first five count as seen.
TOP = 5


@dataclass
class SuggestionLists:
    """Every resident's top suggestions as pairs of rows, with the fit (never the bonus)."""

    citizen_rows: np.ndarray
    initiative_rows: np.ndarray
    scores: np.ndarray
    # Initiatives (rows) that pass every filter for at least one resident: no bonus can show the others.
    showable: np.ndarray

    def exposure(self, n_initiatives: int) -> np.ndarray:
        """How many residents have each initiative (row) in their list."""
        return np.bincount(self.initiative_rows, minlength=n_initiatives).astype(np.int32)


def suggestion_lists(snapshot: Snapshot, *, limit: int = TOP, boost: bool = True, chunk_rows: int = 256,
                     workers: int | None = None) -> SuggestionLists:
    """The top `limit` suggestions of every resident in the snapshot, as `suggest_for_citizen` ranks them.

    Same filters (blocked pairs too), same order: by fit plus the attention
    bonus when `boost` and the snapshot has exposure, ties to the lower row.
    The result does not depend on the number of threads or the chunk size.
    """
    people, inits = snapshot.citizens, snapshot.initiatives
    eligible = np.flatnonzero((people.slots != 0) & (people.load_count < people.max_initiatives))
    open_rows = np.flatnonzero(inits.is_open & (inits.places_taken < inits.volunteers_ideal))
    bonus = None
    if boost and snapshot.exposure is not None:
        bonus = attention_bonus(snapshot.weights, snapshot.exposure)

    def lists_of(place: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        residents = eligible[people.place[eligible] == place]
        reachable = open_rows[snapshot.place_reachable[place, inits.place[open_rows]]]
        if not len(reachable):
            return []
        columns = inits.take(reachable)
        blocked = blocked_in_place(snapshot, place, reachable)
        extra = bonus[reachable] if bonus is not None else None
        found = []
        for start in range(0, len(residents), chunk_rows):
            rows = residents[start:start + chunk_rows]
            result = evaluate(snapshot, people.take(rows[:, None]), columns, require_consent=False)
            key = result.score if extra is None else result.score + extra
            key = np.where(result.feasible, key, -np.inf)
            rule_out_blocked(key, rows, blocked)
            chosen = _best_per_row(key, limit)
            at_row, at_column = np.nonzero(chosen)
            showable = reachable[np.isfinite(key).any(axis=0)]
            found.append((rows[at_row], reachable[at_column], result.score[at_row, at_column], showable))
        return found

    places = np.unique(people.place[eligible])
    workers = workers or min(4, os.cpu_count() or 1)
    if workers > 1 and len(places) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            chunks = [chunk for found in pool.map(lists_of, places) for chunk in found]
    else:
        chunks = [chunk for place in places for chunk in lists_of(place)]
    if not chunks:
        empty = np.empty(0, dtype=np.int64)
        return SuggestionLists(empty, empty, np.empty(0, dtype=np.float32), empty)
    pairs = (np.concatenate([chunk[part] for chunk in chunks]) for part in range(3))
    return SuggestionLists(*pairs, np.unique(np.concatenate([chunk[3] for chunk in chunks])))


def _best_per_row(key: np.ndarray, limit: int) -> np.ndarray:
    """Per row, the `limit` highest finite keys; ties at the edge go to the lower column, as engine._top."""
    k = min(limit, key.shape[1])
    if k <= 0:
        return np.zeros(key.shape, dtype=bool)
    edge = -np.partition(-key, k - 1, axis=1)[:, k - 1:k]
    above = key > edge
    tie = (key == edge) & np.isfinite(key)
    room = k - above.sum(axis=1, keepdims=True)
    return above | (tie & (np.cumsum(tie, axis=1) <= room))


def measure_exposure(snapshot: Snapshot) -> np.ndarray:
    """Exposure of each initiative (row) without any bonus: what the next snapshot's boost reads.

    Measured without the bonus so that the boost does not chase its own
    effect from one snapshot to the next (the same data give the same bonus).
    """
    return suggestion_lists(snapshot, boost=False).exposure(len(snapshot.initiatives))


def exposure_share(snapshot: Snapshot, lists: SuggestionLists) -> float:
    """Share of open initiatives in at least one resident's list."""
    is_open = snapshot.initiatives.is_open
    if not is_open.any():
        return 0.0
    shown = np.zeros(len(is_open), dtype=bool)
    shown[lists.initiative_rows] = True
    return float((shown & is_open).sum() / is_open.sum())


def showable_share(snapshot: Snapshot, lists: SuggestionLists) -> float:
    """Share of open initiatives some resident could be shown at all: the most exposure can reach."""
    is_open = snapshot.initiatives.is_open
    return float(is_open[lists.showable].sum() / is_open.sum()) if is_open.any() else 0.0


def predicted_matches(snapshot: Snapshot, lists: SuggestionLists) -> int:
    """The most pairs the lists could make at once: the figure the attention bonus must not lower.

    Each resident takes at most one initiative from their own list, each
    initiative at most its places not already promised (the plan's
    capacities). A maximum flow, so exact and independent of tie-breaks.
    Suggestions only lead to matches through what residents are shown, and
    places are limited: the figure rises when attention moves from full
    initiatives to ones with room, and falls when a resident's only good
    option is pushed out of their list.
    """
    room = citizen_plan_capacity(snapshot, 1)[lists.citizen_rows] > 0
    places = initiative_plan_capacity(snapshot)
    usable = room & (places[lists.initiative_rows] > 0)
    if not usable.any():
        return 0
    citizens, arc_citizen = np.unique(lists.citizen_rows[usable], return_inverse=True)
    initiatives, arc_initiative = np.unique(lists.initiative_rows[usable], return_inverse=True)
    nc, ni = len(citizens), len(initiatives)
    source, sink = 0, nc + ni + 1
    graph = max_flow.SimpleMaxFlow()
    graph.add_arcs_with_capacity(1 + arc_citizen, 1 + nc + arc_initiative, np.ones(len(arc_citizen), dtype=np.int64))
    graph.add_arcs_with_capacity(np.zeros(nc, dtype=np.int64), 1 + np.arange(nc), np.ones(nc, dtype=np.int64))
    graph.add_arcs_with_capacity(1 + nc + np.arange(ni), np.full(ni, sink), places[initiatives].astype(np.int64))
    if graph.solve(source, sink) != graph.OPTIMAL:
        raise RuntimeError("max flow did not solve")
    return int(graph.optimal_flow())


def mean_fit(snapshot: Snapshot, lists: SuggestionLists) -> float:
    """Average fit (out of 100) of the suggestions shown: what the bonus costs residents in fit."""
    if not len(lists.scores):
        return 0.0
    return float(100 * lists.scores.mean() / highest_score(snapshot.weights))
