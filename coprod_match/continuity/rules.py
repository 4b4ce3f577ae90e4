"""Continuity rules: which conditions hold, as pure functions on plain data.

No Flask, no session. `evaluate(snapshot, now, thresholds)` returns every
condition that holds right now, keyed by a stable `condition_key`; the scan
(`scan.py`) compares that with the stored alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..vocabulary import LOCAL_ZONE, AlertKind

if TYPE_CHECKING:
    from .check_in_rules import ContactAnswer, InitiativeAnswering, VolunteerAnswer

K = AlertKind

# Higher is more urgent. One volunteer is the article's sharpest warning: it comes first.
SEVERITY: Mapping[AlertKind, int] = {
    K.SINGLE_VOLUNTEER: 4,
    K.NO_VOLUNTEERS: 3,
    K.NO_CONTACT: 3,
    K.BELOW_MINIMUM: 2,
    K.VOLUNTEER_OVERLOAD: 2,
    K.ENDING_SOON: 1,
    K.VOLUNTEER_INACTIVE: 1,
    # Strain is a person close to stopping: as important as overload, which it often follows.
    K.VOLUNTEER_STRAIN: 2,
    K.CONTACT_STRAIN: 2,
    # Silence may be holidays or a lost mail address; worth a look, not a rush.
    K.CHECK_INS_UNANSWERED: 1,
}

# Initiative statuses whose continuity is watched. A paused initiative still needs a contact.
STAFFING_WATCHED = frozenset({"open"})
CONTACT_WATCHED = frozenset({"open", "paused"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    ending_soon_days: int = 30
    inactive_weeks: int = 8
    # Global caps on one volunteer's load, on top of the citizen's own limits.
    max_initiatives_cap: int = 4
    max_hours_cap: int = 16
    # Monthly check-ins (continuity/check_in_rules.py), on the five-point scales.
    strain_high: int = 4  # "It is too much for me" this high, twice in a row
    strain_low: int = 2  # "appreciated" or "supported" this low, twice in a row
    sharp_fall: float = 1.5  # a fall of the mean of the three scales at least this big
    unanswered_share: float = 0.5  # more than this share answered neither of two months


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


@dataclass(frozen=True, slots=True)
class Condition:
    """One problem that holds now. Equal keys mean the same problem across scans."""

    kind: AlertKind
    key: str
    initiative_id: int | None = None
    citizen_id: int | None = None
    # Plain JSON values only (numbers, strings, ISO dates): stored on the alert for its wording.
    details: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> int:
        return SEVERITY[self.kind]


def condition_key(kind: AlertKind, *, initiative_id=None, citizen_id=None, placement_id=None,
                  professional_id=None) -> str:
    """Stable identity of a condition, e.g. 'single_volunteer:i12', 'volunteer_inactive:p7' or
    'contact_strain:i12:u5' (one contact professional of one initiative)."""
    if placement_id is not None:
        return f"{kind}:p{placement_id}"
    if initiative_id is not None and professional_id is not None:
        return f"{kind}:i{initiative_id}:u{professional_id}"
    if initiative_id is not None:
        return f"{kind}:i{initiative_id}"
    return f"{kind}:c{citizen_id}"


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
    # Imported here: the check-in rules build on this module's Condition and Thresholds.
    from . import check_in_rules

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
