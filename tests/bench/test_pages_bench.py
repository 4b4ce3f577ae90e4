"""`bench/pages.py --quick` runs in `make test`, so the page benchmark never rots.

It checks that every route was asked for and answered without an error, and
that the table against the targets was printed, not that a small city meets
the targets on a shared machine.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys

import pytest

from tests.pg_server import find_pg_bin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROUTES = (
    "search with filters", "search with text", "initiative detail (citizen)", "suggestions (citizen)",
    "candidates (coordinator)", "coordinator dashboard", "API initiatives, filters", "API initiatives, text",
    "API me/suggestions", "API candidates", "plan page (coordinator)",
)


def test_page_benchmark_runs_at_small_scale():
    if find_pg_bin() is None and not os.environ.get("BENCH_DATABASE_URL"):
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("the page benchmark needs PostgreSQL (REQUIRE_POSTGRES=1)")
        pytest.skip("the page benchmark needs PostgreSQL (initdb, pg_ctl)")
    before = set(glob.glob(os.path.join(ROOT, "bench", "output", "pages-quick-*.json")))
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "pages.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "APP_ENV")},
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    table = done.stdout
    assert "p50/trivial" in table and "zero errors (bursts and steady load)" in table
    for name in ROUTES:
        assert name in table
    written = set(glob.glob(os.path.join(ROOT, "bench", "output", "pages-quick-*.json"))) - before
    assert len(written) == 1
    with open(written.pop(), encoding="utf-8") as handle:
        results = json.load(handle)
    for name in ROUTES:
        burst, steady = results["routes"][name], results["steady"]["routes"][name]
        assert burst["requests"] > 0 and burst["errors"] == 0, (name, burst)
        assert steady["requests"] > 0 and steady["errors"] == 0, (name, steady)
        assert results["statements"][name]["status"] == 200, (name, results["statements"][name])
    assert results["steady"]["routes"]["profile update (POST)"]["requests"] > 0
    assert results["steady"]["routes"]["profile update (POST)"]["errors"] == 0
    assert results["memory"]["workers_1"]["workers"] == 1 and results["memory"]["workers_4"]["workers"] == 4
