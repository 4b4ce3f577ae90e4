"""Rows of a CSV file to initiative and citizen records, with every problem found.

Pure: the reference data and the existing records it must not clash with
come in as a `Lookups`; nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..lazy_text import lazy_text as _l
from ..vocabulary import UI_LOCALES, InitiativeStatus, LanguageLevel, Limits, OpenTo
from . import cells
from .reading import CsvTable

INITIATIVES = "initiatives"
CITIZENS = "citizens"
KINDS = (INITIATIVES, CITIZENS)

INITIATIVE_COLUMNS = (
    "title", "description", "neighbourhood", "location", "status", "target_groups",
    "interests", "tasks", "complementary_tasks", "languages", "schedule", "hours_per_week",
    "volunteers_min", "volunteers_ideal", "welcomes_dutch_learners", "start_date", "end_date",
    "contact_emails", "open_to", "min_age", "max_age",
)
INITIATIVE_REQUIRED = ("title", "neighbourhood", "start_date")
# Written by the export for reading, ignored by the import, so an export can be imported elsewhere.
INITIATIVE_EXPORT_ONLY = ("id", "district", "active_volunteers")

CITIZEN_COLUMNS = (
    "email", "name", "neighbourhood", "preferred_locale", "languages", "interests",
    "wants_to_practise_dutch", "availability", "max_hours_per_week", "max_initiatives",
    "consent_to_contact",
)
CITIZEN_REQUIRED = ("email", "name", "neighbourhood")


LEVEL_NAMES = {level.value: level.value for level in LanguageLevel} | {
    "moedertaal": "native", "vloeiend": "fluent", "goed": "fluent",
    "redelijk": "conversational", "basis": "basic",
}
OPEN_TO_NAMES = {group.value: group.value for group in OpenTo} | {
    "iedereen": "everyone", "vrouwen": "women", "mannen": "men",
}
STATUS_NAMES = {status.value: status.value for status in InitiativeStatus} | {
    "concept": "draft", "gepauzeerd": "paused", "gesloten": "closed",
}


@dataclass(frozen=True)
class Lookups:
    """Everything a row is checked against. Keys are lower-case spellings."""

    neighbourhoods: Mapping[str, int]  # name -> id
    interests: Mapping[str, str]  # code or label -> code
    target_groups: Mapping[str, str]  # code or label -> code
    languages: Mapping[str, str]  # code or name -> code
    professionals: Mapping[str, int] = field(default_factory=dict)  # e-mail -> user id
    # E-mail addresses of the file that already have an account (any role).
    taken_emails: frozenset[str] = frozenset()
    # (lower-case title, neighbourhood id) of initiatives that already exist.
    existing_initiatives: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong, and where: line in the file (header = line 1) and column."""

    line: int | None
    column: str | None
    message: Any  # a lazy translated string


@dataclass(frozen=True, slots=True)
class InitiativeRecord:
    line: int
    title: str
    description: str
    neighbourhood_id: int
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
    welcomes_dutch_learners: bool
    start_date: dt.date
    end_date: dt.date | None
    contact_ids: tuple[int, ...]
    open_to: str = OpenTo.EVERYONE.value
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True, slots=True)
class CitizenRecord:
    line: int
    email: str
    name: str
    neighbourhood_id: int
    preferred_locale: str
    languages: tuple[tuple[str, str], ...]
    interests: tuple[str, ...]
    wants_to_practise_dutch: bool
    availability_slots: int
    max_hours_per_week: int | None
    max_initiatives: int
    consent_to_contact: bool


@dataclass
class Validation:
    """The records of the good rows and the problems of the bad ones."""

    rows: int = 0
    records: list = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})


_INVALID = object()


class _Row:
    """Reads the cells of one row, collecting a problem for each bad cell."""

    def __init__(self, line: int, cells_by_column: Mapping[str, str], problems: list[RowProblem]):
        self.line = line
        self.cells = cells_by_column
        self.problems = problems
        self.bad = False

    def problem(self, column: str | None, message) -> None:
        self.problems.append(RowProblem(self.line, column, message))
        self.bad = True

    def get(self, column: str, parse: Callable[[str], Any], *, required: bool = False,
            default: Any = None) -> Any:
        raw = self.cells.get(column, "")
        if not raw:
            if required:
                self.problem(column, _l("This cell is empty; it must be filled in."))
                return _INVALID
            return default
        try:
            return parse(raw)
        except cells.CellError as error:
            self.problem(column, error.message)
            return _INVALID


