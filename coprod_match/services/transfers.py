"""Importing initiatives and citizens from CSV, all or nothing; exporting initiatives.

The checks are pure (`coprod_match.transfers`); this module loads what they
need in a few set-based queries and writes the records. It flushes; the
caller's unit of work commits, or rolls back when a file is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..models import (
    CitizenLanguage,
    CitizenProfile,
    Initiative,
    InitiativeContact,
    InitiativeTask,
    InterestCategory,
    Language,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    TargetGroup,
    TaskKind,
    User,
    utcnow,
)
from ..transfers.export import InitiativeExportRow
from ..transfers.reading import FileProblem, read_table
from ..transfers.validation import (
    CITIZENS,
    INITIATIVES,
    VALIDATORS,
    CitizenRecord,
    InitiativeRecord,
    Lookups,
    RowProblem,
    column_values,
)
from ..vocabulary import UI_LOCALES
from . import consents, welcome
from .accounts import normalise_email
from .audit import audit_record

# Keeps IN lists well below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


class TransferConflict(DomainError):
    """The database changed between the check and the write; nothing may be kept."""

    problem_type = "import-conflict"
    message = _l("Someone added some of these records at the same moment. Nothing was imported. "
                 "Check the file again.")


@dataclass
class ImportOutcome:
    kind: str
    dry_run: bool
    rows: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _labelled(session: orm.Session, model) -> dict[str, str]:
    """Code and both labels (lower-cased) -> code, for a taxonomy."""
    spellings: dict[str, str] = {}
    for item in session.scalars(sa.select(model)):
        for spelling in (item.label_en, item.label_nl, item.code):
            spellings[spelling.strip().lower()] = item.code
    return spellings


def load_lookups(session: orm.Session, kind: str, table) -> Lookups:
    """Reference data, and the existing records the file's rows could clash with."""
    neighbourhoods = {
        " ".join(name.lower().split()): neighbourhood_id
        for neighbourhood_id, name in session.execute(sa.select(Neighbourhood.id, Neighbourhood.name))
    }
    languages: dict[str, str] = {}
    for language in session.scalars(sa.select(Language)):
        for spelling in (language.english_name, language.dutch_name, language.code):
            languages[spelling.strip().lower()] = language.code
    lookups = Lookups(
        neighbourhoods=neighbourhoods,
        interests=_labelled(session, InterestCategory),
        target_groups=_labelled(session, TargetGroup),
        languages=languages,
    )
    if kind == INITIATIVES:
        professionals = {
            address: user_id
            for address, user_id in session.execute(
                sa.select(User.email, User.id).where(User.role == Role.PROFESSIONAL, User.is_enabled)
            )
        }
        titles = sorted({v.lower() for v in column_values(table, "title") if v})
        existing = set()
        for chunk in _chunks(titles):
            existing.update(
                (title.lower(), neighbourhood_id)
                for title, neighbourhood_id in session.execute(
                    sa.select(Initiative.title, Initiative.neighbourhood_id)
                    .where(sa.func.lower(Initiative.title).in_(chunk))
                )
            )
        return replace(lookups, professionals=professionals,
                       existing_initiatives=frozenset(existing))
    emails = sorted({normalise_email(v) for v in column_values(table, "email") if v})
    taken: set[str] = set()
    for chunk in _chunks(emails):
        taken.update(session.scalars(sa.select(User.email).where(User.email.in_(chunk))))
    return replace(lookups, taken_emails=frozenset(taken))


def import_csv(session: orm.Session, kind: str, data: bytes, *, actor: User | None,
               dry_run: bool = False) -> ImportOutcome:
    """Check a whole file and, if every row is right and this is no dry run, add all of it.

    A file with any bad row adds nothing. Raises TransferConflict when a
    record appeared in the database between the check and the write.
    """
    outcome = ImportOutcome(kind=kind, dry_run=dry_run)
    try:
        table = read_table(data)
    except FileProblem as problem:
        outcome.problems.append(RowProblem(problem.line, None, problem.message))
        return outcome
    validation = VALIDATORS[kind](table, load_lookups(session, kind, table))
    outcome.rows = validation.rows
    outcome.problems = validation.problems
    if not validation.ok or dry_run:
        return outcome
    if not validation.records:
        outcome.problems.append(RowProblem(None, None, _l("The file has no rows to import.")))
        return outcome
    write = _write_initiatives if kind == INITIATIVES else _write_citizens
    try:
        write(session, validation.records, actor)
        session.flush()
    except sa.exc.IntegrityError:
        raise TransferConflict(field="file") from None
    outcome.imported = len(validation.records)
    audit_record(session, f"import.{kind}", "user" if kind == CITIZENS else "initiative", None,
                 actor=actor, rows=outcome.imported)
    return outcome


