"""The table against the targets: figures of one run, PASS or MISS beside each target."""

from __future__ import annotations

MAX_STATEMENTS = 12
MAX_SECONDS = 1.0
MEMORY_RATIO = 1.5


def _ms(value) -> str:
    return f"{'n/a':>8}" if value is None or value != value else f"{value:8.1f}"


def _ratio(value) -> str:
    return f"{'n/a':>10} " if value is None or value != value else f"{value:10.1f}x"


def route_rows(results: dict) -> tuple[list[str], list[tuple[str, bool]]]:
    """Lines of the per-route table, and (target, passed) for each target it checks."""
    trivial_p50 = results["trivial"]["p50_ms"]
    lines = [f"{'route':<30} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
             f"{'err':>4} {'SQL':>4} {'p50/trivial':>11} {'target':>7}  ok"]
    checks = []
    for name, figures in [("trivial: GET /healthz", results["trivial"]), *results["routes"].items()]:
        statements = results["statements"].get(name, {}).get("statements")
        ratio = figures["p50_ms"] / trivial_p50 if trivial_p50 and figures["p50_ms"] == figures["p50_ms"] else None
        target = figures.get("ratio_target")
        verdicts = []
        if target is not None:
            verdicts.append(ratio is not None and ratio <= target)
            checks.append((f"p50 {name} <= {target:g}x trivial", verdicts[-1]))
        if figures.get("max_seconds") is not None:
            verdicts.append(figures["max_ms"] < figures["max_seconds"] * 1000)
            checks.append((f"{name}: every answer < {figures['max_seconds']:g} s", verdicts[-1]))
        if figures.get("counts_statements"):
            verdicts.append(statements is not None and statements <= MAX_STATEMENTS)
            checks.append((f"{name}: SQL statements <= {MAX_STATEMENTS}", verdicts[-1]))
        shown_target = f"<={target:g}x" if target is not None else (
            f"<{figures['max_seconds']:g} s" if figures.get("max_seconds") else "")
        ok = "" if not verdicts else ("PASS" if all(verdicts) else "MISS")
        lines.append(f"{name:<30} {figures['req_per_s'] or 0:7.1f} {_ms(figures['p50_ms'])} "
                     f"{_ms(figures['p95_ms'])} {_ms(figures['p99_ms'])} {_ms(figures['max_ms'])} "
                     f"{figures['errors']:>4} {'-' if statements is None else statements:>4} "
                     f"{_ratio(ratio)} {shown_target:>7}  {ok}")
    return lines, checks


def summary_checks(results: dict) -> list[tuple[str, str, bool]]:
    """(target, figure, passed) for the run-wide targets."""
    steady, memory = results["steady"], results["memory"]
    errors = (sum(r["errors"] for r in results["routes"].values()) + results["trivial"]["errors"]
              + sum(r["errors"] for r in steady["routes"].values()))
    first = results["first_requests"]
    first_worst = max(first.values())
    four, one = memory["workers_4"], memory["workers_1"]
    ratio = four["pss_mb"] / one["pss_mb"] if one["pss_mb"] else float("inf")
    # Only comparable when the same workers served the whole run (a replaced one has not grown yet).
    memory_valid = four.get("same_workers", True) and one.get("same_workers", True)
    trouble = steady["worker_trouble"]
    return [
        ("zero errors (bursts and steady load)", f"{errors} errors", errors == 0),
        (f"first request after a start < {MAX_SECONDS:g} s (worst route)",
         f"{first_worst * 1000:.0f} ms ({max(first, key=first.get)})", first_worst < MAX_SECONDS),
        (f"steady {steady['rate']:g} req/s over {steady['periods']} snapshot periods: every answer < "
         f"{MAX_SECONDS:g} s", f"worst {steady['worst_ms']:.0f} ms ({steady['worst_route']})",
         steady["worst_ms"] < MAX_SECONDS * 1000),
        ("steady: no worker killed (WORKER TIMEOUT, exits, pids unchanged)",
         f"timeouts {trouble['worker_timeouts']}, exits {trouble['worker_exits']}, "
         f"pids {'same' if steady['pids_unchanged'] else 'CHANGED'}",
         trouble["worker_timeouts"] == 0 and trouble["worker_exits"] == 0 and steady["pids_unchanged"]),
        (f"memory: gunicorn with 4 workers, PSS < {MEMORY_RATIO:g}x with 1 worker (master included)",
         f"{four['pss_mb']:.0f} MB vs {one['pss_mb']:.0f} MB = {ratio:.2f}x"
         + ("" if memory_valid else " INVALID: workers were replaced"),
         memory_valid and ratio < MEMORY_RATIO),
    ]


def print_report(results: dict) -> bool:
    size = results["city"]
    print(f"Page benchmark ({'quick' if results['quick'] else 'city scale'}): "
          f"{size['citizens']:,} citizens, {size['initiatives']:,} initiatives on PostgreSQL "
          f"(city {size['source']}{', seeded in ' + str(size['seed_seconds']) + ' s' if size.get('seed_seconds') else ''})")
    machine = results["load_average"]
    print(f"gunicorn --workers 4; load: {results['load']}")
    print(f"machine: {machine['cpus']} CPUs, load average {machine['before'][0]:.1f} before, "
          f"{machine['after'][0]:.1f} after (above the CPU count, other processes shared the CPUs)")
    lines, checks = route_rows(results)
    print("\n".join(lines))
    print("SQL = statements per request, counted in process (warm; the first request's count in the JSON)")
    print()
    print(f"{'target':<70} {'figure':<44} ok")
    for target, passed in checks:
        if not passed:
            print(f"{target:<70} {'(see table)':<44} MISS")
    summary = summary_checks(results)
    for target, figure, passed in summary:
        print(f"{target:<70} {figure:<44} {'PASS' if passed else 'MISS'}")
    passed_route_checks = sum(passed for _, passed in checks)
    print(f"{'per-route targets (ratios, statements, plan page)':<70} "
          f"{str(passed_route_checks) + ' of ' + str(len(checks)) + ' PASS':<44} "
          f"{'PASS' if passed_route_checks == len(checks) else 'MISS'}")
    steady = results["steady"]
    print("steady load, worst per route (ms): "
          + ", ".join(f"{name} {figures['max_ms']:.0f}" for name, figures in steady["routes"].items()))
    warm_up = results["trivial"]["warm_up"]
    worst = max(warm_up, key=lambda name: warm_up[name]["max_ms"])
    print(f"warm-up (every worker's first requests, {results['sizes']['warmup']} a route at 8 clients): "
          f"worst {warm_up[worst]['max_ms']:.0f} ms ({worst}), errors {sum(w['errors'] for w in warm_up.values())}")
    for key in ("workers_4", "workers_1"):
        memory = results["memory"][key]
        print(f"memory, {key.replace('_', ' ')}: master {memory['master_pss_mb']} MB PSS, each worker "
              f"{memory['per_worker_pss_mb']} MB PSS; RSS of all {memory['rss_mb']:.0f} MB; snapshot file "
              f"mapped {memory['snapshot_rss_mb']} MB RSS (master, workers), {memory['snapshot_pss_mb']} MB "
              "PSS together")
    return all(passed for _, passed in checks) and all(passed for _, _, passed in summary)
