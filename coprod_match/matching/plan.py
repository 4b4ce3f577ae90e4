"""The district (or city) placement plan, solved exactly as a min-cost flow.

Who could strengthen which initiatives: each citizen gets at most their
remaining capacity of new initiatives, each initiative at most its open
places. First as many initiatives at continuity risk as possible get one
new volunteer; among those plans, the total score is as high as possible.

Candidates are pruned before scoring (per neighbourhood of residence, only
initiatives within reach, then the best `candidates_per_citizen` per
citizen), so a city of 100,000 people never scores all 10^9 pairs.
The lexicographic goal is one min-cost flow: the first new volunteer of an
at-risk initiative earns a bonus larger than any total of scores.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .engine import Snapshot, evaluate
from .facts import Match
from .reasons import reasons

# Scores become integer points for the solver: exact arithmetic, 0.001 resolution.
POINTS_PER_SCORE = 1000


@dataclass
class Network:
    """Candidate arcs with their capacities, in compact numbering, ready for a solver."""

    arc_citizen: np.ndarray  # position in citizen_rows
    arc_initiative: np.ndarray  # position in initiative_rows
    arc_points: np.ndarray  # integer score points, >= 0
    citizen_capacity: np.ndarray
    initiative_capacity: np.ndarray
    initiative_at_risk: np.ndarray
    citizen_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    initiative_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @property
    def risk_bonus(self) -> int:
        """More than the largest total of points any plan could reach."""
        if not len(self.arc_points):
            return 1
        best = np.zeros(len(self.citizen_capacity), dtype=np.int64)
        np.maximum.at(best, self.arc_citizen, self.arc_points)
        return int((best * self.citizen_capacity).sum()) + 1


@dataclass
class Plan:
    rows: list[Match]
    objective: float  # total score of the rows
    objective_points: int
    placed: int
    at_risk_served: int
    at_risk_servable: int
    at_risk_in_scope: int
    candidate_arcs: int
    citizens_considered: int
    initiatives_considered: int
    seconds: dict[str, float]
    network: Network | None = None
    chosen: np.ndarray | None = None

    def summary(self) -> dict:
        return {
            "objective": round(self.objective, 3),
            "objective_points": self.objective_points,
            "placed": self.placed,
            "at_risk_served": self.at_risk_served,
            "at_risk_servable": self.at_risk_servable,
            "at_risk_in_scope": self.at_risk_in_scope,
            "candidate_arcs": self.candidate_arcs,
            "citizens_considered": self.citizens_considered,
            "initiatives_considered": self.initiatives_considered,
        }


def initiative_plan_capacity(snapshot: Snapshot) -> np.ndarray:
    """Open places not already promised to someone who was invited or signed up."""
    inits = snapshot.initiatives
    room = inits.volunteers_ideal - inits.places_taken - inits.pending
    return np.where(inits.is_open, np.maximum(0, room), 0)


def citizen_plan_capacity(snapshot: Snapshot, max_new_per_citizen: int) -> np.ndarray:
    people = snapshot.citizens
    room = np.maximum(0, people.max_initiatives - people.load_count)
    return np.minimum(room, max_new_per_citizen)


def build_network(
    snapshot: Snapshot,
    *,
    places: Sequence[int] | None = None,
    candidates_per_citizen: int = 50,
    max_new_per_citizen: int = 1,
    chunk_rows: int = 128,
    workers: int | None = None,
) -> Network:
    """Candidate arcs: feasible pairs, best `candidates_per_citizen` per citizen.

    `places` limits the initiatives to those neighbourhood positions (a district).
    Each neighbourhood of residence is scored on its own, in `workers` threads
    (numpy lets go of the interpreter lock while it computes), `chunk_rows`
    residents at a time (small chunks stay in the processor's cache: 128 rows
    took a quarter less time than 1024). The arcs are the same, in the same
    order, whatever the number of threads or the size of the chunks.
    """
    people, inits = snapshot.citizens, snapshot.initiatives
    init_capacity = initiative_plan_capacity(snapshot)
    in_scope = init_capacity > 0
    if places is not None:
        in_scope &= np.isin(inits.place, np.asarray(places, dtype=np.int64))
    scope_rows = np.flatnonzero(in_scope)
    capacity = citizen_plan_capacity(snapshot, max_new_per_citizen)
    eligible = np.flatnonzero((capacity > 0) & people.consent & (people.slots != 0))

    def arcs_of(place: int) -> list[tuple[np.ndarray, ...]]:
        """Per chunk of residents of one place: arcs (citizen rows, initiative rows, scores), then
        the chunk's rows and the longest hours among each one's candidates."""
        residents = eligible[people.place[eligible] == place]
        reachable = scope_rows[snapshot.place_reachable[place, inits.place[scope_rows]]]
        if not len(reachable):
            return []
        columns = inits.take(reachable)
        blocked = blocked_in_place(snapshot, place, reachable)
        found = []
        for start in range(0, len(residents), chunk_rows):
            rows = residents[start : start + chunk_rows]
            result = evaluate(snapshot, people.take(rows[:, None]), columns, require_consent=True)
            score = np.where(result.feasible, result.score, -np.inf)
            rule_out_blocked(score, rows, blocked)
            k = candidates_per_citizen
            if score.shape[1] > k:
                top = np.argpartition(-score, k - 1, axis=1)[:, :k]
            else:
                top = np.broadcast_to(np.arange(score.shape[1]), score.shape)
            top_scores = np.take_along_axis(score, top, axis=1)
            keep = np.isfinite(top_scores)
            longest = np.where(keep, inits.hours[reachable[top]], 0).max(axis=1, initial=0)
            found.append((np.broadcast_to(rows[:, None], top.shape)[keep], reachable[top[keep]],
                          top_scores[keep], rows, longest))
        return found

    chunks: list[tuple[np.ndarray, ...]] = []
    places_lived = np.unique(people.place[eligible])
    workers = workers or min(4, os.cpu_count() or 1)
    if workers > 1 and len(places_lived) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for found in pool.map(arcs_of, places_lived):
                chunks.extend(found)
    else:
        for place in places_lived:
            chunks.extend(arcs_of(place))

    if chunks:
        c_rows_all = np.concatenate([chunk[0] for chunk in chunks])
        i_rows_all = np.concatenate([chunk[1] for chunk in chunks])
        scores = np.concatenate([chunk[2] for chunk in chunks])
    else:
        c_rows_all = i_rows_all = np.empty(0, dtype=np.int64)
        scores = np.empty(0)
    citizen_rows, arc_citizen = _compact(c_rows_all, len(people))
    initiative_rows, arc_initiative = _compact(i_rows_all, len(inits))

    # Hours: k new initiatives of at most h hours each must fit in the hours left.
    citizen_cap = capacity[citizen_rows].copy()
    if len(arc_citizen):
        # The longest of each citizen's candidate initiatives (a citizen lives in one place: one chunk).
        longest_of = np.zeros(len(people), dtype=np.int64)
        for _c, _i, _s, rows, longest in chunks:
            longest_of[rows] = longest
        longest = longest_of[citizen_rows]
        hours_left = people.max_hours[citizen_rows] - people.load_hours[citizen_rows]
        citizen_cap = np.minimum(citizen_cap, np.maximum(1, hours_left // np.maximum(1, longest)))
    return Network(
        arc_citizen=arc_citizen.astype(np.int64),
        arc_initiative=arc_initiative.astype(np.int64),
        arc_points=np.rint(np.maximum(scores, 0.0) * POINTS_PER_SCORE).astype(np.int64),
        citizen_capacity=citizen_cap.astype(np.int64),
        initiative_capacity=init_capacity[initiative_rows].astype(np.int64),
        initiative_at_risk=inits.at_risk[initiative_rows].astype(bool),
        citizen_rows=citizen_rows.astype(np.int64),
        initiative_rows=initiative_rows.astype(np.int64),
    )


def blocked_in_place(snapshot: Snapshot, place: int, reachable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Blocked pairs of the residents living at `place` with one of `reachable` (sorted rows):
    the residents' rows and the initiatives' columns in `reachable`."""
    n = max(1, len(snapshot.initiatives))
    blocked_c, blocked_i = snapshot.blocked_keys // n, snapshot.blocked_keys % n
    here = snapshot.citizens.place[blocked_c] == place
    citizen_rows, column = blocked_c[here], _positions(reachable, blocked_i[here])
    return citizen_rows[column >= 0], column[column >= 0]