def _write_initiatives(session: orm.Session, records: list[InitiativeRecord],
                       actor: User | None) -> None:
    interests = {i.code: i for i in session.scalars(sa.select(InterestCategory))}
    target_groups = {t.code: t for t in session.scalars(sa.select(TargetGroup))}
    languages = {lang.code: lang for lang in session.scalars(sa.select(Language))}
    for record in records:
        tasks = [(title, TaskKind.CORE) for title in record.core_tasks] + [
            (title, TaskKind.COMPLEMENTARY) for title in record.complementary_tasks
        ]
        session.add(Initiative(
            title=record.title,
            description=record.description,
            neighbourhood_id=record.neighbourhood_id,
            location=record.location,
            status=record.status,
            schedule_slots=record.schedule_slots,
            hours_per_week=record.hours_per_week,
            volunteers_min=record.volunteers_min,
            volunteers_ideal=record.volunteers_ideal,
            welcomes_dutch_learners=record.welcomes_dutch_learners,
            open_to=record.open_to,
            min_age=record.min_age,
            max_age=record.max_age,
            start_date=record.start_date,
            end_date=record.end_date,
            created_by_id=actor.id if actor is not None else None,
            interests=[interests[code] for code in record.interests],
            target_groups=[target_groups[code] for code in record.target_groups],
            languages=[languages[code] for code in record.languages],
            tasks=[InitiativeTask(position=position, title=title, kind=kind)
                   for position, (title, kind) in enumerate(tasks)],
            contacts=[InitiativeContact(professional_id=professional_id)
                      for professional_id in record.contact_ids],
        ))


def _write_citizens(session: orm.Session, records: list[CitizenRecord],
                    actor: User | None) -> None:
    """Pending accounts, each with a welcome mail: nobody sees them until they confirm (services/welcome.py).

    The file's consent_to_contact is the organisation's intention, kept as an
    `imported` record; the profile says no until the resident answers themselves.
    """
    interests = {i.code: i for i in session.scalars(sa.select(InterestCategory))}
    now = utcnow()
    residents = []
    for record in records:
        user = User(email=record.email, password_hash=None, role=Role.CITIZEN, display_name=record.name,
                    preferred_locale=record.preferred_locale, is_enabled=False, pending_since=now)
        user.citizen_profile = CitizenProfile(
            neighbourhood_id=record.neighbourhood_id,
            wants_to_practise_dutch=record.wants_to_practise_dutch,
            availability_slots=record.availability_slots,
            max_hours_per_week=record.max_hours_per_week,
            max_initiatives=record.max_initiatives,
            consent_to_contact=False,
            interests=[interests[code] for code in record.interests],
            languages=[CitizenLanguage(language_code=code, level=level)
                       for code, level in record.languages],
        )
        session.add(user)
        residents.append((user, record))
    session.flush()
    organisation = actor.organisation if actor is not None else None
    shown = consents.wording_shown(actor.preferred_locale if actor is not None else UI_LOCALES[0],
                                   consents.IMPORTED_WORDING)
    consents.record_imported(session, [user for user, record in residents if record.consent_to_contact],
                             importer=actor, shown=shown)
    for user, _record in residents:
        welcome.send_welcome(session, user, organisation=organisation)


def initiatives_for_export(session: orm.Session) -> list[InitiativeExportRow]:
    """Every initiative with its current contacts and active volunteers.

    The volunteer counts come from one grouped subquery; the lists from one
    query per relationship, whatever the number of initiatives.
    """
    active = (
        sa.select(Placement.initiative_id, sa.func.count().label("active"))
        .where(Placement.state == PlacementState.ACTIVE)
        .group_by(Placement.initiative_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Initiative, sa.func.coalesce(active.c.active, 0))
        .outerjoin(active, active.c.initiative_id == Initiative.id)
        .options(
            orm.joinedload(Initiative.neighbourhood),
            orm.selectinload(Initiative.interests),
            orm.selectinload(Initiative.target_groups),
            orm.selectinload(Initiative.languages),
            orm.selectinload(Initiative.tasks),
            orm.selectinload(Initiative.contacts).joinedload(InitiativeContact.professional),
        )
        .order_by(Initiative.id)
    ).tuples()
    return [
        InitiativeExportRow(
            id=initiative.id,
            title=initiative.title,
            description=initiative.description or "",
            neighbourhood=initiative.neighbourhood.name,
            district=initiative.neighbourhood.district,
            location=initiative.location,
            status=initiative.status,
            target_groups=tuple(sorted(t.code for t in initiative.target_groups)),
            interests=tuple(sorted(i.code for i in initiative.interests)),
            core_tasks=tuple(t.title for t in initiative.tasks if t.kind == TaskKind.CORE),
            complementary_tasks=tuple(
                t.title for t in initiative.tasks if t.kind == TaskKind.COMPLEMENTARY),
            languages=tuple(sorted(lang.code for lang in initiative.languages)),
            schedule_slots=initiative.schedule_slots,
            hours_per_week=initiative.hours_per_week,
            volunteers_min=initiative.volunteers_min,
            volunteers_ideal=initiative.volunteers_ideal,
            active_volunteers=active_count,
            welcomes_dutch_learners=initiative.welcomes_dutch_learners,
            start_date=initiative.start_date,
            end_date=initiative.end_date,
            contact_emails=tuple(c.professional.email for c in initiative.contacts if c.is_current),
            open_to=initiative.open_to,
            min_age=initiative.min_age,
            max_age=initiative.max_age,
        )
        for initiative, active_count in rows
    ]


def record_export(session: orm.Session, count: int, *, actor: User | None) -> None:
    """Note in the audit log that initiatives left the system (a count, no contents)."""
    audit_record(session, "export.initiatives", "initiative", None, actor=actor, rows=count)
