"""The scheduler process: APScheduler 3 with the jobs of the registry, in UTC."""

from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.date import DateTrigger
from flask import Flask

from .registry import JOBS
from .runner import run_job


def build_scheduler(
    app: Flask, holder: str, scheduler_class: type[BaseScheduler] = BlockingScheduler
) -> BaseScheduler:
    """A scheduler with every registered job. Only `flask scheduler run` starts one.

    coalesce: runs missed while the process was busy or asleep become one run;
    max_instances=1: a job never overlaps itself in this process (the lease
    covers other processes).
    """
    scheduler = scheduler_class(
        timezone=dt.UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for spec in JOBS:
        scheduler.add_job(
            run_job, spec.schedule(app.config).trigger(), args=(app, spec.name, holder),
            id=spec.name, name=spec.name, replace_existing=True,
        )
        if spec.run_at_start:
            # A one-off run now; the lease makes it a no-op if this period already ran.
            scheduler.add_job(
                run_job, DateTrigger(run_date=dt.datetime.now(dt.UTC)),
                args=(app, spec.name, holder), id=f"{spec.name}:at-start",
                name=f"{spec.name} (at start)", replace_existing=True,
            )
    return scheduler
