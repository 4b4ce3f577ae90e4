"""Attendance ticks and "I helped today": one record a person a day, on the right date, with hours."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import InvalidInput, NotFound
from coprod_match.models import PlacementCheckIn, PlacementState, Role
from coprod_match.services.attendance import (
    AlreadySaidToday,
    ContactNotedToday,
    helped_today,
    local_day,
    noon_of,
    record_attendance,
    recorded_on,
    say_helped_today,
)
from coprod_match.vocabulary import CheckInKind
from tests import factories

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def world(db_session, make_user):
    nadia, other = make_user(Role.PROFESSIONAL, name="Nadia"), make_user(Role.PROFESSIONAL)
    sports = factories.initiative(db_session, contact=nadia)
    ayse, bram, cem = (make_user(Role.CITIZEN, name=name) for name in ("Ayşe", "Bram", "Cem"))
    active = [factories.placement(db_session, person, sports) for person in (ayse, bram)]
    paused = factories.placement(db_session, cem, sports, PlacementState.PAUSED)
    db_session.commit()
    return {"nadia": nadia, "other": other, "sports": sports, "ayse": ayse, "active": active, "paused": paused}


def _check_ins(db_session, kind=CheckInKind.ACTIVITY):
    db_session.expire_all()
    return db_session.scalars(sa.select(PlacementCheckIn).where(PlacementCheckIn.kind == kind)
                              .order_by(PlacementCheckIn.placement_id)).all()


def test_ticks_are_stored_at_local_noon_with_minutes_and_count_once(db_session, world):
    ayse, bram = world["active"]
    day = dt.date(2026, 11, 18)
    first = record_attendance(db_session, world["sports"], [ayse.id, ayse.id], day=day, hours=2,
                              actor=world["nadia"], today=TODAY)
    again = record_attendance(db_session, world["sports"], [ayse.id, bram.id], day=day, hours=None,
                              actor=world["nadia"], today=TODAY)
    db_session.commit()
    assert [p.id for p in first.recorded] == [ayse.id] and [p.id for p in again.recorded] == [bram.id]
    rows = _check_ins(db_session)
    assert [(r.placement_id, r.minutes, r.recorded_by_id) for r in rows] == [
        (ayse.id, 120, world["nadia"].id), (bram.id, None, world["nadia"].id)]
    # Noon in The Hague in winter is 11:00 UTC.
    assert rows[0].at.astimezone(dt.UTC) == dt.datetime(2026, 11, 18, 11, 0, tzinfo=dt.UTC) == noon_of(day)
    assert [p.id for p in recorded_on(db_session, world["sports"].id, day)] == [ayse.id, bram.id]
    assert recorded_on(db_session, world["sports"].id, TODAY) == []


@pytest.mark.parametrize("day, hours, field", [
    (TODAY + dt.timedelta(days=1), None, "day"),
    (TODAY - dt.timedelta(days=31), None, "day"),
    (TODAY, 0, "hours"),
    (TODAY, -1, "hours"),
    (TODAY, 0.25, "hours"),
    (TODAY, 1.2, "hours"),
    (TODAY, 12.5, "hours"),
    (TODAY, float("nan"), "hours"),
])
def test_bad_days_and_hours_are_refused(db_session, world, day, hours, field):
    with pytest.raises(InvalidInput) as refused:
        record_attendance(db_session, world["sports"], [world["active"][0].id], day=day, hours=hours,
                          actor=world["nadia"], today=TODAY)
    assert refused.value.field == field


def test_only_active_volunteers_of_the_initiative_and_only_by_its_contact(db_session, world):
    with pytest.raises(InvalidInput):
        record_attendance(db_session, world["sports"], [world["paused"].id], day=TODAY, hours=None,
                          actor=world["nadia"], today=TODAY)
    with pytest.raises(InvalidInput):
        record_attendance(db_session, world["sports"], [], day=TODAY, hours=None, actor=world["nadia"], today=TODAY)
    with pytest.raises(NotFound):
        record_attendance(db_session, world["sports"], [world["active"][0].id], day=TODAY, hours=None,
                          actor=world["other"], today=TODAY)


def test_i_helped_today_counts_once_a_day(db_session, world):
    placement = world["active"][0]
    morning = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    say_helped_today(db_session, placement, hours=3, actor=world["ayse"], now=morning)
    with pytest.raises(AlreadySaidToday):
        say_helped_today(db_session, placement, hours=None, actor=world["ayse"], now=morning + dt.timedelta(hours=10))
    assert helped_today(db_session, [placement.id], now=morning) == {placement.id: CheckInKind.CITIZEN_HELPED}
    # 23:30 UTC is already the next day in The Hague.
    say_helped_today(db_session, placement, hours=None, actor=world["ayse"], now=morning + dt.timedelta(hours=15, minutes=30))
    db_session.commit()
    rows = _check_ins(db_session, CheckInKind.CITIZEN_HELPED)
    assert [(r.minutes, r.recorded_by_id) for r in rows] == [(180, world["ayse"].id), (None, world["ayse"].id)]


def test_i_helped_today_only_for_ones_own_active_placement(db_session, world):
    with pytest.raises(NotFound):
        say_helped_today(db_session, world["active"][1], hours=None, actor=world["ayse"])
    with pytest.raises(InvalidInput):
        say_helped_today(db_session, world["active"][0], hours=20, actor=world["ayse"])
    world["active"][0].state = PlacementState.PAUSED
    with pytest.raises(InvalidInput):
        say_helped_today(db_session, world["active"][0], hours=None, actor=world["ayse"])


def test_one_record_a_day_whichever_door_comes_first(db_session, world):
    """A contact's tick and "I helped today" for the same day are one record: hours never count twice."""
    ayse, bram = world["active"]
    morning = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    # The contact first (2.5 hours): the volunteer's "I helped today" is refused and says who noted it.
    record_attendance(db_session, world["sports"], [ayse.id], day=TODAY, hours=2.5, actor=world["nadia"], today=TODAY)
    with pytest.raises(ContactNotedToday):
        say_helped_today(db_session, ayse, hours=2, actor=world["ayse"], now=morning)
    assert helped_today(db_session, [ayse.id, bram.id], now=morning) == {ayse.id: CheckInKind.ACTIVITY}
    # The volunteer first: the contact's tick takes the record over, with the contact's hours when given.
    bram_user = bram.citizen
    say_helped_today(db_session, bram, hours=2, actor=bram_user, now=morning)
    done = record_attendance(db_session, world["sports"], [ayse.id, bram.id], day=TODAY, hours=3,
                             actor=world["nadia"], today=TODAY)
    assert (done.recorded, [p.id for p in done.taken_over]) == ([], [bram.id])
    # ... and keeps the volunteer's hours when the contact gives none.
    yesterday = TODAY - dt.timedelta(days=1)
    say_helped_today(db_session, ayse, hours=1.5, actor=world["ayse"], now=morning - dt.timedelta(days=1))
    record_attendance(db_session, world["sports"], [ayse.id], day=yesterday, hours=None, actor=world["nadia"],
                      today=TODAY)
    db_session.commit()
    rows = _check_ins(db_session) + _check_ins(db_session, CheckInKind.CITIZEN_HELPED)
    assert sorted((r.placement_id, local_day(r.at), r.minutes, r.recorded_by_id) for r in rows) == sorted([
        (ayse.id, TODAY, 150, world["nadia"].id), (ayse.id, yesterday, 90, world["nadia"].id),
        (bram.id, TODAY, 180, world["nadia"].id)])
