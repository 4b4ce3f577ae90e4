"""A snapshot patched with what changed answers exactly like one built from scratch; a saved one too."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import random

import numpy as np
import pytest

from coprod_match.demo import generate_demo
from coprod_match.matching import engine, plan
from coprod_match.matching.facts import NeighbourhoodFacts, Weights
from coprod_match.matching.patching import apply_changes
from coprod_match.matching.store import load_snapshot, read_meta, write_snapshot
from coprod_match.matching.synthetic import world_from_demo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TODAY = dt.date(2026, 3, 1)
LANGUAGES = ["ar", "bg", "en", "nl", "pl", "tr", "uk"]
INTERESTS = ["company", "cooking", "language", "meals", "sports", "transport"]


@pytest.fixture(scope="module")
def world():
    with open(os.path.join(ROOT, "coprod_match", "data", "neighbourhoods.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    places = [NeighbourhoodFacts(n, r["name"], r["district"], float(r["lat"]), float(r["lon"]))
              for n, r in enumerate(rows, start=1)]
    demo = generate_demo(seed=3, citizens=300, initiatives=40, today=TODAY,
                         neighbourhoods={p.name: p.district for p in places})
    return world_from_demo(demo, places, now=dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC))


def _build(world, citizens, initiatives):
    codes_l = sorted({c for x in world.citizens for c in x.languages} | set(LANGUAGES))
    codes_i = sorted({c for x in world.citizens for c in x.interests} | set(INTERESTS)
                     | {c for x in world.initiatives for c in x.interests})
    return engine.Snapshot(world.neighbourhoods, citizens, initiatives, Weights(),
                           language_codes=codes_l, interest_codes=codes_i)


def _changed(world, rng):
    """A later state of the world: edited, new and vanished citizens and initiatives, moved placements."""
    citizens = {c.id: c for c in world.citizens}
    initiatives = {i.id: i for i in world.initiatives}
    touched_c, touched_i = set(), set()
    for c in rng.sample(sorted(citizens), 40):
        citizens[c] = dataclasses.replace(
            citizens[c], availability_slots=rng.getrandbits(21) or 1, consent_to_contact=rng.random() < 0.8,
            languages={rng.choice(LANGUAGES): rng.choice(["native", "fluent", "basic"])},
            interests=frozenset(rng.sample(INTERESTS, 2)), load_count=rng.randint(0, 2))
        touched_c.add(c)
    for c in rng.sample(sorted(citizens), 10):
        del citizens[c]
        touched_c.add(c)
    for number in range(10):
        new = dataclasses.replace(world.citizens[number], id=10_000 + number, blocked_initiatives=frozenset())
        citizens[new.id] = new
        touched_c.add(new.id)
    for i in rng.sample(sorted(initiatives), 8):
        initiatives[i] = dataclasses.replace(initiatives[i], places_taken=0, active=rng.randint(0, 3),
                                             schedule_slots=rng.getrandbits(21) or 1, is_open=rng.random() < 0.9)
        touched_i.add(i)
    for i in rng.sample(sorted(initiatives), 3):
        del initiatives[i]
        touched_i.add(i)
    for number in range(4):
        new = dataclasses.replace(world.initiatives[number], id=20_000 + number, blocked_citizens=frozenset())
        initiatives[new.id] = new
        touched_i.add(new.id)
    # A placement between an edited citizen and an edited initiative blocks that pair on both sides.
    c, i = next(iter(touched_c & set(citizens))), next(iter(touched_i & set(initiatives)))
    citizens[c] = dataclasses.replace(citizens[c], blocked_initiatives=citizens[c].blocked_initiatives | {i})
    initiatives[i] = dataclasses.replace(initiatives[i], blocked_citizens=initiatives[i].blocked_citizens | {c})
    # Keep both sides' blocked pairs consistent with vanished rows, as fresh reads would be.
    return citizens, initiatives, touched_c, touched_i


def _answers(snapshot, citizens, initiatives):
    found = {}
    for c in list(citizens.values())[::7]:
        found[("s", c.id)] = sorted((m.initiative_id, round(m.score, 4))
                                    for m in engine.suggest_for_citizen(snapshot, c, limit=1000))
    for i in initiatives.values():
        found[("c", i.id)] = sorted((m.citizen_id, round(m.score, 4))
                                    for m in engine.candidates_for_initiative(snapshot, i, limit=1000))
    return found


def _blocked_pairs(snapshot):
    n = len(snapshot.initiatives)
    keys = snapshot.blocked_keys
    return set(zip(snapshot.citizens.id[keys // n].tolist(), snapshot.initiatives.id[keys % n].tolist(),
                   strict=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_patched_snapshot_answers_like_a_fresh_build(world, seed):
    rng = random.Random(seed)
    patched = _build(world, world.citizens, world.initiatives)
    citizens, initiatives, touched_c, touched_i = _changed(world, rng)
    fresh = _build(world, list(citizens.values()), list(initiatives.values()))
    apply_changes(
        patched,
        citizen_ids=touched_c, citizens=[citizens[c] for c in touched_c if c in citizens],
        initiative_ids=touched_i, initiatives=[initiatives[i] for i in touched_i if i in initiatives],
    )
    assert _answers(patched, citizens, initiatives) == _answers(fresh, citizens, initiatives)
    live = {(c, i) for c, i in _blocked_pairs(patched) if c in citizens and i in initiatives}
    assert live == _blocked_pairs(fresh)
    assert set(patched.citizens.id[patched.invitable_rows].tolist()) == set(
        fresh.citizens.id[fresh.invitable_rows].tolist())


def test_a_saved_snapshot_maps_back_and_answers_the_same(world, tmp_path):
    built = _build(world, world.citizens, world.initiatives)
    path = str(tmp_path / "city.snapshot")
    size = write_snapshot(built, path, meta={"change_id": 41})
    assert size == (tmp_path / "city.snapshot").stat().st_size
    assert read_meta(path) == {"change_id": 41}
    mapped, meta = load_snapshot(path)
    assert meta == {"change_id": 41}
    assert mapped.weights == built.weights and mapped.language_codes == built.language_codes
    citizens = {c.id: c for c in world.citizens}
    initiatives = {i.id: i for i in world.initiatives}
    assert _answers(mapped, citizens, initiatives) == _answers(built, citizens, initiatives)
    a, b = plan.build_plan(mapped), plan.build_plan(built)
    assert [(r.citizen_id, r.initiative_id) for r in a.rows] == [(r.citizen_id, r.initiative_id) for r in b.rows]
    # The mapped arrays are shared pages, not copies; patching one row writes only this process's copy.
    assert isinstance(mapped.citizens.slots.base, np.ndarray | memoryview) or mapped.citizens.slots.base is not None
    apply_changes(mapped, citizen_ids=[world.citizens[0].id], citizens=[])
    assert load_snapshot(path)[0].citizens.slots[0] == built.citizens.slots[0]
    assert mapped.citizens.slots[0] == 0


def test_a_file_that_is_not_a_snapshot_is_refused(tmp_path):
    from coprod_match.matching.store import SnapshotFileError

    path = tmp_path / "junk"
    path.write_bytes(b"hello world, not a snapshot at all")
    with pytest.raises(SnapshotFileError):
        load_snapshot(str(path))
