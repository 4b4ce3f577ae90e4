"""The check-in rules at their thresholds, on plain data (no app, no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from config import BaseConfig
from coprod_match.continuity.check_in_rules import (
    ContactAnswer,
    InitiativeAnswering,
    VolunteerAnswer,
    contact_strain_conditions,
    months_before,
    unanswered_condition,
    volunteer_strain_conditions,
    well_being,
)
from coprod_match.continuity.rules import Snapshot, Thresholds, evaluate
from coprod_match.continuity.scan import thresholds_from_config
from coprod_match.models import AlertKind

T = Thresholds()
TODAY = dt.date(2026, 3, 3)
DEC, JAN, FEB, MAR = dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def answer(month, appreciated=4, supported=4, too_much=2, *, placement=7) -> VolunteerAnswer:
    return VolunteerAnswer(placement, 30, 3, month, "yes", appreciated, supported, too_much)


def strain(*answers, thresholds=T):
    return volunteer_strain_conditions(answers, thresholds)


def test_the_thresholds_come_from_the_configuration():
    defaults = {key: getattr(BaseConfig, key) for key in dir(BaseConfig) if key.startswith("CONTINUITY_")}
    assert thresholds_from_config(defaults) == Thresholds()
    changed = thresholds_from_config({**defaults, "CONTINUITY_STRAIN_HIGH": "5", "CONTINUITY_STRAIN_LOW": "1",
                                      "CONTINUITY_SHARP_FALL": "2.5", "CONTINUITY_UNANSWERED_SHARE": "0.75"})
    assert (changed.strain_high, changed.strain_low, changed.sharp_fall, changed.unanswered_share) == (
        5, 1, 2.5, 0.75)


@pytest.mark.parametrize(("earlier", "latest", "reasons"), [
    ({"too_much": 4}, {"too_much": 4}, ["too_much"]),
    ({"too_much": 3}, {"too_much": 5}, []),  # only once high
    ({"appreciated": 2}, {"appreciated": 2}, ["not_appreciated"]),
    ({"appreciated": 3}, {"appreciated": 2}, []),
    ({"supported": 1}, {"supported": 2}, ["not_supported"]),
    ({"supported": 2, "too_much": 5}, {"supported": 1, "too_much": 4}, ["too_much", "not_supported"]),
    ({}, {}, []),
])
def test_two_answers_in_a_row(earlier, latest, reasons):
    found = strain(answer(JAN, **earlier), answer(FEB, **latest))
    assert [c.details["reasons"] for c in found] == ([reasons] if reasons else [])


def test_a_sharp_fall_of_the_mean_well_being():
    # Means of three whole numbers move in thirds: from 5 (5, 5, 1) a fall to 11/3 is 1.33, to 10/3 is 1.67.
    assert well_being(answer(JAN, 5, 5, 1)) == 5
    assert strain(answer(JAN, 5, 5, 1), answer(FEB, 4, 4, 3)) == []
    [found] = strain(answer(JAN, 5, 5, 1), answer(FEB, 4, 3, 3))
    assert found.details["reasons"] == ["sharp_fall"]
    assert strain(answer(JAN, 5, 5, 1), answer(FEB, 4, 4, 3), thresholds=dataclasses.replace(
        T, sharp_fall=4 / 3))[0].details["reasons"] == ["sharp_fall"]  # at the threshold exactly
    assert strain(answer(JAN, 5, 5, 1), answer(FEB, 4, 3, 3), thresholds=dataclasses.replace(
        T, sharp_fall=1.7)) == []
    assert strain(answer(JAN, 3, 3, 3), answer(FEB, 5, 4, 2)) == []  # a rise is no fall


def test_only_the_latest_two_answers_count_and_a_relaxed_answer_clears():
    held = strain(answer(DEC, too_much=5), answer(JAN, too_much=5))
    assert held and held[0].key == "volunteer_strain:p7"
    assert held[0].details["answers"][0] == {"month": "2026-01-01", "still_helping": "yes",
                                             "appreciated": 4, "supported": 4, "too_much": 5}
    assert strain(answer(DEC, too_much=5), answer(JAN, too_much=5), answer(FEB, too_much=2)) == []
    assert strain(answer(JAN, too_much=5)) == []  # one answer is not a pattern


def test_thresholds_move_the_line():
    high = dataclasses.replace(T, strain_high=5, strain_low=1)
    assert strain(answer(JAN, 2, 2, 4), answer(FEB, 2, 2, 4), thresholds=high) == []
    assert strain(answer(JAN, 1, 2, 5), answer(FEB, 1, 2, 5), thresholds=high)[0].details["reasons"] == [
        "too_much", "not_appreciated"]


def test_a_missing_scale_never_raises_strain():
    assert strain(answer(JAN, None, None, None), answer(FEB, None, None, None)) == []


def contact(month, burden="same", needs_help=False, professional=5):
    return ContactAnswer(12, professional, month, burden, needs_help)


def test_a_contact_asking_for_help_in_the_latest_answer():
    [found] = contact_strain_conditions([contact(JAN), contact(FEB, needs_help=True)], TODAY)
    assert found.key == "contact_strain:i12:u5" and found.citizen_id is None
    assert found.details == {"professional_id": 5, "reasons": ["needs_help"], "months": ["2026-02-01", "2026-01-01"]}
    assert contact_strain_conditions([contact(JAN, needs_help=True), contact(FEB)], TODAY) == []


def test_a_contact_heavier_two_months_running():
    assert contact_strain_conditions([contact(JAN, "heavier"), contact(FEB, "heavier")], TODAY)
    assert contact_strain_conditions([contact(JAN, "heavier"), contact(FEB, "same")], TODAY) == []
    # Not consecutive months (nothing answered about January), and answers too old to count.
    assert contact_strain_conditions([contact(DEC, "heavier"), contact(FEB, "heavier")], TODAY) == []
    assert contact_strain_conditions([contact(DEC, "heavier"), contact(JAN, needs_help=True)],
                                     dt.date(2026, 4, 2)) == []
    # Each professional of one initiative is their own condition.
    both = contact_strain_conditions([contact(FEB, needs_help=True), contact(FEB, needs_help=True,
                                                                             professional=6)], TODAY)
    assert sorted(c.key for c in both) == ["contact_strain:i12:u5", "contact_strain:i12:u6"]


@pytest.mark.parametrize(("answering", "opens"), [
    (InitiativeAnswering(3, 4, 4, 4, 3), True),
    (InitiativeAnswering(3, 4, 4, 4, 2), False),  # exactly half: not more than half
    (InitiativeAnswering(3, 2, 2, 2, 2), True),
    (InitiativeAnswering(3, 1, 1, 1, 1), False),  # one volunteer asked is not "most volunteers"
    (InitiativeAnswering(3, 0, 4, 0, 0), False),  # not asked two months ago
])
def test_most_volunteers_did_not_answer_for_two_months(answering, opens):
    found = unanswered_condition(answering, TODAY, T)
    assert (found is not None) is opens
    if found:
        assert found.key == "check_ins_unanswered:i3"
        assert found.details["months"] == ["2026-01-01", "2026-02-01"]


def test_the_share_comes_from_the_thresholds():
    assert unanswered_condition(InitiativeAnswering(3, 4, 4, 4, 3), TODAY,
                                dataclasses.replace(T, unanswered_share=0.75)) is None


def test_evaluate_includes_the_check_in_rules_with_their_severity():
    snapshot = Snapshot((), (), {}, volunteer_answers=(answer(JAN, too_much=5), answer(FEB, too_much=5)),
                        contact_answers=(contact(FEB, needs_help=True),),
                        answering=(InitiativeAnswering(3, 2, 2, 2, 2),))
    found = evaluate(snapshot, dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), T)
    assert {c.kind: c.severity for c in found.values()} == {
        AlertKind.VOLUNTEER_STRAIN: 2, AlertKind.CONTACT_STRAIN: 2, AlertKind.CHECK_INS_UNANSWERED: 1}


def test_months_before_crosses_the_year():
    assert months_before(JAN, 1) == DEC and months_before(MAR, 14) == dt.date(2025, 1, 1)
