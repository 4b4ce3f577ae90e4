"""The placement plan page: asks for a plan, shows the stored one page by page with its age, never solves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.matching import plan, plan_runs
from coprod_match.models import AuditEntry, PlanRun, PlanState, Role, utcnow
from coprod_match.transaction import unit_of_work
from coprod_match.web import matching as matching_pages
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, client_for


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL)
    day_care = factories.day_care(db_session, contact=contact)
    sports = factories.initiative(db_session, title="Sports for women", neighbourhood="Transvaal",
                                  schedule_slots=TUESDAY_MORNING, languages=["tr"], volunteers_ideal=1)
    residents = [factories.profile(make_user(Role.CITIZEN, name=name), availability_slots=TUESDAY_MORNING,
                                   native_languages=["tr"], consents=True) for name in ("Ayse Yilmaz", "Fatma Kaya")]
    db_session.commit()
    return {"day_care": day_care, "sports": sports, "residents": residents, "contact": contact,
            "coordinator": make_user(Role.COORDINATOR), "admin": make_user(Role.ADMIN)}


@pytest.fixture
def no_solving_in_requests(monkeypatch):
    """Any solve from here on fails the test: pages must only read stored plans."""
    def refuse(*args, **kwargs):
        raise AssertionError("a request tried to make a plan")

    monkeypatch.setattr(plan, "build_plan", refuse)
    return refuse


def _make_waiting_plan(session) -> None:
    with unit_of_work(session):
        plan_runs.make_next_plan(session, now=utcnow())


def _ask(client, district: str = "") -> object:
    token = csrf_token(client, "/matching/plan")
    return client.post("/matching/plan", data={"csrf_token": token, "district": district})


def test_before_any_plan_the_page_says_so_and_offers_to_make_one(app, world):
    page = client_for(app, world["coordinator"]).get("/matching/plan")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert "No plan has been made yet" in text and "Make a plan" in text


def test_asking_queues_a_plan_and_the_request_returns_before_anything_is_solved(
        app, world, db_session, no_solving_in_requests):
    client = client_for(app, world["coordinator"])
    answer = _ask(client, "Centrum")
    assert answer.status_code == 302 and "district=Centrum" in answer.headers["Location"]
    again = _ask(client, "Centrum")  # asking again while it waits joins the waiting plan
    assert again.status_code == 302
    waiting = db_session.scalars(sa.select(PlanRun)).all()
    assert [(run.district, run.state, run.requested_by_id) for run in waiting] == [
        ("Centrum", PlanState.QUEUED, world["coordinator"].id)]
    page = client.get("/matching/plan?district=Centrum")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Refresh"] == "15"
    assert "A new plan was asked for" in text and "Look again" in text and "Make a new plan" not in text
    # The whole city is another plan: nothing waits for it.
    assert "Refresh" not in client.get("/matching/plan").headers


def test_the_stored_plan_is_shown_page_by_page_with_its_age(app, world, db_session, monkeypatch):
    monkeypatch.setattr(matching_pages, "PLAN_ROWS_PER_PAGE", 1)
    client = client_for(app, world["coordinator"])
    _ask(client)
    _make_waiting_plan(db_session)
    first = client.get("/matching/plan")
    text = first.get_data(as_text=True)
    assert first.status_code == 200 and "Refresh" not in first.headers
    assert "Made" in text and ("0 seconds ago" in text or "1 second ago" in text)
    assert "Page 1 of 2" in text and "Make a new plan" in text
    second = client.get("/matching/plan?page=2").get_data(as_text=True)
    names = {person.display_name for person in world["residents"]}
    shown = [{name for name in names if name in page} for page in (text, second)]
    assert shown[0] | shown[1] == names and len(shown[0]) == len(shown[1]) == 1
    assert "Page 2 of 2" in second
    assert "This page is empty." in client.get("/matching/plan?page=7").get_data(as_text=True)
    assert client.get("/matching/plan?page=x").status_code == 200
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "matching.plan_viewed")
                               .order_by(AuditEntry.id)).all()
    assert [len(look.resident_ids) for look in looks[-4:]] == [1, 1, 0, 1]


def test_the_page_says_so_when_the_last_plan_failed(app, world, db_session, monkeypatch):
    client = client_for(app, world["coordinator"])
    _ask(client)

    def broken(network):
        raise RuntimeError("min-cost flow did not solve: status 3")

    monkeypatch.setattr(plan, "solve", broken)
    _make_waiting_plan(db_session)
    page = client.get("/matching/plan")
    assert page.status_code == 200
    assert "The last plan could not be made" in page.get_data(as_text=True)


def test_only_coordinators_and_admins_see_and_ask_for_plans(app, world, db_session):
    for user in (world["contact"], world["residents"][0]):
        client = client_for(app, user)
        assert client.get("/matching/plan").status_code == 403
        token = csrf_token(client, "/")
        assert client.post("/matching/plan", data={"csrf_token": token}).status_code == 403
    anonymous = client_for(app, None).post("/matching/plan")
    assert anonymous.status_code in (302, 400)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 0
    # A plan one coordinator asked for is the plan of the district: an admin sees it and joins it.
    _ask(client_for(app, world["coordinator"]))
    admin = client_for(app, world["admin"])
    assert "A new plan was asked for" in admin.get("/matching/plan").get_data(as_text=True)
    _ask(admin)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 1


def test_bad_input_when_asking_never_fails(app, world, db_session):
    client = client_for(app, world["coordinator"])
    token = csrf_token(client, "/matching/plan")
    assert client.post("/matching/plan", data={"district": ""}).status_code == 400  # no CSRF token
    for district in ("Atlantis", "x" * 5000):
        answer = client.post("/matching/plan", data={"csrf_token": token, "district": district},
                             follow_redirects=True)
        assert answer.status_code == 200 and "There is no such district." in answer.get_data(as_text=True)
    assert client.post("/matching/plan", data={"csrf_token": token, "district": "a\x00"}).status_code == 400
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 0


def test_the_page_in_dutch(app, world, db_session):
    world["coordinator"].preferred_locale = "nl"
    db_session.commit()
    client = client_for(app, world["coordinator"])
    assert "Er is nog geen plan gemaakt" in client.get("/matching/plan").get_data(as_text=True)
    _ask(client)
    _make_waiting_plan(db_session)
    text = client.get("/matching/plan").get_data(as_text=True)
    assert "geleden" in text and "Maak een nieuw plan" in text


def test_the_plan_explains_its_numbers_in_words(app, world, db_session):
    from coprod_match.matching.engine import fit_out_of_100
    from coprod_match.matching.facts import Weights
    from coprod_match.models import PlanRow

    client = client_for(app, world["coordinator"])
    _ask(client)
    _make_waiting_plan(db_session)
    text = client.get("/matching/plan").get_data(as_text=True)
    rows = db_session.scalars(sa.select(PlanRow)).all()
    fits = [fit_out_of_100(row.score, Weights.from_mapping(app.config)) for row in rows]
    average = fit_out_of_100(sum(row.score for row in rows) / len(rows), Weights.from_mapping(app.config))
    assert "How well people fit, 0\N{EN DASH}100" in text and f"On average {average} of 100." in text
    assert "100 means: speaks a language of the participants" in text
    assert "Initiatives at risk helped" in text and "initiatives at risk here get a new volunteer." in text
    assert "2 residents each get a proposal for one initiative." in text
    for fit in fits:
        assert f'data-label="Fit, 0\N{EN DASH}100">{fit}</td>' in text
    assert "Total fit" not in text  # the old unexplained sum

    world["coordinator"].preferred_locale = "nl"
    db_session.commit()
    dutch = client_for(app, world["coordinator"]).get("/matching/plan").get_data(as_text=True)
    assert f"Gemiddeld {average} van 100." in dutch and "Hoe goed mensen passen, 0\N{EN DASH}100" in dutch
    made = db_session.scalar(sa.select(PlanRun.finished_at))
    from babel.dates import format_datetime

    assert format_datetime(made, "short", tzinfo="Europe/Amsterdam", locale="nl") in dutch
