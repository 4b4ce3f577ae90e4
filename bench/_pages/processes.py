"""gunicorn and the scheduler as the README runs them, and what the bench reads from them.

Worker memory is read from /proc/<pid>/smaps_rollup: PSS counts a page shared
by n processes as 1/n to each, so the sum over workers is what they cost
together; RSS counts shared pages in full for every worker.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .city import BIN, ROOT, app_environment, flask_command
from .http import Client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log_path: str
    started_at: float

    def worker_pids(self) -> list[int]:
        return sorted(children(self.process.pid))

    def log_text(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """PSS and RSS of one process in kB (smaps_rollup)."""
    values = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            match = re.match(r"(Rss|Pss):\s+(\d+) kB", line)
            if match:
                values[match.group(1).lower()] = int(match.group(2))
    return values


def snapshot_kb(pid: int) -> dict[str, int]:
    """RSS and PSS in kB of the process's mappings of matching snapshot files (smaps)."""
    values, in_snapshot = {"rss": 0, "pss": 0}, False
    with open(f"/proc/{pid}/smaps", encoding="ascii", errors="replace") as handle:
        for line in handle:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                in_snapshot = ".snapshot" in line and "matching-" in line
            elif in_snapshot:
                match = re.match(r"(Rss|Pss):\s+(\d+) kB", line)
                if match:
                    values[match.group(1).lower()] += int(match.group(2))
    return values


def workers_memory(server: Gunicorn) -> dict:
    """The gunicorn tree's memory: master and workers, so a page they share is counted once in all.

    The master holds what it loaded before the fork (the preloaded app and the
    snapshot it mapped); leaving it out would hide part of what the workers share.
    """
    pids = server.worker_pids()
    per_worker = {pid: memory_kb(pid) for pid in pids}
    master = memory_kb(server.process.pid)
    snapshot = [snapshot_kb(pid) for pid in [server.process.pid, *pids]]
    return {"workers": len(per_worker), "worker_pids": pids,
            # The snapshot files as each process sees them (RSS), and what they cost together (PSS).
            "snapshot_rss_mb": [round(m["rss"] / 1024, 1) for m in snapshot],
            "snapshot_pss_mb": round(sum(m["pss"] for m in snapshot) / 1024, 1),
            "pss_mb": (master["pss"] + sum(m["pss"] for m in per_worker.values())) / 1024,
            "rss_mb": (master["rss"] + sum(m["rss"] for m in per_worker.values())) / 1024,
            "master_pss_mb": round(master["pss"] / 1024, 1),
            "per_worker_pss_mb": [round(m["pss"] / 1024, 1) for m in per_worker.values()]}


def wait_until_ready(port: int, workers: int, server: Gunicorn, timeout: float = 120) -> None:
    """Until /healthz answers and every worker has booted (workers import the app after the master)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {server.log_path}")
        booted = server.log_text().count("Booting worker")
        if booted >= workers and len(server.worker_pids()) >= workers:
            try:
                client = Client("127.0.0.1", port, timeout=5)
                if client.get("/healthz").status == 200:
                    client.close()
                    return
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not get ready in {timeout} s: see {server.log_path}")


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int, log_path: str, env_extra: dict[str, str]) -> Iterator[Gunicorn]:
    """`.venv/bin/gunicorn --workers N --bind 127.0.0.1:PORT wsgi:app` from the repo root."""
    port = free_port()
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed below, after the process)
    command = [os.path.join(BIN, "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=app_environment(database_url, **env_extra),  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT)
    server = Gunicorn(process, port, log_path, time.monotonic())
    try:
        wait_until_ready(port, workers, server)
        yield server
    finally:
        stop(process)
        log.close()


@contextlib.contextmanager
def scheduler(database_url: str, log_path: str, env_extra: dict[str, str]) -> Iterator[subprocess.Popen]:
    """Exactly one `flask scheduler run`, with the same environment as gunicorn."""
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(flask_command("scheduler", "run"), cwd=ROOT,  # noqa: S603
                                   env=app_environment(database_url, **env_extra),
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_trouble(log_text: str) -> dict[str, int]:
    """What gunicorn's log says about workers that did not live through the run."""
    return {
        "worker_timeouts": log_text.count("WORKER TIMEOUT"),
        "workers_booted": log_text.count("Booting worker"),
        "worker_exits": len(re.findall(r"Worker \(pid:\d+\) (?:exited|was sent)", log_text)),
    }
