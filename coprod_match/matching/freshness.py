"""Matching sees a stored change at once: the app's snapshot cache and the hook that empties it.

The services that change what matching reads (profiles, placements,
initiatives) call `refresh_after_commit`, whichever edge, command or job
called them, so the next question to matching is answered from the stored
change rather than from a snapshot up to MATCHING_SNAPSHOT_SECONDS old.

This lives apart from `service.py` because that module turns plan rows into
invitations through the invitation service, which moves placements: the
services must reach the cache without importing it back.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import orm

from ..transaction import after_commit
from .snapshot import SnapshotCache

_CACHE_KEY = "coprod_match.matching_snapshot"


def snapshot_cache() -> SnapshotCache:
    """The current app's snapshot cache (one per app, so test apps never share one)."""
    cache = current_app.extensions.get(_CACHE_KEY)
    if cache is None:
        cache = current_app.extensions[_CACHE_KEY] = SnapshotCache(
            current_app.config.get("MATCHING_SNAPSHOT_SECONDS", 60)
        )
    return cache


def _forget_snapshot(app: Flask) -> None:
    cache = app.extensions.get(_CACHE_KEY)
    if cache is not None:
        cache.invalidate()


def invalidate_snapshot() -> None:
    """Drop the current app's snapshot now; the next question to matching builds a fresh one."""
    _forget_snapshot(current_app._get_current_object())


def refresh_after_commit(session: orm.Session) -> None:
    """Drop the snapshot once this session's change is stored; keep it if the change is rolled back."""
    if not has_app_context():
        return  # a bare session (a thread, a script) has no app and so no cache to refresh
    app = current_app._get_current_object()
    after_commit(session, lambda: _forget_snapshot(app))
