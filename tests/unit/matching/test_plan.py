"""The plan: exact against brute force and HiGHS, within every capacity, at-risk first."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod_match.matching import plan
from coprod_match.matching.engine import explain

from .helpers import (
    BENOORDENHOUT,
    SCHILDERSWIJK,
    TRANSVAAL,
    WEEKDAYS,
    citizen,
    initiative,
    snapshot,
)

SLOTS = [1 << bit for bit in range(0, 21, 3)]


def test_at_risk_initiative_gets_the_scarce_volunteer():
    # One volunteer, two initiatives that both want her; the well-staffed one fits her a bit better.
    volunteer = citizen(10, languages={"tr": "native"}, interests=frozenset({"care"}))
    staffed = initiative(1, languages=frozenset({"tr"}), interests=frozenset({"care"}),
                         active=3, places_taken=3, volunteers_ideal=5, volunteers_min=2)
    thin = initiative(2, active=1, places_taken=1, neighbourhood_id=TRANSVAAL)
    world = snapshot([volunteer], [staffed, thin])
    assert explain(world, volunteer, staffed).score > 0 and explain(world, volunteer, thin).score > 0
    result = plan.build_plan(world)
    assert [(row.citizen_id, row.initiative_id) for row in result.rows] == [(10, 2)]
    assert result.at_risk_served == result.at_risk_servable == 1


def test_plenty_of_volunteers_serve_everyone():
    people = [citizen(10 + n) for n in range(6)]
    projects = [initiative(1, active=1, places_taken=1), initiative(2, active=0, places_taken=0)]
    result = plan.build_plan(snapshot(people, projects))
    assert result.at_risk_served == 2 and result.placed == 5  # 2 + 3 open places


def _brute_force(network: plan.Network) -> tuple[int, int]:
    """The best (at-risk served, points) over every assignment (each citizen: one arc or none)."""
    by_citizen = [np.flatnonzero(network.arc_citizen == c) for c in range(len(network.citizen_capacity))]
    best = (0, 0)
    for choice in itertools.product(*[[-1, *arcs] for arcs in by_citizen]):
        chosen = np.zeros(len(network.arc_points), dtype=bool)
        chosen[[arc for arc in choice if arc >= 0]] = True
        if plan.is_within_capacity(network, chosen):
            best = max(best, plan.assess(network, chosen))
    return best


world_strategy = st.fixed_dictionaries({
    "people": st.lists(
        st.tuples(st.sampled_from([SCHILDERSWIJK, TRANSVAAL, BENOORDENHOUT]),
                  st.integers(1, (1 << 21) - 1), st.sampled_from([{"nl": "native"}, {"tr": "native"},
                                                                  {"ar": "fluent", "nl": "basic"}]),
                  st.integers(0, 2), st.booleans()),
        min_size=1, max_size=6),
    "projects": st.lists(
        st.tuples(st.sampled_from([SCHILDERSWIJK, TRANSVAAL, BENOORDENHOUT]), st.sampled_from([*SLOTS, WEEKDAYS]),
                  st.integers(1, 4), st.integers(0, 3), st.sampled_from([frozenset({"nl"}), frozenset({"tr", "nl"}),
                                                                         frozenset({"ar"})])),
        min_size=1, max_size=4),
})


def _world(spec):
    people = [
        citizen(100 + n, neighbourhood_id=place, availability_slots=slots, languages=langs,
                load_count=load, max_initiatives=2, consent_to_contact=consent)
        for n, (place, slots, langs, load, consent) in enumerate(spec["people"])
    ]
    projects = [
        initiative(1 + n, neighbourhood_id=place, schedule_slots=slots, volunteers_ideal=ideal,
                   volunteers_min=1, active=min(active, ideal), places_taken=min(active, ideal), languages=langs)
        for n, (place, slots, ideal, active, langs) in enumerate(spec["projects"])
    ]
    return people, projects


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world_strategy)
def test_plan_is_optimal_within_capacity_and_passes_hard_filters(spec):
    people, projects = _world(spec)
    world = snapshot(people, projects)
    result = plan.build_plan(world, keep_network=True)
    network, chosen = result.network, result.chosen
    # Never more than any capacity, in the network and against the facts.
    assert plan.is_within_capacity(network, chosen)
    by_id = {p.id: p for p in people}
    projects_by_id = {p.id: p for p in projects}
    for project in projects:
        taken = sum(row.initiative_id == project.id for row in result.rows)
        assert taken <= project.volunteers_ideal - project.places_taken - project.pending
    for person in people:
        assert sum(row.citizen_id == person.id for row in result.rows) <= person.max_initiatives - person.load_count
    # Every row passes the hard filters, consent included.
    for row in result.rows:
        assert explain(world, by_id[row.citizen_id], projects_by_id[row.initiative_id], require_consent=True)
    # Exact: equal to brute force and to the HiGHS LP, and as many at-risk served as possible.
    best = _brute_force(network)
    assert (result.at_risk_served, result.objective_points) == best
    assert plan.linear_programme_optimum(network) == best
    assert result.at_risk_served == result.at_risk_servable
    # Greedy never beats the exact plan.
    assert plan.assess(network, plan.greedy(network)) <= best


def _arcs(network: plan.Network) -> set[tuple[int, int, int]]:
    return set(zip(network.citizen_rows[network.arc_citizen].tolist(),
                   network.initiative_rows[network.arc_initiative].tolist(), network.arc_points.tolist(), strict=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world_strategy, st.integers(1, 3), st.integers(1, 4))
def test_candidates_do_not_depend_on_threads_or_chunks_and_skip_blocked_pairs(spec, chunk_rows, candidates):
    people, projects = _world(spec)
    # The first resident declined the first initiative recently: never a candidate arc.
    people[0] = citizen(people[0].id, neighbourhood_id=people[0].neighbourhood_id,
                        availability_slots=people[0].availability_slots, languages=people[0].languages,
                        consent_to_contact=True, blocked_initiatives=frozenset({projects[0].id}))
    world = snapshot(people, projects)
    alone = plan.build_network(world, candidates_per_citizen=candidates, workers=1)
    threaded = plan.build_network(world, candidates_per_citizen=candidates, chunk_rows=chunk_rows, workers=3)
    for name in ("arc_citizen", "arc_initiative", "arc_points", "citizen_capacity", "initiative_capacity",
                 "citizen_rows", "initiative_rows"):
        assert np.array_equal(getattr(alone, name), getattr(threaded, name)), name
    assert (0, 0) not in {(c, i) for c, i, _points in _arcs(alone)}
    assert np.bincount(alone.arc_citizen, minlength=len(alone.citizen_rows)).max(initial=0) <= candidates
