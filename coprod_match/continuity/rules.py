"""Continuity rules: which conditions hold, as pure functions on plain data.

No Flask, no session. `evaluate(snapshot, now, thresholds)` returns every
condition that holds right now, keyed by a stable `condition_key`; the scan
(`scan.py`) compares that with the stored alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..vocabulary import LOCAL_ZONE, AlertKind
from . import check_in_rules
from .check_in_rules import ContactAnswer, InitiativeAnswering, VolunteerAnswer
from .conditions import Condition, Thresholds, condition_key

K = AlertKind

# Initiative statuses whose continuity is watched. A paused initiative still needs a contact.
STAFFING_WATCHED = frozenset({"open"})
CONTACT_WATCHED = frozenset({"open", "paused"})


@dataclass(frozen=True, slots=True)
class InitiativeFacts:
    id: int
    status: str
    volunteers_min: int
    volunteers_ideal: int
    end_date: dt.date | None
    active_volunteers: int
    active_contacts: int
    # Latest move into 'active', and latest move of a once-active volunteer out of it:
    # together they say since when the current number of volunteers holds.
    last_joined_at: dt.datetime | None = None
    last_left_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ActivePlacementFacts:
    id: int
    citizen_id: int
    initiative_id: int
    hours_per_week: int
    # The most recent of: becoming active, recorded activity, a check-in.
    last_activity_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CitizenLimits:
    citizen_id: int
    max_initiatives: int
    max_hours_per_week: int | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    initiatives: tuple[InitiativeFacts, ...]
    active_placements: tuple[ActivePlacementFacts, ...]
    citizen_limits: Mapping[int, CitizenLimits]
    # Monthly check-in answers (check_in_rules.py): only what the rules need.
    volunteer_answers: tuple[VolunteerAnswer, ...] = ()
    contact_answers: tuple[ContactAnswer, ...] = ()
    answering: tuple[InitiativeAnswering, ...] = ()


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def local_date(now: dt.datetime) -> dt.date:
    """Today's date in The Hague (end dates are local calendar dates)."""
    return now.astimezone(LOCAL_ZONE).date()


# --- one rule per kind -----------------------------------------------------------------------


def staffing_condition(initiative: InitiativeFacts) -> Condition | None:
    """No volunteers, exactly one, or fewer than the minimum (these exclude each other)."""
    if initiative.status not in STAFFING_WATCHED:
        return None
    count = initiative.active_volunteers
    if count == 0:
        kind = K.NO_VOLUNTEERS
        since = initiative.last_left_at
    elif count == 1:
        kind = K.SINGLE_VOLUNTEER
        since = _latest(initiative.last_joined_at, initiative.last_left_at)
    elif count < initiative.volunteers_min:
        kind = K.BELOW_MINIMUM
        since = _latest(initiative.last_joined_at, initiative.last_left_at)
    else:
        return None
    return Condition(
        kind,
        condition_key(kind, initiative_id=initiative.id),
        initiative_id=initiative.id,
        details={"active": count, "minimum": initiative.volunteers_min, "since": _iso(since)},
    )


def no_contact_condition(initiative: InitiativeFacts) -> Condition | None:
    """No professional is a contact now: turnover has orphaned the initiative."""
    if initiative.status not in CONTACT_WATCHED or initiative.active_contacts > 0:
        return None
    return Condition(
        K.NO_CONTACT, condition_key(K.NO_CONTACT, initiative_id=initiative.id),
        initiative_id=initiative.id,
    )


def ending_soon_condition(
    initiative: InitiativeFacts, today: dt.date, thresholds: Thresholds
) -> Condition | None:
    """The end date (often the end of short-term funding) is within N days, today included."""
    if initiative.status not in CONTACT_WATCHED or initiative.end_date is None:
        return None
    days_left = (initiative.end_date - today).days
    if not 0 <= days_left <= thresholds.ending_soon_days:
        return None
    return Condition(
        K.ENDING_SOON, condition_key(K.ENDING_SOON, initiative_id=initiative.id),
        initiative_id=initiative.id,
        details={"end_date": initiative.end_date.isoformat()},
    )


def overload_conditions(
    placements: Iterable[ActivePlacementFacts],
    limits: Mapping[int, CitizenLimits],
    thresholds: Thresholds,
) -> list[Condition]:
    """Citizens active in more initiatives, or more hours a week, than they or we allow."""
    by_citizen: dict[int, list[ActivePlacementFacts]] = defaultdict(list)
    for placement in placements:
        by_citizen[placement.citizen_id].append(placement)
    conditions = []
    for citizen_id, own in by_citizen.items():
        limit = limits.get(citizen_id)
        max_initiatives = thresholds.max_initiatives_cap
        max_hours = thresholds.max_hours_cap
        if limit is not None:
            max_initiatives = min(max_initiatives, limit.max_initiatives)
            if limit.max_hours_per_week is not None:
                max_hours = min(max_hours, limit.max_hours_per_week)
        initiatives = len({p.initiative_id for p in own})
        hours = sum(p.hours_per_week for p in own)
        if initiatives <= max_initiatives and hours <= max_hours:
            continue
        conditions.append(Condition(
            K.VOLUNTEER_OVERLOAD, condition_key(K.VOLUNTEER_OVERLOAD, citizen_id=citizen_id),
            citizen_id=citizen_id,
            details={"initiatives": initiatives, "max_initiatives": max_initiatives,
                     "hours": hours, "max_hours": max_hours},
        ))
    return conditions


def inactive_condition(
    placement: ActivePlacementFacts, now: dt.datetime, thresholds: Thresholds
) -> Condition | None:
    """An active volunteer with nothing recorded for N weeks or more."""
    last = placement.last_activity_at
    if last is not None and now - last < dt.timedelta(weeks=thresholds.inactive_weeks):
        return None
    return Condition(
        K.VOLUNTEER_INACTIVE, condition_key(K.VOLUNTEER_INACTIVE, placement_id=placement.id),
        initiative_id=placement.initiative_id,
        citizen_id=placement.citizen_id,
        details={"placement_id": placement.id, "last_activity": _iso(last)},
    )


def evaluate(snapshot: Snapshot, now: dt.datetime, thresholds: Thresholds) -> dict[str, Condition]:
    """Every condition that holds at `now`, keyed by condition key."""
    today = local_date(now)
    found: list[Condition | None] = []
    for initiative in snapshot.initiatives:
        found.append(staffing_condition(initiative))
        found.append(no_contact_condition(initiative))
        found.append(ending_soon_condition(initiative, today, thresholds))
    found.extend(overload_conditions(snapshot.active_placements, snapshot.citizen_limits, thresholds))
    found.extend(inactive_condition(p, now, thresholds) for p in snapshot.active_placements)
    found.extend(check_in_rules.volunteer_strain_conditions(snapshot.volunteer_answers, thresholds))
    found.extend(check_in_rules.contact_strain_conditions(snapshot.contact_answers, today))
    found.extend(check_in_rules.unanswered_condition(a, today, thresholds) for a in snapshot.answering)
    return {condition.key: condition for condition in found if condition is not None}
