"""Leases, the run log and the scheduler's set-up, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler

from coprod_match.extensions import db
from coprod_match.jobs import registry
from coprod_match.jobs.lease import end_lease, lease_holder, take_lease
from coprod_match.jobs.registry import JOBS, JobSpec
from coprod_match.jobs.runner import run_job
from coprod_match.jobs.scheduler import build_scheduler
from coprod_match.jobs.schedules import DailyAt, Every
from coprod_match.models import JobLease, JobRun, Role, utcnow
from tests import factories

T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def runs(session, job_name="continuity_scan"):
    session.expire_all()
    return session.scalars(sa.select(JobRun).where(JobRun.job_name == job_name)
                           .order_by(JobRun.id)).all()


# --- schedules ---------------------------------------------------------------------------------


def test_interval_slots_are_aligned_so_every_process_agrees():
    hourly = Every(3600)
    assert hourly.slot(T0 + 25 * MINUTE) == (T0, T0 + 60 * MINUTE)
    assert hourly.slot(T0) == (T0, T0 + 60 * MINUTE)
    assert Every(2).slot(T0 + dt.timedelta(seconds=3.5))[0] == T0 + dt.timedelta(seconds=2)
    fire = hourly.trigger().get_next_fire_time(None, T0 + 25 * MINUTE)
    assert fire == T0 + 60 * MINUTE


def test_daily_slot_starts_at_the_hour_even_before_it_on_the_next_day():
    daily = DailyAt(6)
    six = T0.replace(hour=6)
    assert daily.slot(T0) == (six, six + dt.timedelta(days=1))
    early = T0.replace(hour=5)
    assert daily.slot(early)[0] == six - dt.timedelta(days=1)


# --- leases ------------------------------------------------------------------------------------


def test_a_lease_is_taken_once_until_it_expires(app):
    engine = db.engine
    assert take_lease(engine, "job", "a", now=T0, until=T0 + MINUTE)
    assert not take_lease(engine, "job", "b", now=T0 + dt.timedelta(seconds=30), until=T0 + MINUTE)
    assert not take_lease(engine, "job", "a", now=T0 + dt.timedelta(seconds=30), until=T0 + MINUTE)
    assert lease_holder(engine, "job") == "a"
    assert take_lease(engine, "job", "b", now=T0 + MINUTE, until=T0 + 2 * MINUTE)
    assert lease_holder(engine, "job") == "b"
    end_lease(engine, "job", "a", until=T0)  # not a's any more: no effect
    assert not take_lease(engine, "job", "c", now=T0 + 90 * dt.timedelta(seconds=1),
                          until=T0 + 3 * MINUTE)
    end_lease(engine, "job", "b", until=T0 + 90 * dt.timedelta(seconds=1))
    assert take_lease(engine, "job", "c", now=T0 + 90 * dt.timedelta(seconds=1),
                      until=T0 + 3 * MINUTE)


# --- runs --------------------------------------------------------------------------------------


def test_a_second_scheduler_skips_the_run_of_the_same_slot(app, db_session, make_user):
    initiative = factories.initiative(db_session, contact=make_user(Role.PROFESSIONAL))
    factories.placement(db_session, make_user(), initiative, since=utcnow() - dt.timedelta(days=1))
    db_session.commit()

    first = run_job(app, "continuity_scan", "scheduler-a")
    second = run_job(app, "continuity_scan", "scheduler-b")
    assert first.outcome == "succeeded" and second.outcome == "skipped"
    assert first.counts["opened"] == 1
    assert first.counts["scheduled_for"] == second.counts["scheduled_for"]
    logged = runs(db_session)
    assert [(r.holder, r.outcome) for r in logged] == [("scheduler-a", "succeeded"),
                                                        ("scheduler-b", "skipped")]
    assert logged[0].finished_at >= logged[0].started_at
    assert logged[0].counts["by_kind"]["single_volunteer"]["opened"] == 1


def test_the_next_slot_runs_again(app, db_session, monkeypatch):
    import coprod_match.jobs.runner as runner

    moments = iter([T0 + dt.timedelta(seconds=10), T0 + dt.timedelta(seconds=11),
                    T0 + dt.timedelta(hours=1, seconds=1), T0 + dt.timedelta(hours=1, seconds=2)])
    monkeypatch.setattr(runner, "utcnow", lambda: next(moments))
    assert run_job(app, "continuity_scan", "a").outcome == "succeeded"
    assert run_job(app, "continuity_scan", "b").outcome == "succeeded"  # next hour
    first, second = runs(db_session)
    assert first.counts["scheduled_for"] != second.counts["scheduled_for"]


def test_a_failing_job_is_logged_and_frees_nothing_else(app, db_session, monkeypatch):
    def broken(session, context):
        raise RuntimeError("the body broke")

    spec = JobSpec("broken_job", broken, lambda config: Every(60))
    monkeypatch.setattr(registry, "JOBS", (*JOBS, spec))
    result = run_job(app, "broken_job", "a")
    assert result.outcome == "failed"
    [run] = runs(db_session, "broken_job")
    assert run.outcome == "failed" and "the body broke" in run.error and run.finished_at


def test_the_digest_job_reads_since_its_last_success(app, db_session, monkeypatch):
    from coprod_match.jobs import bodies

    seen = []
    monkeypatch.setattr("coprod_match.continuity.digest.send_digests",
                        lambda session, now, since: seen.append(since) or {"new_alerts": 0})
    assert run_job(app, "daily_digest", "a").outcome == "succeeded"
    assert seen == [None]
    first = runs(db_session, "daily_digest")[0]
    # A day later, the same job knows when the last digest went out.
    db.session.execute(sa.delete(JobLease))
    db.session.commit()
    assert run_job(app, "daily_digest", "b").outcome == "succeeded"
    assert seen[1] == first.started_at
    assert bodies.daily_digest  # the registry points at the real body


# --- the scheduler -----------------------------------------------------------------------------


def test_the_scheduler_has_every_job_coalesced_single_and_in_utc(app):
    scheduler = build_scheduler(app, "holder", BackgroundScheduler)
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert {"continuity_scan", "daily_digest", "continuity_scan:at-start"} <= set(jobs)
    assert str(scheduler.timezone) == "UTC"
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
    assert "interval" in str(jobs["continuity_scan"].trigger)
    assert "cron" in str(jobs["daily_digest"].trigger)


def test_the_web_app_never_starts_a_scheduler():
    code = ("import sys, threading, wsgi; "
            "print(any(m.startswith('apscheduler.schedulers') for m in sys.modules), "
            "[t.name for t in threading.enumerate() if t.name != 'MainThread'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"APP_ENV": "testing", "PATH": "/usr/bin:/bin"},
                            cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert result.stdout.strip() == "False []"


@pytest.mark.parametrize("spec", JOBS, ids=lambda spec: spec.name)
def test_scheduler_run_job_command(runner, spec, monkeypatch):
    monkeypatch.setattr("coprod_match.continuity.digest.send_digests",
                        lambda session, now, since: {"new_alerts": 0})
    result = runner.invoke(args=["scheduler", "run-job", spec.name])
    assert result.exit_code == 0, result.output
    # A polling job with nothing to do says so, and logs nothing.
    assert ("idle" if spec.has_work else "succeeded") in result.output
    listed = runner.invoke(args=["scheduler", "jobs"])
    assert "every 3600 seconds" in listed.output and "daily at" in listed.output
