"""Where benchmarks keep what they produce: bench/output/ (git ignores it)."""

from __future__ import annotations

import json
import os
import time

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "output")


def save_results(kind: str, quick: bool, results: dict) -> str:
    """Write `results` as bench/output/<kind>-<quick|city>-<time>.json, say where, return the name."""
    os.makedirs(OUTPUT, exist_ok=True)
    name = f"{kind}-{'quick' if quick else 'city'}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    with open(os.path.join(OUTPUT, name), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, default=float)
    print(f"JSON: bench/output/{name}")
    return name
