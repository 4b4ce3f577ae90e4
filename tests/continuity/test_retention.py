"""Retention by channel: a hand-counted scenario, counted purely, through the database and on the pages.

The scenario (T = today; "start" is the first move to active, "end" the move to ended),
in Transvaal (district Centrum) and Benoordenhout (district Haagse Hout):

    #  channel     place          start        end                       observed at   kept at
    1  invitation  Transvaal      T - 13 mo    -                         3, 6, 12      3, 6, 12
    2  invitation  Transvaal      T - 13 mo    start + 8 mo              3, 6, 12      3, 6
    3  invitation  Benoordenhout  T - 7 mo     - (paused and back)       3, 6          3, 6
    4  invitation  Benoordenhout  T - 4 mo     start + 1 mo              3             -
    5  own         Transvaal      T - 12 mo    start + 2 mo              3, 6, 12      -
    6  own         Transvaal      T - 6 mo     start + 3 mo (that day)   3, 6          3
    7  own         Benoordenhout  T - 2 mo     -                         -             -
    8  plan        Benoordenhout  T - 5 mo     start + 4 mo              3             3
    9  plan        Transvaal      T - 1 mo     -                         -             -
   10  own         Transvaal      never active (invited, declined)       not counted

The city:             after 3 months      after 6 months      after 12 months
    invitation        75% (3 of 4)        100% (3 of 3)       50% (1 of 2)
    own               50% (1 of 2)        0% (0 of 2)         0% (0 of 1)
    plan              100% (1 of 1)       nobody yet          nobody yet
Transvaal:  invitation 100% (2 of 2), 100% (2 of 2), 50% (1 of 2); own 50% (1 of 2), 0% (0 of 2), 0% (0 of 1).
Benoordenhout: invitation 50% (1 of 2), 100% (1 of 1), -; plan 100% (1 of 1), -, -.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import sqlalchemy as sa

from coprod_match.continuity import evidence
from coprod_match.continuity.retention import Kept, PlacementSpan, add_months, retention
from coprod_match.i18n import local_today
from coprod_match.models import (
    ContactCheckIn,
    Neighbourhood,
    PlacementEvent,
    PlacementState,
    Role,
    VolunteerCheckIn,
    utcnow,
)
from tests import factories
from tests.conftest import login_as

INVITATION, OWN, PLAN = "invitation", "own", "plan"
TRANSVAAL, BENOORDENHOUT = "Transvaal", "Benoordenhout"

# (number, channel, place, months before today it started, months after its start it ended or None)
SCENARIO = [
    (1, INVITATION, TRANSVAAL, 13, None),
    (2, INVITATION, TRANSVAAL, 13, 8),
    (3, INVITATION, BENOORDENHOUT, 7, None),
    (4, INVITATION, BENOORDENHOUT, 4, 1),
    (5, OWN, TRANSVAAL, 12, 2),
    (6, OWN, TRANSVAAL, 6, 3),
    (7, OWN, BENOORDENHOUT, 2, None),
    (8, PLAN, BENOORDENHOUT, 5, 4),
    (9, PLAN, TRANSVAAL, 1, None),
]
PAUSED_AND_BACK = 3

CITY = {
    INVITATION: {3: Kept(4, 3), 6: Kept(3, 3), 12: Kept(2, 1)},
    OWN: {3: Kept(2, 1), 6: Kept(2, 0), 12: Kept(1, 0)},
    PLAN: {3: Kept(1, 1), 6: Kept(0, 0), 12: Kept(0, 0)},
}
IN_TRANSVAAL = {
    INVITATION: {3: Kept(2, 2), 6: Kept(2, 2), 12: Kept(2, 1)},
    OWN: {3: Kept(2, 1), 6: Kept(2, 0), 12: Kept(1, 0)},
    PLAN: {3: Kept(0, 0), 6: Kept(0, 0), 12: Kept(0, 0)},
}
IN_BENOORDENHOUT = {
    INVITATION: {3: Kept(2, 1), 6: Kept(1, 1), 12: Kept(0, 0)},
    OWN: {3: Kept(0, 0), 6: Kept(0, 0), 12: Kept(0, 0)},
    PLAN: {3: Kept(1, 1), 6: Kept(0, 0), 12: Kept(0, 0)},
}


def _noon(day: dt.date) -> dt.datetime:
    # Noon UTC is the same day in The Hague, summer and winter.
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _moments(today: dt.date, months_ago: int, lasted: int | None) -> tuple[dt.datetime, dt.datetime | None]:
    start = add_months(today, -months_ago)
    return _noon(start), (_noon(add_months(start, lasted)) if lasted is not None else None)


def _spans(today: dt.date, place_ids: dict[str, int]) -> list[PlacementSpan]:
    return [PlacementSpan(number, channel, place_ids[place], *_moments(today, months_ago, lasted))
            for number, channel, place, months_ago, lasted in SCENARIO]


# --- the pure count ---------------------------------------------------------------------------


def test_the_hand_counted_scenario():
    whole, places = retention(_spans(dt.date(2026, 12, 1), {TRANSVAAL: 1, BENOORDENHOUT: 2}), dt.date(2026, 12, 1))
    assert whole.counts == CITY
    assert places[1].counts == IN_TRANSVAAL and places[2].counts == IN_BENOORDENHOUT
    assert whole.counts[INVITATION][3].share == 0.75 and whole.counts[PLAN][6].share is None


def test_calendar_months_end_at_the_shorter_month_s_last_day():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), -12) == dt.date(2025, 12, 15)
    # Started 31 August: three months later is 30 November, so it is observed from that day, not before.
    span = PlacementSpan(1, OWN, None, _noon(dt.date(2026, 8, 31)), None)
    assert retention([span], dt.date(2026, 11, 29))[0].counts[OWN][3] == Kept(0, 0)
    assert retention([span], dt.date(2026, 11, 30))[0].counts[OWN][3] == Kept(1, 1)


def test_the_day_is_the_hague_s_not_utc_s():
    # 23:30 UTC on 30 April is already 1 May in The Hague: three months later is 1 August.
    span = PlacementSpan(1, OWN, None, dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC), None)
    assert retention([span], dt.date(2026, 7, 31))[0].observed == 0
    assert retention([span], dt.date(2026, 8, 1))[0].observed == 1


# --- through the database and the pages ---------------------------------------------------------


def _move(session, placement, to_state: PlacementState, at: dt.datetime, from_state=None):
    session.add(PlacementEvent(placement_id=placement.id, from_state=from_state, to_state=to_state.value, at=at))


def _check_in(session, placement, month: dt.date, **answer):
    if answer:
        answer = {"answered_at": utcnow(), "answered_via": "link", **answer}
    session.add(VolunteerCheckIn(placement_id=placement.id, month=month, token_hash=secrets.token_hex(32),
                                 expires_at=utcnow() + dt.timedelta(days=30), **answer))


@pytest.fixture
def scenario(db_session, make_user):
    """The scenario's placements with their moves, and this month's check-ins:
    Transvaal: 3 volunteers asked, 2 answered (appreciated 4 and 5, supported 2 and 3, too much 1 and 2;
    one yes, one paused); 2 contacts asked, 1 answered. Benoordenhout: 1 volunteer asked and answered (stopped)."""
    today = local_today()
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    initiatives = {place: factories.initiative(db_session, title=f"Koffie in {place}", neighbourhood=place,
                                               contact=contact)
                   for place in (TRANSVAAL, BENOORDENHOUT)}
    placements = {}
    for number, channel, place, months_ago, lasted in SCENARIO:
        started, ended = _moments(today, months_ago, lasted)
        placement = factories.placement(db_session, make_user(), initiatives[place],
                                        PlacementState.ENDED if ended else PlacementState.ACTIVE,
                                        came_through=channel)
        _move(db_session, placement, PlacementState.ACCEPTED, started - dt.timedelta(days=3))
        _move(db_session, placement, PlacementState.ACTIVE, started, PlacementState.ACCEPTED)
        if number == PAUSED_AND_BACK:
            _move(db_session, placement, PlacementState.PAUSED, started + dt.timedelta(days=40))
            _move(db_session, placement, PlacementState.ACTIVE, started + dt.timedelta(days=60))
        if ended:
            _move(db_session, placement, PlacementState.ENDED, ended, PlacementState.ACTIVE)
        placements[number] = placement
    never = factories.placement(db_session, make_user(), initiatives[TRANSVAAL], PlacementState.DECLINED,
                                came_through=OWN)
    _move(db_session, never, PlacementState.INVITED, _noon(add_months(today, -14)))
    _move(db_session, never, PlacementState.DECLINED, _noon(add_months(today, -14)), PlacementState.INVITED)

    month = today.replace(day=1)
    _check_in(db_session, placements[1], month, still_helping="yes", appreciated=4, supported=2, too_much=1)
    _check_in(db_session, placements[6], month, still_helping="paused", appreciated=5, supported=3, too_much=2)
    _check_in(db_session, placements[9], month)
    _check_in(db_session, placements[3], month, still_helping="stopped", appreciated=1, supported=1, too_much=5)
    other = make_user(Role.PROFESSIONAL)
    db_session.add_all([
        ContactCheckIn(initiative_id=initiatives[TRANSVAAL].id, professional_id=contact.id, month=month,
                       answered_at=utcnow(), hours=6, burden="same", needs_help=False),
        ContactCheckIn(initiative_id=initiatives[TRANSVAAL].id, professional_id=other.id, month=month),
    ])
    db_session.commit()
    return {name: db_session.scalar(sa.select(Neighbourhood.id).where(Neighbourhood.name == name))
            for name in (TRANSVAAL, BENOORDENHOUT)}


def test_the_scenario_through_the_database(db_session, scenario):
    spans = evidence.placement_spans(db_session, None)
    assert len(spans) == 9 and all(span.started_at.tzinfo for span in spans)
    whole, places = retention(spans, local_today())
    assert whole.counts == CITY
    assert places[scenario[TRANSVAAL]].counts == IN_TRANSVAAL
    assert places[scenario[BENOORDENHOUT]].counts == IN_BENOORDENHOUT
    only_transvaal, _ = retention(evidence.placement_spans(db_session, [scenario[TRANSVAAL]]), local_today())
    assert only_transvaal.counts == IN_TRANSVAAL

    months = evidence.last_months(local_today())
    this_month = evidence.answers_by_month(db_session, [scenario[TRANSVAAL]], months, min_answers=2)[-1]
    assert (this_month.asked, this_month.answered, this_month.yes, this_month.paused, this_month.stopped) == (3, 2, 1, 1, 0)
    assert (this_month.appreciated, this_month.supported, this_month.too_much) == (
        evidence.Average(4.5, 2), evidence.Average(2.5, 2), evidence.Average(1.5, 2))
    assert (this_month.contacts_asked, this_month.contacts_answered) == (2, 1)
    # Two answers are below the minimum of three: counted, but no average.
    too_few = evidence.answers_by_month(db_session, [scenario[TRANSVAAL]], months, min_answers=3)[-1]
    assert too_few.appreciated == evidence.Average(None, 2) and too_few.answered == 2
    city = evidence.answers_by_month(db_session, None, months, min_answers=3)
    assert (city[-1].asked, city[-1].answered, city[-1].stopped) == (4, 3, 1)
    assert city[-1].appreciated.value == pytest.approx(10 / 3)
    assert all(month.asked == 0 and month.appreciated == evidence.Average() for month in city[:-1])


def _html(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_the_dashboard_and_the_evidence_page_show_the_city_s_figures(client, make_user, scenario):
    login_as(client, make_user(Role.ADMIN))
    dashboard = _html(client, "/coordination/")
    keeps = dashboard[dashboard.index('id="keeps-heading"'):]
    for figure in ("75% (3 of 4)", "100% (3 of 3)", "50% (1 of 2)", "0% (0 of 2)", "0% (0 of 1)", "100% (1 of 1)"):
        assert figure in keeps, figure
    assert "Invited personally by a professional" in keeps and "/coordination/evidence" in keeps
    # Every channel in order, not one "best": the plan's 100% of one person is no winner over 75% of four.
    assert ("After 3 months, 75% of those invited personally by a professional still help. "
            "After 3 months, 50% of those who signed up themselves still help. "
            "After 3 months, 100% of those who came through the district plan still help.") in keeps
    assert "Each number counts only the people who started at least that long ago" in keeps
    assert "75% (3 of 4), few people" in keeps  # below five people a share moves with one person

    page = _html(client, "/coordination/evidence")
    assert "75% (3 of 4)" in page and "100% (2 of 2)" in page  # the city, and Transvaal's own table
    assert "<caption>Transvaal</caption>" in page and "<caption>Benoordenhout</caption>" in page
    # This month's answers of Transvaal and Benoordenhout together: (4 + 5 + 1) / 3, (2 + 3 + 1) / 3, (1 + 2 + 5) / 3.
    for header, average in (("I feel appreciated", "3.3"), ("I feel supported by the contact person", "2.0"),
                            ("It is too much for me", "2.7")):
        assert f'<td data-label="{header}">{average}</td>' in page, header
    assert "75% (3 of 4)" in page and "50% (1 of 2)" in page  # volunteers and contacts who answered
    assert "<svg" in page and page.count('class="card chart-card"') == 3
    # The month we are in is only in the tables, marked "so far": the pictures end with last month,
    # which had no answers, so they draw no dot at all.
    assert page.count(" (so far)</th>") == 2 and "<circle" not in page
    assert "This month is not over yet, so it is only in the table." in page


def test_a_coordinator_sees_the_figures_of_their_own_area_only(client, db_session, make_user, scenario):
    coordinator = make_user(Role.COORDINATOR, is_municipal=False)
    coordinator.work_areas = db_session.scalars(
        sa.select(Neighbourhood).where(Neighbourhood.district == "Centrum")).all()
    db_session.commit()
    login_as(client, coordinator)
    keeps = _html(client, "/coordination/")
    keeps = keeps[keeps.index('id="keeps-heading"'):]
    assert "100% (2 of 2)" in keeps and "75% (3 of 4)" not in keeps
    page = _html(client, "/coordination/evidence")
    assert "<caption>Transvaal</caption>" in page and "Benoordenhout" not in page
    assert "67% (2 of 3)" in page and "75% (3 of 4)" not in page  # Benoordenhout's "stopped" is not counted
    # Two answers in Transvaal this month: below the minimum of three, no average is shown.
    assert '<td data-label="I feel appreciated">too few answers</td>' in page and ">4.5<" not in page
    _html(client, f"/coordination/evidence?neighbourhood={scenario[BENOORDENHOUT]}", 404)
    assert "100% (2 of 2)" in _html(client, f"/coordination/evidence?neighbourhood={scenario[TRANSVAAL]}")


def test_empty_states_in_plain_words(client, make_user):
    login_as(client, make_user(Role.ADMIN))
    dashboard = _html(client, "/coordination/")
    assert "No placements started 12 months ago yet." in dashboard
    page = _html(client, "/coordination/evidence")
    for sentence in ("No placements started 3 months ago yet.", "No volunteer has started in these neighbourhoods yet.",
                     "No volunteer has answered a monthly question yet.",
                     "Nobody has been asked a monthly question yet."):
        assert sentence in page, sentence
    _html(client, "/coordination/evidence?neighbourhood=x")  # a word for an id is no neighbourhood: all of them


def test_citizens_and_professionals_are_refused(client, make_user):
    for role in (Role.CITIZEN, Role.PROFESSIONAL):
        login_as(client, make_user(role))
        assert client.get("/coordination/evidence").status_code in (403, 404)
