"""Who an initiative is open to: the rule, and the engine's arrays agreeing with it everywhere."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from coprod_match.matching import engine, plan
from coprod_match.open_to import Refusal, birth_years, why_not_open
from coprod_match.vocabulary import Gender, OpenTo

from .helpers import citizen, initiative, snapshot

YEAR = 2026
GENDERS = [None, *Gender]
BIRTH_YEARS = [None, 2010, 2008, 1990, 1961, 1960]  # ages 16, 18, 36, 65, 66
RANGES = [(None, None), (18, None), (None, 65), (18, 65), (16, 16)]


@pytest.mark.parametrize(("open_to", "gender", "expected"), [
    (OpenTo.EVERYONE, None, None),
    (OpenTo.WOMEN, Gender.WOMAN, None),
    (OpenTo.WOMEN, Gender.MAN, Refusal.WOMEN_ONLY),
    (OpenTo.WOMEN, Gender.OTHER, Refusal.WOMEN_ONLY),
    (OpenTo.WOMEN, Gender.RATHER_NOT_SAY, Refusal.WOMEN_ONLY),
    (OpenTo.WOMEN, None, Refusal.GENDER_NOT_GIVEN),
    (OpenTo.MEN, Gender.WOMAN, Refusal.MEN_ONLY),
    (OpenTo.MEN, Gender.MAN, None),
])
def test_the_group_rule(open_to, gender, expected):
    assert why_not_open(open_to, None, None, gender, 1980, year=YEAR) is expected


def test_the_age_rule_counts_the_age_reached_this_year_and_needs_a_birth_year():
    assert why_not_open("everyone", 18, 65, None, 2008, year=YEAR) is None  # 18 this year
    assert why_not_open("everyone", 18, 65, None, 2009, year=YEAR) is Refusal.TOO_YOUNG
    assert why_not_open("everyone", 18, 65, None, 1961, year=YEAR) is None  # 65
    assert why_not_open("everyone", 18, 65, None, 1960, year=YEAR) is Refusal.TOO_OLD
    assert why_not_open("everyone", None, 65, None, None, year=YEAR) is Refusal.BIRTH_YEAR_NOT_GIVEN
    assert why_not_open("everyone", None, None, None, None, year=YEAR) is None


def test_birth_years_are_not_in_the_future_nor_older_than_the_oldest_age():
    years = birth_years(YEAR)
    assert YEAR in years and YEAR + 1 not in years
    assert YEAR - 120 in years and YEAR - 121 not in years


def test_the_engine_filter_agrees_with_the_rule_for_every_combination():
    people = [citizen(n, gender=g, birth_year=b)
              for n, (g, b) in enumerate(itertools.product(GENDERS, BIRTH_YEARS), start=1)]
    groups = [initiative(n, open_to=o, min_age=low, max_age=high)
              for n, (o, (low, high)) in enumerate(itertools.product(OpenTo, RANGES), start=1)]
    world = engine.Snapshot(snapshot([], []).neighbourhoods, people, groups, snapshot([], []).weights, year=YEAR)
    allowed = engine.open_to_them(world, world.citizens.take(np.arange(len(people))[:, None]), world.initiatives)
    for c_row, person in enumerate(people):
        for i_row, group in enumerate(groups):
            rule = why_not_open(group.open_to, group.min_age, group.max_age, person.gender, person.birth_year,
                                year=YEAR)
            assert bool(allowed[c_row, i_row]) == (rule is None), (person, group)


def test_a_women_only_initiative_gets_no_man_and_nobody_unknown_in_candidates_suggestions_or_plan():
    woman = citizen(1, gender=Gender.WOMAN)
    man = citizen(2, gender=Gender.MAN)
    unsaid = citizen(3)
    sports = initiative(10, open_to=OpenTo.WOMEN, active=0, places_taken=0)
    world = snapshot([woman, man, unsaid], [sports])
    assert [m.citizen_id for m in engine.candidates_for_initiative(world, sports)] == [1]
    assert engine.suggest_for_citizen(world, man) == []
    assert engine.suggest_for_citizen(world, unsaid) == []
    assert [m.initiative_id for m in engine.suggest_for_citizen(world, woman)] == [10]
    assert engine.explain(world, man, sports) is None
    chosen = plan.build_plan(world)
    assert [(row.citizen_id, row.initiative_id) for row in chosen.rows] == [(1, 10)]


def test_an_age_range_leaves_out_those_outside_it_and_those_without_a_birth_year():
    young, old, unknown = citizen(1, birth_year=YEAR - 20), citizen(2, birth_year=YEAR - 70), citizen(3)
    seniors = initiative(10, min_age=55, active=0, places_taken=0)
    world = engine.Snapshot(snapshot([], []).neighbourhoods, [young, old, unknown], [seniors],
                            snapshot([], []).weights, year=YEAR)
    assert [m.citizen_id for m in engine.candidates_for_initiative(world, seniors)] == [2]


def test_a_snapshot_file_keeps_who_is_open_to_what_and_the_year(tmp_path):
    from coprod_match.matching.store import load_snapshot, write_snapshot

    sports = initiative(10, open_to=OpenTo.WOMEN, max_age=40, active=0, places_taken=0)
    people = [citizen(1, gender=Gender.WOMAN, birth_year=1995), citizen(2, gender=Gender.WOMAN, birth_year=1970),
              citizen(3, gender=Gender.MAN, birth_year=1995)]
    built = engine.Snapshot(snapshot([], []).neighbourhoods, people, [sports], snapshot([], []).weights, year=YEAR)
    path = str(tmp_path / "snapshot.bin")
    write_snapshot(built, path)
    mapped, _meta = load_snapshot(path)
    assert mapped.year == YEAR
    assert [m.citizen_id for m in engine.candidates_for_initiative(mapped, sports)] == [1]
