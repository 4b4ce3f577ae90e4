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
    old_pairs = _pairs(snapshot)
    snapshot.initiatives, grown = _write_rows(
        snapshot.initiatives, snapshot.initiative_index, initiatives, snapshot.initiative_columns)
    if grown:
        snapshot.initiative_index = IdIndex(snapshot.initiatives.id)
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
    # Blocked pairs: forget those of every changed row, then add the fresh ones.
    c_ids, i_ids = old_pairs
    keep = ~np.isin(c_ids, list(citizen_ids)) & ~np.isin(i_ids, list(initiative_ids))
    fresh = [(c.id, i) for c in citizens for i in c.blocked_initiatives]
    fresh += [(c, i.id) for i in initiatives for c in i.blocked_citizens]
    pairs = np.concatenate([np.stack([c_ids[keep], i_ids[keep]], axis=1),
                            np.array(fresh, dtype=np.int64).reshape(-1, 2)])
    snapshot.blocked_keys = snapshot.keys_of_pairs(pairs)
    snapshot._blocked_by_initiative = None
    snapshot.set_invitable()
    return snapshot


def _rows_of(index: IdIndex, ids: set[int]) -> np.ndarray:
    rows = index.rows(sorted(ids))
    return rows[rows >= 0]


def _pairs(snapshot: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """The blocked pairs as (citizen ids, initiative ids)."""
    n = max(1, len(snapshot.initiatives))
    keys = snapshot.blocked_keys
    return snapshot.citizens.id[keys // n], snapshot.initiatives.id[keys % n]


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
