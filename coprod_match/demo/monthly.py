"""A year of monthly check-ins in the demo: volunteers' and contacts' answers, and thanks.

They are added after the placements' stories are written, from those stories
and on their own random stream, so the stories stay as they were. A
volunteer is asked on the 1st of every month they were active and answers as
someone who still comes would: one who stopped coming stops answering too.

A volunteer who paused or stopped within two weeks of a month's question said
so in that check-in: the answer "paused" or "stopped" is given at the very
moment of their own move in the placement's story, as the check-in page
makes that move.

The showcase cases (data/demo/check_ins.toml) are written so each new alert
shows at first start. The thanked showcase resident's current question stays
open, with a link that lasts at least another week, for a visitor to try. Everyone else is kept below the alert thresholds:
never two strained answers in a row, never two heavier months in a row, no
call for help in the last months.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import random
from collections.abc import Mapping, Sequence

from ..models import InitiativeStatus, PlacementState
from ..vocabulary import LOCAL_ZONE, SCALE_MAX, SCALE_MIN, Burden, StillHelping
from .accounts import citizen_email, professional_email
from .content import (
    ARTICLE_INITIATIVES,
    CHECK_IN_SHOWCASE,
    CONTACT_COMMENTS,
    THANKS_SENTENCES,
    VOLUNTEER_COMMENTS,
    StrainedAnswer,
)
from .draws import weighted_choice
from .seeds import (
    ContactCheckInSeed,
    InitiativeSeed,
    PlacementSeed,
    ThanksSeed,
    VolunteerCheckInSeed,
)

S = PlacementState
SCALE = tuple(range(SCALE_MIN, SCALE_MAX + 1))

# The current month and the eleven before it.
MONTHS = 12
# A check-in's link works this long after it was asked (the writer sets expires_at from it).
LINK_DAYS = 21
# Someone who has not been recorded at the initiative for this long does not answer either.
_CAME_LATELY = dt.timedelta(days=35)
# Chance a volunteer answers a month's question: most do, some rarely; few answer in the first days.
_STEADINESS = ((0.92, 0.6, 0.15), (70, 22, 8))
_CURRENT_MONTH_SHARE = 0.2
_CONTACT_ANSWERS = 0.85
# Ordinary volunteers' answers never fall this much in a row (the alert's default is 1.5).
_FALL_KEPT_BELOW = 1.0
# A volunteer's own pause or stop this soon after a question was their answer to it.
_SAID_IN_CHECK_IN = dt.timedelta(days=14)
# The showcase resident's open link works at least this long after the demo is seeded.
_LINK_LEFT = dt.timedelta(days=7)


def add_check_ins(
    rng: random.Random,
    now: dt.datetime,
    initiatives: Sequence[InitiativeSeed],
    placements: Sequence[PlacementSeed],
    names: Mapping[str, str],
) -> tuple[list[PlacementSeed], list[ContactCheckInSeed]]:
    """The placements with their monthly check-ins and thanks, and the contacts' check-ins.

    `names` maps a citizen's e-mail to their display name (thanks use the first name).
    """
    months = months_until(now)
    show = CHECK_IN_SHOWCASE
    strained = (citizen_email(show.strained_persona), _title(show.strained_article))
    thanked = (citizen_email(show.thanked_persona), _title(show.thanked_article))
    unanswered = _title(show.unanswered_article)
    by_title = {initiative.title: initiative for initiative in initiatives}
    # In the quiet initiative one volunteer still answers: "most", not all, went silent.
    answering = next((p for p in placements if p.initiative_title == unanswered
                      and p.state == S.ACTIVE), None)

    result = []
    for placement in placements:
        key = (placement.citizen_email, placement.initiative_title)
        silent = (frozenset(months[-3:-1])
                  if placement.initiative_title == unanswered and placement is not answering
                  else frozenset())
        check_ins = volunteer_check_ins(
            rng, now, placement, months, silent=silent,
            scripted=show.strained_answers if key == strained else (), left_open=key == thanked,
        )
        initiative = by_title[placement.initiative_title]
        thanks = _thanks(rng, now, placement, initiative, names[placement.citizen_email],
                         show.thanked_sentence if key == thanked else None)
        result.append(dataclasses.replace(placement, volunteer_check_ins=check_ins, thanks=thanks))

    _keep_teams_answering(rng, now, result, months, unanswered)

    overloaded = (professional_email(show.overloaded_professional), _title(show.overloaded_article))
    contact_check_ins = [
        check_in
        for initiative in initiatives if initiative.status == InitiativeStatus.OPEN
        for check_in in contact_check_ins_for(rng, now, initiative, months, overloaded)
    ]
    return result, contact_check_ins


def _keep_teams_answering(
    rng: random.Random, now: dt.datetime, placements: list[PlacementSeed], months: Sequence[dt.date],
    quiet_title: str,
) -> None:
    """Outside the quiet showcase, a team where most went silent for two months gets an answer back.

    Small teams fall silent by chance; the demo keeps the "not answering"
    alert for its showcase, so somebody in such a team answered last month.
    """
    before = (months[-3], months[-2])
    teams: dict[str, list[int]] = {}
    for index, placement in enumerate(placements):
        asked = {c.month for c in placement.volunteer_check_ins}
        if placement.initiative_title != quiet_title and set(before) <= asked:
            teams.setdefault(placement.initiative_title, []).append(index)
    for members in teams.values():
        def silent(index: int) -> bool:
            return not any(c.answered_at for c in placements[index].volunteer_check_ins if c.month in before)

        for index in members:
            if len(members) < 2 or sum(map(silent, members)) * 2 <= len(members):
                break
            if not silent(index):
                continue
            placement = placements[index]
            check_ins = list(placement.volunteer_check_ins)
            position = next(i for i, c in enumerate(check_ins) if c.month == before[-1])
            asked = check_ins[position].asked_at
            answered_at = min(asked + dt.timedelta(hours=rng.randint(2, 72)),
                              _next_change(placement, asked) - dt.timedelta(minutes=5),
                              now - dt.timedelta(minutes=5))
            if answered_at <= asked:
                continue
            scales = _answer_between(rng, check_ins[:position], check_ins[position + 1:])
            if scales is None:
                continue
            appreciated, supported, too_much = scales
            check_ins[position] = dataclasses.replace(
                check_ins[position], answered_at=answered_at, answered_via="app",
                still_helping=StillHelping.YES.value, appreciated=appreciated, supported=supported,
                too_much=too_much,
            )
            placements[index] = dataclasses.replace(placement, volunteer_check_ins=tuple(check_ins))


def _answer_between(rng: random.Random, before, after) -> tuple[int, int, int] | None:
    """A calm answer that neither falls sharply from the answer before nor lies far above the one after."""
    earlier = [c for c in before if c.answered_at is not None]
    later = [c for c in after if c.answered_at is not None]
    previous = _well_being(earlier[-1].appreciated, earlier[-1].supported, earlier[-1].too_much) if earlier else None
    following = _well_being(later[0].appreciated, later[0].supported, later[0].too_much) if later else None
    for _ in range(100):
        scales = _scales(rng, True, previous)
        if following is None or _well_being(*scales) - following < _FALL_KEPT_BELOW:
            return scales
    return None


def months_until(now: dt.datetime) -> list[dt.date]:
    """The first days of the current local month and the months before it, oldest first."""
    month = now.astimezone(LOCAL_ZONE).date().replace(day=1)
    months = [month]
    for _ in range(MONTHS - 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def volunteer_check_ins(
    rng: random.Random,
    now: dt.datetime,
    placement: PlacementSeed,
    months: Sequence[dt.date],
    *,
    silent: frozenset[dt.date] = frozenset(),
    scripted: Sequence[StrainedAnswer] = (),
    left_open: bool = False,
) -> tuple[VolunteerCheckInSeed, ...]:
    """One question a month while the placement was active, answered or not.

    `silent` months go unanswered; `scripted` answers are the two months
    before the current one (oldest first), and the current one stays open.
    `left_open`: the current question waits for its answer, by a signed link.
    """
    activated = next((e.at for e in placement.events if e.to_state == S.ACTIVE), None)
    if activated is None:
        return ()
    steadiness = weighted_choice(rng, *_STEADINESS)
    attended = sorted(check_in.at for check_in in placement.check_ins)
    scripted_months = dict(zip(months[-1 - len(scripted):-1], scripted, strict=True))
    seeds = []
    previous_strained, previous_well_being = False, None
    settled = placement.events[-1].at if placement.state != S.ACTIVE else None
    for month in months:
        # Months before the start or after the end are passed over without a draw (speed at city scale).
        if _month_start(month) + dt.timedelta(days=1) < activated or (
            settled is not None and _month_start(month) > settled
        ):
            continue
        asked = _asked_at(rng, month, now)
        open_link = left_open and month == months[-1]
        if open_link:  # asked late enough that the link still works for a while
            asked = max(asked, now + _LINK_LEFT - dt.timedelta(days=LINK_DAYS))
        if _state_at(placement, asked) != S.ACTIVE:
            continue
        answered_at = asked + min(dt.timedelta(minutes=int(rng.expovariate(1 / (36 * 60)))),
                                  dt.timedelta(days=LINK_DAYS - 1))
        chance = steadiness * (_CURRENT_MONTH_SHARE if month == months[-1] else 1)
        came_lately = asked - activated < _CAME_LATELY or _any_between(attended, asked - _CAME_LATELY, asked)
        own_move = None if month in scripted_months or open_link else _own_move_soon_after(placement, asked)
        answers = own_move is not None or month in scripted_months or (
            month not in silent and not (scripted and month == months[-1]) and not open_link and came_lately
            and rng.random() < chance and answered_at < min(now, _next_change(placement, asked))
        )
        if not answers:
            seeds.append(VolunteerCheckInSeed(month, asked, None, None, None, None, None, None, None,
                                              signed_link=open_link))
            continue
        still_helping = StillHelping.YES.value
        if own_move is not None:
            answered_at = own_move.at
            still_helping = (StillHelping.PAUSED if own_move.to_state == S.PAUSED else StillHelping.STOPPED).value
        if month in scripted_months:
            answer = scripted_months[month]
            appreciated, supported, too_much, comment = answer
            answered_at = min(answered_at, now - dt.timedelta(minutes=1))
        else:
            appreciated, supported, too_much = _scales(rng, previous_strained, previous_well_being)
            comment = rng.choice(VOLUNTEER_COMMENTS) if rng.random() < 0.12 else None
            if own_move is not None:  # the move's own reason says why; "it goes well" would not fit
                comment = None
        previous_strained = _strained(appreciated, supported, too_much)
        previous_well_being = _well_being(appreciated, supported, too_much)
        seeds.append(VolunteerCheckInSeed(
            month, asked, answered_at, "link" if rng.random() < 0.65 else "app",
            still_helping, appreciated, supported, too_much, comment,
        ))
    return tuple(seeds)


def _own_move_soon_after(placement: PlacementSeed, asked: dt.datetime):
    """The volunteer's own pause or stop soon after a question (their answer to it), or None."""
    following = next((e for e in placement.events if e.at > asked), None)
    if (following is not None and following.from_state == S.ACTIVE
            and following.to_state in (S.PAUSED, S.ENDED)
            and following.actor_email == placement.citizen_email
            and following.at - asked <= _SAID_IN_CHECK_IN):
        return following
    return None


