"""Two scheduler processes on one PostgreSQL database: every scheduled run happens once.

Starts two real `flask scheduler run` processes with a 2-second scan interval
and reads the proof from the job_runs table: per slot exactly one succeeded
run, the other process logged as skipped, no slot missed in between.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from tests import pg_server
from tests.conftest import make_test_app

ROOT = Path(__file__).parents[2]
INTERVAL = 2
SLOTS = 5  # scan slots both schedulers live through before they are stopped
DEADLINE = 120  # seconds: under heavy load two processes can take long to start


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from coprod_match.extensions import db

    app = make_test_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _start_scheduler(url: str, instance: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "testing-only-secret-key",
        "MAIL_BACKEND": "log",
        "CONTINUITY_SCAN_INTERVAL_SECONDS": str(INTERVAL),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _wait_for_runs(url: str, processes: list[subprocess.Popen]) -> None:
    engine = sa.create_engine(url)
    deadline = time.monotonic() + DEADLINE
    try:
        while time.monotonic() < deadline and all(process.poll() is None for process in processes):
            with engine.connect() as connection:
                holders, slots = connection.execute(sa.text(
                    "SELECT count(DISTINCT holder), count(*) FILTER (WHERE outcome = 'succeeded') "
                    "FROM job_runs WHERE job_name = 'continuity_scan'"
                )).one()
            # One more slot than needed: the first one may have started before both were up.
            if holders == 2 and slots >= SLOTS + 1:
                return
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_two_scheduler_processes_run_each_scheduled_scan_exactly_once(postgres_admin_url, tmp_path):
    url = pg_server.create_database(postgres_admin_url)
    try:
        _migrate(url)
        processes = [_start_scheduler(url, tmp_path) for _ in range(2)]
        try:
            # Until both take part and SLOTS slots have passed: counted from the runs, not a
            # fixed sleep, so a slow start on a loaded machine does not make the test fail.
            _wait_for_runs(url, processes)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            outputs = [process.communicate(timeout=20)[0] for process in processes]
        for process, output in zip(processes, outputs, strict=True):
            assert process.returncode == 0, output
            assert "started" in output and "stopped" in output, output

        engine = sa.create_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT holder, outcome, counts, started_at, finished_at FROM job_runs "
                "WHERE job_name = 'continuity_scan'"
            )).all()
        engine.dispose()
    finally:
        pg_server.drop_database(postgres_admin_url, url)

    by_slot = collections.defaultdict(collections.Counter)
    holders = set()
    successes = []  # (started, finished) of each succeeded run
    for holder, outcome, counts, started, finished in rows:
        by_slot[counts["scheduled_for"]][outcome] += 1
        holders.add(holder)
        if outcome == "succeeded":
            successes.append((_utc(started), _utc(finished)))
    assert len(holders) == 2, "both schedulers took part"
    assert all(c["failed"] == 0 and c["running"] == 0 for c in by_slot.values()), by_slot
    # Each scheduled run happened at most once: never two successes in one slot.
    assert all(c["succeeded"] <= 1 for c in by_slot.values()), by_slot
    # A slot without a success is one a run of the slot before still held when both fired
    # (it overran on a loaded machine): the lease kept a second scan from starting beside it.
    for slot, outcomes in by_slot.items():
        if outcomes["succeeded"] == 0:
            start = datetime.fromisoformat(slot)
            assert any(begun < start < ended for begun, ended in successes), (slot, by_slot, successes)
    # The second process fired too, found the slot taken and skipped it.
    assert sum(c["skipped"] for c in by_slot.values()) >= len(by_slot) - 2
    # No slot was lost between the first and the last.
    slots = sorted(by_slot)
    assert len(slots) >= SLOTS
    moments = [datetime.fromisoformat(slot) for slot in slots]
    gaps = {(b - a).total_seconds() for a, b in itertools.pairwise(moments)}
    assert gaps == {INTERVAL}, slots
