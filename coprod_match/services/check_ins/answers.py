"""A volunteer's answer to the monthly check-in, and when it is whole: plain data, no Flask, no session.

The three scales are asked of everyone who still helps or pauses; someone who
stopped may leave them empty (they are leaving, and owe us no marks). The
rules are here once, so a page and a later API refuse the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import SCALE_MAX, SCALE_MIN, Limits, StillHelping

SCALES = ("appreciated", "supported", "too_much")

# Why an answer is refused, per field (the page words them; the codes stay stable).
MISSING = "missing"
OFF_SCALE = "off_scale"
TOO_LONG = "too_long"


@dataclass(frozen=True)
class VolunteerAnswer:
    still_helping: StillHelping
    appreciated: int | None = None
    supported: int | None = None
    too_much: int | None = None
    comment: str | None = None


def answer_problems(answer: VolunteerAnswer) -> dict[str, str]:
    """Field name -> why it is not right (MISSING, OFF_SCALE, TOO_LONG); empty when the answer is whole."""
    problems: dict[str, str] = {}
    scales_needed = answer.still_helping != StillHelping.STOPPED
    for name in SCALES:
        value = getattr(answer, name)
        if value is None:
            if scales_needed:
                problems[name] = MISSING
        elif not SCALE_MIN <= value <= SCALE_MAX:
            problems[name] = OFF_SCALE
    if answer.comment is not None and len(answer.comment) > Limits.CHECK_IN_COMMENT:
        problems["comment"] = TOO_LONG
    return problems
