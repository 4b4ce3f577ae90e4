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
class MonthOfAnswers:
    """One month of volunteer check-ins: asked, answered, the averages of the scales and the yes/paused/stopped counts."""

    month: dt.date
    asked: int = 0
    answered: int = 0
    appreciated: float | None = None
    supported: float | None = None
    too_much: float | None = None
    yes: int = 0
    paused: int = 0
    stopped: int = 0
    contacts_asked: int = 0
    contacts_answered: int = 0


def _average(value) -> float | None:
    return float(value) if value is not None else None


def _still_helping(answer: StillHelping):
    return sa.func.sum(sa.case((VolunteerCheckIn.still_helping == answer.value, 1), else_=0))


def answers_by_month(session: orm.Session, area_ids: Collection[int] | None,
                     months: list[dt.date]) -> list[MonthOfAnswers]:
    """Per month in `months`: volunteers asked and answered with their averages, contacts asked and answered.

    Two grouped statements (volunteers, contacts), one row a month each.
    """
    volunteers = (
        sa.select(VolunteerCheckIn.month, sa.func.count(), sa.func.count(VolunteerCheckIn.answered_at),
                  sa.func.avg(VolunteerCheckIn.appreciated), sa.func.avg(VolunteerCheckIn.supported),
                  sa.func.avg(VolunteerCheckIn.too_much), _still_helping(StillHelping.YES),
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
    found = {
        month: (int(asked), int(answered), _average(appreciated), _average(supported), _average(too_much),
                int(yes or 0), int(paused or 0), int(stopped or 0))
        for month, asked, answered, appreciated, supported, too_much, yes, paused, stopped
        in session.execute(volunteers).tuples()
    }
    asked_contacts = {month: (int(asked), int(answered)) for month, asked, answered in session.execute(contacts)}
    return [MonthOfAnswers(month, *found.get(month, (0, 0, None, None, None, 0, 0, 0)),
                           *asked_contacts.get(month, (0, 0)))
            for month in months]