def _check_header(table: CsvTable, known: Iterable[str], required: Iterable[str],
                  ignored: Iterable[str]) -> list[RowProblem]:
    known, ignored = set(known), set(ignored)
    problems = []
    seen: set[str] = set()
    for name in table.header:
        if not name:
            problems.append(RowProblem(table.header_line, None,
                                       _l("A column has no name in the first line.")))
        elif name in seen:
            problems.append(RowProblem(table.header_line, name,
                                       _l("This column is in the file twice.")))
        elif name not in known and name not in ignored:
            problems.append(RowProblem(table.header_line, name,
                                       _l("Unknown column. Check the spelling against the list "
                                          "of columns.")))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(RowProblem(table.header_line, name,
                                       _l("This column is missing. It is required.")))
    return problems


def _rows(table: CsvTable, problems: list[RowProblem]):
    """Each row's cells by column name; rows of the wrong length are problems."""
    width = len(table.header)
    for row in table.rows:
        if len(row.values) != width:
            problems.append(RowProblem(
                row.line, None,
                _l("This row has %(found)d cells, but the first line has %(expected)d columns. "
                   "Check for a missing or extra separator.", found=len(row.values),
                   expected=width)))
            continue
        yield row.line, dict(zip(table.header, row.values, strict=True))


def validate_initiatives(table: CsvTable, lookups: Lookups) -> Validation:
    """Initiative records from the rows, or the problems that stop the import."""
    result = Validation(rows=len(table.rows))
    result.problems.extend(_check_header(table, INITIATIVE_COLUMNS, INITIATIVE_REQUIRED,
                                         INITIATIVE_EXPORT_ONLY))
    if result.problems:
        return result  # without the right columns every row would repeat the same complaint
    first_line_of: dict[tuple[str, int], int] = {}
    for line, values in _rows(table, result.problems):
        row = _Row(line, values, result.problems)
        title = row.get("title", cells.line(Limits.INITIATIVE_TITLE), required=True)
        description = row.get("description", cells.text(Limits.INITIATIVE_DESCRIPTION), default="")
        neighbourhood_id = row.get("neighbourhood", cells.choice_id(lookups.neighbourhoods,
                                                                    _l("neighbourhood")),
                                   required=True)
        location = row.get("location", cells.text(Limits.INITIATIVE_LOCATION))
        status = row.get("status", cells.choice(STATUS_NAMES, _l("status")),
                         default=InitiativeStatus.OPEN.value)
        target_groups = row.get("target_groups", cells.codes(lookups.target_groups,
                                                             _l("target group")), default=())
        interests = row.get("interests", cells.codes(lookups.interests, _l("interest")),
                            default=())
        core_tasks = row.get("tasks", cells.titles(Limits.TASK_TITLE), default=())
        complementary_tasks = row.get("complementary_tasks", cells.titles(Limits.TASK_TITLE), default=())
        languages = row.get("languages", cells.codes(lookups.languages, _l("language")),
                            default=())
        schedule = row.get("schedule", cells.slots, default=0)
        hours = row.get("hours_per_week", cells.integer(1, Limits.HOURS_PER_WEEK_MAX), default=2)
        minimum = row.get("volunteers_min", cells.integer(0, Limits.VOLUNTEERS_MAX), default=1)
        ideal = row.get("volunteers_ideal", cells.integer(1, Limits.VOLUNTEERS_MAX), default=3)
        learners = row.get("welcomes_dutch_learners", cells.boolean, default=False)
        start = row.get("start_date", cells.date, required=True)
        end = row.get("end_date", cells.date)
        contacts = row.get("contact_emails", cells.emails, default=())
        open_to = row.get("open_to", cells.choice(OPEN_TO_NAMES, _l("who can join")),
                          default=OpenTo.EVERYONE.value)
        min_age = row.get("min_age", cells.integer(0, Limits.AGE_MAX))
        max_age = row.get("max_age", cells.integer(0, Limits.AGE_MAX))
        if min_age not in (_INVALID, None) and max_age not in (_INVALID, None) and max_age < min_age:
            row.problem("max_age", _l("The maximum age must be at least the minimum age."))

        if minimum is not _INVALID and ideal is not _INVALID and minimum > ideal:
            row.problem("volunteers_min", _l("The minimum (%(min)d) is more than the ideal "
                                             "number of volunteers (%(ideal)d).",
                                             min=minimum, ideal=ideal))
        if start is not _INVALID and end not in (_INVALID, None) and end < start:
            row.problem("end_date", _l("The end date is before the start date."))
        contact_ids = []
        if contacts is not _INVALID:
            unknown = [address for address in contacts if address not in lookups.professionals]
            if unknown:
                row.problem("contact_emails", _l(
                    "No professional has this e-mail address: %(values)s. Create their account "
                    "first.", values=", ".join(unknown)))
            contact_ids = [lookups.professionals[a] for a in contacts if a not in unknown]
        if title is not _INVALID and neighbourhood_id is not _INVALID:
            key = (title.lower(), neighbourhood_id)
            if key in lookups.existing_initiatives:
                row.problem("title", _l("An initiative with this title already exists in this "
                                        "neighbourhood."))
            elif key in first_line_of:
                row.problem("title", _l("This initiative is also on line %(line)d of the file.",
                                        line=first_line_of[key]))
            else:
                first_line_of[key] = line
        if row.bad:
            continue
        result.records.append(InitiativeRecord(
            line=line, title=title, description=description, neighbourhood_id=neighbourhood_id,
            location=location, status=status, target_groups=target_groups, interests=interests,
            core_tasks=core_tasks, complementary_tasks=complementary_tasks, languages=languages,
            schedule_slots=schedule, hours_per_week=hours, volunteers_min=minimum,
            volunteers_ideal=ideal, welcomes_dutch_learners=learners, start_date=start,
            end_date=end, contact_ids=tuple(dict.fromkeys(contact_ids)),
            open_to=open_to, min_age=min_age, max_age=max_age,
        ))
    return result


