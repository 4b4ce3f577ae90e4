"""`flask scheduler ...`: the scheduler process, and its jobs by hand."""

from __future__ import annotations

import contextlib
import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup

from .registry import JOBS
from .runner import new_holder_id, run_job

scheduler_cli = AppGroup("scheduler", help="Scheduled jobs (run exactly one scheduler).")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in this process until stopped (Ctrl+C or SIGTERM)."""
    from .scheduler import build_scheduler

    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    app = current_app._get_current_object()
    holder = new_holder_id()
    scheduler = build_scheduler(app, holder)

    def _stop(_signum, _frame):
        # Let a run in progress finish and record its outcome: a process that exits mid-run
        # would leave that run `running` in the log until someone looks.
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"Scheduler {holder} started with jobs: {', '.join(s.name for s in JOBS)}.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    click.echo(f"Scheduler {holder} stopped.")


@scheduler_cli.command("jobs")
def jobs_command() -> None:
    """List the jobs and when they run."""
    for spec in JOBS:
        click.echo(f"{spec.name:<18} {spec.schedule(current_app.config)}")


@scheduler_cli.command("run-job")
@click.argument("name", type=click.Choice([spec.name for spec in JOBS]))
def run_job_command(name: str) -> None:
    """Run one job now, with its lease and an entry in the run log."""
    result = run_job(current_app._get_current_object(), name, new_holder_id())
    click.echo(f"{name}: {result.outcome} {result.counts}")
    if result.outcome == "failed":
        raise SystemExit(1)
