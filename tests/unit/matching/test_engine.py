"""Hand-built cases that pin what the engine suggests, and what it never suggests."""

from __future__ import annotations

from coprod_match.matching import load
from coprod_match.matching.engine import candidates_for_initiative, explain, suggest_for_citizen
from coprod_match.models import LIVE_STATES, PlacementState
from coprod_match.schedule import slots_to_mask
from coprod_match.services.placements import PLACE_HOLDING_STATES

from .helpers import (
    BENOORDENHOUT,
    SCHILDERSWIJK,
    TRANSVAAL,
    TUE_MORNING,
    citizen,
    initiative,
    snapshot,
)

DAY_CARE = initiative(1, languages=frozenset({"nl", "tr"}), interests=frozenset({"care"}))


def test_turkish_speaker_in_schilderswijk_ranks_first_for_turkish_day_care():
    ayse = citizen(10, languages={"tr": "native", "nl": "basic"}, interests=frozenset({"care"}))
    others = [
        citizen(11, languages={"nl": "native"}, interests=frozenset({"care"})),
        citizen(12, languages={"tr": "basic"}, neighbourhood_id=BENOORDENHOUT),
        citizen(13, languages={"ar": "native"}, neighbourhood_id=TRANSVAAL),
    ]
    world = snapshot([*others, ayse], [DAY_CARE, initiative(2, neighbourhood_id=BENOORDENHOUT)])
    ranked = candidates_for_initiative(world, DAY_CARE, limit=10)
    assert ranked[0].citizen_id == 10
    codes = [reason.code for reason in ranked[0].reasons]
    assert codes[0] == "language"
    assert ranked[0].reasons[0].params == {"language": "tr", "level": "native"}
    assert "same_neighbourhood" in codes and "time" in codes and "interests" in codes
    # And the other way round: the day care is her first suggestion.
    assert suggest_for_citizen(world, ayse, limit=3)[0].initiative_id == 1


def test_at_risk_initiative_ranks_above_a_well_staffed_one():
    person = citizen(10)
    thin = initiative(1, active=1, places_taken=1)
    staffed = initiative(2, active=2, places_taken=2, volunteers_ideal=4, volunteers_min=2)
    ranked = suggest_for_citizen(snapshot([person], [staffed, thin]), person, limit=2)
    assert [m.initiative_id for m in ranked] == [1, 2]
    assert ranked[0].reasons and "one_volunteer" in [r.code for r in ranked[0].reasons]


def test_load_lowers_the_score_so_work_is_spread():
    busy = citizen(10, load_count=1, max_initiatives=2)
    free = citizen(11)
    ranked = candidates_for_initiative(snapshot([busy, free], [DAY_CARE]), DAY_CARE, limit=2)
    assert [m.citizen_id for m in ranked] == [11, 10]


def test_distance_decays_and_reason_gives_metres():
    person = citizen(10, neighbourhood_id=TRANSVAAL)
    world = snapshot([person], [DAY_CARE])
    match = explain(world, person, DAY_CARE)
    nearby = next(r for r in match.reasons if r.code == "nearby")
    assert 800 <= nearby.params["metres"] <= 1200


def test_dutch_practice_where_learners_are_welcome():
    learner = citizen(10, languages={"ar": "native", "nl": "basic"}, wants_to_practise_dutch=True)
    welcoming = initiative(1, welcomes_dutch_learners=True)
    assert "dutch_practice" in [r.code for r in explain(snapshot([learner], [welcoming]), learner, welcoming).reasons]


def _never_matched(person, project) -> None:
    world = snapshot([person], [project])
    assert explain(world, person, project, require_consent=True) is None
    assert suggest_for_citizen(world, person) == [] or project.id in person.blocked_initiatives or not (
        person.consent_to_contact
    )
    assert candidates_for_initiative(world, project) == []


def test_hard_filters_are_never_broken():
    base = initiative(1)
    _never_matched(citizen(10, availability_slots=slots_to_mask([("sun", "evening")])), base)
    _never_matched(citizen(10, load_count=2, max_initiatives=2), base)
    _never_matched(citizen(10, max_hours_per_week=3, load_hours=2), initiative(1, hours_per_week=2))
    _never_matched(citizen(10), initiative(1, is_open=False))
    _never_matched(citizen(10), initiative(1, places_taken=3, volunteers_ideal=3))
    _never_matched(citizen(10, consent_to_contact=False), base)
    _never_matched(citizen(10, blocked_initiatives=frozenset({1})), base)
    _never_matched(citizen(10), initiative(1, blocked_citizens=frozenset({10})))


def test_no_consent_still_sees_own_suggestions_but_is_never_a_candidate():
    shy = citizen(10, consent_to_contact=False)
    world = snapshot([shy], [DAY_CARE])
    assert [m.initiative_id for m in suggest_for_citizen(world, shy)] == [1]
    assert candidates_for_initiative(world, DAY_CARE) == []


def test_state_names_agree_with_the_state_machine():
    assert {str(s) for s in LIVE_STATES} == load.LIVE
    assert {str(s) for s in PLACE_HOLDING_STATES} == load.PLACE_HOLDING
    assert {str(s) for s in PlacementState} - load.LIVE == load.TURNED_AWAY


def test_recently_turned_away_blocks_but_old_history_does_not():
    import datetime as dt

    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rows = [
        load.PlacementRow(1, 7, "declined", now - dt.timedelta(days=10)),
        load.PlacementRow(1, 8, "ended", now - dt.timedelta(days=400)),
        load.PlacementRow(1, 9, "active", now - dt.timedelta(days=400)),
    ]
    summary = load.summarise_placements(rows, {9: 3}, now=now, turned_away_days=90)
    assert summary.blocked[1] == {7, 9}
    assert summary.load_count[1] == 1 and summary.load_hours[1] == 3
    assert summary.active[9] == 1 and summary.places_taken[9] == 1


def test_tuesday_reason_lists_the_shared_slot():
    person = citizen(10)
    match = explain(snapshot([person], [DAY_CARE]), person, DAY_CARE)
    assert [r.params for r in match.reasons if r.code == "time"] == [{"slots": TUE_MORNING}]
    assert DAY_CARE.neighbourhood_id == SCHILDERSWIJK


def test_a_perfect_pair_fits_100_of_100_and_others_less():
    """Pages show scores out of 100 against `highest_score`: it must be what `evaluate` can reach."""
    from coprod_match.matching.engine import fit_out_of_100, highest_score
    from coprod_match.matching.facts import Weights

    at_risk_day_care = initiative(1, languages=frozenset({"nl", "tr"}), interests=frozenset({"care"}),
                                  welcomes_dutch_learners=True, active=0, places_taken=0)
    perfect = citizen(10, languages={"tr": "native"}, interests=frozenset({"care"}),
                      availability_slots=TUE_MORNING, wants_to_practise_dutch=True)
    world = snapshot([perfect], [at_risk_day_care])
    best = explain(world, perfect, at_risk_day_care)
    assert abs(best.score - highest_score(Weights())) < 1e-4
    assert fit_out_of_100(best.score, Weights()) == 100
    far_and_basic = citizen(11, languages={"tr": "basic"}, neighbourhood_id=BENOORDENHOUT)
    assert 0 < fit_out_of_100(explain(world, far_and_basic, at_risk_day_care).score, Weights()) < 60
    assert fit_out_of_100(-1.0, Weights()) == 0 and fit_out_of_100(99.0, Weights()) == 100