def rule_out_blocked(score: np.ndarray, rows: np.ndarray, blocked: tuple[np.ndarray, np.ndarray]) -> None:
    """Set the blocked pairs among a chunk's residents (`rows`, sorted) to -inf, in place."""
    citizen_rows, columns = blocked
    row = _positions(rows, citizen_rows)
    if (row >= 0).any():
        score[row[row >= 0], columns[row >= 0]] = -np.inf


def _positions(sorted_rows: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of `wanted` is in `sorted_rows`, or -1 where it is not there."""
    if not len(sorted_rows):
        return np.full(len(wanted), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_rows, wanted), len(sorted_rows) - 1)
    return np.where(sorted_rows[at] == wanted, at, -1)


def _compact(rows: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(rows, return_inverse=True) for row numbers below `size`, without sorting."""
    present = np.zeros(size, dtype=bool)
    present[rows] = True
    number = np.cumsum(present) - 1
    return np.flatnonzero(present), number[rows]


def solve(network: Network) -> np.ndarray:
    """The optimal plan: a boolean per arc. Exact (min-cost flow)."""
    n_arcs = len(network.arc_points)
    if not n_arcs:
        return np.zeros(0, dtype=bool)
    nc, ni = len(network.citizen_capacity), len(network.initiative_capacity)
    source, sink = 0, nc + ni + 1
    citizen_node = 1 + np.arange(nc)
    initiative_node = 1 + nc + np.arange(ni)
    bonus = network.risk_bonus
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        citizen_node[network.arc_citizen],
        initiative_node[network.arc_initiative],
        np.ones(n_arcs, dtype=np.int64),
        -network.arc_points,
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(nc, source), citizen_node, network.citizen_capacity, np.zeros(nc, dtype=np.int64)
    )
    risk = network.initiative_at_risk
    cap = network.initiative_capacity
    # An at-risk initiative's first new volunteer goes through the bonus arc.
    flow.add_arcs_with_capacity_and_unit_cost(
        initiative_node[risk], np.full(int(risk.sum()), sink),
        np.ones(int(risk.sum()), dtype=np.int64), np.full(int(risk.sum()), -bonus, dtype=np.int64),
    )
    rest = cap - risk
    flow.add_arcs_with_capacity_and_unit_cost(
        initiative_node, np.full(ni, sink), rest, np.zeros(ni, dtype=np.int64)
    )
    total = int(network.citizen_capacity.sum())
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)  # people left unplaced
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    return flow.flows(pair_arcs) > 0


