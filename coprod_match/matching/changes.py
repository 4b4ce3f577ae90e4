"""The change log that keeps every worker's matching snapshot current without rebuilding it.

A service that changes what matching reads calls `record_change` with the
citizens and initiatives it touched. The rows are written when the session
commits, in the same transaction as the change, so a change and its log
entry are stored together or not at all. Each worker keeps a `ChangeCursor`
and, before answering a matching question, reads the entries after it.

Ids come from a sequence, and transactions may commit out of order: an
entry with a lower id can appear after a higher one was read. The cursor
remembers such gaps for GAP_SECONDS and asks for them again; re-reading a
row is harmless (its facts are simply read again).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import MatchingChange, utcnow

_PENDING_KEY = "coprod_match.matching_changes"
# How long a missing id may still turn up (a transaction that took a number and has not committed yet).
GAP_SECONDS = 120.0
# At most this many missing ids are remembered (a burst of rolled-back transactions leaves many).
MAX_GAPS = 2_000


def record_change(session: orm.Session, *, citizens: Iterable = (), initiatives: Iterable = ()) -> None:
    """Note that these citizens and initiatives (ids or objects) changed; written at commit."""
    pending = session.info.setdefault(_PENDING_KEY, ([], []))
    pending[0].extend(citizens)
    pending[1].extend(initiatives)


def _id(item) -> int | None:
    return item if isinstance(item, int) or item is None else item.id


@sa.event.listens_for(orm.Session, "before_commit")
def _write_pending_changes(session: orm.Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    session.flush()  # new rows get their ids
    now = utcnow()
    citizens = {_id(item) for item in pending[0]} - {None}
    initiatives = {_id(item) for item in pending[1]} - {None}
    session.add_all(MatchingChange(citizen_id=c, changed_at=now) for c in sorted(citizens))
    session.add_all(MatchingChange(initiative_id=i, changed_at=now) for i in sorted(initiatives))
    session.flush()


@sa.event.listens_for(orm.Session, "after_soft_rollback")
def _forget_pending_changes(session: orm.Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


@dataclass
class ChangeCursor:
    """How far a reader has read the log: the last id, and lower ids not seen yet (gaps)."""

    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id -> until when (time.monotonic) to ask

    def add_gaps(self, ids: Iterable[int], until: float) -> None:
        for change_id in ids:
            if len(self.gaps) >= MAX_GAPS:
                break
            self.gaps.setdefault(change_id, until)


@dataclass
class Changed:
    citizens: set[int] = field(default_factory=set)
    initiatives: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.citizens or self.initiatives)


def read_changes(session: orm.Session, cursor: ChangeCursor) -> Changed:
    """What changed since `cursor` (one indexed query); moves the cursor on."""
    now = time.monotonic()
    cursor.gaps = {change_id: until for change_id, until in cursor.gaps.items() if until > now}
    condition = MatchingChange.id > cursor.last_id
    if cursor.gaps:
        condition = condition | MatchingChange.id.in_(sorted(cursor.gaps))
    rows = session.execute(
        sa.select(MatchingChange.id, MatchingChange.citizen_id, MatchingChange.initiative_id)
        .where(condition).order_by(MatchingChange.id)
    ).all()
    changed = Changed()
    seen = set()
    for change_id, citizen_id, initiative_id in rows:
        seen.add(change_id)
        cursor.gaps.pop(change_id, None)
        if citizen_id is not None:
            changed.citizens.add(citizen_id)
        if initiative_id is not None:
            changed.initiatives.add(initiative_id)
    top = max(seen, default=cursor.last_id)
    if top > cursor.last_id:
        cursor.add_gaps((i for i in range(cursor.last_id + 1, top) if i not in seen), now + GAP_SECONDS)
        cursor.last_id = top
    return changed


def log_position(session: orm.Session, *, window: int = MAX_GAPS) -> tuple[int, list[int]]:
    """The last change id stored now, and the ids below it (within `window`) not stored yet."""
    last = session.scalar(sa.select(sa.func.max(MatchingChange.id))) or 0
    present = set(session.scalars(sa.select(MatchingChange.id).where(MatchingChange.id > last - window)))
    start = min(present, default=last)  # below the oldest entry kept, ids were pruned, not pending
    return last, [i for i in range(start + 1, last) if i not in present]


def prune_changes(session: orm.Session, *, up_to_id: int, older_than_seconds: float) -> int:
    """Delete entries every snapshot in use already contains, once they are old enough."""
    cutoff = utcnow() - dt.timedelta(seconds=older_than_seconds)
    result = session.execute(
        sa.delete(MatchingChange).where(MatchingChange.id <= up_to_id, MatchingChange.changed_at < cutoff)
    )
    return result.rowcount or 0
