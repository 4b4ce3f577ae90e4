"""Page benchmark: the city's pages and API lists under load, through gunicorn, against the targets.

    .venv/bin/python bench/pages.py           # 100,000 citizens, 10,000 initiatives (the city is cached)
    .venv/bin/python bench/pages.py --quick   # a small city, short phases, same code (run by `make test`)

The city is a private PostgreSQL server kept in bench/output/pg-city-<size>/,
built once by `flask db upgrade` and `flask demo seed` (BENCH_DATABASE_URL
uses an existing database instead). Then, with the environment of the
README's production section: one `flask scheduler run` and `gunicorn
--workers 4 wsgi:app`; the first request of each route after the start; a
warm-up; a bounded burst per route at 8 concurrent clients (keep-alive
http.client, logged in by the login form with its CSRF token, or a bearer
token for the API); worker memory; a steady 2 req/s over all routes for three
snapshot periods with profile updates posted in between; then a 1-worker
gunicorn, briefly, for the memory ratio. SQL statements per request are
counted in process (the same app, database and logins; no production code
for the bench).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._output import save_results  # noqa: E402
from bench._pages import load, processes  # noqa: E402
from bench._pages.city import OUTPUT, app_environment, city_database, flask_command  # noqa: E402
from bench._pages.http import TRANSPORT_ERRORS, Client  # noqa: E402
from bench._pages.report import print_report  # noqa: E402
from bench._pages.routes import PASSWORD, make_tokens, read_cast, routes_for  # noqa: E402
from bench._pages.statements import count_statements  # noqa: E402

CLIENTS = 8
FULL = {"citizens": 100_000, "initiatives": 10_000, "requests": 400, "route_seconds": 45, "warmup": 16, "warmup_seconds": 30,
        "snapshot_seconds": 20, "periods": 3, "rate": 2.0, "update_every": 5.0}
QUICK = {"citizens": 300, "initiatives": 30, "requests": 16, "route_seconds": 3, "warmup": 8, "warmup_seconds": 3,
         "snapshot_seconds": 2, "periods": 3, "rate": 2.0, "update_every": 1.5}


def client_pool(port: int, cast, tokens: dict[str, list[str]], clients: int) -> load.ClientPool:
    """Per identity, `clients` keep-alive clients; each session logs in once through the form."""

    sessions: dict[str, dict[str, str]] = {}

    def logged_in(email: str):
        def make():
            client = Client("127.0.0.1", port)
            if email in sessions:
                # Another tab of the same browser: the account's one login session.
                client.cookies.update(sessions[email])
            else:
                client.log_in(email, PASSWORD)
                sessions[email] = dict(client.cookies)
            return client
        return make

    def bearer(token: str):
        return lambda: Client("127.0.0.1", port, token=token)

    return load.ClientPool({
        "anonymous": [lambda: Client("127.0.0.1", port)] * clients,
        "citizen": [logged_in(email) for email in cast.citizens[:clients]],
        "coordinator": [logged_in(cast.coordinator)] * clients,
        "citizen-token": [bearer(token) for token in tokens["citizen-token"][:clients]],
        "coordinator-token": [bearer(tokens["coordinator-token"][0])] * clients,
    })


def route_figures(route: load.Route, samples: load.Samples) -> dict:
    return {**samples.summary(), "ratio_target": route.ratio_target, "max_seconds": route.max_seconds,
            "counts_statements": route.statements, "concurrency": route.concurrency or CLIENTS}


def bursts(pool: load.ClientPool, trivial: load.Route, routes: list[load.Route], size: dict) -> tuple[dict, dict]:
    """Warm every route, then a bounded burst per route; the trivial route first, as the yardstick."""
    warm_up = {}
    for route in [trivial, *routes]:
        samples = load.bounded(pool, route, concurrency=route.concurrency or CLIENTS,
                               requests=size["warmup"] // (CLIENTS // (route.concurrency or CLIENTS)),
                               seconds=size["warmup_seconds"])
        warm_up[route.name] = samples.summary()
    figures = {"warm_up": warm_up}
    for route in [trivial, *routes]:
        samples = load.bounded(pool, route, concurrency=route.concurrency or CLIENTS,
                               requests=size["requests"] // (CLIENTS // (route.concurrency or CLIENTS)),
                               seconds=size["route_seconds"])
        figures[route.name] = route_figures(route, samples)
        print(f"  {route.name}: {figures[route.name]['requests']} requests, "
              f"p50 {figures[route.name]['p50_ms']:.1f} ms", flush=True)
    trivial_figures = figures.pop(trivial.name)
    trivial_figures["warm_up"] = figures.pop("warm_up")
    return trivial_figures, figures


def first_requests(pool: load.ClientPool, routes: list[load.Route]) -> dict[str, float]:
    """Seconds of each route's first request after the start (before any warm-up)."""
    found = {}
    for route in routes:
        try:
            answer = pool.request(route.identity, route.paths[0])
            found[route.name] = answer.seconds if answer.status == 200 else float("inf")
        except TRANSPORT_ERRORS:
            found[route.name] = float("inf")
    return found


