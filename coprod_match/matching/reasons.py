"""Why a pair fits, as reason codes with parameters, strongest first.

The engine scores pairs in bulk; this turns one scored pair into the few
facts a person can check ("you speak Turkish, like the people here"). The
words come later, at render time, in the reader's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .facts import LEVELS, Reason

if TYPE_CHECKING:
    from .engine import CitizenColumns, Evaluation, InitiativeColumns, Snapshot


def reasons(
    snapshot: Snapshot,
    result: Evaluation,
    at: int,
    citizen: CitizenColumns,
    initiative: InitiativeColumns,
) -> tuple[Reason, ...]:
    """Why pair number `at` of `result` fits; `citizen`/`initiative` are that pair's one-row columns."""
    w = snapshot.weights
    found: list[tuple[float, Reason]] = []
    if result.language[at] > 0:
        level, code = _best_shared_language(snapshot, citizen, initiative)
        found.append((w.language * result.language[at], Reason("language", {"language": code, "level": level})))
    if result.dutch_practice[at]:
        found.append((w.dutch_practice, Reason("dutch_practice")))
    c_place, i_place = int(citizen.place[0]), int(initiative.place[0])
    if c_place == i_place and c_place != snapshot.unknown_place:
        found.append((w.distance, Reason("same_neighbourhood", {"neighbourhood": snapshot.neighbourhoods[c_place].name})))
    elif result.place[at] > 0:
        metres = int(np.rint(snapshot.km[c_place, i_place] * 10)) * 100
        found.append((w.distance * result.place[at], Reason("nearby", {"metres": metres})))
    shared_interests = int(citizen.interests[0] & initiative.interests[0])
    if shared_interests:
        codes = [code for code in snapshot.interest_codes if shared_interests >> snapshot.interest_bit[code] & 1]
        found.append((w.interests * result.interests[at], Reason("interests", {"interests": codes})))
    common = int(citizen.slots[0] & initiative.slots[0])
    if common:
        found.append((w.time * result.time[at], Reason("time", {"slots": common})))
    if bool(initiative.at_risk[0]):
        active = int(initiative.active[0])
        code = "no_volunteers" if active == 0 else "one_volunteer" if active == 1 else "below_minimum"
        found.append((w.at_risk, Reason(code, {"active": active, "minimum": int(initiative.volunteers_min[0])})))
    else:
        open_places = int(initiative.open_places[0])
        if open_places > 0:
            found.append((w.need * 0.5, Reason("open_places", {"open": open_places})))
    if int(citizen.load_count[0]) == 0:
        found.append((0.0, Reason("free_to_start")))
    found.sort(key=lambda item: -item[0])
    return tuple(reason for _, reason in found)


def _best_shared_language(
    snapshot: Snapshot, citizen: CitizenColumns, initiative: InitiativeColumns
) -> tuple[str, str]:
    bridge = int(initiative.bridge_languages[0])
    for level in LEVELS:
        shared = int(getattr(citizen, level)[0]) & bridge
        if shared:
            bit = (shared & -shared).bit_length() - 1
            return level, snapshot.language_codes[bit]
    raise AssertionError("no shared language")  # pragma: no cover - guarded by the caller