def validate_citizens(table: CsvTable, lookups: Lookups) -> Validation:
    """Citizen records from the rows, or the problems that stop the import."""
    result = Validation(rows=len(table.rows))
    result.problems.extend(_check_header(table, CITIZEN_COLUMNS, CITIZEN_REQUIRED, ()))
    if result.problems:
        return result
    locales = {code: code for code in UI_LOCALES} | {"dutch": "nl", "nederlands": "nl",
                                                     "english": "en", "engels": "en"}
    first_line_of: dict[str, int] = {}
    for line, values in _rows(table, result.problems):
        row = _Row(line, values, result.problems)
        address = row.get("email", cells.email, required=True)
        name = row.get("name", cells.line(Limits.PERSON_NAME), required=True)
        neighbourhood_id = row.get("neighbourhood", cells.choice_id(lookups.neighbourhoods,
                                                                    _l("neighbourhood")),
                                   required=True)
        locale = row.get("preferred_locale", cells.choice(locales, _l("website language")),
                         default="nl")
        languages = row.get("languages", cells.language_levels(lookups.languages, LEVEL_NAMES),
                            default=())
        interests = row.get("interests", cells.codes(lookups.interests, _l("interest")),
                            default=())
        practise = row.get("wants_to_practise_dutch", cells.boolean, default=False)
        availability = row.get("availability", cells.slots, default=0)
        max_hours = row.get("max_hours_per_week", cells.integer(1, Limits.CITIZEN_HOURS_MAX))
        max_initiatives = row.get("max_initiatives", cells.integer(1, Limits.CITIZEN_INITIATIVES_MAX), default=2)
        consent = row.get("consent_to_contact", cells.boolean, default=False)
        if address is not _INVALID:
            if address in lookups.taken_emails:
                row.problem("email", _l("There is already an account with this e-mail address."))
            elif address in first_line_of:
                row.problem("email", _l("This e-mail address is also on line %(line)d of the "
                                        "file.", line=first_line_of[address]))
            else:
                first_line_of[address] = line
        if row.bad:
            continue
        result.records.append(CitizenRecord(
            line=line, email=address, name=name, neighbourhood_id=neighbourhood_id,
            preferred_locale=locale, languages=languages, interests=interests,
            wants_to_practise_dutch=practise, availability_slots=availability,
            max_hours_per_week=max_hours, max_initiatives=max_initiatives,
            consent_to_contact=consent,
        ))
    return result


def column_values(table: CsvTable, column: str) -> list[str]:
    """The raw cells of one column, to look up only what the file mentions."""
    if column not in table.header:
        return []
    index = table.header.index(column)
    return [row.values[index] for row in table.rows if index < len(row.values)]


VALIDATORS = {INITIATIVES: validate_initiatives, CITIZENS: validate_citizens}