def contact_check_ins_for(
    rng: random.Random,
    now: dt.datetime,
    initiative: InitiativeSeed,
    months: Sequence[dt.date],
    overloaded: tuple[str, str],
) -> list[ContactCheckInSeed]:
    """Each current contact's month at an open initiative: hours, burden, a call for help."""
    seeds = []
    for contact in initiative.contacts:
        if contact.ends_at is not None:
            continue
        email = contact.professional_email
        is_overloaded = (email, initiative.title) == overloaded
        previous_heavier = False
        for index, month in enumerate(months):
            asked = _asked_at(rng, month, now)
            if asked < contact.starts_at or month < initiative.start_date.replace(day=1):
                continue
            answered_at = asked + dt.timedelta(hours=rng.randint(2, 24 * 9))
            from_end = len(months) - index  # 1: the current month, 2: the month before ...
            if is_overloaded and from_end in (2, 3):
                hours = CHECK_IN_SHOWCASE.overloaded_hours[3 - from_end]
                seeds.append(ContactCheckInSeed(
                    initiative.title, email, month, asked, answered_at, hours, Burden.HEAVIER.value,
                    from_end == 2, CHECK_IN_SHOWCASE.overloaded_comment if from_end == 2 else None,
                ))
                continue
            chance = _CONTACT_ANSWERS * (_CURRENT_MONTH_SHARE if from_end == 1 else 1)
            if (is_overloaded and from_end == 1) or rng.random() >= chance or answered_at >= now:
                seeds.append(ContactCheckInSeed(
                    initiative.title, email, month, asked, None, None, None, None, None))
                continue
            while True:
                burden = weighted_choice(rng, tuple(Burden), (35, 55, 10))
                if not (previous_heavier and burden == Burden.HEAVIER):
                    break
            previous_heavier = burden == Burden.HEAVIER
            # Help is asked now and then, and was given: never in the months the alert looks at.
            needs_help = from_end > 3 and rng.random() < 0.05
            comment = rng.choice(CONTACT_COMMENTS) if rng.random() < 0.1 else None
            seeds.append(ContactCheckInSeed(
                initiative.title, email, month, asked, answered_at, rng.randint(4, 30),
                burden.value, needs_help, comment,
            ))
    return seeds


