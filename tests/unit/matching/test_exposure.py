"""Spreading attention: the bonus lifts an initiative few residents see past a near-tie, never past a
clearly better match, and changes nothing when off; the city-wide lists are the ones residents get."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os

import numpy as np
import pytest

from coprod_match.demo import generate_demo
from coprod_match.matching import engine, exposure
from coprod_match.matching.facts import NeighbourhoodFacts, Weights
from coprod_match.matching.patching import apply_changes
from coprod_match.matching.store import load_snapshot, write_snapshot
from coprod_match.matching.synthetic import world_from_demo

from .helpers import citizen, initiative, snapshot

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TODAY = dt.date(2026, 3, 1)
BOOST = Weights(exposure_boost=0.3, exposure_enough=5)
OFF = Weights(exposure_boost=0.0)

RESIDENT = citizen(10)
# Not at risk, so their scores differ only in the share of places still open (need weight 1.0):
# 2 of 4 open against 2 of 5 open, 0.1 apart.
POPULAR = initiative(1, volunteers_ideal=4, places_taken=2, active=2)
NEARLY_AS_GOOD = initiative(2, volunteers_ideal=5, places_taken=3, active=3)
# Shares her interest: 2.0 better than anything without it, far more than the bonus.
CLEARLY_BETTER = initiative(3, volunteers_ideal=4, places_taken=2, active=2, interests=frozenset({"cooking"}))


def _seen(world: engine.Snapshot, by_id: dict[int, int]) -> engine.Snapshot:
    """The world with exposure as if measured: residents per initiative id (0 for the rest)."""
    world.exposure = np.array([by_id.get(int(i), 0) for i in world.initiatives.id], dtype=np.int32)
    return world


def _ranked(world: engine.Snapshot, person=RESIDENT) -> list[int]:
    return [m.initiative_id for m in engine.suggest_for_citizen(world, person, limit=10)]


def test_the_bonus_lifts_an_unseen_initiative_above_a_near_tie():
    without = _seen(snapshot([RESIDENT], [POPULAR, NEARLY_AS_GOOD], OFF), {1: 40})
    assert _ranked(without) == [1, 2]
    world = _seen(snapshot([RESIDENT], [POPULAR, NEARLY_AS_GOOD], BOOST), {1: 40})
    assert _ranked(world) == [2, 1]
    # Seen by enough residents already: no bonus, the better fit stays first.
    assert _ranked(_seen(snapshot([RESIDENT], [POPULAR, NEARLY_AS_GOOD], BOOST), {1: 40, 2: 5})) == [1, 2]


def test_the_bonus_never_lifts_past_a_clearly_better_match():
    cook = citizen(10, interests=frozenset({"cooking"}))
    world = _seen(snapshot([cook], [CLEARLY_BETTER, NEARLY_AS_GOOD], BOOST), {3: 40})
    assert _ranked(world, cook) == [3, 2]


def test_the_fit_shown_and_the_reasons_do_not_include_the_bonus():
    plain = {m.initiative_id: m for m in engine.suggest_for_citizen(
        _seen(snapshot([RESIDENT], [POPULAR, NEARLY_AS_GOOD], OFF), {1: 40}), RESIDENT)}
    boosted = {m.initiative_id: m for m in engine.suggest_for_citizen(
        _seen(snapshot([RESIDENT], [POPULAR, NEARLY_AS_GOOD], BOOST), {1: 40}), RESIDENT)}
    assert boosted == plain  # same scores, same reasons: only the order differs


@pytest.fixture(scope="module")
def city():
    with open(os.path.join(ROOT, "coprod_match", "data", "neighbourhoods.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    places = [NeighbourhoodFacts(n, r["name"], r["district"], float(r["lat"]), float(r["lon"]))
              for n, r in enumerate(rows, start=1)]
    demo = generate_demo(seed=5, citizens=250, initiatives=40, today=TODAY,
                         neighbourhoods={p.name: p.district for p in places})
    return world_from_demo(demo, places, now=dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC))


def _city_snapshot(city, weights: Weights) -> engine.Snapshot:
    world = engine.Snapshot(city.neighbourhoods, city.citizens, city.initiatives, weights)
    world.exposure = exposure.measure_exposure(world)
    return world


def _lists_by_citizen(world: engine.Snapshot, lists: exposure.SuggestionLists) -> dict[int, list[int]]:
    shown: dict[int, list[tuple[float, int]]] = {}
    for row, at in zip(lists.citizen_rows.tolist(), lists.initiative_rows.tolist(), strict=True):
        shown.setdefault(int(world.citizens.id[row]), []).append(int(world.initiatives.id[at]))
    return {person: sorted(ids) for person, ids in shown.items()}


def test_off_means_the_same_ranking_for_every_resident(city):
    measured = _city_snapshot(city, Weights(exposure_boost=0.0))
    unmeasured = engine.Snapshot(city.neighbourhoods, city.citizens, city.initiatives, Weights())
    assert unmeasured.exposure is None
    for person in city.citizens[:120]:
        assert engine.suggest_for_citizen(measured, person) == engine.suggest_for_citizen(unmeasured, person)


def test_city_lists_are_what_each_resident_is_shown_with_and_without_the_bonus(city):
    # A large bonus, so that here, where nearly every initiative with room is seen already, lists change.
    world = _city_snapshot(city, Weights(exposure_boost=2.0, exposure_enough=20))
    found = {}
    for boost in (False, True):
        lists = exposure.suggestion_lists(world, boost=boost, chunk_rows=7, workers=1)
        found[boost] = by_citizen = _lists_by_citizen(world, lists)
        plain = world if boost else _city_snapshot(city, OFF)
        for person in city.citizens:
            shown = [m.initiative_id for m in engine.suggest_for_citizen(plain, person, limit=exposure.TOP)]
            assert sorted(shown) == by_citizen.get(person.id, []), person.id
    assert found[True] != found[False]
    # Threads and chunks change nothing.
    assert _lists_by_citizen(world, exposure.suggestion_lists(world)) == found[True]


def test_predicted_matches_count_places_as_well_as_people():
    # Both residents have only the one-place initiative in their lists: one pair, not two.
    one_place = initiative(1, volunteers_ideal=3, places_taken=2, active=2)
    world = snapshot([citizen(10), citizen(11)], [one_place])
    lists = exposure.suggestion_lists(world)
    assert len(lists.scores) == 2
    assert exposure.predicted_matches(world, lists) == 1
    # A second initiative with room in one resident's list makes it two.
    world = snapshot([citizen(10), citizen(11)], [one_place, initiative(2, volunteers_ideal=4, places_taken=2)])
    assert exposure.predicted_matches(world, exposure.suggestion_lists(world)) == 2


def test_exposure_survives_the_snapshot_file_and_new_initiatives_start_unseen(city, tmp_path):
    world = _city_snapshot(city, BOOST)
    path = str(tmp_path / "snapshot")
    write_snapshot(world, path)
    loaded, _meta = load_snapshot(path)
    assert np.array_equal(loaded.exposure, world.exposure)
    newcomer = dataclasses.replace(city.initiatives[0], id=10_000, blocked_citizens=frozenset())
    apply_changes(loaded, initiatives=[newcomer])
    assert len(loaded.exposure) == len(loaded.initiatives) and loaded.exposure[-1] == 0


def test_the_settings_come_from_the_config():
    weights = Weights.from_mapping({"MATCHING_EXPOSURE_BOOST": "0.25", "MATCHING_EXPOSURE_ENOUGH": "8"})
    assert (weights.exposure_boost, weights.exposure_enough) == (0.25, 8)
    # The engine's defaults are the product's (config.py), which the city bench decides.
    from config import BaseConfig

    assert Weights().exposure_boost == BaseConfig.MATCHING_EXPOSURE_BOOST
    assert Weights().exposure_enough == BaseConfig.MATCHING_EXPOSURE_ENOUGH
