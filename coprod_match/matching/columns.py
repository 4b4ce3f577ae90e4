"""The snapshot's building blocks: rows as numpy columns, bitsets, and an id-to-row index.

Pure numpy, no database: the engine, the snapshot file and the change
patcher share these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..volunteer_need import volunteers_needed

MAX_BITS = 62  # bitsets are int64; keep clear of the sign bit


def bit_index(codes: Iterable[str]) -> dict[str, int]:
    index = {code: bit for bit, code in enumerate(sorted(set(codes)))}
    if len(index) > MAX_BITS:
        raise ValueError(f"matching supports at most {MAX_BITS} codes per taxonomy")
    return index


def bit_mask(codes: Iterable[str], index: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        bit = index.get(code)
        if bit is not None:
            mask |= 1 << bit
    return mask


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances in km between every pair of points."""
    p = np.radians(lat)[:, None], np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin((p[1] - p[0]) / 2) ** 2 + np.cos(p[0]) * np.cos(p[1]) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass
class Columns:
    """A set of rows as numpy columns; `take` selects rows (or broadcasts with [:, None])."""

    def take(self, index) -> Columns:
        return type(self)(**{name: value[index] for name, value in vars(self).items()})

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class CitizenColumns(Columns):
    id: np.ndarray
    place: np.ndarray  # neighbourhood position; the last position means "unknown"
    slots: np.ndarray
    native: np.ndarray  # language bitsets per level
    fluent: np.ndarray
    conversational: np.ndarray
    basic: np.ndarray
    interests: np.ndarray
    practise_dutch: np.ndarray
    consent: np.ndarray
    load_count: np.ndarray
    max_initiatives: np.ndarray
    load_hours: np.ndarray
    max_hours: np.ndarray  # a large number when the citizen set no limit
    load_share: np.ndarray  # how close to their own limits, 0..1
    gender: np.ndarray  # open_to.GENDER_CODES, 0 when not a stated woman or man
    birth_year: np.ndarray  # open_to.NO_BIRTH_YEAR when not given


@dataclass
class InitiativeColumns(Columns):
    id: np.ndarray
    place: np.ndarray
    is_open: np.ndarray
    slots: np.ndarray
    slot_count: np.ndarray
    hours: np.ndarray
    bridge_languages: np.ndarray  # service users' languages that count as a bridge
    speaks_dutch: np.ndarray
    welcomes_learners: np.ndarray
    interests: np.ndarray
    interest_count: np.ndarray
    volunteers_min: np.ndarray
    volunteers_ideal: np.ndarray
    active: np.ndarray
    places_taken: np.ndarray
    pending: np.ndarray
    welcomes_dutch_speakers: np.ndarray  # speaks Dutch and welcomes learners
    slot_share: np.ndarray  # 1 / number of weekly slots
    interest_share: np.ndarray  # 1 / number of interest categories
    need: np.ndarray  # the need part of the score: open places, continuity risk
    open_to: np.ndarray  # open_to.OPEN_TO_CODES: 0 everyone, else the code of the gender admitted
    min_age: np.ndarray  # open_to.NO_MIN_AGE / NO_MAX_AGE when that end is open
    max_age: np.ndarray

    @property
    def open_places(self) -> np.ndarray:
        return volunteers_needed(self.volunteers_ideal, self.places_taken)

    @property
    def at_risk(self) -> np.ndarray:
        return (self.active <= 1) | (self.active < self.volunteers_min)


class IdIndex:
    """Row number of each id in a column of ids, without a Python dict of every row.

    Sorted ids and their rows are two numpy arrays (shareable from a mapped
    file); a look-up is a binary search.
    """

    def __init__(self, ids: np.ndarray, order: np.ndarray | None = None):
        self.order = np.argsort(ids, kind="stable") if order is None else order
        self.sorted_ids = ids[self.order]

    def __len__(self) -> int:
        return len(self.order)

    def rows(self, ids) -> np.ndarray:
        """Row of each id, -1 where the id is not here."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.order):
            return np.full(ids.shape, -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.sorted_ids, ids), len(self.order) - 1)
        return np.where(self.sorted_ids[at] == ids, self.order[at], -1)

    def get(self, id_: int, default=None):
        row = int(self.rows([id_])[0])
        return default if row < 0 else row

    def __contains__(self, id_: int) -> bool:
        return self.get(id_) is not None

    def __getitem__(self, id_: int) -> int:
        row = self.get(id_)
        if row is None:
            raise KeyError(id_)
        return row
