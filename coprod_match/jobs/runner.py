"""Run one job once: take the lease for its slot, run the body, log the run.

Three units of work, so the log survives the body: the start of the run is
stored first, the body's changes are committed or rolled back as one, and
the outcome is stored after either. Job bodies flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

from ..extensions import db
from ..mail import mails_not_built
from ..models import JobOutcome, JobRun, utcnow
from ..transaction import unit_of_work
from .context import JobContext
from .lease import end_lease, take_lease
from .registry import job_named

log = logging.getLogger("coprod_match.jobs")
IDLE = "idle"


@dataclass(frozen=True)
class RunResult:
    run_id: int
    outcome: str
    counts: dict


def new_holder_id() -> str:
    """Names this scheduler process in leases and the run log."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _previous_success(job_name: str) -> dt.datetime | None:
    return db.session.scalar(
        sa.select(sa.func.max(JobRun.started_at))
        .where(JobRun.job_name == job_name, JobRun.outcome == JobOutcome.SUCCEEDED)
    )


def _log_run(**fields) -> JobRun:
    with unit_of_work(db.session):
        run = JobRun(**fields)
        db.session.add(run)
    return run


def run_job(app: Flask, job_name: str, holder: str) -> RunResult:
    """Run `job_name` for the slot the current moment falls in, unless another process has it.

    Every attempt is logged in job_runs: succeeded, failed (with the error), or
    skipped (the lease was taken). A failing body does not raise: the
    scheduler keeps going and the failure is in the log.
    """
    spec = job_named(job_name)
    with app.app_context():
        try:
            return _run(app, spec, holder)
        finally:
            db.session.remove()


def _run(app: Flask, spec, holder: str) -> RunResult:
    engine = db.engine
    now = utcnow()
    if spec.has_work is not None and not spec.has_work(db.session):
        return RunResult(0, IDLE, {})  # a poll that found nothing: no lease, no row in the log
    slot_start, slot_end = spec.schedule(app.config).slot(now)
    slot = {"scheduled_for": slot_start.isoformat()}
    lease_until = max(slot_end, now + dt.timedelta(seconds=int(app.config["JOB_LEASE_SECONDS"])))

    if not take_lease(engine, spec.name, holder, now=now, until=lease_until):
        run = _log_run(job_name=spec.name, holder=holder, started_at=now, finished_at=now,
                       outcome=JobOutcome.SKIPPED, counts=slot)
        log.info("job %s skipped: another scheduler has the run of %s", spec.name, slot_start)
        return RunResult(run.id, JobOutcome.SKIPPED, slot)

    run_id = _log_run(job_name=spec.name, holder=holder, started_at=now,
                      outcome=JobOutcome.RUNNING, counts=slot).id
    outcome, counts, error, stopping = JobOutcome.SUCCEEDED, slot, None, None
    mails_not_built(db.session)  # count only this run's
    try:
        with unit_of_work(db.session):
            context = JobContext(now=now, scheduled_for=slot_start,
                                 previous_success_at=_previous_success(spec.name))
            counts = {**slot, **spec.body(db.session, context)}
    except BaseException as raised:  # recorded below; an interrupt is raised again after that
        log.exception("job %s failed", spec.name)
        outcome, error = JobOutcome.FAILED, traceback.format_exc(limit=20)[-4000:]
        # A commit that failed leaves the session waiting for a rollback; the outcome must still be stored.
        db.session.rollback()
        if not isinstance(raised, Exception):
            stopping = raised
    not_built = mails_not_built(db.session)
    if not_built and outcome == JobOutcome.SUCCEEDED:
        counts = {**counts, "mails_not_built": not_built}
    finished = _record_outcome(run_id, outcome, counts, error)
    # Keep the slot, so a late second scheduler skips it; a run that overran its slot frees it.
    end_lease(engine, spec.name, holder, until=max(slot_end, finished))
    log.info("job %s %s: %s", spec.name, outcome, counts)
    if stopping is not None:
        raise stopping
    return RunResult(run_id, outcome, counts)


def _record_outcome(run_id: int, outcome: str, counts: dict, error: str | None) -> dt.datetime:
    """Store how the run ended; counts that cannot be stored make it a failure, never a run left `running`."""
    finished = utcnow()
    try:
        with unit_of_work(db.session):
            db.session.execute(
                sa.update(JobRun).where(JobRun.id == run_id)
                .values(outcome=outcome, counts=counts, error=error, finished_at=finished)
            )
    except Exception:
        log.exception("job run %s: its outcome could not be stored as it was", run_id)
        with unit_of_work(db.session):
            db.session.execute(
                sa.update(JobRun).where(JobRun.id == run_id)
                .values(outcome=JobOutcome.FAILED, counts={}, finished_at=finished,
                        error=(error or "") + "\n" + traceback.format_exc(limit=5)[-2000:])
            )
    return finished
