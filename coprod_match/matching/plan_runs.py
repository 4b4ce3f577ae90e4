"""Stored placement plans: asked for by a page, made by a job, read page by page.

A city plan takes seconds to make and would hold a web worker for all of
them, so no request ever solves one. `ask_for_plan` queues a plan (or joins
the one already waiting for that scope); the scheduler's `placement_plans`
job takes the oldest waiting plan with `claim_next_plan`, makes it from a
fresh snapshot of the database with `make_plan`, and stores its rows. A
plan that fails is stored as failed with its error; one left running by a
process that died is marked failed once it is older than JOB_LEASE_SECONDS.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import NotAllowed
from ..models import PlanRow, PlanRun, PlanState, User, scope_key, utcnow
from ..services import access
from ..services.audit import audit_record
from . import plan, service
from .facts import Reason
from .snapshot import build_snapshot

log = logging.getLogger("coprod_match.matching.plans")

_runs = PlanRun.__table__
ABANDONED = "The plan stopped before it was finished."
# Finished plans kept per scope (the city, each district): the newest is shown, a few before it explain it.
KEEP_PLANS = 3


class DistrictNotYoursError(NotAllowed):
    problem_type = "district-not-yours"
    message = _l("You can only see and ask for the plan of your own districts. "
                 "The plan of the whole city is for municipal coordinators.")


def check_district(actor: User | None, district: str | None) -> None:
    """Coordinators plan for their own districts; the whole city (None) needs a municipal one or an admin."""
    if actor is not None and not access.covers_district(actor, district):
        raise DistrictNotYoursError(field="district")


def ask_for_plan(session: orm.Session, *, district: str | None, actor: User | None,
                 now: dt.datetime | None = None) -> PlanRun:
    """Queue a plan for a district (None: the city), or join the one already waiting for it.

    An unknown district raises `service.UnknownDistrictError`. Flushes.
    """
    if district is not None and district not in service.districts(session):
        raise service.UnknownDistrictError(field="district")
    check_district(actor, district)
    waiting = _queued(session, district)
    if waiting is not None:
        return waiting
    run = PlanRun(district=district, scope_key=scope_key(district), state=PlanState.QUEUED,
                  requested_by_id=actor.id if actor is not None else None, requested_at=now or utcnow())
    try:
        with session.begin_nested():
            session.add(run)
    except sa.exc.IntegrityError:
        # Someone asked for the same plan a moment ago: theirs is the one that waits.
        return _queued(session, district)
    audit_record(session, "matching.plan_requested", "plan_run", run.id, actor=actor, district=district)
    return run


def _queued(session: orm.Session, district: str | None) -> PlanRun | None:
    return session.scalar(sa.select(PlanRun).where(
        PlanRun.scope_key == scope_key(district), PlanRun.state == PlanState.QUEUED))


def _abandoned_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=int(current_app.config.get("JOB_LEASE_SECONDS", 900)))


def has_waiting_plan(session: orm.Session) -> bool:
    """Is there a plan to make (or one to give up on)? Asked before each poll takes a lease or logs a run."""
    now = utcnow()
    return session.scalar(sa.select(sa.exists().where(sa.or_(
        PlanRun.state == PlanState.QUEUED,
        sa.and_(PlanRun.state == PlanState.RUNNING, PlanRun.started_at < _abandoned_before(now)),
    )))) or False


def claim_next_plan(engine: sa.Engine, *, now: dt.datetime, plan_run_id: int | None = None) -> int | None:
    """Take the oldest waiting plan (or this one) for this process: queued becomes running.

    Its own short transaction, like a job lease: other processes see at once
    that the plan is being made, and of two racing schedulers only one gets it
    (the state is checked again under the row lock).
    """
    with engine.begin() as connection:
        connection.execute(
            sa.update(_runs)
            .where(_runs.c.state == PlanState.RUNNING, _runs.c.started_at < _abandoned_before(now))
            .values(state=PlanState.FAILED, finished_at=now, error=ABANDONED)
        )
        if plan_run_id is None:
            plan_run_id = connection.scalar(
                sa.select(_runs.c.id).where(_runs.c.state == PlanState.QUEUED)
                .order_by(_runs.c.requested_at, _runs.c.id).limit(1)
            )
        if plan_run_id is None:
            return None
        return connection.scalar(
            sa.update(_runs)
            .where(_runs.c.id == plan_run_id, _runs.c.state == PlanState.QUEUED)
            .values(state=PlanState.RUNNING, started_at=now)
            .returning(_runs.c.id)
        )


def make_plan(session: orm.Session, plan_run_id: int) -> tuple[PlanRun, plan.Plan | None]:
    """Make a claimed plan from a fresh snapshot and store it: done with its rows, or failed with why.

    A failing solve is stored as failed; it never raises. Flushes; the caller commits.
    """
    run = session.get(PlanRun, plan_run_id)
    config = current_app.config
    try:
        with session.begin_nested():
            turned_away_days = int(config.get("MATCHING_TURNED_AWAY_DAYS", 90))
            weights = service.weights()
            snapshot = build_snapshot(session, weights, turned_away_days=turned_away_days)
            result = service.placement_plan(session, district=run.district, snapshot=snapshot)
    except Exception as error:
        log.exception("placement plan %s failed", plan_run_id)
        run.state, run.finished_at = PlanState.FAILED, utcnow()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        session.flush()
        return run, None
    if result.rows:
        session.execute(sa.insert(PlanRow), [
            {"plan_run_id": run.id, "position": position, "citizen_id": row.citizen_id,
             "initiative_id": row.initiative_id, "score": row.score,
             "reasons": [reason_as_json(reason) for reason in row.reasons]}
            for position, row in enumerate(result.rows, start=1)
        ])
    run.inputs = {
        "weights": _plain(dataclasses.asdict(weights)),
        "turned_away_days": turned_away_days,
        "candidates_per_citizen": int(config.get("MATCHING_PLAN_CANDIDATES", 50)),
        "max_new_per_citizen": int(config.get("MATCHING_PLAN_MAX_NEW_PER_CITIZEN", 1)),
        "citizens": len(snapshot.citizens), "initiatives": len(snapshot.initiatives),
    }
    run.summary = {**result.summary(), "seconds": {k: round(v, 3) for k, v in result.seconds.items()}}
    run.row_count = len(result.rows)
    run.state, run.finished_at = PlanState.DONE, utcnow()
    session.flush()
    _forget_old_plans(session, run)
    return run, result


def _forget_old_plans(session: orm.Session, newest: PlanRun) -> None:
    """Keep the newest KEEP_PLANS finished plans of a scope; older ones and their rows go."""
    kept = sa.select(PlanRun.id).where(
        PlanRun.scope_key == newest.scope_key, PlanRun.state.in_([PlanState.DONE, PlanState.FAILED])
    ).order_by(PlanRun.id.desc()).limit(KEEP_PLANS)
    old = sa.select(PlanRun.id).where(
        PlanRun.scope_key == newest.scope_key, PlanRun.state.in_([PlanState.DONE, PlanState.FAILED]),
        PlanRun.id.not_in(kept.scalar_subquery()),
    )
    stale = list(session.scalars(old))
    if stale:
        session.execute(sa.delete(PlanRow).where(PlanRow.plan_run_id.in_(stale)))
        session.execute(sa.delete(PlanRun).where(PlanRun.id.in_(stale)),
                        execution_options={"synchronize_session": False})


def make_next_plan(session: orm.Session, *, now: dt.datetime) -> dict:
    """The job's body: make the oldest waiting plan, if any. Counts for the run log."""
    from ..extensions import db

    plan_run_id = claim_next_plan(db.engine, now=now)
    if plan_run_id is None:
        return {"plan_run_id": None}
    run, _result = make_plan(session, plan_run_id)
    return {"plan_run_id": run.id, "state": run.state, "rows": run.row_count}


def reason_as_json(reason: Reason) -> dict:
    return {"code": reason.code, "params": _plain(dict(reason.params))}


def reason_from_json(stored: dict) -> Reason:
    return Reason(stored["code"], stored.get("params") or {})


def _plain(value):
    """numpy numbers, tuples and sets as JSON's own types."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value
