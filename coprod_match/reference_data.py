"""Loading neighbourhoods and taxonomies from the CSV files in coprod_match/data/.

An upsert by natural key: rows are added or updated, never deleted, so
records that point at them stay valid when a municipality edits its lists.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from .models import InterestCategory, Language, Neighbourhood, TargetGroup

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@dataclass(frozen=True)
class ReferenceCounts:
    added: int
    updated: int


def _read_csv(data_dir: str, name: str) -> list[dict[str, str]]:
    with open(os.path.join(data_dir, name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(session: orm.Session, model, key: str, rows: list[dict]) -> tuple[int, int]:
    existing = {getattr(obj, key): obj for obj in session.scalars(sa.select(model))}
    added = updated = 0
    for row in rows:
        current = existing.get(row[key])
        if current is None:
            session.add(model(**row))
            added += 1
            continue
        changed = False
        for field, value in row.items():
            if getattr(current, field) != value:
                setattr(current, field, value)
                changed = True
        updated += changed
    return added, updated


def load_reference_data(session: orm.Session, data_dir: str = DATA_DIR) -> ReferenceCounts:
    """Bring neighbourhoods, languages, interests and target groups in line with the files."""
    neighbourhoods = [
        {
            "name": r["name"].strip(),
            "district": r["district"].strip(),
            "latitude": float(r["lat"]),
            "longitude": float(r["lon"]),
        }
        for r in _read_csv(data_dir, "neighbourhoods.csv")
    ]
    languages = [
        {
            "code": r["code"].strip(),
            "english_name": r["english_name"].strip(),
            "dutch_name": r["dutch_name"].strip(),
            "endonym": r["endonym"].strip(),
        }
        for r in _read_csv(data_dir, "languages.csv")
    ]

    def taxonomy(name: str) -> list[dict]:
        return [
            {"code": r["code"].strip(), "label_en": r["label"].strip(), "label_nl": r["label_nl"].strip()}
            for r in _read_csv(data_dir, name)
        ]

    totals = [
        _upsert(session, Neighbourhood, "name", neighbourhoods),
        _upsert(session, Language, "code", languages),
        _upsert(session, InterestCategory, "code", taxonomy("interests.csv")),
        _upsert(session, TargetGroup, "code", taxonomy("target_groups.csv")),
    ]
    session.flush()
    return ReferenceCounts(added=sum(a for a, _ in totals), updated=sum(u for _, u in totals))
