"""Benchmark: `flask demo seed` at city scale, and how long a `flask` command takes to start.

Starts a throwaway PostgreSQL server (tests/pg_server.py; or uses --sqlite),
migrates a new database with `flask db upgrade`, then times the seed command
exactly as an operator runs it, in its own process, and a second run (which
must add nothing). Target (issue 11): 100,000 citizens and 10,000 initiatives
in under two minutes on PostgreSQL; `flask --help` well under a second.

    .venv/bin/python bench/demo_seed.py                 # 100,000 / 10,000 on PostgreSQL
    .venv/bin/python bench/demo_seed.py --quick         # 2,000 / 200, a smoke run
    .venv/bin/python bench/demo_seed.py --sqlite --citizens 20000 --initiatives 2000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import pg_server  # noqa: E402

SEED_TARGET_SECONDS = 120
START_TARGET_SECONDS = 1.0


def _flask(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


@contextlib.contextmanager
def _database(sqlite: bool, workdir: str):
    if sqlite:
        yield f"sqlite:///{workdir}/bench.sqlite3"
        return
    with pg_server.running_server() as admin_url:
        yield pg_server.create_database(admin_url, prefix="coprod_bench")


def _total(output: str) -> int:
    return int(output.split("total")[1].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="2,000 citizens, 200 initiatives")
    options = parser.parse_args()
    if options.quick:
        options.citizens, options.initiatives = 2_000, 200

    with tempfile.TemporaryDirectory(prefix="coprod-bench-") as workdir, \
            _database(options.sqlite, workdir) as url:
        env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": url,
               "INSTANCE_PATH": workdir, "SECRET_KEY": "bench-only-secret-key"}
        starts = sorted(_flask(env, "--help")[0] for _ in range(3))
        _flask(env, "db", "upgrade")
        seed_args = ("demo", "seed", "--seed", str(options.seed), "--citizens",
                     str(options.citizens), "--initiatives", str(options.initiatives))
        first, output = _flask(env, *seed_args)
        second, again = _flask(env, *seed_args)

    backend = "SQLite" if options.sqlite else "PostgreSQL"
    print(f"backend: {backend}; {options.citizens:,} citizens, {options.initiatives:,} initiatives")
    print(output.split("\n\n")[0])
    print(f"flask --help (median of 3)   {starts[1]:7.2f} s   target < {START_TARGET_SECONDS:.1f} s")
    print(f"demo seed, first run         {first:7.1f} s   target < {SEED_TARGET_SECONDS} s"
          " (PostgreSQL, 100,000 citizens)")
    print(f"demo seed, second run        {second:7.1f} s   adds {_total(again)} rows")
    if _total(again) != 0:
        print("PROBLEM: the second run added rows")


if __name__ == "__main__":
    main()
