"""A snapshot as one compact file that every worker on a machine maps, sharing its memory.

The file is a short JSON header (places, code lists, weights and where each
array sits) followed by the raw numpy arrays, each aligned. Loading maps the
file copy-on-write: workers share the pages the operating system caches, and
a worker that patches a row copies only the page it writes. Pure: no
database, no Flask.
"""

from __future__ import annotations

import dataclasses
import json
import mmap
import os
import struct
import tempfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from .columns import CitizenColumns, IdIndex, InitiativeColumns
from .engine import Snapshot
from .facts import NeighbourhoodFacts, Weights

# 2: who initiatives are open to (gender, age) and residents' gender and birth year.
MAGIC = b"coprod-match snapshot 2\n"
ALIGN = 64


class SnapshotFileError(ValueError):
    """The file is not a snapshot this code can read."""


def weights_as_dict(weights: Weights) -> dict[str, Any]:
    values = dataclasses.asdict(weights)
    values["language_levels"] = dict(weights.language_levels)
    values["not_bridge_languages"] = sorted(weights.not_bridge_languages)
    return values


def weights_from_dict(values: Mapping[str, Any]) -> Weights:
    return Weights(**{**values, "not_bridge_languages": frozenset(values["not_bridge_languages"])})


def _arrays(snapshot: Snapshot) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for prefix, columns in (("citizens", snapshot.citizens), ("initiatives", snapshot.initiatives),
                            ("invitable", snapshot.invitable)):
        arrays.update({f"{prefix}.{name}": value for name, value in vars(columns).items()})
    for prefix, index in (("citizen_index", snapshot.citizen_index),
                          ("initiative_index", snapshot.initiative_index)):
        arrays[f"{prefix}.order"] = index.order
        arrays[f"{prefix}.sorted_ids"] = index.sorted_ids
    arrays["blocked_keys"] = snapshot.blocked_keys
    arrays["invitable_rows"] = snapshot.invitable_rows
    if snapshot.exposure is not None:
        arrays["exposure"] = snapshot.exposure
    return arrays


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def write_snapshot(snapshot: Snapshot, path: str, meta: Mapping[str, Any] | None = None) -> int:
    """Write the snapshot to `path` atomically (a temporary file, then a rename); return its size."""
    arrays = {name: np.ascontiguousarray(value) for name, value in _arrays(snapshot).items()}
    layout, offset = {}, 0
    for name, value in arrays.items():
        layout[name] = {"dtype": value.dtype.str, "shape": list(value.shape), "offset": offset}
        offset = _aligned(offset + value.nbytes)
    header = json.dumps({
        "meta": dict(meta or {}),
        "neighbourhoods": [dataclasses.astuple(n) for n in snapshot.neighbourhoods],
        "language_codes": snapshot.language_codes,
        "interest_codes": snapshot.interest_codes,
        "weights": weights_as_dict(snapshot.weights),
        "year": snapshot.year,
        "arrays": layout,
    }).encode()
    start = _aligned(len(MAGIC) + 8 + len(header))
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".snapshot-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", len(header)) + header)
            for name, value in arrays.items():
                out.seek(start + layout[name]["offset"])
                out.write(value.tobytes())
            out.truncate(start + offset)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return start + offset


def read_meta(path: str) -> dict[str, Any]:
    """The `meta` mapping stored with the snapshot, without mapping its arrays."""
    with open(path, "rb") as handle:
        return _header(handle.read(len(MAGIC) + 8), handle)["meta"]


def _header(prefix: bytes, handle) -> dict[str, Any]:
    if not prefix.startswith(MAGIC) or len(prefix) < len(MAGIC) + 8:
        raise SnapshotFileError("not a matching snapshot file")
    (size,) = struct.unpack("<Q", prefix[len(MAGIC):len(MAGIC) + 8])
    return json.loads(handle.read(size))


def load_snapshot(path: str) -> tuple[Snapshot, dict[str, Any]]:
    """Map a snapshot file; return the snapshot and its `meta`. Arrays share the file's pages."""
    with open(path, "rb") as handle:
        header = _header(handle.read(len(MAGIC) + 8), handle)
        start = _aligned(handle.tell())
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    arrays = {}
    for name, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"])
        count = int(np.prod(spec["shape"], dtype=np.int64))
        arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count,
                                     offset=start + spec["offset"]).reshape(spec["shape"])
    snapshot = Snapshot.__new__(Snapshot)
    snapshot.set_frame([NeighbourhoodFacts(*n) for n in header["neighbourhoods"]],
                       weights_from_dict(header["weights"]), header["language_codes"], header["interest_codes"])

    def columns(cls, prefix):
        return cls(**{field.name: arrays[f"{prefix}.{field.name}"] for field in dataclasses.fields(cls)})

    snapshot.year = header["year"]
    snapshot.citizens = columns(CitizenColumns, "citizens")
    snapshot.initiatives = columns(InitiativeColumns, "initiatives")
    snapshot.invitable = columns(CitizenColumns, "invitable")
    snapshot.invitable_rows = arrays["invitable_rows"]
    snapshot.blocked_keys = arrays["blocked_keys"]
    snapshot.citizen_index = _index(arrays, "citizen_index")
    snapshot.initiative_index = _index(arrays, "initiative_index")
    snapshot.exposure = arrays.get("exposure")  # only measured when the attention bonus is on
    return snapshot, header["meta"]


def _index(arrays: Mapping[str, np.ndarray], prefix: str) -> IdIndex:
    index = IdIndex.__new__(IdIndex)
    index.order, index.sorted_ids = arrays[f"{prefix}.order"], arrays[f"{prefix}.sorted_ids"]
    return index
