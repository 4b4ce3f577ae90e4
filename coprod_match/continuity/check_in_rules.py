"""Rules that turn monthly check-in answers into alerts, as pure functions on plain data.

The dissertation behind the article: volunteers who feel unappreciated or
unsupported drop out, and professionals who feel the burden grow stop.
These rules catch both early, and an initiative whose volunteers stopped
answering (silence is a signal too). No Flask, no session: `rules.evaluate`
calls these with what `scan.py` loaded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..vocabulary import SCALE_MAX, SCALE_MIN, AlertKind, Burden
from .conditions import Condition, Thresholds, condition_key

K = AlertKind


@dataclass(frozen=True, slots=True)
class VolunteerAnswer:
    """One answered monthly check-in of a volunteer (only the latest two per placement are loaded)."""

    placement_id: int
    citizen_id: int
    initiative_id: int
    month: dt.date
    still_helping: str
    appreciated: int | None
    supported: int | None
    too_much: int | None


@dataclass(frozen=True, slots=True)
class ContactAnswer:
    """One answered monthly check-in of a contact professional about one initiative."""

    initiative_id: int
    professional_id: int
    month: dt.date
    burden: str | None
    needs_help: bool | None


@dataclass(frozen=True, slots=True)
class InitiativeAnswering:
    """How the volunteers of one initiative answered in the two months before the current one."""

    initiative_id: int
    asked_earlier: int  # volunteers asked two months ago
    asked_later: int  # volunteers asked last month
    asked_both: int  # volunteers asked in both months
    silent_both: int  # of those, how many answered neither


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before `month`."""
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def contact_answers_since(today: dt.date) -> dt.date:
    """The first month whose contact answers still count for the contact strain rule."""
    return months_before(month_start(today), 2)


def well_being(answer: VolunteerAnswer) -> float | None:
    """The mean of the three scales, "too much" turned round so that higher is better."""
    if None in (answer.appreciated, answer.supported, answer.too_much):
        return None
    return (answer.appreciated + answer.supported + (SCALE_MIN + SCALE_MAX - answer.too_much)) / 3


def _answer_details(answer: VolunteerAnswer) -> dict:
    return {"month": answer.month.isoformat(), "still_helping": answer.still_helping,
            "appreciated": answer.appreciated, "supported": answer.supported, "too_much": answer.too_much}


def _both(earlier: VolunteerAnswer, latest: VolunteerAnswer, test) -> bool:
    return all(test(answer) for answer in (earlier, latest))


def strain_reasons(earlier: VolunteerAnswer, latest: VolunteerAnswer, thresholds: Thresholds) -> list[str]:
    """Why two answers in a row show strain: codes 'too_much', 'not_appreciated', 'not_supported',
    'sharp_fall' (none when the latest answer is relaxed enough)."""
    high, low = thresholds.strain_high, thresholds.strain_low
    reasons = []
    if _both(earlier, latest, lambda a: a.too_much is not None and a.too_much >= high):
        reasons.append("too_much")
    if _both(earlier, latest, lambda a: a.appreciated is not None and a.appreciated <= low):
        reasons.append("not_appreciated")
    if _both(earlier, latest, lambda a: a.supported is not None and a.supported <= low):
        reasons.append("not_supported")
    before, now = well_being(earlier), well_being(latest)
    if before is not None and now is not None and before - now >= thresholds.sharp_fall:
        reasons.append("sharp_fall")
    return reasons


def volunteer_strain_conditions(answers: Iterable[VolunteerAnswer], thresholds: Thresholds) -> list[Condition]:
    """A volunteer whose two latest answers both show strain, or whose well-being fell sharply."""
    by_placement: dict[int, list[VolunteerAnswer]] = defaultdict(list)
    for answer in answers:
        by_placement[answer.placement_id].append(answer)
    found = []
    for placement_id, own in by_placement.items():
        if len(own) < 2:
            continue
        latest, earlier = sorted(own, key=lambda a: a.month, reverse=True)[:2]
        reasons = strain_reasons(earlier, latest, thresholds)
        if not reasons:
            continue
        found.append(Condition(
            K.VOLUNTEER_STRAIN, condition_key(K.VOLUNTEER_STRAIN, placement_id=placement_id),
            initiative_id=latest.initiative_id, citizen_id=latest.citizen_id,
            details={"placement_id": placement_id, "reasons": reasons,
                     "answers": [_answer_details(latest), _answer_details(earlier)]},
        ))
    return found


def contact_strain_conditions(answers: Iterable[ContactAnswer], today: dt.date) -> list[Condition]:
    """A contact who asks for help, or says the work got heavier two months running.

    Only answers about the last two months (and this month, if already
    answered) count: a check-in is asked at a month's end, so in early March
    the latest are about February and January. An older cry for help that was
    not repeated is no longer news.
    """
    since = contact_answers_since(today)
    by_person: dict[tuple[int, int], list[ContactAnswer]] = defaultdict(list)
    for answer in answers:
        if answer.month >= since:
            by_person[(answer.initiative_id, answer.professional_id)].append(answer)
    found = []
    for (initiative_id, professional_id), own in by_person.items():
        own = sorted(own, key=lambda a: a.month, reverse=True)[:2]
        latest = own[0]
        reasons = []
        if latest.needs_help:
            reasons.append("needs_help")
        if (len(own) == 2 and months_before(latest.month, 1) == own[1].month
                and all(a.burden == Burden.HEAVIER for a in own)):
            reasons.append("heavier")
        if not reasons:
            continue
        found.append(Condition(
            K.CONTACT_STRAIN,
            condition_key(K.CONTACT_STRAIN, initiative_id=initiative_id, professional_id=professional_id),
            initiative_id=initiative_id,
            details={"professional_id": professional_id, "reasons": reasons,
                     "months": [a.month.isoformat() for a in own]},
        ))
    return found


def unanswered_condition(
    answering: InitiativeAnswering, today: dt.date, thresholds: Thresholds
) -> Condition | None:
    """Most volunteers of an initiative answered neither of the last two months' check-ins."""
    if not (answering.asked_earlier and answering.asked_later) or answering.asked_both < 2:
        return None
    if answering.silent_both <= thresholds.unanswered_share * answering.asked_both:
        return None
    later = months_before(month_start(today), 1)
    return Condition(
        K.CHECK_INS_UNANSWERED, condition_key(K.CHECK_INS_UNANSWERED, initiative_id=answering.initiative_id),
        initiative_id=answering.initiative_id,
        details={"asked": answering.asked_both, "silent": answering.silent_both,
                 "months": [months_before(later, 1).isoformat(), later.isoformat()]},
    )
