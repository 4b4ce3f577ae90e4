"""`bench/matching.py --quick` runs in `make test`, so the benchmark never rots."""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_matching_benchmark_runs_at_small_scale():
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "matching.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**os.environ, "APP_ENV": "testing"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LP check (HiGHS)" in done.stdout and "equal" in done.stdout
    assert "plan: at-risk served / most possible" in done.stdout
