"""bench/continuity.py --quick runs inside `make test`: small data, the same checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_continuity_benchmark_quick_mode():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "continuity.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cold scan" in result.stdout and "warm scan" in result.stdout
    assert "single_volunteer" in result.stdout
    assert "PROBLEM" not in result.stdout