def _thanks(
    rng: random.Random,
    now: dt.datetime,
    placement: PlacementSeed,
    initiative: InitiativeSeed,
    name: str,
    sentence: str | None,
) -> ThanksSeed | None:
    """The current contact thanks a few long-running volunteers (and the showcase resident) on their statement."""
    if placement.state != S.ACTIVE:
        return None
    activated = next(e.at for e in placement.events if e.to_state == S.ACTIVE)
    long_running = now - activated > dt.timedelta(days=180)
    if sentence is None and not (long_running and rng.random() < 0.3):
        return None
    contact = next((c for c in initiative.contacts if c.ends_at is None), None)
    if contact is None:
        return None
    written_at = max(now - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(1, 12)),
                     activated + dt.timedelta(days=1), contact.starts_at + dt.timedelta(days=1))
    if written_at >= now:
        return None
    if sentence is None:
        sentence = rng.choice(THANKS_SENTENCES).format(name=name.split(" ", 1)[0])
    return ThanksSeed(contact.professional_email, sentence, written_at)


def _title(article_number: int) -> str:
    return ARTICLE_INITIATIVES[article_number - 1].title


def _asked_at(rng: random.Random, month: dt.date, now: dt.datetime) -> dt.datetime:
    """The 1st of the local month in the morning (7 to 11); this month's question never after `now`.

    `rng.random()` rather than `randint`: this runs for every month of every placement.
    """
    morning = _month_start(month) + dt.timedelta(minutes=420 + 5 * int(rng.random() * 48))
    return min(morning, now - dt.timedelta(minutes=1 + int(rng.random() * 59)))


