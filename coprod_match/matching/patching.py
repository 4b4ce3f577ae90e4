"""Bringing a snapshot up to date row by row, from the facts of what changed.

A change to a profile, a placement or an initiative names the citizens and
initiatives it touched; their facts are read fresh and written over their
rows here. Someone new gets a row at the end; someone who can no longer be
matched (no profile, disabled, initiative gone) keeps a row that no filter
lets through. Cost grows with the number of changed rows, not with the city.
Pure numpy: no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .columns import Columns, IdIndex
from .engine import Snapshot
from .facts import CitizenFacts, InitiativeFacts


def apply_changes(
    snapshot: Snapshot,
    *,
    citizen_ids: Iterable[int] = (),
    citizens: Sequence[CitizenFacts] = (),
    initiative_ids: Iterable[int] = (),
    initiatives: Sequence[InitiativeFacts] = (),
) -> Snapshot:
    """Write changed rows into `snapshot` (in place) and return it.

    `citizen_ids` are all citizens that changed; `citizens` the fresh facts
    of those that can still be matched (the others are switched off). The
    same for initiatives.
    """
    citizen_ids = set(citizen_ids) | {c.id for c in citizens}
    initiative_ids = set(initiative_ids) | {i.id for i in initiatives}
    if not citizen_ids and not initiative_ids:
        return snapshot
    n_before = len(snapshot.initiatives)
    snapshot.initiatives, grown = _write_rows(
        snapshot.initiatives, snapshot.initiative_index, initiatives, snapshot.initiative_columns)
    if grown:
        snapshot.initiative_index = IdIndex(snapshot.initiatives.id)
        if snapshot.exposure is not None:
            # A new initiative was in no one's list when exposure was measured: that is true, so 0.
            added = len(snapshot.initiatives) - len(snapshot.exposure)
            snapshot.exposure = np.concatenate([snapshot.exposure, np.zeros(added, dtype=np.int32)])
        # Keys are citizen_row * n + initiative_row: renumber for the new n (their order stays).
        keys, n = snapshot.blocked_keys, len(snapshot.initiatives)
        snapshot.blocked_keys = keys // n_before * n + keys % n_before
    snapshot.citizens, grown = _write_rows(
        snapshot.citizens, snapshot.citizen_index, citizens, snapshot.citizen_columns)
    if grown:
        snapshot.citizen_index = IdIndex(snapshot.citizens.id)
    # Changed, but no fresh facts: no longer matchable, so no filter lets them through.
    gone = _rows_of(snapshot.initiative_index, initiative_ids - {i.id for i in initiatives})
    snapshot.initiatives.is_open[gone] = False
    gone = _rows_of(snapshot.citizen_index, citizen_ids - {c.id for c in citizens})
    snapshot.citizens.slots[gone] = 0
    snapshot.citizens.consent[gone] = False
    citizen_rows = _rows_of(snapshot.citizen_index, citizen_ids)
    _renew_blocked(snapshot, citizen_rows, _rows_of(snapshot.initiative_index, initiative_ids),
                   [(c.id, i) for c in citizens for i in c.blocked_initiatives]
                   + [(c, i.id) for i in initiatives for c in i.blocked_citizens])
    _renew_invitable(snapshot, citizen_rows)
    return snapshot


def _rows_of(index: IdIndex, ids: set[int]) -> np.ndarray:
    rows = index.rows(sorted(ids))
    return np.unique(rows[rows >= 0])


def _renew_blocked(snapshot: Snapshot, citizen_rows: np.ndarray, initiative_rows: np.ndarray,
                   fresh_pairs: list[tuple[int, int]]) -> None:
    """Forget the blocked pairs of every changed row, then add the fresh ones (keys stay sorted)."""
    keys, n = snapshot.blocked_keys, max(1, len(snapshot.initiatives))
    drop = np.zeros(len(keys), dtype=bool)
    if len(citizen_rows):
        # One citizen's keys are one run of the sorted keys.
        starts = np.searchsorted(keys, citizen_rows * n)
        ends = np.searchsorted(keys, (citizen_rows + 1) * n)
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            drop[start:end] = True
    if len(initiative_rows):
        changed = np.zeros(n, dtype=bool)
        changed[initiative_rows] = True
        drop |= changed[keys % n]
    kept = keys[~drop] if drop.any() else keys
    new = snapshot.keys_of_pairs(np.array(fresh_pairs, dtype=np.int64).reshape(-1, 2))
    where = np.searchsorted(kept, new)
    if len(kept):
        fresh = kept[np.minimum(where, len(kept) - 1)] != new
        new, where = new[fresh], where[fresh]
    snapshot.blocked_keys = np.insert(kept, where, new) if len(new) else kept
    snapshot._blocked_by_initiative = None


def _renew_invitable(snapshot: Snapshot, citizen_rows: np.ndarray) -> None:
    """Who could be invited, for the changed citizens only: update in place, drop or add their rows."""
    people, rows, invitable = snapshot.citizens, snapshot.invitable_rows, snapshot.invitable
    if not len(citizen_rows):
        return
    now_in = (people.consent[citizen_rows] & (people.load_count[citizen_rows] < people.max_initiatives[citizen_rows])
              & (people.slots[citizen_rows] != 0))
    at = np.searchsorted(rows, citizen_rows)
    was_in = (at < len(rows)) & (rows[np.minimum(at, max(len(rows) - 1, 0))] == citizen_rows) if len(rows) \
        else np.zeros(len(citizen_rows), dtype=bool)
    invitable = _writable(invitable)
    stay = was_in & now_in
    for name, column in vars(invitable).items():
        column[at[stay]] = getattr(people, name)[citizen_rows[stay]]
    leave, enter = at[was_in & ~now_in], citizen_rows[~was_in & now_in]
    if len(leave) or len(enter):
        rows = np.delete(rows, leave)
        where = np.searchsorted(rows, enter)
        invitable = type(invitable)(**{
            name: np.insert(np.delete(column, leave), where, getattr(people, name)[enter])
            for name, column in vars(invitable).items()
        })
        rows = np.insert(rows, where, enter)
    snapshot.invitable_rows, snapshot.invitable = rows, invitable


def _writable(columns: Columns) -> Columns:
    """The same columns, each copied only if it cannot be written (a read-only mapping)."""
    return type(columns)(**{
        name: value if value.flags.writeable else value.copy() for name, value in vars(columns).items()
    })


def _write_rows(columns: Columns, index: IdIndex, facts: Sequence, make_columns) -> tuple[Columns, bool]:
    """Overwrite the rows of facts already here, append the new ones; return (columns, appended?)."""
    columns = _writable(columns)
    if not facts:
        return columns, False
    rows = index.rows([f.id for f in facts])
    fresh = make_columns(list(facts))
    here = rows >= 0
    if here.any():
        for name, value in vars(fresh).items():
            getattr(columns, name)[rows[here]] = value[here]
    if here.all():
        return columns, False
    new = fresh.take(np.flatnonzero(~here))
    return type(columns)(**{
        name: np.concatenate([value, getattr(new, name)]) for name, value in vars(columns).items()
    }), True