def max_at_risk_servable(network: Network) -> int:
    """The most at-risk initiatives any plan could give a new volunteer (a max flow)."""
    risk_arcs = network.initiative_at_risk[network.arc_initiative]
    if not risk_arcs.any():
        return 0
    nc, ni = len(network.citizen_capacity), len(network.initiative_capacity)
    source, sink = 0, nc + ni + 1
    graph = max_flow.SimpleMaxFlow()
    graph.add_arcs_with_capacity(
        1 + network.arc_citizen[risk_arcs], 1 + nc + network.arc_initiative[risk_arcs],
        np.ones(int(risk_arcs.sum()), dtype=np.int64),
    )
    graph.add_arcs_with_capacity(np.zeros(nc, dtype=np.int64), 1 + np.arange(nc), network.citizen_capacity)
    at_risk = np.flatnonzero(network.initiative_at_risk)
    graph.add_arcs_with_capacity(1 + nc + at_risk, np.full(len(at_risk), sink), np.ones(len(at_risk), dtype=np.int64))
    if graph.solve(source, sink) != graph.OPTIMAL:
        raise RuntimeError("max flow did not solve")
    return int(graph.optimal_flow())


def assess(network: Network, chosen: np.ndarray) -> tuple[int, int]:
    """(at-risk initiatives served, total points) of a chosen set of arcs."""
    served = np.unique(network.arc_initiative[chosen])
    return int(network.initiative_at_risk[served].sum()), int(network.arc_points[chosen].sum())


def is_within_capacity(network: Network, chosen: np.ndarray) -> bool:
    per_citizen = np.bincount(network.arc_citizen[chosen], minlength=len(network.citizen_capacity))
    per_initiative = np.bincount(network.arc_initiative[chosen], minlength=len(network.initiative_capacity))
    return bool(
        (per_citizen <= network.citizen_capacity).all()
        and (per_initiative <= network.initiative_capacity).all()
    )


def greedy(network: Network) -> np.ndarray:
    """Baseline: take the highest-scoring pairs first while there is room."""
    chosen = np.zeros(len(network.arc_points), dtype=bool)
    citizen_left = network.citizen_capacity.copy()
    initiative_left = network.initiative_capacity.copy()
    for arc in np.argsort(-network.arc_points, kind="stable"):
        c, i = network.arc_citizen[arc], network.arc_initiative[arc]
        if citizen_left[c] > 0 and initiative_left[i] > 0:
            chosen[arc] = True
            citizen_left[c] -= 1
            initiative_left[i] -= 1
    return chosen


