"""How the volunteers of an initiative feel: who sees which answers to the monthly check-ins.

Volunteers can be honest about the support they get only when the contact
person cannot tell who said what. So a contact sees, per month, how many
were asked and answered, and the averages only once enough volunteers
answered (`CHECK_IN_MIN_ANSWERS_FOR_AVERAGES`); coordinators over the
initiative's area and admins see each volunteer's answers. Pages and an API
ask `check_in_view` for the decision and read with the functions below.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    ContactCheckIn,
    ContinuityAlert,
    Placement,
    Role,
    User,
    VolunteerCheckIn,
)
from ..security import is_current_contact, oversees_initiative
from ..vocabulary import AlertKind

# How many months back the page looks.
MONTHS_SHOWN = 12


class CheckInView(enum.StrEnum):
    """What a viewer may see of an initiative's check-in answers."""

    AVERAGES = "averages"  # counts, and averages once enough volunteers answered
    ANSWERS = "answers"  # also each volunteer's own answers


def check_in_view(session: orm.Session, viewer: User, initiative_id: int) -> CheckInView | None:
    """The one decision: overseers see answers, current contacts averages, anyone else nothing."""
    if not viewer.is_authenticated:
        return None
    if oversees_initiative(session, viewer, initiative_id):
        return CheckInView.ANSWERS
    if viewer.role == Role.PROFESSIONAL and is_current_contact(session, viewer, initiative_id):
        return CheckInView.AVERAGES
    return None


@dataclass(frozen=True)
class ScaleAverage:
    value: float | None  # None: too few answers to show an average without giving anyone away
    answers: int


@dataclass(frozen=True)
class MonthSummary:
    month: dt.date
    asked: int
    answered: int
    appreciated: ScaleAverage
    supported: ScaleAverage
    too_much: ScaleAverage

    @property
    def has_averages(self) -> bool:
        return any(scale.value is not None for scale in (self.appreciated, self.supported, self.too_much))


@dataclass(frozen=True)
class VolunteerAnswerRow:
    citizen_id: int
    name: str
    month: dt.date
    still_helping: str
    appreciated: int | None
    supported: int | None
    too_much: int | None
    comment: str | None


def _of_initiative(initiative_id: int) -> sa.ColumnElement[bool]:
    return VolunteerCheckIn.placement_id.in_(
        sa.select(Placement.id).where(Placement.initiative_id == initiative_id))


def _since(today: dt.date) -> dt.date:
    index = today.year * 12 + today.month - 1 - (MONTHS_SHOWN - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def month_summaries(session: orm.Session, initiative_id: int, *, today: dt.date,
                    min_answers: int) -> list[MonthSummary]:
    """Per month (newest first): asked, answered, and each scale's average when at least
    `min_answers` volunteers gave it. One grouped query; no names, no comments."""
    scales = (VolunteerCheckIn.appreciated, VolunteerCheckIn.supported, VolunteerCheckIn.too_much)
    rows = session.execute(
        sa.select(VolunteerCheckIn.month, sa.func.count(), sa.func.count(VolunteerCheckIn.answered_at),
                  *[part for scale in scales for part in (sa.func.avg(scale), sa.func.count(scale))])
        .where(_of_initiative(initiative_id), VolunteerCheckIn.month >= _since(today))
        .group_by(VolunteerCheckIn.month)
        .order_by(VolunteerCheckIn.month.desc())
    ).tuples()
    summaries = []
    for month, asked, answered, *numbers in rows:
        averages = [
            ScaleAverage(round(float(mean), 1) if count >= min_answers and mean is not None else None, count)
            for mean, count in zip(numbers[::2], numbers[1::2], strict=True)
        ]
        summaries.append(MonthSummary(month, asked, answered, *averages))
    return summaries


def volunteer_answers(session: orm.Session, initiative_id: int, *, today: dt.date) -> list[VolunteerAnswerRow]:
    """Each volunteer's answers of the months shown, newest month first: for overseers only."""
    rows = session.execute(
        sa.select(User, VolunteerCheckIn)
        .join(Placement, Placement.citizen_id == User.id)
        .join(VolunteerCheckIn, VolunteerCheckIn.placement_id == Placement.id)
        .where(Placement.initiative_id == initiative_id, VolunteerCheckIn.answered_at.is_not(None),
               VolunteerCheckIn.month >= _since(today))
        .order_by(VolunteerCheckIn.month.desc(), User.display_name, User.id)
    ).tuples()
    return [_answer_row(user, check_in) for user, check_in in rows]


def _answer_row(user: User, check_in: VolunteerCheckIn) -> VolunteerAnswerRow:
    return VolunteerAnswerRow(user.id, user.shown_name, check_in.month, check_in.still_helping,
                              check_in.appreciated, check_in.supported, check_in.too_much, check_in.comment)


# --- what was answered, on an alert's page ----------------------------------------------------


@dataclass(frozen=True)
class ContactAnswerRow:
    name: str
    month: dt.date
    hours: int | None
    burden: str | None
    needs_help: bool | None
    comment: str | None


def answers_behind_alert(session: orm.Session, alert: ContinuityAlert) -> list:
    """The answers that raised a check-in alert, newest first (empty for other kinds).

    A volunteer's strain: the two answers the rule read, with their comments.
    A contact's strain: that professional's answers about the initiative in
    the months the rule read. Unanswered check-ins carry their counts in the
    alert itself.
    """
    details = alert.details or {}
    if alert.kind == AlertKind.VOLUNTEER_STRAIN:
        months = [dt.date.fromisoformat(answer["month"]) for answer in details.get("answers", [])]
        rows = session.execute(
            sa.select(User, VolunteerCheckIn)
            .join(Placement, Placement.citizen_id == User.id)
            .join(VolunteerCheckIn, VolunteerCheckIn.placement_id == Placement.id)
            .where(Placement.id == details.get("placement_id"), VolunteerCheckIn.month.in_(months))
            .order_by(VolunteerCheckIn.month.desc())
        ).tuples()
        return [_answer_row(user, check_in) for user, check_in in rows]
    if alert.kind == AlertKind.CONTACT_STRAIN:
        months = [dt.date.fromisoformat(month) for month in details.get("months", [])]
        rows = session.execute(
            sa.select(User.display_name, ContactCheckIn)
            .join(User, User.id == ContactCheckIn.professional_id)
            .where(ContactCheckIn.initiative_id == alert.initiative_id,
                   ContactCheckIn.professional_id == details.get("professional_id"),
                   ContactCheckIn.month.in_(months))
            .order_by(ContactCheckIn.month.desc())
        ).tuples()
        return [ContactAnswerRow(name, c.month, c.hours, c.burden, c.needs_help, c.comment) for name, c in rows]
    return []

