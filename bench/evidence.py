"""Benchmark: the evidence page's reads at city scale, on SQLite and PostgreSQL.

Builds a small demo city (its people and initiatives), then 20,000 placements
with their moves (accepted, active, some paused and back, some ended) spread
over three years and the three channels, and a year of monthly check-ins for
8,000 of them (96,000 questions, most answered) and 2,000 contact check-ins a
month. Times what the evidence page reads: the placements' lives, the
retention count, and the answers and response rates per month; prints seconds
and statements.

Target: under 1 s for all of it on PostgreSQL on 2 cores, with a statement
count that does not depend on the number of placements. The seconds are wall
time: on a machine busy with other work they grow with its load (the load
average is printed beside them).

    .venv/bin/python bench/evidence.py                    # 20,000 placements, both databases
    .venv/bin/python bench/evidence.py --placements 2000  # smaller
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from bench.continuity import _app, _postgres_url, _sqlite_url  # noqa: E402
from coprod_match.continuity import evidence  # noqa: E402
from coprod_match.continuity.retention import add_months, retention  # noqa: E402
from coprod_match.demo import seed_demo  # noqa: E402
from coprod_match.extensions import db  # noqa: E402
from coprod_match.models import (  # noqa: E402
    ContactCheckIn,
    Initiative,
    InitiativeContact,
    Placement,
    PlacementEvent,
    User,
    VolunteerCheckIn,
)

TARGET_SECONDS = 1.0
MAX_STATEMENTS = 3  # the placements' lives, volunteers' answers, contacts' answers


def _insert(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 10_000):
        session.execute(sa.insert(model), rows[start:start + 10_000])


def build(url: str, placements: int, seed: int) -> None:
    from flask_migrate import upgrade

    rng = random.Random(seed)
    app = _app(url)
    with app.app_context():
        upgrade()
        seed_demo(db.session, seed=seed, citizens=2_000, initiatives=500)
        session = db.session
        citizens = session.scalars(sa.select(User.id).where(User.role == "citizen").order_by(User.id)).all()
        initiatives = session.scalars(sa.select(Initiative.id).order_by(Initiative.id)).all()
        base = session.scalar(sa.select(sa.func.coalesce(sa.func.max(Placement.id), 0)))
        now = dt.datetime.now(dt.UTC)
        rows, moves = [], []
        for number in range(placements):
            citizen = citizens[number % len(citizens)]
            initiative = initiatives[(number // len(citizens) * 37 + number) % len(initiatives)]
            started = now - dt.timedelta(days=rng.randint(1, 1100))
            ended = started + dt.timedelta(days=rng.randint(20, 600)) if rng.random() < 0.45 else None
            if ended and ended > now:
                ended = None
            placement_id = base + number + 1
            rows.append({"id": placement_id, "citizen_id": citizen, "initiative_id": initiative,
                         # The evidence reads the moves, not the state; a final state keeps clear of the
                         # demo's own live placements (one live placement per citizen and initiative).
                         "state": "ended", "created_at": started,
                         "state_changed_at": ended or started, "end_reason": "no_time" if ended else None,
                         "came_through": rng.choice(("invitation", "own", "plan"))})
            moves.append({"placement_id": placement_id, "from_state": None, "to_state": "accepted",
                          "at": started - dt.timedelta(days=3)})
            moves.append({"placement_id": placement_id, "from_state": "accepted", "to_state": "active",
                          "at": started})
            if rng.random() < 0.2:
                moves.append({"placement_id": placement_id, "from_state": "active", "to_state": "paused",
                              "at": started + dt.timedelta(days=10)})
                moves.append({"placement_id": placement_id, "from_state": "paused", "to_state": "active",
                              "at": started + dt.timedelta(days=15)})
            if ended:
                moves.append({"placement_id": placement_id, "from_state": "active", "to_state": "ended",
                              "at": ended})
        _insert(session, Placement, rows)
        _insert(session, PlacementEvent, moves)
        this_month = now.date().replace(day=1)
        months = [add_months(this_month, -back) for back in range(12)]
        check_ins = []
        for row in rows[:8_000]:
            for month in months:
                answered = rng.random() < 0.7
                check_ins.append({
                    "placement_id": row["id"], "month": month, "asked_at": now, "expires_at": now,
                    "token_hash": secrets.token_hex(32), "answered_at": now if answered else None,
                    "answered_via": "link" if answered else None,
                    "still_helping": rng.choice(("yes", "yes", "yes", "paused", "stopped")) if answered else None,
                    "appreciated": rng.randint(1, 5) if answered else None,
                    "supported": rng.randint(1, 5) if answered else None,
                    "too_much": rng.randint(1, 5) if answered else None})
        _insert(session, VolunteerCheckIn, check_ins)
        # The demo writes a year of contact check-ins of its own; this bench's year replaces them.
        session.execute(sa.delete(ContactCheckIn))
        contacts = session.execute(sa.select(InitiativeContact.initiative_id, InitiativeContact.professional_id)
                                   .distinct()).tuples().all()
        _insert(session, ContactCheckIn, [
            {"initiative_id": initiative, "professional_id": professional, "month": month, "asked_at": now,
             "answered_at": now if rng.random() < 0.6 else None}
            for initiative, professional in contacts for month in months])
        session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        else:
            session.execute(sa.text("ANALYZE"))
            session.commit()
        db.engine.dispose()


def timed_reads(url: str) -> dict:
    app = _app(url)
    statements = []
    with app.app_context():
        def count(*_args, **_kwargs):
            statements.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        today = dt.date.today()
        started = time.perf_counter()
        spans = evidence.placement_spans(db.session, None)
        read = time.perf_counter()
        whole, places = retention(spans, today)
        counted = time.perf_counter()
        answers = evidence.answers_by_month(db.session, None, evidence.last_months(today),
                                            min_answers=app.config["CHECK_IN_MIN_ANSWERS_FOR_AVERAGES"])
        seconds = time.perf_counter() - started
        sa.event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    return {"seconds": seconds, "reading lives": read - started, "counting": counted - read,
            "answers": seconds - (counted - started), "statements": len(statements), "spans": len(spans), "places": len(places),
            "observed at 3 months": whole.observed, "asked this year": sum(m.asked for m in answers)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    problems = []
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with (_sqlite_url() if backend == "sqlite" else _postgres_url(None)) as url:
            if url is None:
                print(f"\n== {backend}: skipped (no server)")
                continue
            print(f"\n== {backend}: building {args.placements} placements ...", flush=True)
            build(url, args.placements, args.seed)
            timed_reads(url)  # the first read after a build fills the database's caches
            result = timed_reads(url)
            print(f"   load average: {os.getloadavg()[0]:.1f}")
            print("   " + ", ".join(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}"
                                    for key, value in result.items()))
            if result["statements"] > MAX_STATEMENTS:
                problems.append(f"{backend}: {result['statements']} statements")
            if backend == "postgresql" and result["seconds"] > TARGET_SECONDS:
                problems.append(f"{backend}: {result['seconds']:.2f} s")
    for problem in problems:
        print("PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
