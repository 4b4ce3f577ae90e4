"""This process's matching snapshot, kept current without ever rebuilding it on a request.

A worker starts from the newest snapshot the scheduler published (copied
once to a local file that every worker on the machine maps, so they share
its memory), or builds one itself when none was published yet, before it
takes traffic where it can (`warm`). Before each matching question it reads
the change log after its cursor, one indexed query, and writes the rows
that changed into its snapshot (`patching.py`): what anyone just stored is
seen at once, by every worker on every machine. Every
MATCHING_SNAPSHOT_CHECK_SECONDS it looks for a newer published snapshot and
switches to it; that is how time-based facts (a refusal that is old enough
to be forgotten) catch up.

Services report their changes with `changes.record_change`; this module
only reads.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import logging
import os
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import orm

from ..models import utcnow
from . import changes, publishing
from .engine import Snapshot
from .facts import Weights
from .patching import apply_changes
from .snapshot import build_snapshot, load_citizens, load_initiatives
from .store import SnapshotFileError, load_snapshot

log = logging.getLogger("coprod_match.matching")

_KEY = "coprod_match.live_snapshot"
# Changed rows are read again in batches of this many ids.
BATCH = 1_000
# Local snapshot files kept per machine (the newest ones).
KEEP_FILES = 3


@dataclass
class Counts:
    """What this process did to stay current (tests and the benchmark read it)."""

    builds: int = 0  # whole snapshots built here
    loads: int = 0  # published snapshots mapped
    patches: int = 0  # times changed rows were written in
    patched_rows: int = 0


class LiveSnapshot:
    def __init__(self, *, weights: Weights, turned_away_days: int, directory: str, check_seconds: float):
        self.weights = weights
        self.turned_away_days = turned_away_days
        self.directory = directory
        self.check_seconds = check_seconds
        self.counts = Counts()
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._published_id: int | None = None
        self._checked_at = 0.0
        self._cursor = changes.ChangeCursor()

    def current(self, session: orm.Session) -> Snapshot:
        """The snapshot with every stored change in it; never a full build once one is there."""
        with self._lock:
            if self._snapshot is None or time.monotonic() - self._checked_at >= self.check_seconds:
                self._switch_to_published(session)
            if self._snapshot is None:
                self._build(session)
            self._catch_up(session)
            return self._snapshot

    # -- starting points

    def _build(self, session: orm.Session) -> None:
        """Only when nothing was published yet (a new installation, tests)."""
        last_id, missing = changes.log_position(session)
        self._snapshot = build_snapshot(session, self.weights, turned_away_days=self.turned_away_days)
        self._cursor = changes.ChangeCursor(last_id)
        self._cursor.add_gaps(missing, time.monotonic() + changes.GAP_SECONDS)
        self.counts.builds += 1

    def _switch_to_published(self, session: orm.Session) -> None:
        """Map the newest published snapshot when it is one we have not tried yet."""
        self._checked_at = time.monotonic()
        latest = publishing.latest_published(session)
        if latest is None or latest.id == self._published_id:
            return
        self._published_id = latest.id
        path = os.path.join(self.directory, publishing.file_name(latest))
        try:
            self._fetch(session, latest.id, path)
            snapshot, meta = load_snapshot(path)
            if not publishing.is_file_of(latest, meta):
                raise SnapshotFileError(f"{path} is not the published snapshot {latest.id}")
        except (OSError, SnapshotFileError):
            log.exception("could not use published matching snapshot %s", latest.id)
            with contextlib.suppress(OSError):
                os.remove(path)  # fetched again at the next check
            self._published_id = None
            return
        if snapshot.weights != self.weights or meta.get("turned_away_days") != self.turned_away_days:
            log.warning("published matching snapshot %s was made with other settings", latest.id)
            return
        self._snapshot = snapshot
        self._cursor = changes.ChangeCursor(int(meta["change_id"]))
        self._cursor.add_gaps(meta.get("missing", ()), time.monotonic() + changes.GAP_SECONDS)
        self.counts.loads += 1

    def _fetch(self, session: orm.Session, published_id: int, path: str) -> None:
        """Have the file at `path`, fetched by this worker or another one on the machine.

        One at a time: workers that see a new snapshot together would otherwise each
        write their own copy, map different files and share nothing.
        """
        if os.path.exists(path):
            return
        os.makedirs(self.directory, exist_ok=True)
        with open(os.path.join(self.directory, "fetching.lock"), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not os.path.exists(path):
                    self._download(session, published_id, path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _download(self, session: orm.Session, published_id: int, path: str) -> None:
        data = publishing.published_data(session, published_id)
        if data is None:
            raise SnapshotFileError(f"published snapshot {published_id} is gone")
        temporary = f"{path}.{os.getpid()}.part"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)  # atomic: other workers see the whole file or none
        # Older files go; a worker still mapping one keeps its pages until it lets go.
        found = glob.glob(os.path.join(self.directory, "matching-*.snapshot"))
        for stale in sorted(found, key=_modified)[:-KEEP_FILES]:
            with contextlib.suppress(OSError):
                os.remove(stale)

    # -- keeping current

    def _catch_up(self, session: orm.Session) -> None:
        changed = changes.read_changes(session, self._cursor)
        if not changed:
            return
        citizen_ids, initiative_ids = sorted(changed.citizens), sorted(changed.initiatives)
        now = utcnow()
        for start in range(0, max(len(citizen_ids), len(initiative_ids)), BATCH):
            c_ids, i_ids = citizen_ids[start:start + BATCH], initiative_ids[start:start + BATCH]
            apply_changes(
                self._snapshot,
                citizen_ids=c_ids,
                citizens=load_citizens(session, now=now, turned_away_days=self.turned_away_days, ids=c_ids)
                if c_ids else [],
                initiative_ids=i_ids,
                initiatives=load_initiatives(session, now=now, turned_away_days=self.turned_away_days,
                                             ids=i_ids) if i_ids else [],
            )
        self.counts.patches += 1
        self.counts.patched_rows += len(citizen_ids) + len(initiative_ids)


def _modified(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:  # another worker removed it meanwhile
        return 0.0


def live_snapshot(app: Flask | None = None) -> LiveSnapshot:
    """The app's live snapshot (one per app, so test apps never share one)."""
    app = app or current_app._get_current_object()
    live = app.extensions.get(_KEY)
    if live is None:
        config = app.config
        live = app.extensions[_KEY] = LiveSnapshot(
            weights=Weights.from_mapping(config),
            turned_away_days=int(config.get("MATCHING_TURNED_AWAY_DAYS", 90)),
            directory=config.get("MATCHING_SNAPSHOT_DIR") or os.path.join(app.instance_path, "matching"),
            check_seconds=float(config.get("MATCHING_SNAPSHOT_CHECK_SECONDS", 15)),
        )
    return live


def warm(app: Flask) -> None:
    """Have the snapshot ready before the process takes traffic (gunicorn calls this per worker)."""
    from ..extensions import db

    with app.app_context():
        try:
            live_snapshot(app).current(db.session)
        except Exception:
            # No database yet, or a broken one: say so, and let the first question try again.
            log.exception("could not prepare the matching snapshot at start")
        finally:
            db.session.remove()
