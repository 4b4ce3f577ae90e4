"""Publishing the city's matching snapshot: built off the request path, stored for every worker.

The scheduler (one per installation) builds the snapshot every
MATCHING_SNAPSHOT_SECONDS and stores it in the database as the compact file
of `store.py`, with the position in the change log it includes. Workers on
any machine copy it to a local file once and map it (`freshness.py`). Old
snapshots and the log entries every kept snapshot includes are pruned here.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import PublishedSnapshot, utcnow
from . import changes
from .facts import Weights
from .snapshot import build_snapshot
from .store import write_snapshot

# Snapshots kept in the database: the newest, and the one before it for workers still switching.
KEEP = 2
# Log entries are kept at least this long, for workers that still read from an older snapshot.
KEEP_CHANGES_SECONDS = 3600


def publish_snapshot(session: orm.Session, weights: Weights, *, turned_away_days: int) -> PublishedSnapshot:
    """Build the snapshot from the database and store it for the workers. Flushes; the caller commits."""
    change_id, missing = changes.log_position(session)
    snapshot = build_snapshot(session, weights, turned_away_days=turned_away_days)
    built_at = utcnow()
    meta = {"change_id": change_id, "missing": missing, "built_at": built_at.isoformat(),
            "turned_away_days": turned_away_days}
    with tempfile.TemporaryDirectory(prefix="coprod-snapshot-") as directory:
        path = os.path.join(directory, "snapshot")
        size = write_snapshot(snapshot, path, meta)
        with open(path, "rb") as handle:
            data = handle.read()
    published = PublishedSnapshot(built_at=built_at, change_id=change_id, citizens=len(snapshot.citizens),
                                  initiatives=len(snapshot.initiatives), size=size, data=data)
    session.add(published)
    session.flush()
    kept = session.execute(
        sa.select(PublishedSnapshot.id, PublishedSnapshot.change_id)
        .order_by(PublishedSnapshot.id.desc()).limit(KEEP)
    ).all()
    session.execute(sa.delete(PublishedSnapshot).where(PublishedSnapshot.id < min(row.id for row in kept)))
    changes.prune_changes(session, up_to_id=min(row.change_id for row in kept),
                          older_than_seconds=KEEP_CHANGES_SECONDS)
    return published


def latest_published(session: orm.Session):
    """(id, change_id, built_at) of the newest published snapshot, or None."""
    return session.execute(
        sa.select(PublishedSnapshot.id, PublishedSnapshot.change_id, PublishedSnapshot.built_at)
        .order_by(PublishedSnapshot.id.desc()).limit(1)
    ).first()


def file_name(published) -> str:
    """The local file of a published snapshot. Its id alone is not enough: ids start again in a
    new or restored database, and a file left by another one must never be taken for it."""
    stamp = published.built_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"matching-{published.id}-{stamp}.snapshot"


def is_file_of(published, meta: dict) -> bool:
    """Whether a mapped file's header says it is this published snapshot."""
    try:
        built_at = dt.datetime.fromisoformat(meta["built_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return meta.get("change_id") == published.change_id and built_at == published.built_at


def published_data(session: orm.Session, published_id: int) -> bytes | None:
    return session.scalar(sa.select(PublishedSnapshot.data).where(PublishedSnapshot.id == published_id))