def steady_phase(server, pool, routes, cast, size) -> dict:
    """2 req/s over all routes for three snapshot periods, profile updates between them."""
    editors = []
    for email in cast.citizens[CLIENTS: CLIENTS + 4] or cast.citizens[:4]:
        editor = Client("127.0.0.1", server.port)
        editor.log_in(email, PASSWORD)
        editors.append(editor)

    def profile_update(n: int):
        # Another limit each time, so every post is a real change the matching must take in.
        return editors[n % len(editors)].submit("/citizens/profile",
                                                {"max_hours_per_week": [str(2 + n % 7)]})

    pids_before = server.worker_pids()
    log_before = server.log_text()
    seconds = size["snapshot_seconds"] * size["periods"]
    samples = load.steady(pool, routes, rate=size["rate"], seconds=seconds,
                          profile_update=profile_update, update_every=size["update_every"])
    for editor in editors:
        editor.close()
    figures = {name: s.summary() for name, s in samples.items()}
    worst_route = max(figures, key=lambda name: figures[name]["max_ms"])
    return {
        "rate": size["rate"], "periods": size["periods"], "seconds": seconds,
        "snapshot_seconds": size["snapshot_seconds"], "routes": figures,
        "worst_ms": figures[worst_route]["max_ms"], "worst_route": worst_route,
        "pids_before": pids_before, "pids_after": server.worker_pids(),
        "pids_unchanged": pids_before == server.worker_pids(),
        "worker_trouble": processes.worker_trouble(server.log_text()[len(log_before):]),
    }


