"""What a continuity rule finds: a condition with a stable key, its urgency, and the thresholds.

Shared by the rules on head counts and dates (`rules.py`) and those on the
monthly check-ins (`check_in_rules.py`). Plain data; no Flask, no session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..vocabulary import AlertKind

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