def build_plan(
    snapshot: Snapshot,
    *,
    places: Sequence[int] | None = None,
    candidates_per_citizen: int = 50,
    max_new_per_citizen: int = 1,
    keep_network: bool = False,
) -> Plan:
    """Candidates, the exact solution, the at-risk bound, and the rows with their reasons."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    network = build_network(
        snapshot, places=places, candidates_per_citizen=candidates_per_citizen,
        max_new_per_citizen=max_new_per_citizen,
    )
    seconds["candidates"] = time.perf_counter() - started
    mark = time.perf_counter()
    chosen = solve(network)
    seconds["solve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    servable = max_at_risk_servable(network)
    seconds["at_risk_bound"] = time.perf_counter() - mark
    mark = time.perf_counter()
    rows = plan_rows(snapshot, network, chosen)
    seconds["reasons"] = time.perf_counter() - mark
    served, points = assess(network, chosen)
    inits = snapshot.initiatives
    scope = initiative_plan_capacity(snapshot) > 0
    if places is not None:
        scope &= np.isin(inits.place, np.asarray(places, dtype=np.int64))
    seconds["total"] = time.perf_counter() - started
    return Plan(
        rows=rows,
        objective=sum(row.score for row in rows),
        objective_points=points,
        placed=len(rows),
        at_risk_served=served,
        at_risk_servable=servable,
        at_risk_in_scope=int((scope & inits.at_risk).sum()),
        candidate_arcs=len(network.arc_points),
        citizens_considered=len(network.citizen_rows),
        initiatives_considered=len(network.initiative_rows),
        seconds=seconds,
        network=network if keep_network else None,
        chosen=chosen if keep_network else None,
    )


def plan_rows(snapshot: Snapshot, network: Network, chosen: np.ndarray) -> list[Match]:
    """The chosen pairs with their scores and reasons, best first."""
    arcs = np.flatnonzero(chosen)
    c_rows = network.citizen_rows[network.arc_citizen[arcs]]
    i_rows = network.initiative_rows[network.arc_initiative[arcs]]
    people, inits = snapshot.citizens.take(c_rows), snapshot.initiatives.take(i_rows)
    result = evaluate(snapshot, people, inits, require_consent=True)
    rows = [
        Match(
            int(people.id[at]), int(inits.id[at]), float(result.score[at]),
            reasons(snapshot, result, at, people.take(slice(at, at + 1)), inits.take(slice(at, at + 1))),
        )
        for at in range(len(arcs))
    ]
    rows.sort(key=lambda row: (-row.score, row.initiative_id, row.citizen_id))
    return rows


def linear_programme_optimum(network: Network) -> tuple[int, int]:
    """(at-risk served, points) by scipy's HiGHS LP, an independent check of `solve`.

    Two LPs, lexicographic like the plan: first the most at-risk initiatives
    served, then, holding that, the most points. The constraint matrix of a
    bipartite assignment is totally unimodular, so the LP optimum is the
    integer optimum.
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    n_arcs = len(network.arc_points)
    if not n_arcs:
        return 0, 0
    nc, ni = len(network.citizen_capacity), len(network.initiative_capacity)
    risk = np.flatnonzero(network.initiative_at_risk)
    n_risk = len(risk)
    risk_column = np.full(ni, -1, dtype=np.int64)
    risk_column[risk] = np.arange(n_risk)
    # Variables: one per arc, then y_r in [0, 1] per at-risk initiative ("it got someone").
    arcs = np.arange(n_arcs)
    per_citizen = coo_matrix((np.ones(n_arcs), (network.arc_citizen, arcs)), shape=(nc, n_arcs + n_risk))
    per_initiative = coo_matrix((np.ones(n_arcs), (network.arc_initiative, arcs)), shape=(ni, n_arcs + n_risk))
    # y_r <= flow into initiative r
    on_risk = risk_column[network.arc_initiative] >= 0
    y_rows = coo_matrix(
        (np.concatenate([-np.ones(int(on_risk.sum())), np.ones(n_risk)]),
         (np.concatenate([risk_column[network.arc_initiative[on_risk]], np.arange(n_risk)]),
          np.concatenate([arcs[on_risk], n_arcs + np.arange(n_risk)]))),
        shape=(n_risk, n_arcs + n_risk),
    )
    a_ub = vstack([per_citizen, per_initiative, y_rows]).tocsr()
    b_ub = np.concatenate([network.citizen_capacity, network.initiative_capacity, np.zeros(n_risk)])
    bounds = [(0, 1)] * (n_arcs + n_risk)
    first = linprog(np.concatenate([np.zeros(n_arcs), -np.ones(n_risk)]), A_ub=a_ub, b_ub=b_ub,
                    bounds=bounds, method="highs")
    served = round(-first.fun) if n_risk else 0
    keep = coo_matrix((-np.ones(n_risk), (np.zeros(n_risk, dtype=np.int64), n_arcs + np.arange(n_risk))),
                      shape=(1, n_arcs + n_risk))
    second = linprog(
        np.concatenate([-network.arc_points.astype(float), np.zeros(n_risk)]),
        A_ub=vstack([a_ub, keep]).tocsr(), b_ub=np.concatenate([b_ub, [-served]]),
        bounds=bounds, method="highs",
    )
    return served, round(-second.fun)