def one_worker_memory(url: str, cast, tokens, routes, env_extra: dict, logs: str, size: dict) -> dict:
    """A 1-worker gunicorn after as many requests per route as each of the 4 workers served in the
    bursts (a worker's heap grows with what it serves; a fresh one would flatter the ratio)."""
    with processes.gunicorn(url, 1, os.path.join(logs, "gunicorn-1-worker.log"), env_extra) as server:
        pool = client_pool(server.port, cast, tokens, 1)
        failed = 0
        for route in routes:
            samples = load.bounded(pool, route, concurrency=1, requests=max(2, size["requests"] // 4),
                                   seconds=size["route_seconds"] / 4)
            failed += samples.summary()["errors"]
        trouble = processes.worker_trouble(server.log_text())
        memory = {**processes.workers_memory(server), "failed_requests": failed, **trouble,
                  "same_workers": trouble["workers_booted"] == 1 and trouble["worker_exits"] == 0}
        pool.close()
    return memory


def wait_for_published_snapshot(url: str, timeout: float = 180) -> float:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            with engine.connect() as conn:
                if conn.scalar(sa.text("SELECT count(*) FROM matching_snapshots")):
                    return round(time.monotonic() - started, 1)
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise RuntimeError("the scheduler published no matching snapshot: see scheduler.log")


class Phases:
    """Seconds each phase took, for the JSON (where a slow bench spends its time)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.last = time.monotonic()

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self.last, 1)
        self.last = now


def run(size: dict, quick: bool) -> dict:
    phases = Phases()
    logs = os.path.join(OUTPUT, f"pages-logs-{'quick' if quick else 'city'}")
    os.makedirs(logs, exist_ok=True)
    # The bench's own snapshot files, started empty: a run begins as a new machine does.
    snapshots = os.path.join(logs, "matching")
    shutil.rmtree(snapshots, ignore_errors=True)
    env_extra = {"MATCHING_SNAPSHOT_SECONDS": str(size["snapshot_seconds"]), "MATCHING_SNAPSHOT_DIR": snapshots}
    with city_database(size["citizens"], size["initiatives"]) as (url, city):
        # The dashboard shows alerts: one scan, as the scheduler makes at its start.
        subprocess.run(flask_command("continuity", "scan"), cwd=ROOT, env=app_environment(url), check=True,  # noqa: S603
                       capture_output=True)
        phases.done("city")
        cast = read_cast(url, CLIENTS)
        tokens = make_tokens(url, {"citizen-token": cast.citizens[:CLIENTS], "coordinator-token": [cast.coordinator]})
        trivial, routes = routes_for(cast)
        print("counting SQL statements per request in process ...", flush=True)
        statements = count_statements(url, [trivial, *routes], {"citizen": cast.citizens[0],
                                                                "coordinator": cast.coordinator}, PASSWORD,
                                      {"citizen-token": tokens["citizen-token"][0],
                                       "coordinator-token": tokens["coordinator-token"][0]}, env_extra)
        results = {"quick": quick, "sizes": size, "city": {**city, "citizens": size["citizens"],
                                                           "initiatives": size["initiatives"]},
                   "load": f"{CLIENTS} concurrent clients (threads in one process, http.client, keep-alive where "
                           "gunicorn allows); "
                           f"bursts of up to {size['requests']} requests or {size['route_seconds']} s per route",
                   "statements": statements, "phase_seconds": phases.seconds}
        phases.done("scan, tokens, statement counts")
        with processes.scheduler(url, os.path.join(logs, "scheduler.log"), env_extra):
            # As on a deploy: the scheduler is running and has published a snapshot before the
            # web workers restart (a new installation builds one in the master instead).
            results["first_snapshot_seconds"] = wait_for_published_snapshot(url)
            phases.done("scheduler's first snapshot")
            with processes.gunicorn(url, 4, os.path.join(logs, "gunicorn-4-workers.log"), env_extra) as server:
                print(f"gunicorn up (pid {server.process.pid}, workers {server.worker_pids()}); bursts ...",
                      flush=True)
                pids_at_start = server.worker_pids()
                phases.done("gunicorn start")
                pool = client_pool(server.port, cast, tokens, CLIENTS)
                phases.done("logins")
                results["first_requests"] = first_requests(pool, [trivial, *routes])
                results["trivial"], results["routes"] = bursts(pool, trivial, routes, size)
                phases.done("first requests, warm-up, bursts")
                results["memory"] = {"workers_4": processes.workers_memory(server)}
                # A worker that was replaced since the start holds less than one that served everything.
                results["memory"]["workers_4"]["same_workers"] = (
                    results["memory"]["workers_4"]["worker_pids"] == pids_at_start
                    and processes.worker_trouble(server.log_text())["worker_exits"] == 0)
                print(f"steady load for {size['snapshot_seconds'] * size['periods']} s ...", flush=True)
                results["steady"] = steady_phase(server, pool, [trivial, *routes], cast, size)
                phases.done("steady load")
                pool.close()
                results["gunicorn_log"] = processes.worker_trouble(server.log_text())
                results["gunicorn_log"]["tracebacks"] = server.log_text().count("Traceback")
            results["memory"]["workers_1"] = one_worker_memory(url, cast, tokens, [trivial, *routes],
                                                               env_extra, logs, size)
            phases.done("1-worker gunicorn")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small city, short phases, same code (make test).")
    parser.add_argument("--citizens", type=int, help="City size (default 100,000; quick 300).")
    parser.add_argument("--initiatives", type=int, help="City size (default 10,000; quick 30).")
    parser.add_argument("--requests", type=int, help="Most requests per route in a burst.")
    args = parser.parse_args(argv)
    size = dict(QUICK if args.quick else FULL)
    for key in ("citizens", "initiatives", "requests"):
        if getattr(args, key):
            size[key] = getattr(args, key)
    started, load_before = time.monotonic(), os.getloadavg()
    results = run(size, args.quick)
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    # Figures are only as good as the machine was quiet: other processes' load is shown beside them.
    results["load_average"] = {"before": load_before, "after": os.getloadavg(), "cpus": os.cpu_count()}
    print()
    passed = print_report(results)
    print(f"bench took {results['bench_seconds']} s: {results['phase_seconds']}")
    save_results("pages", args.quick, results)
    # Quick mode is about not rotting: it fails on errors only, not on targets a small city cannot show.
    errors = results["steady"]["routes"], results["routes"]
    has_errors = any(f["errors"] for group in errors for f in group.values()) or results["trivial"]["errors"]
    return 1 if has_errors or (not args.quick and not passed) else 0


if __name__ == "__main__":
    sys.exit(main())
