"""When jobs run, as periods aligned to fixed moments.

Every scheduler process computes the same run times and the same "slot"
(the period a run belongs to) from the clock alone, so two schedulers agree
on which run they are competing for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Every:
    """Every N seconds, at multiples of N since 2000-01-01 UTC (every hour: on the hour)."""

    seconds: int

    def __str__(self) -> str:
        return f"every {self.seconds} seconds"

    def trigger(self) -> IntervalTrigger:
        return IntervalTrigger(seconds=self.seconds, start_date=EPOCH, timezone=dt.UTC)

    def slot(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        elapsed = (now - EPOCH) // dt.timedelta(seconds=self.seconds)
        start = EPOCH + elapsed * dt.timedelta(seconds=self.seconds)
        return start, start + dt.timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a whole hour, UTC."""

    hour: int

    def __str__(self) -> str:
        return f"daily at {self.hour:02d}:00 UTC"

    def trigger(self) -> CronTrigger:
        return CronTrigger(hour=self.hour, minute=0, second=0, timezone=dt.UTC)

    def slot(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        now = now.astimezone(dt.UTC)
        start = now.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        if start > now:
            start -= dt.timedelta(days=1)
        return start, start + dt.timedelta(days=1)
