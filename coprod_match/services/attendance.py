"""Who took part: the contact's attendance ticks and the volunteer's own "I helped today".

Each is a `PlacementCheckIn` with the day it happened (at noon, local time,
so the date reads the same in every zone). They are the evidence the
"not seen for a while" alert looks for, and the hours on a recognition
statement. There is at most one record a placement a local day, whichever
door it came through, so hours are never counted twice: a tick for a day the
contact already recorded adds nothing (a form sent twice counts once); a
tick for a day the volunteer already reported takes that record over (the
contact's hours if given, else the volunteer's); and the volunteer cannot
report a day the contact already recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

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
# Hours are given in half hours (1.5 is an hour and a half) and stored as minutes.
HOURS_STEP_MINUTES = 30
# The kinds that say someone took part on a day; at most one of them a placement a day.
ATTENDANCE_KINDS = (CheckInKind.ACTIVITY, CheckInKind.CITIZEN_HELPED)


class AlreadySaidToday(DomainError):
    status = 409
    problem_type = "already-recorded"
    message = _l("You already said so today. Thank you!")
    flash_category = "info"


class ContactNotedToday(AlreadySaidToday):
    problem_type = "already-recorded-by-contact"
    message = _l("Your contact person noted that you helped today. Thank you!")


@dataclass
class Attendance:
    """What a contact's ticks did: new records, and volunteers' own reports taken over (one record each)."""

    recorded: list[Placement] = field(default_factory=list)
    taken_over: list[Placement] = field(default_factory=list)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_ZONE).date()


def noon_of(day: dt.date) -> dt.datetime:
    """The moment stored for a day's attendance: noon in The Hague, in UTC."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
    return start, end


def minutes_of(hours: Decimal | float | int | None) -> int | None:
    """Hours given on a form as minutes; refused unless in half hours from half an hour to the longest day."""
    if hours is None:
        return None
    try:
        minutes = Decimal(str(hours)) * 60
        fits = minutes.is_finite() and minutes % HOURS_STEP_MINUTES == 0 and \
            HOURS_STEP_MINUTES <= minutes <= Limits.ATTENDANCE_MINUTES_MAX
    except InvalidOperation:
        fits = False
    if not fits:
        raise InvalidInput(_l("Choose a number of hours from 0.5 to %(max)d, in steps of 0.5.", max=HOURS_MAX),
                           field="hours")
    return int(minutes)


def check_day(day: dt.date, *, today: dt.date) -> None:
    if day > today:
        raise InvalidInput(_l("Choose today or a day before."), field="day")
    if day < today - dt.timedelta(days=DAYS_BACK):
        raise InvalidInput(_l("Choose a day in the last %(num)d days.", num=DAYS_BACK), field="day")


def in_name_order(placements: Iterable[Placement]) -> list[Placement]:
    """Volunteers by the name shown, the same on every page with ticks (databases sort names differently)."""
    return sorted(placements, key=lambda placement: (placement.citizen.shown_name.casefold(), placement.id))


def active_volunteers(session: orm.Session, initiative_id: int) -> list[Placement]:
    """The placements a contact can tick: the active ones, by name."""
    return in_name_order(session.scalars(
        sa.select(Placement)
        .where(Placement.initiative_id == initiative_id, Placement.state == PlacementState.ACTIVE)
        .options(orm.joinedload(Placement.citizen))))


def _records_on(session: orm.Session, placement_ids: Iterable[int], day: dt.date) -> dict[int, PlacementCheckIn]:
    """Placement id -> its attendance record of `day` (either door)."""
    start, end = _day_bounds(day)
    return {record.placement_id: record for record in session.scalars(
        sa.select(PlacementCheckIn).where(
            PlacementCheckIn.placement_id.in_(list(placement_ids)), PlacementCheckIn.kind.in_(ATTENDANCE_KINDS),
            PlacementCheckIn.at >= start, PlacementCheckIn.at < end).order_by(PlacementCheckIn.id))}


def record_attendance(session: orm.Session, initiative: Initiative, placement_ids: Iterable[int], *,
                      day: dt.date, hours: Decimal | float | int | None, actor: User, today: dt.date) -> Attendance:
    """The contact ticked who took part on `day`; says which placements were recorded or taken over."""
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
    existing = _records_on(session, wanted, day)
    done = Attendance()
    for placement_id in sorted(wanted):
        record = existing.get(placement_id)
        if record is None:
            session.add(PlacementCheckIn(placement_id=placement_id, kind=CheckInKind.ACTIVITY,
                                         recorded_by_id=actor.id, at=noon_of(day), minutes=minutes))
            done.recorded.append(active[placement_id])
        elif record.kind == CheckInKind.CITIZEN_HELPED:
            # The contact confirms the volunteer's own report: one record, now the contact's, so the
            # hours count once; the contact's hours when given, else the volunteer's.
            record.kind, record.recorded_by_id, record.at = CheckInKind.ACTIVITY, actor.id, noon_of(day)
            record.minutes = minutes if minutes is not None else record.minutes
            done.taken_over.append(active[placement_id])
    session.flush()
    return done


def recorded_on(session: orm.Session, initiative_id: int, day: dt.date) -> list[Placement]:
    """The initiative's volunteers the contacts recorded for `day`, by name."""
    start, end = _day_bounds(day)
    return in_name_order(session.scalars(
        sa.select(Placement)
        .where(Placement.initiative_id == initiative_id,
               sa.exists().where(PlacementCheckIn.placement_id == Placement.id,
                                 PlacementCheckIn.kind == CheckInKind.ACTIVITY,
                                 PlacementCheckIn.at >= start, PlacementCheckIn.at < end))
        .options(orm.joinedload(Placement.citizen))))


def say_helped_today(session: orm.Session, placement: Placement, *, hours: Decimal | float | int | None,
                     actor: User, now: dt.datetime | None = None) -> PlacementCheckIn:
    """The volunteer says "I helped today" for their own active placement, once a day."""
    now = now or utcnow()
    if placement.citizen_id != actor.id:
        raise NotFound()
    if placement.state != PlacementState.ACTIVE:
        raise InvalidInput(_l("You can say this while you take part."))
    minutes = minutes_of(hours)
    already = _records_on(session, [placement.id], local_day(now)).get(placement.id)
    if already is not None:
        raise ContactNotedToday() if already.kind == CheckInKind.ACTIVITY else AlreadySaidToday()
    check_in = PlacementCheckIn(placement_id=placement.id, kind=CheckInKind.CITIZEN_HELPED, recorded_by_id=actor.id,
                                at=now, minutes=minutes)
    session.add(check_in)
    session.flush()
    return check_in


def helped_today(session: orm.Session, placement_ids: list[int], *,
                 now: dt.datetime | None = None) -> dict[int, CheckInKind]:
    """Placement id -> who recorded today already: the contact (activity) or the volunteer (citizen_helped)."""
    if not placement_ids:
        return {}
    return {placement_id: CheckInKind(record.kind)
            for placement_id, record in _records_on(session, placement_ids, local_day(now or utcnow())).items()}
