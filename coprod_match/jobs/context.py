"""What a job body is told about its run; its own module so that bodies need not import the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class JobContext:
    """What a job body knows about its run."""

    now: dt.datetime
    scheduled_for: dt.datetime
    # When the last successful run of this job started (None before the first one).
    previous_success_at: dt.datetime | None
