"""Reads for the evidence on the dashboard: placements' lives, check-in answers and response rates.

Each read is one grouped statement whatever the number of placements, and
returns counts or averages only: the evidence never names a resident. The
place of a placement is its initiative's neighbourhood, as for the other
charts, so a coordinator sees the figures of the areas they cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    ContactCheckIn,
    Initiative,
    Placement,
    PlacementEvent,
    PlacementState,
    VolunteerCheckIn,
)
from ..vocabulary import StillHelping
from .retention import PlacementSpan, add_months


def placement_spans(session: orm.Session, area_ids: Collection[int] | None) -> list[PlacementSpan]:
    """Every placement that ever became active: channel, place, first move to active, move to ended.

    One pass over the moves, grouped per placement, joined to the placements'
    channel and place: no statement per placement.
    """
    moves = (
        sa.select(
            PlacementEvent.placement_id,
            sa.func.min(sa.case((PlacementEvent.to_state == PlacementState.ACTIVE.value, PlacementEvent.at)))
            .label("started_at"),
            sa.func.min(sa.case((PlacementEvent.to_state == PlacementState.ENDED.value, PlacementEvent.at)))
            .label("ended_at"),
        )
        .where(PlacementEvent.to_state.in_([PlacementState.ACTIVE.value, PlacementState.ENDED.value]))
        .group_by(PlacementEvent.placement_id)
        .subquery()
    )
    moment = PlacementEvent.at.type
    query = (
        sa.select(Placement.id, Placement.came_through, Initiative.neighbourhood_id,
                  sa.type_coerce(moves.c.started_at, moment), sa.type_coerce(moves.c.ended_at, moment))
        .join(moves, moves.c.placement_id == Placement.id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .where(moves.c.started_at.is_not(None))
    )
    if area_ids is not None:
        query = query.where(Initiative.neighbourhood_id.in_(list(area_ids)))
    return [PlacementSpan(*row) for row in session.execute(query).tuples()]


def last_months(this_month: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the last `count` months, oldest first, ending with `this_month`'s."""
    first = this_month.replace(day=1)
    return [add_months(first, -back) for back in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class Average:
    """A scale's average in one month, or None when fewer than the minimum gave it; `answers` says how many did."""

    value: float | None = None
    answers: int = 0


@dataclass(frozen=True)
class MonthOfAnswers:
    """One month of volunteer check-ins: asked, answered, the averages of the scales and the yes/paused/stopped counts."""

    month: dt.date
    asked: int = 0
    answered: int = 0
    appreciated: Average = Average()
    supported: Average = Average()
    too_much: Average = Average()
    yes: int = 0
    paused: int = 0
    stopped: int = 0
    contacts_asked: int = 0
    contacts_answered: int = 0


def _average(mean, answers, min_answers: int) -> Average:
    # An average of one or two answers swings with one person's mood, and would let a reader guess who
    # said what: below the same minimum as the contact's page, no number.
    answers = int(answers or 0)
    return Average(float(mean) if mean is not None and answers >= min_answers else None, answers)


def _still_helping(answer: StillHelping):
    return sa.func.sum(sa.case((VolunteerCheckIn.still_helping == answer.value, 1), else_=0))


def answers_by_month(session: orm.Session, area_ids: Collection[int] | None,
                     months: list[dt.date], *, min_answers: int) -> list[MonthOfAnswers]:
    """Per month in `months`: volunteers asked and answered with their averages, contacts asked and answered.

    A scale's average shows only when at least `min_answers` volunteers gave it.
    Two grouped statements (volunteers, contacts), one row a month each.
    """
    scales = (VolunteerCheckIn.appreciated, VolunteerCheckIn.supported, VolunteerCheckIn.too_much)
    volunteers = (
        sa.select(VolunteerCheckIn.month, sa.func.count(), sa.func.count(VolunteerCheckIn.answered_at),
                  *[part for scale in scales for part in (sa.func.avg(scale), sa.func.count(scale))],
                  _still_helping(StillHelping.YES),
                  _still_helping(StillHelping.PAUSED), _still_helping(StillHelping.STOPPED))
        .where(VolunteerCheckIn.month.between(months[0], months[-1]))
        .group_by(VolunteerCheckIn.month)
    )
    contacts = (
        sa.select(ContactCheckIn.month, sa.func.count(), sa.func.count(ContactCheckIn.answered_at))
        .where(ContactCheckIn.month.between(months[0], months[-1]))
        .group_by(ContactCheckIn.month)
    )
    if area_ids is not None:  # the place is the initiative's; the whole city needs no join
        volunteers = (volunteers.join(Placement, Placement.id == VolunteerCheckIn.placement_id)
                      .join(Initiative, Initiative.id == Placement.initiative_id)
                      .where(Initiative.neighbourhood_id.in_(list(area_ids))))
        contacts = (contacts.join(Initiative, Initiative.id == ContactCheckIn.initiative_id)
                    .where(Initiative.neighbourhood_id.in_(list(area_ids))))
    found = {}
    for month, asked, answered, *numbers in session.execute(volunteers).tuples():
        averages = [_average(mean, count, min_answers) for mean, count in zip(numbers[0:6:2], numbers[1:6:2],
                                                                              strict=True)]
        yes, paused, stopped = (int(number or 0) for number in numbers[6:])
        found[month] = (int(asked), int(answered), *averages, yes, paused, stopped)
    asked_contacts = {month: (int(asked), int(answered)) for month, asked, answered in session.execute(contacts)}
    nothing = (0, 0, Average(), Average(), Average(), 0, 0, 0)
    return [MonthOfAnswers(month, *found.get(month, nothing), *asked_contacts.get(month, (0, 0)))
            for month in months]
