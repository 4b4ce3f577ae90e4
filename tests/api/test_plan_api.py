"""The placement plan in the API: the stored plan a page at a time with its age, and asking for a new one."""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.matching import plan, plan_runs
from coprod_match.models import PlanRun, Role, utcnow
from coprod_match.transaction import unit_of_work

PLANS = "/api/v1/placement-plans"


def _make_waiting_plan(session) -> None:
    with unit_of_work(session):
        plan_runs.make_next_plan(session, now=utcnow())


def test_asking_answers_at_once_and_asking_again_joins_the_waiting_plan(client, world, db_session, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request tried to make a plan")

    monkeypatch.setattr(plan, "build_plan", refuse)
    coordinator, admin = world.headers(Role.COORDINATOR), world.headers(Role.ADMIN)
    asked = client.post(PLANS, json={"district": "Centrum"}, headers=coordinator)
    assert asked.status_code == 202
    body = asked.get_json()
    assert body["state"] == "queued" and body["district"] == "Centrum" and body["finished_at"] is None
    assert client.post(PLANS, json={"district": "Centrum"}, headers=admin).get_json()["id"] == body["id"]
    city = client.post(PLANS, json={}, headers=admin).get_json()
    assert city["district"] is None and city["id"] != body["id"]
    shown = client.get(PLANS, query_string={"district": "Centrum"}, headers=coordinator).get_json()
    assert shown["plan"] is None and shown["waiting"]["id"] == body["id"] and shown["items"] == []
    assert shown["age_seconds"] is None and shown["pagination"]["total"] == 0


def test_the_stored_plan_comes_a_page_at_a_time_with_its_age(client, world, db_session):
    coordinator = world.headers(Role.COORDINATOR)
    client.post(PLANS, json={"district": None}, headers=coordinator)
    _make_waiting_plan(db_session)
    whole = client.get(PLANS, headers=coordinator).get_json()
    assert whole["plan"]["state"] == "done" and whole["waiting"] is None and whole["failed"] is None
    assert 0 <= whole["age_seconds"] < 60
    assert whole["summary"]["placed"] == len(whole["items"]) == whole["pagination"]["total"] >= 2
    first = client.get(PLANS, query_string={"per_page": 1}, headers=coordinator)
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(PLANS, query_string={"per_page": 1, "page": 2}, headers=coordinator).get_json()
    assert first.get_json()["items"] + second["items"] == whole["items"][:2]
    row = whole["items"][0]
    assert set(row) == {"citizen", "initiative_id", "initiative_title", "score", "reasons"}
    assert row["reasons"] and {"code", "text"} <= set(row["reasons"][0])


def test_a_failed_plan_is_reported_not_a_server_error(client, world, db_session, monkeypatch):
    def broken(network):
        raise RuntimeError("min-cost flow did not solve: status 3")

    monkeypatch.setattr(plan, "solve", broken)
    client.post(PLANS, json={}, headers=world.headers(Role.ADMIN))
    _make_waiting_plan(db_session)
    shown = client.get(PLANS, headers=world.headers(Role.ADMIN))
    assert shown.status_code == 200
    assert shown.get_json()["failed"]["state"] == "failed" and shown.get_json()["plan"] is None


def test_only_coordinators_and_admins_and_bad_input_gets_a_problem_document(client, world, db_session):
    for role in (Role.CITIZEN, Role.PROFESSIONAL):
        assert client.post(PLANS, json={}, headers=world.headers(role)).status_code == 403
        assert client.get(PLANS, headers=world.headers(role)).status_code == 403
    assert client.post(PLANS, json={}).status_code == 401
    coordinator = world.headers(Role.COORDINATOR)
    unknown = client.post(PLANS, json={"district": "Atlantis"}, headers=coordinator)
    assert unknown.status_code == 422 and unknown.mimetype == "application/problem+json"
    assert unknown.get_json()["errors"][0]["pointer"] == "#/district"
    for body in ({"district": ""}, {"district": 7}, {"whole_city": True}, {"district": "x" * 500}):
        answer = client.post(PLANS, json=body, headers=coordinator)
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json", body
    bad_query = client.get(PLANS, query_string={"district": "Atlantis"}, headers=coordinator)
    assert bad_query.status_code == 422 and bad_query.get_json()["errors"][0]["parameter"] == "district"
    assert client.get(PLANS, query_string={"page": 0}, headers=coordinator).status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 0
