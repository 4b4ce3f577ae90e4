"""The load: a bounded run at fixed concurrency per route, and a steady trickle with profile updates.

Threads in the bench's one process, each borrowing a logged-in keep-alive
client: on 2 cores this leaves the server nearly all the CPU (the client
spends ~0.1 ms of Python per request, the pages milliseconds).
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .http import TRANSPORT_ERRORS, Answer, Client


@dataclass(frozen=True)
class Route:
    name: str
    identity: str  # which pool of clients: anonymous, citizen, coordinator, citizen-token, ...
    paths: tuple[str, ...]  # taken in turn, so one request does not serve all from one row's cache
    ratio_target: float | None = None  # most p50 / trivial route's p50
    max_seconds: float | None = None  # every request under this (the plan page)
    statements: bool = True  # counted against the statement target
    concurrency: int | None = None  # fewer clients than the others (a latency target, not throughput)


class ClientPool:
    """Logged-in clients per identity; a thread borrows one for one request."""

    def __init__(self, makers: dict[str, list[Callable[[], Client]]]):
        self.queues: dict[str, queue.Queue] = {}
        self.all: list[Client] = []
        for identity, make_list in makers.items():
            self.queues[identity] = queue.Queue()
            for make in make_list:
                client = make()
                self.all.append(client)
                self.queues[identity].put(client)

    def request(self, identity: str, path: str) -> Answer:
        client = self.queues[identity].get()
        try:
            return client.get(path)
        finally:
            self.queues[identity].put(client)

    def close(self) -> None:
        for client in self.all:
            client.close()


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    def add(self, answer: Answer | None, error: str | None = None, expect: tuple[int, ...] = (200,)) -> None:
        if answer is not None:
            self.seconds.append(answer.seconds)
            if answer.status not in expect:
                self.errors.append(f"HTTP {answer.status}")
        else:
            self.errors.append(error or "no answer")

    def summary(self) -> dict:
        ms = np.array(self.seconds or [float("nan")]) * 1000
        return {"requests": len(self.seconds), "errors": len(self.errors),
                "error_kinds": sorted(set(self.errors))[:5],
                "req_per_s": len(self.seconds) / self.wall if self.wall else None,
                "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
                "p99_ms": float(np.percentile(ms, 99)), "max_ms": float(np.max(ms))}


def _one(pool: ClientPool, route: Route, path: str, samples: Samples, lock: threading.Lock) -> None:
    try:
        answer, error = pool.request(route.identity, path), None
    except TRANSPORT_ERRORS as failure:
        answer, error = None, f"{type(failure).__name__}"
    with lock:
        samples.add(answer, error)


def bounded(pool: ClientPool, route: Route, *, concurrency: int, requests: int, seconds: float) -> Samples:
    """`requests` requests (or fewer when `seconds` run out) with `concurrency` always in flight."""
    samples, lock = Samples(), threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def client_loop():
        for n in counter:
            if n >= requests or time.monotonic() > deadline:
                return
            _one(pool, route, route.paths[n % len(route.paths)], samples, lock)

    start = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.wall = time.perf_counter() - start
    return samples


def steady(pool: ClientPool, routes: list[Route], *, rate: float, seconds: float,
           profile_update: Callable[[int], Answer], update_every: float) -> dict[str, Samples]:
    """`rate` requests a second over all routes in turn, and a profile update every `update_every` s.

    Requests start on the clock whatever earlier ones are doing (a slow answer
    does not hold the next one back), so a stall shows as latency.
    """
    by_route = {route.name: Samples() for route in routes}
    by_route["profile update (POST)"] = Samples()
    lock = threading.Lock()
    # Every route in turn, each time its next path: all routes are seen within len(routes) requests.
    turns = ((route, route.paths[n % len(route.paths)]) for n in itertools.count() for route in routes)
    start = time.monotonic()
    next_update, updates = start + update_every / 2, 0

    def update(n: int):
        try:
            answer, error = profile_update(n), None
        except TRANSPORT_ERRORS as failure:
            answer, error = None, type(failure).__name__
        with lock:
            by_route["profile update (POST)"].add(answer, error, expect=(302, 303))

    with ThreadPoolExecutor(max_workers=8) as executor:
        for n in itertools.count():
            due = start + n / rate
            if due - start >= seconds:
                break
            if time.monotonic() >= next_update:
                executor.submit(update, updates)
                updates += 1
                next_update += update_every
            time.sleep(max(0.0, due - time.monotonic()))
            route, path = next(turns)
            executor.submit(_one, pool, route, path, by_route[route.name], lock)
    for samples in by_route.values():
        samples.wall = seconds
    return by_route
