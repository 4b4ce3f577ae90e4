"""Creating and maintaining initiatives, and who their contact professionals are.

Matching reads initiatives (details, schedule, status), so creating, editing
and opening, pausing or closing one asks for a fresh matching snapshot once
the change is stored. Who the contacts are does not change what matching sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput
from ..links import PageLink
from ..matching.changes import record_change
from ..models import (
    LIVE_STATES,
    EndReason,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
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
from ..queries.initiatives import current_contact_periods
from ..vocabulary import OpenTo
from . import placements as machine
from .audit import audit_record
from .codes import records_by_code
from .initiative_versions import check_written_in
from .notifications import notify


class StatusChangeError(DomainError):
    """An initiative cannot go from its status to the one asked (STATUS_MOVES)."""

    status = 409
    problem_type = "invalid-status-change"
    message = _l("This is not possible any more. Please look at the current status.")


class ContactError(DomainError):
    """A change of contact persons that cannot be made; each subclass says why."""

    status = 409
    problem_type = "invalid-contact-change"


class NotAColleagueError(ContactError):
    message = _l("Choose a colleague.")


class AlreadyContactError(ContactError):
    message = _l("This colleague is already a contact person.")


class SamePersonError(ContactError):
    message = _l("Choose someone else than yourself.")


class NotAContactError(ContactError):
    message = _l("Only a current contact person can hand over.")


@dataclass(frozen=True)
class InitiativeDetails:
    title: str
    description: str
    neighbourhood: Neighbourhood
    location: str | None
    target_group_codes: Iterable[str]
    interest_codes: Iterable[str]
    language_codes: Iterable[str]
    core_tasks: list[str]
    complementary_tasks: list[str]
    schedule_slots: int
    hours_per_week: int
    volunteers_min: int
    volunteers_ideal: int
    welcomes_dutch_learners: bool
    start_date: dt.date
    end_date: dt.date | None
    # Who may join (a hard rule, open_to.py); everyone and no age range unless said.
    open_to: OpenTo = OpenTo.EVERYONE
    min_age: int | None = None
    max_age: int | None = None
    # The interface language the title, description and tasks are written in (versions add others).
    written_in: str = "nl"


AGE_ORDER_MESSAGE = _l("The maximum age must be at least the minimum age.")


def check_details(details: InitiativeDetails) -> None:
    """Refuse details that contradict each other, whichever door they came in by."""
    if details.min_age is not None and details.max_age is not None and details.max_age < details.min_age:
        raise InvalidInput(AGE_ORDER_MESSAGE, field="max_age")
    if details.volunteers_min > details.volunteers_ideal:
        raise InvalidInput(_l("This must be at least the number needed."), field="volunteers_ideal")
    if details.end_date is not None and details.end_date < details.start_date:
        raise InvalidInput(_l("The end date must be after the start date."), field="end_date")


def _apply(session: orm.Session, initiative: Initiative, details: InitiativeDetails) -> None:
    check_details(details)
    check_written_in(initiative, details.written_in)
    # Look-ups below must not flush a half-filled initiative.
    with session.no_autoflush:
        _apply_fields(session, initiative, details)
    record_change(session, initiatives=[initiative])


def _apply_fields(session: orm.Session, initiative: Initiative, details: InitiativeDetails) -> None:
    initiative.title = details.title
    initiative.description = details.description
    initiative.written_in = details.written_in
    initiative.neighbourhood = details.neighbourhood
    initiative.location = details.location
    initiative.target_groups = records_by_code(session, TargetGroup, details.target_group_codes,
                                               field="target_groups")
    initiative.interests = records_by_code(session, InterestCategory, details.interest_codes, field="interests")
    initiative.languages = records_by_code(session, Language, details.language_codes, field="languages")
    initiative.schedule_slots = details.schedule_slots
    initiative.hours_per_week = details.hours_per_week
    initiative.volunteers_min = details.volunteers_min
    initiative.volunteers_ideal = details.volunteers_ideal
    initiative.welcomes_dutch_learners = details.welcomes_dutch_learners
    initiative.open_to = details.open_to
    initiative.min_age = details.min_age
    initiative.max_age = details.max_age
    initiative.start_date = details.start_date
    initiative.end_date = details.end_date
    wanted = [(title, TaskKind.CORE) for title in details.core_tasks] + [
        (title, TaskKind.COMPLEMENTARY) for title in details.complementary_tasks
    ]
    current = [(task.title, task.kind) for task in initiative.tasks]
    if current != wanted:
        initiative.tasks.clear()
        if initiative.id is not None:
            session.flush()  # free the (initiative, position) slots before reusing them
        initiative.tasks.extend(
            InitiativeTask(title=title, kind=kind, position=index) for index, (title, kind) in enumerate(wanted)
        )


def create_initiative(session: orm.Session, details: InitiativeDetails, *, actor: User) -> Initiative:
    """A new initiative starts as a draft, with its creator as contact."""
    initiative = Initiative(status=InitiativeStatus.DRAFT, created_by=actor)
    session.add(initiative)
    _apply(session, initiative, details)
    if actor.role == Role.PROFESSIONAL:
        initiative.contacts.append(InitiativeContact(professional=actor, starts_at=utcnow()))
    session.flush()
    audit_record(session, "initiative.created", "initiative", initiative.id, actor=actor)
    return initiative


def update_initiative(
    session: orm.Session, initiative: Initiative, details: InitiativeDetails, *, actor: User
) -> Initiative:
    _apply(session, initiative, details)
    session.flush()
    audit_record(session, "initiative.updated", "initiative", initiative.id, actor=actor)
    return initiative


STATUS_MOVES = {
    InitiativeStatus.DRAFT: {InitiativeStatus.OPEN, InitiativeStatus.CLOSED},
    InitiativeStatus.OPEN: {InitiativeStatus.PAUSED, InitiativeStatus.CLOSED},
    InitiativeStatus.PAUSED: {InitiativeStatus.OPEN, InitiativeStatus.CLOSED},
    InitiativeStatus.CLOSED: {InitiativeStatus.OPEN},
}


def check_status_change(initiative: Initiative, status: InitiativeStatus) -> None:
    """Raise StatusChangeError unless the initiative may go to `status` from where it is."""
    if status not in STATUS_MOVES[InitiativeStatus(initiative.status)]:
        raise StatusChangeError()


def change_status(
    session: orm.Session, initiative: Initiative, status: InitiativeStatus, *, actor: User
) -> int:
    """Open, pause or close. Closing ends every live placement; returns how many it ended."""
    check_status_change(initiative, status)
    ended = 0
    if status == InitiativeStatus.CLOSED:
        live = session.scalars(
            sa.select(Placement).where(
                Placement.initiative_id == initiative.id, Placement.state.in_(LIVE_STATES)
            )
        ).all()
        for placement in live:
            machine.move_placement(
                session, placement, PlacementState.ENDED, actor=actor, end_reason=EndReason.INITIATIVE_CLOSED
            )
            ended += 1
    initiative.status = status
    session.flush()
    record_change(session, initiatives=[initiative])
    audit_record(session, f"initiative.{status}", "initiative", initiative.id, actor=actor, ended=ended)
    return ended


def add_contact(session: orm.Session, initiative: Initiative, colleague: User, *, actor: User) -> InitiativeContact:
    """Add a colleague as a contact (the start of a new period); they are told."""
    period = _start_period(session, initiative, colleague, actor=actor)
    _tell_contact(session, initiative, colleague, "contact.added", actor=actor)
    return period


def _start_period(session: orm.Session, initiative: Initiative, colleague: User, *, actor: User) -> InitiativeContact:
    if colleague.role != Role.PROFESSIONAL or not colleague.is_enabled:
        raise NotAColleagueError()
    if any(period.professional_id == colleague.id for period in current_contact_periods(session, initiative.id)):
        raise AlreadyContactError()
    period = InitiativeContact(initiative_id=initiative.id, professional_id=colleague.id, starts_at=utcnow())
    session.add(period)
    session.flush()
    audit_record(session, "initiative.contact_added", "initiative", initiative.id, actor=actor,
                 professional_id=colleague.id)
    return period


def _tell_contact(session: orm.Session, initiative: Initiative, professional: User, kind: str, *,
                  actor: User) -> None:
    """The professional who now carries the initiative hears it from the site, not by chance."""
    if professional.id == actor.id:
        return
    notify(session, [professional.id], kind,
           PageLink("professionals.manage_initiative", initiative_id=initiative.id),
           initiative_id=initiative.id, initiative_title=initiative.title, sender_name=actor.display_name)


def hand_over(session: orm.Session, initiative: Initiative, leaving: User, successor: User, *, actor: User) -> None:
    """The leaving contact's period ends and the successor's starts; both stay in the history."""
    if successor.id == leaving.id:
        raise SamePersonError()
    periods = {p.professional_id: p for p in current_contact_periods(session, initiative.id)}
    if leaving.id not in periods:
        raise NotAContactError()
    now = utcnow()
    if successor.id not in periods:
        _start_period(session, initiative, successor, actor=actor)
    periods[leaving.id].ends_at = now
    session.flush()
    audit_record(session, "initiative.handed_over", "initiative", initiative.id, actor=actor,
                 from_professional_id=leaving.id, to_professional_id=successor.id)
    _tell_contact(session, initiative, successor, "contact.handed_over", actor=actor)


def reassign(session: orm.Session, initiative: Initiative, professional: User, *, actor: User) -> None:
    """Admin: make `professional` the only contact (e.g. after someone left without handing over)."""
    now = utcnow()
    for period in current_contact_periods(session, initiative.id):
        if period.professional_id != professional.id:
            period.ends_at = now
    if not any(p.professional_id == professional.id for p in current_contact_periods(session, initiative.id)):
        _start_period(session, initiative, professional, actor=actor)
    session.flush()
    audit_record(session, "initiative.reassigned", "initiative", initiative.id, actor=actor,
                 professional_id=professional.id)
    _tell_contact(session, initiative, professional, "contact.reassigned", actor=actor)
