"""The contact's pages: "Your month", "Who took part?"; the volunteer's "I helped today"."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    AuditResident,
    ContactCheckIn,
    PlacementCheckIn,
    PlacementState,
    Role,
)
from coprod_match.vocabulary import LOCAL_ZONE, CheckInKind
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


@pytest.fixture
def world(db_session, make_user):
    nadia = make_user(Role.PROFESSIONAL, name="Nadia")
    sports = factories.initiative(db_session, title="Sports for women", contact=nadia)
    ayse, cem = make_user(Role.CITIZEN, name="Ayşe Yilmaz"), make_user(Role.CITIZEN, name="Cem Paused")
    active = factories.placement(db_session, ayse, sports)
    factories.placement(db_session, cem, sports, PlacementState.PAUSED)
    db_session.add(ContactCheckIn(initiative_id=sports.id, professional_id=nadia.id, month=dt.date(2025, 10, 1),
                                  hours=17, burden="heavier", needs_help=True,
                                  answered_at=dt.datetime(2025, 10, 28, tzinfo=dt.UTC)))
    db_session.commit()
    return {"nadia": nadia, "sports": sports, "ayse": ayse, "active": active,
            "other": make_user(Role.PROFESSIONAL), "coordinator": make_user(Role.COORDINATOR),
            "admin": make_user(Role.ADMIN)}


def _today() -> dt.date:
    return dt.datetime.now(LOCAL_ZONE).date()


def test_my_month_is_for_the_initiatives_current_contacts_only(app, world):
    path = f"/initiatives/{world['sports'].id}/my-month"
    page = client_for(app, world["nadia"]).get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Your month at" in html and "Sports for women" in html
    assert "October 2025" in html and "17" in html  # the earlier month's own answer
    assert client_for(app, world["other"]).get(path).status_code == 404
    for who in ("coordinator", "ayse", "admin"):
        assert client_for(app, world[who]).get(path).status_code == 403, who


def test_answering_my_month_and_answering_again(app, db_session, world):
    client = client_for(app, world["nadia"])
    path = f"/initiatives/{world['sports'].id}/my-month"
    token = csrf_token(client, path)
    answer = {"csrf_token": token, "hours": "12", "burden": "lighter", "needs_help": "no", "comment": "Fine"}
    assert client.post(path, data=answer).status_code == 302
    assert client.post(path, data={**answer, "hours": "14", "needs_help": "yes"}).status_code == 302
    db_session.expire_all()
    this_month = db_session.scalars(sa.select(ContactCheckIn).where(ContactCheckIn.month > dt.date(2025, 10, 1))).all()
    assert [(r.hours, r.burden, r.needs_help, r.comment) for r in this_month] == [(14, "lighter", True, "Fine")]
    shown = client.get(path).get_data(as_text=True)
    assert 'value="14"' in shown  # this month's answer is filled in to correct it


@pytest.mark.parametrize("hours", ["-3", "301", "many"])
def test_bad_hours_show_the_form_again_with_the_input(app, db_session, world, hours):
    client = client_for(app, world["nadia"])
    path = f"/initiatives/{world['sports'].id}/my-month"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "hours": hours, "burden": "same",
                                       "needs_help": "no", "comment": "My own words"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "My own words" in html and 'class="error-message" id="hours-error"' in html
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ContactCheckIn)) == 1


def test_contacts_see_the_attendance_form_and_their_month_on_their_pages(app, world):
    client = client_for(app, world["nadia"])
    manage = client.get(f"/professionals/initiatives/{world['sports'].id}").get_data(as_text=True)
    assert "Who took part?" in manage and f"/initiatives/{world['sports'].id}/my-month" in manage
    assert f'name="placement_ids" type="checkbox" value="{world["active"].id}"' in manage
    assert "Cem Paused" not in manage.split("Who took part?")[1].split("</section>")[0]  # paused: no tick
    assert "Today or up to 30 days back" in manage
    workspace = client.get("/professionals/").get_data(as_text=True)
    assert f"/initiatives/{world['sports'].id}/my-month" in workspace


def test_ticking_who_took_part_records_once_and_says_so(app, db_session, world):
    client = client_for(app, world["nadia"])
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    token = csrf_token(client, path)
    tick = {"csrf_token": token, "placement_ids": [str(world["active"].id)], "day": _today().isoformat(),
            "hours": "2.5"}
    assert client.post(path, data=tick).status_code == 302
    assert client.post(path, data=tick).status_code == 302  # the same tick again: still one record
    db_session.expire_all()
    rows = db_session.scalars(sa.select(PlacementCheckIn)).all()
    assert [(r.kind, r.minutes, r.recorded_by_id) for r in rows] == [("activity", 150, world["nadia"].id)]
    assert "Recorded today: Ayşe Yilmaz" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("change, field", [
    ({"day": (dt.datetime.now(LOCAL_ZONE).date() + dt.timedelta(days=1)).isoformat()}, "day"),
    ({"hours": "-1"}, "hours"),
    ({"hours": "13"}, "hours"),
    ({"hours": "1.2"}, "hours"),
    ({"hours": "many"}, "hours"),
    ({"placement_ids": []}, "placement_ids"),
])
def test_bad_attendance_shows_the_form_again(app, db_session, world, change, field):
    client = client_for(app, world["nadia"])
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    data = {"csrf_token": csrf_token(client, path), "placement_ids": [str(world["active"].id)],
            "day": _today().isoformat(), **change}
    response = client.post(path, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    if field != "placement_ids":  # the tick is kept
        assert f'checked id="placement_ids-0" name="placement_ids" type="checkbox" value="{world["active"].id}"' in html
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementCheckIn)) == 0


def test_the_attendance_page_is_for_contacts_and_logs_the_look(app, db_session, world):
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    before = db_session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.id), 0)))
    assert client_for(app, world["nadia"]).get(path).status_code == 200
    db_session.expire_all()
    named = db_session.scalars(sa.select(AuditResident.citizen_id).where(AuditResident.entry_id > before)).all()
    assert named == [world["ayse"].id]
    assert client_for(app, world["other"]).get(path).status_code == 404
    for who in ("coordinator", "ayse", "admin"):
        assert client_for(app, world[who]).get(path).status_code == 403, who


def test_i_helped_today_once_a_day_for_my_own_placement(app, db_session, world, make_user):
    client = client_for(app, world["ayse"])
    token = csrf_token(client, "/citizens/initiatives")
    path = f"/citizens/initiatives/{world['active'].id}/helped"
    assert client.post(path, data={"csrf_token": token, "hours": "3"}).status_code == 302
    again = client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert "You already said so today" in again.get_data(as_text=True)
    assert "You said today that you helped" in again.get_data(as_text=True)
    db_session.expire_all()
    rows = db_session.scalars(sa.select(PlacementCheckIn)).all()
    assert [(r.kind, r.minutes) for r in rows] == [(CheckInKind.CITIZEN_HELPED, 180)]

    stranger = client_for(app, make_user(Role.CITIZEN))
    assert stranger.post(path, data={"csrf_token": csrf_token(stranger, "/citizens/initiatives")}).status_code == 404
    nadia = client_for(app, world["nadia"])
    assert nadia.post(path, data={"csrf_token": csrf_token(nadia, "/")}).status_code == 403


def test_i_helped_today_with_bad_hours_shows_the_form_again(app, db_session, world):
    client = client_for(app, world["ayse"])
    page = client.get("/citizens/initiatives").get_data(as_text=True)
    assert "I helped today" in page
    response = client.post(f"/citizens/initiatives/{world['active'].id}/helped",
                           data={"csrf_token": csrf_token(client, "/citizens/initiatives"), "hours": "-2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="-2"' in html and 'id="hours-error"' in html
    assert "I helped today at Sports for women" in html  # the error page names the initiative
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementCheckIn)) == 0


def test_one_attendance_record_a_day_from_either_door(app, db_session, world):
    """The contact ticked today (3 hours): the volunteer sees so instead of the button, and cannot add 2 more."""
    nadia = client_for(app, world["nadia"])
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    tick = {"csrf_token": csrf_token(nadia, path), "placement_ids": [str(world["active"].id)],
            "day": _today().isoformat(), "hours": "3"}
    assert nadia.post(path, data=tick).status_code == 302
    ayse = client_for(app, world["ayse"])
    mine = ayse.get("/citizens/initiatives").get_data(as_text=True)
    assert "Your contact person noted that you helped today" in mine
    assert f"/citizens/initiatives/{world['active'].id}/helped" not in mine
    refused = ayse.post(f"/citizens/initiatives/{world['active'].id}/helped",
                        data={"csrf_token": csrf_token(ayse, "/citizens/initiatives"), "hours": "2"},
                        follow_redirects=True)
    assert "Your contact person noted that you helped today" in refused.get_data(as_text=True)
    db_session.expire_all()
    assert [(r.kind, r.minutes) for r in db_session.scalars(sa.select(PlacementCheckIn))] == [("activity", 180)]


def test_a_tick_for_a_day_the_volunteer_reported_keeps_one_record_and_says_so(app, db_session, world):
    ayse = client_for(app, world["ayse"])
    said = ayse.post(f"/citizens/initiatives/{world['active'].id}/helped",
                     data={"csrf_token": csrf_token(ayse, "/citizens/initiatives"), "hours": "1,5"})
    assert said.status_code == 302
    nadia = client_for(app, world["nadia"])
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    ticked = nadia.post(path, data={"csrf_token": csrf_token(nadia, path), "placement_ids": [str(world["active"].id)],
                                    "day": _today().isoformat()}, follow_redirects=True)
    assert "Already said they helped that day: Ayşe Yilmaz" in ticked.get_data(as_text=True)
    db_session.expire_all()
    rows = db_session.scalars(sa.select(PlacementCheckIn)).all()
    assert [(r.kind, r.minutes, r.recorded_by_id) for r in rows] == [("activity", 90, world["nadia"].id)]


def test_the_attendance_error_page_lists_names_as_the_manage_page_does(app, db_session, world, make_user):
    # Zoë joined last, so the manage page's participant table shows her first; the ticks go by name.
    zoe = make_user(Role.CITIZEN, name="Zoë Later")
    bram = make_user(Role.CITIZEN, name="Bram Earlier")
    factories.placement(db_session, zoe, world["sports"])
    factories.placement(db_session, bram, world["sports"], since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    db_session.commit()
    client = client_for(app, world["nadia"])

    def tick_names(html):  # the names in the order the ticks show them (a missing name fails .index)
        ticks = html.split('id="attendance-heading"')[1].split("</section>")[0]
        return sorted(("Zoë Later", "Bram Earlier", "Ayşe Yilmaz"), key=ticks.index)

    manage = client.get(f"/professionals/initiatives/{world['sports'].id}").get_data(as_text=True)
    path = f"/professionals/initiatives/{world['sports'].id}/attendance"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path), "day": _today().isoformat()})
    assert refused.status_code == 422
    assert tick_names(manage) == tick_names(refused.get_data(as_text=True)) == [
        "Ayşe Yilmaz", "Bram Earlier", "Zoë Later"]
