"""Who took part: the contact's attendance ticks and the volunteer's own "I helped today".

Each is a `PlacementCheckIn` with the day it happened (at noon, local time,
so the date reads the same in every zone). They are the evidence the
"not seen for a while" alert looks for, and the hours on a recognition
statement. A tick for a person and a day that is already there records
nothing new, so a form sent twice counts once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput, NotFound
from ..models import Initiative, Placement, PlacementCheckIn, PlacementState, User, utcnow
from ..security import is_current_contact
from ..vocabulary import LOCAL_ZONE, CheckInKind, Limits

# How far back a contact may record a session: a month's forgotten list, not last year's.
DAYS_BACK = 30
HOURS_MAX = Limits.ATTENDANCE_MINUTES_MAX // 60


class AlreadySaidToday(DomainError):
    status = 409
    problem_type = "already-recorded"
    message = _l("You already said so today. Thank you!")
    flash_category = "info"


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_ZONE).date()


def noon_of(day: dt.date) -> dt.datetime:
    """The moment stored for a day's attendance: noon in The Hague, in UTC."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
    return start, end


def minutes_of(hours: int | None) -> int | None:
    """Hours given on a form as minutes; refused outside 1 to the longest day."""
    if hours is None:
        return None
    if not 1 <= hours <= HOURS_MAX:
        raise InvalidInput(_l("Choose a number from %(min)d to %(max)d.", min=1, max=HOURS_MAX), field="hours")
    return hours * 60


def check_day(day: dt.date, *, today: dt.date) -> None:
    if day > today:
        raise InvalidInput(_l("Choose today or a day before."), field="day")
    if day < today - dt.timedelta(days=DAYS_BACK):
        raise InvalidInput(_l("Choose a day in the last %(num)d days.", num=DAYS_BACK), field="day")


def active_volunteers(session: orm.Session, initiative_id: int) -> list[Placement]:
    """The placements a contact can tick: the active ones, by name."""
    return list(session.scalars(
        sa.select(Placement)
        .join(User, User.id == Placement.citizen_id)
        .where(Placement.initiative_id == initiative_id, Placement.state == PlacementState.ACTIVE)
        .options(orm.contains_eager(Placement.citizen))
        .order_by(User.display_name, Placement.id)))


def _recorded_ids(session: orm.Session, placement_ids: Iterable[int], kind: CheckInKind, day: dt.date) -> set[int]:
    start, end = _day_bounds(day)
    return set(session.scalars(
        sa.select(PlacementCheckIn.placement_id).where(
            PlacementCheckIn.placement_id.in_(list(placement_ids)), PlacementCheckIn.kind == kind,
            PlacementCheckIn.at >= start, PlacementCheckIn.at < end)))


def record_attendance(session: orm.Session, initiative: Initiative, placement_ids: Iterable[int], *,
                      day: dt.date, hours: int | None, actor: User, today: dt.date) -> list[Placement]:
    """The contact ticked who took part on `day`; returns the placements newly recorded."""
    if not is_current_contact(session, actor, initiative.id):
        raise NotFound()
    check_day(day, today=today)
    minutes = minutes_of(hours)
    wanted = set(placement_ids)
    if not wanted:
        raise InvalidInput(_l("Tick at least one person."), field="placement_ids")
    active = {p.id: p for p in active_volunteers(session, initiative.id)}
    if not wanted <= set(active):
        raise InvalidInput(_l("Tick only people who take part now."), field="placement_ids")
    done = _recorded_ids(session, wanted, CheckInKind.ACTIVITY, day)
    recorded = [active[pid] for pid in sorted(wanted - done)]
    for placement in recorded:
        session.add(PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.ACTIVITY, recorded_by_id=actor.id,
                                     at=noon_of(day), minutes=minutes))
    session.flush()
    return recorded


def recorded_on(session: orm.Session, initiative_id: int, day: dt.date) -> list[Placement]:
    """The initiative's volunteers the contacts recorded for `day`, by name."""
    start, end = _day_bounds(day)
    return list(session.scalars(
        sa.select(Placement).join(User, User.id == Placement.citizen_id)
        .where(Placement.initiative_id == initiative_id,
               sa.exists().where(PlacementCheckIn.placement_id == Placement.id,
                                 PlacementCheckIn.kind == CheckInKind.ACTIVITY,
                                 PlacementCheckIn.at >= start, PlacementCheckIn.at < end))
        .options(orm.contains_eager(Placement.citizen))
        .order_by(User.display_name, Placement.id)))


def say_helped_today(session: orm.Session, placement: Placement, *, hours: int | None, actor: User,
                     now: dt.datetime | None = None) -> PlacementCheckIn:
    """The volunteer says "I helped today" for their own active placement, once a day."""
    now = now or utcnow()
    if placement.citizen_id != actor.id:
        raise NotFound()
    if placement.state != PlacementState.ACTIVE:
        raise InvalidInput(_l("You can say this while you take part."))
    minutes = minutes_of(hours)
    if _recorded_ids(session, [placement.id], CheckInKind.CITIZEN_HELPED, local_day(now)):
        raise AlreadySaidToday()
    check_in = PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.CITIZEN_HELPED, recorded_by_id=actor.id,
                                at=now, minutes=minutes)
    session.add(check_in)
    session.flush()
    return check_in


def helped_today_ids(session: orm.Session, placement_ids: list[int], *, now: dt.datetime | None = None) -> set[int]:
    """Which of these placements already said "I helped today" today."""
    if not placement_ids:
        return set()
    return _recorded_ids(session, placement_ids, CheckInKind.CITIZEN_HELPED, local_day(now or utcnow()))
