"""The jobs the scheduler runs, defined in code. A later job is one more entry in JOBS."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import orm

from . import bodies
from .context import JobContext
from .schedules import DailyAt, Every


@dataclass(frozen=True)
class JobSpec:
    name: str
    # body(session, context) -> counts for the run log; it flushes, the runner commits.
    body: Callable[[orm.Session, JobContext], dict]
    schedule: Callable[[Mapping], Every | DailyAt]
    # Also run once when the scheduler starts (when this period has not run yet).
    run_at_start: bool = False
    # For a job that polls often: asked first; when it says False, the run takes no lease and logs nothing.
    has_work: Callable[[orm.Session], bool] | None = None


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "continuity_scan",
        bodies.continuity_scan,
        lambda config: Every(int(config["CONTINUITY_SCAN_INTERVAL_SECONDS"])),
        run_at_start=True,
    ),
    JobSpec(
        "daily_digest",
        bodies.daily_digest,
        lambda config: DailyAt(int(config["CONTINUITY_DIGEST_HOUR_UTC"])),
    ),
    JobSpec(
        "invitation_expiry",
        bodies.invitation_expiry,
        lambda config: Every(int(config["INVITATION_JOB_INTERVAL_SECONDS"])),
        run_at_start=True,
    ),
    JobSpec(
        "invitation_reminders",
        bodies.invitation_reminders,
        lambda config: Every(int(config["INVITATION_JOB_INTERVAL_SECONDS"])),
        run_at_start=True,
    ),
    JobSpec(
        # Daily; the unique (placement, month) asks each volunteer once a month however often it runs.
        "volunteer_check_ins",
        bodies.volunteer_check_ins,
        lambda config: DailyAt(int(config["CHECK_IN_HOUR_UTC"])),
    ),
    JobSpec(
        # Workers start from it and switch to each new one; between them they read the change log.
        "matching_snapshot",
        bodies.matching_snapshot,
        lambda config: Every(int(config["MATCHING_SNAPSHOT_SECONDS"])),
        run_at_start=True,
    ),
    JobSpec(
        "placement_plans",
        bodies.placement_plans,
        lambda config: Every(int(config["MATCHING_PLAN_POLL_SECONDS"])),
        has_work=bodies.placement_plan_waiting,
    ),
    JobSpec(
        # Logins that ended by time no longer work; this only clears their rows away.
        "expired_login_sessions",
        bodies.expired_login_sessions,
        lambda config: Every(int(config["LOGIN_SESSION_CLEANUP_SECONDS"])),
    ),
    JobSpec(
        # Polls often; a poll that finds no mail due is not logged.
        "mail_outbox",
        bodies.mail_outbox,
        lambda config: Every(int(config["MAIL_OUTBOX_POLL_SECONDS"])),
        has_work=bodies.mail_waiting,
    ),
    JobSpec(
        # Asks each contact professional about their month; daily, but a month's question is made once.
        "contact_check_ins",
        bodies.contact_check_ins,
        lambda config: DailyAt(int(config["CONTACT_CHECK_IN_HOUR_UTC"])),
    ),
    JobSpec(
        # Retention: removes what outlived its period (services/retention.py); `flask privacy purge` is its twin.
        "privacy_purge",
        bodies.privacy_purge,
        lambda config: DailyAt(int(config["RETENTION_PURGE_HOUR_UTC"])),
    ),
)


def job_named(name: str) -> JobSpec:
    for spec in JOBS:
        if spec.name == name:
            return spec
    raise KeyError(name)
