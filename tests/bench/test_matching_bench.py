"""`bench/matching.py --quick` runs in `make test`, so the benchmark never rots."""

from __future__ import annotations

import os
import re
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
    # Spreading attention: exposure and total predicted matches, each without and with the bonus.
    exposure = next(line for line in done.stdout.splitlines() if line.startswith("exposure: open initiatives"))
    matches = next(line for line in done.stdout.splitlines() if line.startswith("total predicted matches"))
    assert exposure.count("%") == 3 and " / " in exposure
    assert re.search(r"\d / [\d,]+ \([+-]\d+\.\d\d%\)$", matches), matches
    assert "kept only if matches drop < 1%" in done.stdout
    assert "suggestions rank alike: yes" in done.stdout