@functools.cache
def _month_start(month: dt.date) -> dt.datetime:
    """Midnight of the month's first day, local time, in UTC."""
    return dt.datetime.combine(month, dt.time(0, 0), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def _state_at(placement: PlacementSeed, moment: dt.datetime) -> str | None:
    state = None
    for event in placement.events:
        if event.at > moment:
            break
        state = event.to_state
    return state


def _next_change(placement: PlacementSeed, moment: dt.datetime) -> dt.datetime:
    """When the placement next changed state after `moment` (far future if it did not)."""
    return next((e.at for e in placement.events if e.at > moment), dt.datetime.max.replace(tzinfo=dt.UTC))


def _any_between(moments: Sequence[dt.datetime], start: dt.datetime, end: dt.datetime) -> bool:
    index = bisect.bisect_left(moments, start)
    return index < len(moments) and moments[index] <= end


def _strained(appreciated: int, supported: int, too_much: int) -> bool:
    return too_much >= 4 or appreciated <= 2 or supported <= 2


# Out of 100, how often each point of a scale is answered (1 to 5).
_APPRECIATED = tuple(itertools.accumulate((2, 3, 10, 40, 45)))
_SUPPORTED = tuple(itertools.accumulate((2, 4, 12, 40, 42)))
_TOO_MUCH = tuple(itertools.accumulate((40, 35, 15, 7, 3)))


def _point(rng: random.Random, cumulative: tuple[int, ...]) -> int:
    return SCALE_MIN + bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def _well_being(appreciated: int, supported: int, too_much: int) -> float:
    """The mean of the three scales with "too much" turned round: higher is better."""
    return (appreciated + supported + SCALE_MIN + SCALE_MAX - too_much) / 3


def _scales(
    rng: random.Random, previous_strained: bool, previous_well_being: float | None = None
) -> tuple[int, int, int]:
    """Mostly appreciated and supported, rarely too much.

    Never strained twice in a row, and never a fall of a point or more from the
    last answer (the "sharp fall" alert starts at 1.5 by default).
    """
    while True:
        scales = (_point(rng, _APPRECIATED), _point(rng, _SUPPORTED), _point(rng, _TOO_MUCH))
        if previous_strained and _strained(*scales):
            continue
        if previous_well_being is not None and previous_well_being - _well_being(*scales) >= _FALL_KEPT_BELOW:
            continue
        return scales
