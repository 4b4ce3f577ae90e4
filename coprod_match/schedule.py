"""The weekly grid (7 days x morning/afternoon/evening) as a 21-bit mask.

Citizens' availability and initiatives' schedules share this encoding, so
"do they overlap?" is a single AND, in Python, numpy or SQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY = ("morning", "afternoon", "evening")
SLOT_COUNT = len(DAYS) * len(PARTS_OF_DAY)
SLOT_MASK_ALL = (1 << SLOT_COUNT) - 1


def slot_bit(day: str, part: str) -> int:
    """The bit for one day and part of the day."""
    return 1 << (DAYS.index(day) * len(PARTS_OF_DAY) + PARTS_OF_DAY.index(part))


def slots_to_mask(slots: Iterable[tuple[str, str]]) -> int:
    mask = 0
    for day, part in slots:
        mask |= slot_bit(day, part)
    return mask


def mask_to_slots(mask: int) -> list[tuple[str, str]]:
    return [(day, part) for day in DAYS for part in PARTS_OF_DAY if mask & slot_bit(day, part)]


def slot_key(day: str, part: str) -> str:
    """Form field value for one slot, e.g. 'tue-morning'."""
    return f"{day}-{part}"


def parse_slot_keys(keys: Iterable[str]) -> int:
    """Mask from form values like 'tue-morning'; unknown values are ignored."""
    mask = 0
    for key in keys:
        day, _, part = key.partition("-")
        if day in DAYS and part in PARTS_OF_DAY:
            mask |= slot_bit(day, part)
    return mask
