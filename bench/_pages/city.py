"""The benchmark's city: a private PostgreSQL server whose data directory is kept between runs.

The city is built once per size by the same commands a deploy uses (`flask db
upgrade`, `flask demo seed --citizens N --initiatives M`) and reused: a
`seeded.json` beside the data directory says it is complete. BENCH_DATABASE_URL
points at an existing server instead (then nothing is started or cached here).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(ROOT, "bench", "output")
BIN = os.path.dirname(sys.executable)
DATABASE = "coprod"


def flask_command(*args: str) -> list[str]:
    return [os.path.join(BIN, "flask"), "--app", "wsgi", *args]


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of every process the bench starts, as the README's production section sets it."""
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "bench-only-" + "0" * 32,
           "PUBLIC_BASE_URL": "http://127.0.0.1",  # the bench's clients ask for host 127.0.0.1
           "DATABASE_URL": database_url, "MAIL_BACKEND": "log", "PYTHONUNBUFFERED": "1",
           # Production requires a limiter store; the bench's logins succeed, so none is counted.
           "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
           # The bench measures pages, not logins: its demo staff have no authenticator app.
           "TWO_FACTOR_REQUIRED": "0",
           # Nor the privacy statement's acceptance page, which its demo people have not seen.
           "PRIVACY_ACCEPTANCE_REQUIRED": "0"}
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the tests' server does the same.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _pg_bin() -> str:
    sys.path.insert(0, ROOT)
    from tests.pg_server import find_pg_bin

    found = find_pg_bin()
    if found is None:
        raise SystemExit("PostgreSQL (initdb, pg_ctl) is needed; or set BENCH_DATABASE_URL")
    return found


@contextlib.contextmanager
def postgres_server(folder: str) -> Iterator[str]:
    """Start the server kept in `folder` (made on first use); yield its admin URL; stop it."""
    bin_dir = _pg_bin()
    data = os.path.join(folder, "data")
    os.makedirs(folder, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = lambda cmd: subprocess.run(_as_server_user(cmd), check=True, capture_output=True, text=True)  # noqa: E731, S603
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        shutil.rmtree(data, ignore_errors=True)
        run([os.path.join(bin_dir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
             "--encoding=UTF8", "--locale=C"])
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        # A run that was killed left its server behind: stop it before starting again.
        subprocess.run(_as_server_user([os.path.join(bin_dir, "pg_ctl"), "-D", data, "-m", "fast", "-w",  # noqa: S603
                                        "stop"]), capture_output=True)
    port = _free_port()
    # Durability is not measured here; the connection limit leaves room for
    # 4 workers' pools, the 1-worker run, the scheduler and the in-process counter.
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
               "-c shared_buffers=256MB")
    run([os.path.join(bin_dir, "pg_ctl"), "-D", data, "-o", options, "-w", "-t", "120",
         "-l", os.path.join(folder, "server.log"), "start"])
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([os.path.join(bin_dir, "pg_ctl"), "-D", data, "-m", "fast",  # noqa: S603
                                        "-w", "stop"]), capture_output=True)


def _run_logged(command: list[str], env: dict[str, str], log) -> None:
    log.write(f"$ {' '.join(command)}\n")
    log.flush()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def seed_city(database_url: str, citizens: int, initiatives: int, log_path: str) -> float:
    """Migrate and seed the demo city at `database_url`; return the seconds the seed took."""
    # Seeding refuses APP_ENV=production (shared demo password); the database is the same.
    env = app_environment(database_url, APP_ENV="development")
    with open(log_path, "a", encoding="utf-8") as log:
        _run_logged(flask_command("db", "upgrade"), env, log)
        start = time.monotonic()
        _run_logged(flask_command("demo", "seed", "--citizens", str(citizens),
                                  "--initiatives", str(initiatives)), env, log)
        return time.monotonic() - start


def _create_database(admin_url: str, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def analyse(admin_url: str) -> None:
    """Planner statistics for every table, as after any bulk load.

    Without them, right after a seed and before autovacuum gets round to it,
    PostgreSQL plans the continuity scan's joins blind (minutes instead of
    seconds at city scale); the bench measures the pages, not that race.
    """
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://") + f"/{DATABASE}",
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


def _demo_fingerprint() -> str:
    """A hash of the demo generator and its data: a cached city built by other demo code is stale."""
    digest = hashlib.sha256()
    for top in (os.path.join(ROOT, "coprod_match", "demo"), os.path.join(ROOT, "coprod_match", "data", "demo")):
        for folder, _, names in sorted(os.walk(top)):
            for name in sorted(names):
                if name.endswith((".py", ".toml", ".csv", ".json", ".txt")):
                    with open(os.path.join(folder, name), "rb") as handle:
                        digest.update(name.encode() + b"\0" + handle.read())
    return digest.hexdigest()[:16]


def _cached_demo(marker: str) -> str | None:
    """The fingerprint the cached city was built with ("" for one built before fingerprints); None: no city."""
    if not os.path.exists(marker):
        return None
    with open(marker, encoding="utf-8") as handle:
        return json.load(handle).get("demo", "")


@contextlib.contextmanager
def city_database(citizens: int, initiatives: int, *, cache: bool = True) -> Iterator[tuple[str, dict]]:
    """Yield (DATABASE_URL, facts) of a seeded city of this size, built now if not cached."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        yield given, {"source": "BENCH_DATABASE_URL", "seed_seconds": None}
        return
    folder = os.path.join(OUTPUT, f"pg-city-{citizens}x{initiatives}")
    marker = os.path.join(folder, "seeded.json")
    demo = _demo_fingerprint()
    if not cache or _cached_demo(marker) not in (None, demo):
        shutil.rmtree(folder, ignore_errors=True)  # asked to, or built by other demo code: build it anew
    with postgres_server(folder) as admin_url:
        url = f"{admin_url}/{DATABASE}"
        if os.path.exists(marker):
            with open(marker, encoding="utf-8") as handle:
                facts = {**json.load(handle), "source": "cached"}
        else:
            _create_database(admin_url, DATABASE)
            seconds = seed_city(url, citizens, initiatives, os.path.join(folder, "seed.log"))
            facts = {"citizens": citizens, "initiatives": initiatives, "seed_seconds": round(seconds, 1),
                     "demo": demo}
            with open(marker, "w", encoding="utf-8") as handle:
                json.dump(facts, handle)
            facts = {**facts, "source": "built now"}
        # Schema changes since the city was built (a new migration) apply on reuse.
        with open(os.path.join(folder, "seed.log"), "a", encoding="utf-8") as log:
            _run_logged(flask_command("db", "upgrade"), app_environment(url), log)
        analyse(admin_url)
        yield url, facts


if __name__ == "__main__":
    # Build (or check) a city without benchmarking: python bench/_pages/city.py CITIZENS INITIATIVES
    with city_database(int(sys.argv[1]), int(sys.argv[2])) as (url, facts):
        print(url, facts)
