"""Stored placement plans: asked for, made by the job outside any request, stored, read page by page."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.jobs.runner import IDLE, run_job
from coprod_match.matching import plan, plan_runs, reads, service
from coprod_match.models import (
    AuditEntry,
    JobRun,
    Placement,
    PlacementState,
    PlanRow,
    PlanRun,
    PlanState,
    Role,
    utcnow,
)
from coprod_match.transaction import unit_of_work
from tests import factories


@pytest.fixture
def world(db_session, make_user):
    """Two initiatives in Centrum at risk, and three Turkish-speaking residents free on Tuesday mornings."""
    day_care = factories.day_care(db_session)
    sports = factories.initiative(db_session, title="Sports for women", neighbourhood="Transvaal",
                                  schedule_slots=factories.TUESDAY_MORNING, languages=["tr"], volunteers_ideal=1)
    residents = [factories.profile(make_user(Role.CITIZEN, name=name), availability_slots=factories.TUESDAY_MORNING,
                                   native_languages=["tr"], consents=True) for name in ("Ayse", "Fatma", "Emine")]
    coordinator = make_user(Role.COORDINATOR)
    db_session.commit()
    return {"day_care": day_care, "sports": sports, "residents": residents, "coordinator": coordinator}


def _make_next(session) -> dict:
    with unit_of_work(session):
        return plan_runs.make_next_plan(session, now=utcnow())


def test_asking_queues_one_plan_per_scope_and_asking_again_joins_it(db_session, world, make_user):
    other = make_user(Role.ADMIN)
    first = plan_runs.ask_for_plan(db_session, district="Centrum", actor=world["coordinator"])
    again = plan_runs.ask_for_plan(db_session, district="Centrum", actor=other)
    city = plan_runs.ask_for_plan(db_session, district=None, actor=other)
    db_session.commit()
    assert again.id == first.id and city.id != first.id
    assert first.state == PlanState.QUEUED and first.requested_by_id == world["coordinator"].id
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRun)) == 2
    with pytest.raises(service.UnknownDistrictError):
        plan_runs.ask_for_plan(db_session, district="Atlantis", actor=other)
    # The database itself refuses a second waiting plan for the same scope (two requests racing).
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.add(PlanRun(district="Centrum", scope_key="district:Centrum", state=PlanState.QUEUED))
    requested = db_session.scalars(sa.select(AuditEntry.details).where(
        AuditEntry.action == "matching.plan_requested")).all()
    assert requested == [{"district": "Centrum"}, {"district": None}]


def test_the_job_turns_a_queued_plan_into_a_stored_one_equal_to_a_fresh_solve(db_session, world):
    asked = plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanRow)) == 0  # asking solved nothing

    counts = _make_next(db_session)

    stored = db_session.get(PlanRun, asked.id)
    assert counts == {"plan_run_id": asked.id, "state": PlanState.DONE, "rows": 3}
    assert stored.state == PlanState.DONE and stored.started_at <= stored.finished_at
    fresh = service.placement_plan(db_session)
    assert stored.summary["placed"] == fresh.placed == 3 and stored.summary["at_risk_served"] == 2
    assert stored.inputs["citizens"] == 3 and stored.inputs["initiatives"] == 2
    assert stored.inputs["candidates_per_citizen"] == 50 and stored.inputs["weights"]["language"] == 3.0
    found = reads.read_plan(db_session, actor=world["coordinator"], district=None)
    assert found.rows == fresh.rows  # scores and reasons survive the round trip through JSON
    assert found.waiting is None and found.failed is None
    assert _make_next(db_session) == {"plan_run_id": None}  # nothing left to make


def test_rows_are_read_a_page_at_a_time_and_each_look_names_the_residents_shown(db_session, world):
    plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    _make_next(db_session)
    whole = reads.read_plan(db_session, actor=world["coordinator"], district=None)
    first = reads.read_plan(db_session, actor=world["coordinator"], district=None, page=1, per_page=2)
    second = reads.read_plan(db_session, actor=world["coordinator"], district=None, page=2, per_page=2)
    beyond = reads.read_plan(db_session, actor=world["coordinator"], district=None, page=9, per_page=2)
    db_session.commit()
    assert first.rows + second.rows == whole.rows and beyond.rows == []
    assert (first.page.total, first.page.pages, first.page.has_next, second.page.has_next) == (3, 2, True, False)
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "matching.plan_viewed")
                               .order_by(AuditEntry.id)).all()
    assert [look.resident_ids for look in looks[1:]] == [
        sorted(row.citizen_id for row in first.rows), sorted(row.citizen_id for row in second.rows), []]
    assert {look.entity_id for look in looks} == {whole.plan_run.id}


def test_a_district_plan_only_proposes_that_districts_initiatives(db_session, world):
    plan_runs.ask_for_plan(db_session, district="Centrum", actor=world["coordinator"])
    db_session.commit()
    _make_next(db_session)
    centrum = reads.read_plan(db_session, actor=world["coordinator"], district="Centrum")
    assert {row.initiative_id for row in centrum.rows} == {world["day_care"].id, world["sports"].id}
    # The city has no plan yet: a district's plan is not the city's.
    assert reads.read_plan(db_session, actor=world["coordinator"], district=None).plan_run is None


def test_a_failing_solve_is_stored_as_failed_and_the_older_plan_stays_shown(app, db_session, world, monkeypatch):
    plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    _make_next(db_session)

    def broken(network):
        raise RuntimeError("min-cost flow did not solve: status 3")

    monkeypatch.setattr(plan, "solve", broken)
    plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    result = run_job(app, "placement_plans", "test-holder")  # the scheduler's way: lease and run log

    assert result.outcome == "succeeded" and result.counts["state"] == PlanState.FAILED
    found = reads.read_plan(db.session, actor=world["coordinator"], district=None)
    assert found.failed is not None and "did not solve" in found.failed.error
    assert found.plan_run is not None and len(found.rows) == 3  # the last good plan is still there


def test_a_poll_that_finds_nothing_takes_no_lease_and_logs_nothing(app, db_session, world):
    assert run_job(app, "placement_plans", "test-holder").outcome == IDLE
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0
    plan_runs.ask_for_plan(db.session, district=None, actor=None)
    db.session.commit()
    made = run_job(app, "placement_plans", "test-holder")
    assert made.outcome == "succeeded" and made.counts["rows"] == 3
    assert db.session.scalar(sa.select(JobRun.job_name)) == "placement_plans"


def test_a_plan_left_running_by_a_dead_process_is_given_up(db_session, world):
    asked = plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    long_ago = utcnow() - dt.timedelta(hours=2)
    assert plan_runs.claim_next_plan(db.engine, now=long_ago) == asked.id  # claimed, then the process died
    assert plan_runs.has_waiting_plan(db_session)  # the next poll looks at it
    assert plan_runs.claim_next_plan(db.engine, now=utcnow()) is None  # and gives it up: nothing to make
    assert not plan_runs.has_waiting_plan(db_session)
    db_session.expire_all()
    assert db_session.get(PlanRun, asked.id).state == PlanState.FAILED
    assert db_session.get(PlanRun, asked.id).error == plan_runs.ABANDONED


def test_inviting_from_stored_rows_checks_each_row_again(db_session, world):
    plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"])
    db_session.commit()
    _make_next(db_session)
    rows = reads.read_plan(db_session, actor=world["coordinator"], district=None).rows
    # Since the plan was made, the sports group filled its one place.
    taken = next(row for row in rows if row.initiative_id == world["sports"].id)
    someone_else = next(p for p in world["residents"] if p.id != taken.citizen_id)
    factories.placement(db_session, someone_else, world["sports"], PlacementState.ACTIVE)
    db_session.commit()
    outcome = service.invite_plan_rows(db_session, [(r.citizen_id, r.initiative_id) for r in rows],
                                       actor=world["coordinator"])
    db_session.commit()
    assert (taken.citizen_id, taken.initiative_id, "no_longer_fits") in outcome.skipped
    invited = db_session.scalars(sa.select(Placement).where(Placement.state == PlacementState.INVITED)).all()
    assert {(p.citizen_id, p.initiative_id) for p in invited} == set(outcome.invited)
    assert outcome.invited and all(pair[1] == world["day_care"].id for pair in outcome.invited)


def test_only_the_newest_few_plans_of_a_scope_are_kept(db_session, world):
    made = []
    for _ in range(plan_runs.KEEP_PLANS + 1):
        made.append(plan_runs.ask_for_plan(db_session, district=None, actor=world["coordinator"]).id)
        db_session.commit()
        _make_next(db_session)
    plan_runs.ask_for_plan(db_session, district="Centrum", actor=world["coordinator"])
    db_session.commit()
    _make_next(db_session)
    kept = db_session.scalars(sa.select(PlanRun.id).where(PlanRun.district.is_(None)).order_by(PlanRun.id)).all()
    assert kept == made[1:]
    assert db_session.scalar(sa.select(sa.func.count()).where(PlanRow.plan_run_id == made[0])) == 0
    assert db_session.scalar(sa.select(sa.func.count()).where(PlanRow.plan_run_id == made[-1])) == 3
