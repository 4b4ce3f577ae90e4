"""Benchmark: a full continuity scan at city scale, on SQLite and PostgreSQL.

Builds a database with the demo generator (10,000 initiatives, 100,000
citizens) topped up with past placements to 150,000, then times a full scan
(all rules and the reconciliation): cold (a fresh process-level engine, every
alert opened) and warm (an immediate rescan: everything kept). Prints
seconds, statements sent to the database and alerts per kind.

Target: under 1 s for a full scan on PostgreSQL at this scale on 2 cores,
with a statement count that does not depend on the number of initiatives.

    .venv/bin/python bench/continuity.py                 # full scale, both databases
    .venv/bin/python bench/continuity.py --quick         # small, SQLite, checks only (make test)
    .venv/bin/python bench/continuity.py --backend postgresql --database-url postgresql://...

Without --database-url a throwaway PostgreSQL server is started (needs
initdb/pg_ctl, as for the tests); without them the PostgreSQL run is skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from coprod_match import create_app  # noqa: E402
from coprod_match.continuity.scan import run_scan, thresholds_from_config  # noqa: E402
from coprod_match.demo import seed_demo  # noqa: E402
from coprod_match.extensions import db  # noqa: E402
from coprod_match.models import (  # noqa: E402
    AlertStatus,
    ContinuityAlert,
    Initiative,
    Placement,
    PlacementState,
    User,
)

FULL = {"citizens": 100_000, "initiatives": 10_000, "placements": 150_000}
QUICK = {"citizens": 400, "initiatives": 300, "placements": 0}
TARGET_SECONDS = 1.0
# A full scan sends at most this many statements, whatever the size (cold: reads, insert, update).
MAX_STATEMENTS = 11  # three more reads since the monthly check-ins (continuity/scan.py says why)


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "APP_ENV": "development",
                       "SECRET_KEY": "bench-only", "MAIL_BACKEND": "log"})


@contextlib.contextmanager
def _sqlite_url() -> Iterator[str]:
    handle, path = tempfile.mkstemp(prefix="coprod-bench-", suffix=".sqlite3")
    os.close(handle)
    try:
        yield f"sqlite:///{path}"
    finally:
        os.remove(path)


@contextlib.contextmanager
def _postgres_url(given: str | None) -> Iterator[str | None]:
    from config import normalise_database_url
    from tests import pg_server

    if given:
        url = pg_server.create_database(normalise_database_url(given), prefix="coprod_bench")
        try:
            yield url
        finally:
            pg_server.drop_database(normalise_database_url(given), url)
        return
    if pg_server.find_pg_bin() is None:
        yield None
        return
    with pg_server.running_server() as admin_url:
        url = pg_server.create_database(admin_url, prefix="coprod_bench")
        yield url


def _top_up_placements(session, wanted: int, seed: int) -> int:
    """Past placements (ended, declined, expired) until there are `wanted` placements.

    Years of history sit in the table the scan reads; they must not slow it down.
    """
    have = session.scalar(sa.select(sa.func.count()).select_from(Placement))
    missing = wanted - have
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    citizens = session.scalars(sa.select(User.id).where(User.role == "citizen")).all()
    initiatives = session.scalars(sa.select(Initiative.id)).all()
    now = dt.datetime.now(dt.UTC)
    states = [(PlacementState.ENDED, "no_time"), (PlacementState.DECLINED, None),
              (PlacementState.EXPIRED, None)]
    rows = []
    for _ in range(missing):
        state, reason = rng.choice(states)
        created = now - dt.timedelta(days=rng.randint(200, 1500))
        rows.append({"citizen_id": rng.choice(citizens), "initiative_id": rng.choice(initiatives),
                     "state": state.value, "created_at": created,
                     "state_changed_at": created + dt.timedelta(days=rng.randint(1, 150)),
                     "end_reason": reason})
    for start in range(0, len(rows), 10_000):
        session.execute(sa.insert(Placement), rows[start : start + 10_000])
    return missing


def build(url: str, sizes: dict, seed: int) -> dict:
    """Migrate, seed and top up; return the row counts and how long it took."""
    from flask_migrate import upgrade

    app = _app(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        seed_demo(db.session, seed=seed, citizens=sizes["citizens"],
                  initiatives=sizes["initiatives"])
        _top_up_placements(db.session, sizes["placements"], seed)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        counts = {
            "initiatives": db.session.scalar(sa.select(sa.func.count()).select_from(Initiative)),
            "citizens": db.session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.role == "citizen")),
            "placements": db.session.scalar(sa.select(sa.func.count()).select_from(Placement)),
            "active placements": db.session.scalar(
                sa.select(sa.func.count()).select_from(Placement)
                .where(Placement.state == PlacementState.ACTIVE)),
        }
        db.engine.dispose()
    counts["build seconds"] = round(time.perf_counter() - started, 1)
    return counts


def timed_scan(app, now: dt.datetime) -> dict:
    """One full scan and commit, with its wall time and the statements it sent."""
    statements = []
    with app.app_context():
        engine = db.engine

        def count(*_args, **_kwargs):
            statements.append(1)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            started = time.perf_counter()
            summary = run_scan(db.session, now=now, thresholds=thresholds_from_config(app.config))
            db.session.commit()
            seconds = time.perf_counter() - started
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        open_by_kind = dict(db.session.execute(
            sa.select(ContinuityAlert.kind, sa.func.count())
            .where(ContinuityAlert.status != AlertStatus.RESOLVED)
            .group_by(ContinuityAlert.kind).order_by(ContinuityAlert.kind)
        ).tuples().all())
        db.session.remove()
    return {"seconds": seconds, "statements": len(statements), "summary": summary,
            "open_by_kind": open_by_kind}


def bench_backend(name: str, url: str, sizes: dict, seed: int) -> dict:
    print(f"\n== {name}: building {sizes['initiatives']} initiatives, {sizes['citizens']} citizens, "
          f"{sizes['placements'] or 'demo'} placements ...", flush=True)
    counts = build(url, sizes, seed)
    print("   " + ", ".join(f"{key}: {value}" for key, value in counts.items()), flush=True)
    now = dt.datetime.now(dt.UTC)
    cold = timed_scan(_app(url), now)  # a new app and engine: nothing pooled or cached
    warm_app = _app(url)
    timed_scan(warm_app, now + dt.timedelta(minutes=1))  # fill the pool
    warm = timed_scan(warm_app, now + dt.timedelta(minutes=2))
    with warm_app.app_context():
        db.engine.dispose()
    for label, run in (("cold", cold), ("warm", warm)):
        s = run["summary"]
        print(f"   {label} scan: {run['seconds']:.3f} s, {run['statements']} statements, "
              f"opened {s.opened}, kept {s.kept}, resolved {s.resolved}")
    print("   open alerts by kind: " + ", ".join(f"{kind} {number}" for kind, number
                                                  in cold["open_by_kind"].items()))
    return {"counts": counts, "cold": cold, "warm": warm}


def check(name: str, result: dict, *, quick: bool) -> list[str]:
    """What falls short of the targets (empty when all is well)."""
    problems = []
    cold, warm = result["cold"], result["warm"]
    if warm["summary"].opened or warm["summary"].resolved:
        problems.append(f"{name}: a rescan changed alerts ({warm['summary'].as_dict()})")
    if cold["summary"].opened == 0:
        problems.append(f"{name}: the first scan opened no alerts")
    if "single_volunteer" not in cold["open_by_kind"]:
        problems.append(f"{name}: no single-volunteer alert in the demo data")
    for label, run in (("cold", cold), ("warm", warm)):
        if run["statements"] > MAX_STATEMENTS:
            problems.append(f"{name}: {label} scan sent {run['statements']} statements "
                            f"(at most {MAX_STATEMENTS})")
    if not quick and name == "postgresql" and warm["seconds"] > TARGET_SECONDS:
        problems.append(f"{name}: warm scan {warm['seconds']:.2f} s > {TARGET_SECONDS} s")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Small data on SQLite; for make test.")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--database-url", help="PostgreSQL server to create the bench database on.")
    parser.add_argument("--citizens", type=int)
    parser.add_argument("--initiatives", type=int)
    parser.add_argument("--placements", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    sizes = dict(QUICK if args.quick else FULL)
    for key in sizes:
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    backend = args.backend or ("sqlite" if args.quick else "both")

    results, problems = {}, []
    if backend in ("sqlite", "both"):
        with _sqlite_url() as url:
            results["sqlite"] = bench_backend("sqlite", url, sizes, args.seed)
    if backend in ("postgresql", "both"):
        with _postgres_url(args.database_url) as url:
            if url is None:
                print("\n== postgresql: skipped (no server: install PostgreSQL or pass "
                      "--database-url)")
            else:
                results["postgresql"] = bench_backend("postgresql", url, sizes, args.seed)
    for name, result in results.items():
        problems += check(name, result, quick=args.quick)

    print("\n== summary (target: PostgreSQL full scan < 1 s; statements independent of size)")
    for name, result in results.items():
        print(f"   {name:<10} cold {result['cold']['seconds']:.3f} s / "
              f"{result['cold']['statements']} statements, warm {result['warm']['seconds']:.3f} s "
              f"/ {result['warm']['statements']} statements")
    for problem in problems:
        print(f"   PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
