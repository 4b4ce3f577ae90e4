"""Initiatives to CSV text, in the same columns the import reads (plus counts)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from ..schedule import mask_to_slots, slot_key
from .cells import LIST_SEPARATOR
from .reading import FORMULA_STARTS
from .validation import INITIATIVE_COLUMNS

EXPORT_COLUMNS = (
    "id", "title", "description", "neighbourhood", "district", "location", "status",
    "target_groups", "interests", "tasks", "complementary_tasks", "languages", "schedule",
    "hours_per_week", "volunteers_min", "volunteers_ideal", "active_volunteers",
    "welcomes_dutch_learners", "start_date", "end_date", "contact_emails",
    "open_to", "min_age", "max_age",
)
# Every import column is exported, so an export can be imported into another database.
assert set(INITIATIVE_COLUMNS) <= set(EXPORT_COLUMNS)


@dataclass(frozen=True, slots=True)
class InitiativeExportRow:
    id: int
    title: str
    description: str
    neighbourhood: str
    district: str
    location: str | None
    status: str
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    core_tasks: tuple[str, ...]
    complementary_tasks: tuple[str, ...]
    languages: tuple[str, ...]
    schedule_slots: int
    hours_per_week: int
    volunteers_min: int
    volunteers_ideal: int
    active_volunteers: int
    welcomes_dutch_learners: bool
    start_date: dt.date
    end_date: dt.date | None
    contact_emails: tuple[str, ...]
    open_to: str = "everyone"
    min_age: int | None = None
    max_age: int | None = None


# Spreadsheets also start a formula after a leading TAB or CR (OWASP's CSV injection list).
NEUTRALISED_STARTS = (*FORMULA_STARTS, "\t", "\r")


def _safe(value: str) -> str:
    """Keep spreadsheets from running text as a formula (CSV injection)."""
    return "'" + value if value.startswith(NEUTRALISED_STARTS) else value


def _cells(row: InitiativeExportRow) -> dict[str, str]:
    def joined(items: Iterable[str]) -> str:
        return LIST_SEPARATOR.join(items)

    return {
        "id": str(row.id),
        "title": row.title,
        "description": row.description,
        "neighbourhood": row.neighbourhood,
        "district": row.district,
        "location": row.location or "",
        "status": row.status,
        "target_groups": joined(row.target_groups),
        "interests": joined(row.interests),
        "tasks": joined(row.core_tasks),
        "complementary_tasks": joined(row.complementary_tasks),
        "languages": joined(row.languages),
        "schedule": joined(slot_key(day, part) for day, part in mask_to_slots(row.schedule_slots)),
        "hours_per_week": str(row.hours_per_week),
        "volunteers_min": str(row.volunteers_min),
        "volunteers_ideal": str(row.volunteers_ideal),
        "active_volunteers": str(row.active_volunteers),
        "welcomes_dutch_learners": "yes" if row.welcomes_dutch_learners else "no",
        "start_date": row.start_date.isoformat(),
        "end_date": row.end_date.isoformat() if row.end_date else "",
        "contact_emails": joined(row.contact_emails),
        "open_to": row.open_to,
        "min_age": "" if row.min_age is None else str(row.min_age),
        "max_age": "" if row.max_age is None else str(row.max_age),
    }


def initiatives_csv(rows: Iterable[InitiativeExportRow], *, delimiter: str = ",",
                    byte_order_mark: bool = False) -> str:
    """The CSV text; with a byte order mark and `;` Dutch Excel opens it right away."""
    buffer = io.StringIO(newline="")
    if byte_order_mark:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, delimiter=delimiter,
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _safe(value) for name, value in _cells(row).items()})
    return buffer.getvalue()
