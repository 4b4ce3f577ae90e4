"""The volunteer's monthly check-in: who is asked (once a month), and what each answer does.

On SQLite and PostgreSQL. The answer rules themselves (pure) are checked first, without a database.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import InvalidInput
from coprod_match.models import (
    EndReason,
    InitiativeStatus,
    Notification,
    OutboxMail,
    PlacementCheckIn,
    PlacementState,
    Role,
    VolunteerCheckIn,
)
from coprod_match.services import check_ins
from coprod_match.services.check_ins.answers import MISSING, OFF_SCALE, TOO_LONG, answer_problems
from coprod_match.services.check_ins.links import (
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_USED,
    check_in_token,
)
from coprod_match.services.check_ins.volunteers import month_of
from coprod_match.vocabulary import Limits, StillHelping
from tests import factories

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)  # mid-month: a day later is the same month
LONG_AGO = NOW - dt.timedelta(days=40)
YES = check_ins.VolunteerAnswer(StillHelping.YES, appreciated=4, supported=5, too_much=2)


def test_an_answer_is_whole_with_three_marks_unless_the_volunteer_stopped():
    assert answer_problems(YES) == {}
    assert answer_problems(check_ins.VolunteerAnswer(StillHelping.PAUSED, appreciated=6, too_much=0)) == {
        "appreciated": OFF_SCALE, "supported": MISSING, "too_much": OFF_SCALE}
    assert answer_problems(check_ins.VolunteerAnswer(StillHelping.STOPPED)) == {}
    long_comment = check_ins.VolunteerAnswer(StillHelping.STOPPED, comment="x" * (Limits.CHECK_IN_COMMENT + 1))
    assert answer_problems(long_comment) == {"comment": TOO_LONG}


def _world(session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    kitchen = factories.initiative(session, title="Samen koken", contact=contact)
    closed = factories.initiative(session, title="Closed", status=InitiativeStatus.CLOSED)
    people = {name: make_user(Role.CITIZEN, name=name) for name in ("ayse", "bram", "cem", "dana", "eva", "fien")}
    people["fien"].is_enabled = False
    placements = {
        "ayse": factories.placement(session, people["ayse"], kitchen, since=LONG_AGO),
        "bram": factories.placement(session, people["bram"], kitchen, PlacementState.PAUSED, since=LONG_AGO),
        "cem": factories.placement(session, people["cem"], kitchen, PlacementState.ENDED, since=LONG_AGO),
        "dana": factories.placement(session, people["dana"], kitchen, since=NOW - dt.timedelta(days=5)),
        "eva": factories.placement(session, people["eva"], closed, since=LONG_AGO),
        "fien": factories.placement(session, people["fien"], kitchen, since=LONG_AGO),
    }
    session.commit()
    return contact, placements


def _token(app, check_in) -> str:
    return check_in_token(check_in.placement_id, check_in.month, check_in.expires_at, app.config["SECRET_KEY"])


def test_only_active_volunteers_of_open_initiatives_are_asked_and_once_a_month(app, db_session, make_user):
    _contact, placements = _world(db_session, make_user)
    assert check_ins.ask_volunteers(db_session, now=NOW) == 1
    db_session.commit()
    (asked,) = db_session.scalars(sa.select(VolunteerCheckIn)).all()
    ayse = placements["ayse"]
    assert asked.placement_id == ayse.id and asked.month == month_of(NOW) and asked.answered_at is None
    assert asked.expires_at == NOW + dt.timedelta(days=21)
    assert db_session.scalar(sa.select(Notification.kind).where(Notification.user_id == ayse.citizen_id)) \
        == "check_in.asked"
    assert db_session.scalars(sa.select(OutboxMail.kind)).all() == ["check_in"]
    # The daily job runs again: nobody is asked twice in a month. Next month Ayse is asked again,
    # and Dana, who has helped long enough by then.
    assert check_ins.ask_volunteers(db_session, now=NOW + dt.timedelta(hours=25)) == 0
    # At most one per run: the other is asked by the next run.
    assert check_ins.ask_volunteers(db_session, now=NOW + dt.timedelta(days=32), most=1) == 1
    assert check_ins.ask_volunteers(db_session, now=NOW + dt.timedelta(days=33)) == 1
    # The mailed link names this row; another row's link, or a changed one, does not open it.
    assert check_ins.check_in_from_token(db_session, _token(app, asked), app.config["SECRET_KEY"], now=NOW) is asked
    with pytest.raises(check_ins.CheckInLinkError) as refused:
        check_ins.check_in_from_token(db_session, _token(app, asked)[:-2] + "xx", app.config["SECRET_KEY"], now=NOW)
    assert refused.value.reason == LINK_INVALID


def _asked(session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    kitchen = factories.initiative(session, title="Samen koken", contact=contact)
    volunteer = make_user(Role.CITIZEN, name="Ayse")
    placement = factories.placement(session, volunteer, kitchen, since=LONG_AGO)
    session.commit()
    check_ins.ask_volunteers(session, now=NOW)
    session.commit()
    return contact, placement, session.scalar(sa.select(VolunteerCheckIn))


def _told(session, contact, kind) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == contact.id, Notification.kind == kind)) == 1


def test_yes_records_that_the_volunteer_still_helps_and_the_link_then_works_no_more(app, db_session, make_user):
    _contact, placement, check_in = _asked(db_session, make_user)
    check_ins.answer_check_in(db_session, check_in, YES, via="link", now=NOW)
    db_session.commit()
    assert (check_in.still_helping, check_in.appreciated, check_in.supported, check_in.too_much,
            check_in.answered_via) == ("yes", 4, 5, 2, "link")
    confirmed = db_session.scalar(sa.select(PlacementCheckIn))
    assert confirmed.kind == "citizen_confirmed" and confirmed.recorded_by_id == placement.citizen_id
    for later in (NOW, NOW + dt.timedelta(days=30)):  # answered: refused as used, even after its time
        with pytest.raises(check_ins.CheckInLinkError) as refused:
            check_ins.check_in_from_token(db_session, _token(app, check_in), app.config["SECRET_KEY"], now=later)
        assert refused.value.reason == LINK_USED
    with pytest.raises(check_ins.CheckInLinkError):
        check_ins.answer_check_in(db_session, check_in, YES, via="app", now=NOW)


def test_paused_pauses_the_placement_and_tells_the_contact(app, db_session, make_user):
    contact, placement, check_in = _asked(db_session, make_user)
    paused = check_ins.VolunteerAnswer(StillHelping.PAUSED, appreciated=3, supported=3, too_much=5)
    check_ins.answer_check_in(db_session, check_in, paused, via="app", now=NOW)
    db_session.commit()
    assert placement.state == PlacementState.PAUSED and _told(db_session, contact, "placement.paused")
    assert db_session.scalar(sa.select(PlacementCheckIn)) is None


def test_stopped_ends_the_placement_with_the_reason_and_tells_the_contact(app, db_session, make_user):
    contact, placement, check_in = _asked(db_session, make_user)
    stopped = check_ins.VolunteerAnswer(StillHelping.STOPPED, comment="Te druk met werk")
    with pytest.raises(InvalidInput) as refused:  # the stop flow asks why
        check_ins.answer_check_in(db_session, check_in, stopped, via="link", now=NOW)
    assert refused.value.field == "end_reason"
    db_session.rollback()
    check_ins.answer_check_in(db_session, check_in, stopped, via="link", now=NOW,
                              end_reason=EndReason.NO_TIME, note="Nieuwe baan")
    db_session.commit()
    assert (placement.state, placement.end_reason, placement.end_note) == ("ended", "no_time", "Nieuwe baan")
    assert _told(db_session, contact, "placement.stopped")
    assert check_in.still_helping == "stopped" and check_in.appreciated is None


def test_an_expired_link_is_refused(app, db_session, make_user):
    _contact, _placement, check_in = _asked(db_session, make_user)
    with pytest.raises(check_ins.CheckInLinkError) as refused:
        check_ins.check_in_from_token(db_session, _token(app, check_in), app.config["SECRET_KEY"],
                                      now=check_in.expires_at + dt.timedelta(seconds=1))
    assert refused.value.reason == LINK_EXPIRED
