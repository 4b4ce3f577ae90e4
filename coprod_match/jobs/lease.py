"""Job leases: a row per job saying which process may run it until when.

A run takes the lease only when it has expired. While the run works, the
lease lasts JOB_LEASE_SECONDS (so a crashed process frees it); when the run
ends, the lease is kept until the end of the run's slot, so a second
scheduler that fires a moment later for the same slot finds it taken and
skips instead of running the job again.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..models import JobLease

_leases = JobLease.__table__


def take_lease(
    engine: sa.Engine, job_name: str, holder: str, *, now: dt.datetime, until: dt.datetime
) -> bool:
    """Take the job's lease if it is free (expired); True when this holder now has it.

    Runs in its own short transaction: the lease must be visible to other
    processes before the job starts. On PostgreSQL the UPDATE's row lock makes
    a racing scheduler wait and then see the lease taken.
    """
    with engine.begin() as connection:
        # RETURNING rather than rowcount: drivers disagree on rowcount for ON CONFLICT.
        taken = connection.execute(
            sa.update(_leases)
            .where(_leases.c.job_name == job_name, _leases.c.expires_at <= now)
            .values(holder=holder, expires_at=until)
            .returning(_leases.c.job_name)
        ).first()
        if taken is not None:
            return True
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
        inserted = connection.execute(
            dialect.insert(_leases)
            .values(job_name=job_name, holder=holder, expires_at=until)
            .on_conflict_do_nothing(index_elements=[_leases.c.job_name])
            .returning(_leases.c.job_name)
        ).first()
        return inserted is not None


def end_lease(engine: sa.Engine, job_name: str, holder: str, *, until: dt.datetime) -> None:
    """Keep the lease only until `until` (the end of the run's slot, or now)."""
    with engine.begin() as connection:
        connection.execute(
            sa.update(_leases)
            .where(_leases.c.job_name == job_name, _leases.c.holder == holder)
            .values(expires_at=until)
        )


def lease_holder(engine: sa.Engine, job_name: str) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(sa.select(_leases.c.holder).where(_leases.c.job_name == job_name))
