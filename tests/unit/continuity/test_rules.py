"""Every continuity rule at its thresholds, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.continuity.rules import (
    ActivePlacementFacts,
    CitizenLimits,
    InitiativeFacts,
    Snapshot,
    Thresholds,
    condition_key,
    ending_soon_condition,
    evaluate,
    inactive_condition,
    local_date,
    no_contact_condition,
    overload_conditions,
    staffing_condition,
)
from coprod_match.models import AlertKind

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
TODAY = local_date(NOW)
T = Thresholds(ending_soon_days=30, inactive_weeks=8, max_initiatives_cap=4, max_hours_cap=16)


def initiative(active=2, *, minimum=1, status="open", contacts=1, end_date=None, ident=1,
               joined=None, left=None) -> InitiativeFacts:
    return InitiativeFacts(
        id=ident, status=status, volunteers_min=minimum, volunteers_ideal=max(minimum, 5),
        end_date=end_date, active_volunteers=active, active_contacts=contacts,
        last_joined_at=joined, last_left_at=left,
    )


def placement(ident=1, *, citizen=10, initiative_id=1, hours=2, last=NOW) -> ActivePlacementFacts:
    return ActivePlacementFacts(ident, citizen, initiative_id, hours, last)


# --- staffing: none, one, below the minimum -----------------------------------------------


def test_exactly_one_active_volunteer_is_the_single_volunteer_alert():
    condition = staffing_condition(initiative(active=1))
    assert condition.kind == AlertKind.SINGLE_VOLUNTEER
    assert condition.key == "single_volunteer:i1"
    assert condition.initiative_id == 1 and condition.citizen_id is None


def test_two_active_volunteers_meeting_the_minimum_raise_nothing():
    assert staffing_condition(initiative(active=2, minimum=2)) is None


def test_single_volunteer_is_the_most_severe_kind():
    single = staffing_condition(initiative(active=1))
    others = [staffing_condition(initiative(active=0)),
              staffing_condition(initiative(active=2, minimum=3)),
              no_contact_condition(initiative(contacts=0))]
    assert all(single.severity > other.severity for other in others)


def test_single_volunteer_holds_even_when_one_is_the_minimum():
    assert staffing_condition(initiative(active=1, minimum=1)).kind == AlertKind.SINGLE_VOLUNTEER


def test_single_volunteer_since_is_the_later_of_joining_and_someone_leaving():
    joined = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    left = dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
    condition = staffing_condition(initiative(active=1, joined=joined, left=left))
    assert condition.details["since"] == left.isoformat()
    condition = staffing_condition(initiative(active=1, joined=left, left=joined))
    assert condition.details["since"] == left.isoformat()


def test_no_active_volunteers():
    condition = staffing_condition(initiative(active=0))
    assert condition.kind == AlertKind.NO_VOLUNTEERS
    assert condition.details["active"] == 0


@pytest.mark.parametrize(("active", "minimum", "expected"), [
    (2, 3, AlertKind.BELOW_MINIMUM),   # one short
    (3, 3, None),                      # exactly the minimum
    (4, 3, None),
    (1, 3, AlertKind.SINGLE_VOLUNTEER),  # one volunteer is its own, sharper alert
    (0, 3, AlertKind.NO_VOLUNTEERS),
])
def test_below_minimum_at_its_threshold(active, minimum, expected):
    condition = staffing_condition(initiative(active=active, minimum=minimum))
    assert (condition.kind if condition else None) == expected


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_staffing_is_only_watched_for_open_initiatives(status):
    assert staffing_condition(initiative(active=1, status=status)) is None


# --- contacts ------------------------------------------------------------------------------


def test_no_current_contact_professional():
    assert no_contact_condition(initiative(contacts=0)).kind == AlertKind.NO_CONTACT
    assert no_contact_condition(initiative(contacts=1)) is None


def test_a_paused_initiative_still_needs_a_contact_but_a_closed_one_does_not():
    assert no_contact_condition(initiative(contacts=0, status="paused")) is not None
    assert no_contact_condition(initiative(contacts=0, status="closed")) is None
    assert no_contact_condition(initiative(contacts=0, status="draft")) is None


# --- end date -----------------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "alert"), [
    (31, False),  # one day outside the window
    (30, True),   # exactly N days
    (1, True),
    (0, True),    # ends today
    (-1, False),  # already ended: that is not "soon"
])
def test_ending_soon_at_exactly_n_days(days_left, alert):
    end = TODAY + dt.timedelta(days=days_left)
    condition = ending_soon_condition(initiative(end_date=end), TODAY, T)
    assert (condition is not None) == alert
    if alert:
        assert condition.details == {"end_date": end.isoformat()}


def test_no_end_date_never_ends_soon():
    assert ending_soon_condition(initiative(end_date=None), TODAY, T) is None


def test_today_is_the_date_in_the_hague():
    late_evening_utc = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)  # already 4 March there
    assert local_date(late_evening_utc) == dt.date(2026, 3, 4)


# --- volunteer load -------------------------------------------------------------------------


def limits(citizen=10, max_initiatives=2, max_hours=None):
    return {citizen: CitizenLimits(citizen, max_initiatives, max_hours)}


def test_active_in_exactly_their_own_maximum_is_fine_one_more_is_overload():
    two = [placement(1, initiative_id=1), placement(2, initiative_id=2)]
    assert overload_conditions(two, limits(max_initiatives=2), T) == []
    three = [*two, placement(3, initiative_id=3)]
    [condition] = overload_conditions(three, limits(max_initiatives=2), T)
    assert condition.kind == AlertKind.VOLUNTEER_OVERLOAD
    assert condition.key == "volunteer_overload:c10"
    assert condition.citizen_id == 10 and condition.initiative_id is None
    assert condition.details["initiatives"] == 3 and condition.details["max_initiatives"] == 2


def test_hours_over_their_own_weekly_limit():
    rows = [placement(1, initiative_id=1, hours=3), placement(2, initiative_id=2, hours=3)]
    assert overload_conditions(rows, limits(max_hours=6), T) == []
    [condition] = overload_conditions(rows, limits(max_hours=5), T)
    assert condition.details["hours"] == 6 and condition.details["max_hours"] == 5


def test_the_global_caps_apply_even_when_a_citizen_allows_more():
    caps = Thresholds(max_initiatives_cap=2, max_hours_cap=10)
    rows = [placement(i, initiative_id=i, hours=1) for i in (1, 2, 3)]
    [condition] = overload_conditions(rows, limits(max_initiatives=10), caps)
    assert condition.details["max_initiatives"] == 2
    heavy = [placement(1, initiative_id=1, hours=6), placement(2, initiative_id=2, hours=5)]
    assert overload_conditions(heavy, limits(max_initiatives=10, max_hours=40), caps)
    assert not overload_conditions(heavy[:1], limits(max_initiatives=10, max_hours=40), caps)


def test_citizens_are_counted_separately():
    rows = [placement(1, citizen=10, initiative_id=1), placement(2, citizen=11, initiative_id=2),
            placement(3, citizen=10, initiative_id=3)]
    assert overload_conditions(rows, {**limits(10, 2), **limits(11, 1)}, T) == []


# --- inactivity -----------------------------------------------------------------------------


def test_inactive_at_exactly_n_weeks_not_a_second_before():
    at_threshold = placement(last=NOW - dt.timedelta(weeks=8))
    just_inside = placement(last=NOW - dt.timedelta(weeks=8) + dt.timedelta(seconds=1))
    condition = inactive_condition(at_threshold, NOW, T)
    assert condition.kind == AlertKind.VOLUNTEER_INACTIVE
    assert condition.key == "volunteer_inactive:p1"
    assert (condition.initiative_id, condition.citizen_id) == (1, 10)
    assert inactive_condition(just_inside, NOW, T) is None


def test_never_any_activity_counts_as_inactive():
    assert inactive_condition(placement(last=None), NOW, T) is not None


# --- all together ----------------------------------------------------------------------------


def test_evaluate_returns_every_condition_keyed_and_nothing_for_healthy_initiatives():
    snapshot = Snapshot(
        initiatives=(
            initiative(active=1, ident=1, contacts=0, end_date=TODAY + dt.timedelta(days=3)),
            initiative(active=3, minimum=2, ident=2),
        ),
        active_placements=(placement(1, initiative_id=1, last=NOW - dt.timedelta(weeks=9)),),
        citizen_limits=limits(),
    )
    conditions = evaluate(snapshot, NOW, T)
    assert set(conditions) == {
        "single_volunteer:i1", "no_contact:i1", "ending_soon:i1", "volunteer_inactive:p1"
    }
    assert all(key == condition.key for key, condition in conditions.items())


def test_condition_keys_name_their_subject():
    assert condition_key(AlertKind.NO_CONTACT, initiative_id=5) == "no_contact:i5"
    assert condition_key(AlertKind.VOLUNTEER_OVERLOAD, citizen_id=5) == "volunteer_overload:c5"
    assert condition_key(AlertKind.VOLUNTEER_INACTIVE, initiative_id=1, placement_id=5) == (
        "volunteer_inactive:p5"
    )
