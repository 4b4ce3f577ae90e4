"""Taking part: citizens sign up, contact professionals answer and manage participants."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..links import PageLink
from ..models import (
    LIVE_STATES,
    EndReason,
    Initiative,
    InitiativeStatus,
    Placement,
    PlacementState,
    Role,
    User,
)
from ..queries.initiatives import current_contact_ids
from . import placements as machine
from .notifications import notify
from .open_to import check_open_to


class AlreadyTakingPartError(DomainError):
    """The citizen already has a live placement at this initiative (or a second click got there first)."""

    status = 409
    problem_type = "already-taking-part"
    message = _l("You already signed up here.")
    flash_category = "info"  # nothing went wrong: what they asked for is already done


def live_placement(session: orm.Session, citizen_id: int, initiative_id: int) -> Placement | None:
    return session.scalar(
        sa.select(Placement).where(
            Placement.citizen_id == citizen_id,
            Placement.initiative_id == initiative_id,
            Placement.state.in_(LIVE_STATES),
        )
    )


def apply(
    session: orm.Session, initiative: Initiative, *, actor: User, message: str | None = None
) -> Placement:
    """'I'd like to help': the contact professionals are told and can accept or reject.

    A second sign-up, also one racing the first (two clicks, two devices),
    raises AlreadyTakingPartError; after that race the session must be rolled
    back, which the unit of work around every request, command and job does.
    """
    if actor.role != Role.CITIZEN:
        raise machine.PlacementMoveError(None, PlacementState.APPLIED)
    if initiative.status != InitiativeStatus.OPEN:
        raise machine.InitiativeNotOpenError()
    check_open_to(initiative, actor)
    existing = live_placement(session, actor.id, initiative.id)
    if existing is not None and existing.state != PlacementState.SUGGESTED:
        raise AlreadyTakingPartError()
    if existing is not None:
        placement = machine.move_placement(session, existing, PlacementState.APPLIED, actor=actor)
        placement.citizen_message = message
    else:
        try:
            placement = machine.create_placement(
                session, actor, initiative, PlacementState.APPLIED, actor=actor, message=message
            )
        except sa.exc.IntegrityError:
            # One live placement per citizen and initiative is a unique index: the other one won.
            raise AlreadyTakingPartError() from None
    notify(
        session,
        current_contact_ids(session, initiative.id),
        "placement.applied",
        PageLink("professionals.manage_initiative", initiative_id=initiative.id),
        initiative_id=initiative.id,
        initiative_title=initiative.title,
    )
    return placement


def accept(
    session: orm.Session, placement: Placement, *, starts_on: dt.date, today: dt.date, actor: User
) -> Placement:
    """Accept a sign-up; it becomes active right away when the start date has come."""
    machine.move_placement(session, placement, PlacementState.ACCEPTED, actor=actor, starts_on=starts_on)
    if starts_on <= today:
        machine.move_placement(session, placement, PlacementState.ACTIVE, actor=actor)
    notify(session, [placement.citizen_id], "placement.accepted", PageLink("citizens.my_initiatives"),
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)
    return placement


def reject(session: orm.Session, placement: Placement, *, reason: str, actor: User) -> Placement:
    """Say no to a sign-up, with a reason the citizen is told."""
    machine.move_placement(session, placement, PlacementState.REJECTED, actor=actor, reason=reason)
    notify(session, [placement.citizen_id], "placement.rejected", PageLink("citizens.my_initiatives"),
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)
    return placement


def pause(session: orm.Session, placement: Placement, *, actor: User, reason: str | None = None) -> Placement:
    """Take a break from helping; when the volunteer does it, the contacts are told."""
    machine.move_placement(session, placement, PlacementState.PAUSED, actor=actor, reason=reason)
    _tell_contacts_of_own_move(session, placement, "placement.paused", actor=actor)
    return placement


def resume(session: orm.Session, placement: Placement, *, actor: User, reason: str | None = None) -> Placement:
    """Help again after a pause; when the volunteer does it, the contacts are told."""
    machine.move_placement(session, placement, PlacementState.ACTIVE, actor=actor, reason=reason)
    _tell_contacts_of_own_move(session, placement, "placement.resumed", actor=actor)
    return placement


# A suggestion was never shown to the contacts: withdrawing it is nothing for them to hear about.
_UNKNOWN_TO_CONTACTS = frozenset({PlacementState.SUGGESTED})


def end(session: orm.Session, placement: Placement, *, end_reason: EndReason, note: str | None,
        actor: User) -> Placement:
    """Stop taking part (the citizen) or end someone's place (a manager), with why."""
    known = placement.state not in _UNKNOWN_TO_CONTACTS
    machine.move_placement(session, placement, PlacementState.ENDED, actor=actor,
                           end_reason=end_reason, reason=note)
    if known:
        _tell_contacts_of_own_move(session, placement, "placement.stopped", actor=actor)
    return placement


def _tell_contacts_of_own_move(session: orm.Session, placement: Placement, kind: str, *, actor: User) -> None:
    """The initiative's contact persons hear when a volunteer pauses, comes back or stops.

    Only the volunteer's own moves: a contact who pauses someone already knows.
    """
    if actor.id != placement.citizen_id:
        return
    initiative = placement.initiative
    notify(session, current_contact_ids(session, initiative.id), kind,
           PageLink("professionals.manage_initiative", initiative_id=initiative.id),
           initiative_id=initiative.id, initiative_title=initiative.title,
           citizen_name=placement.citizen.display_name)
