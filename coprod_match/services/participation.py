"""Taking part: citizens sign up, contact professionals answer and manage participants."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import (
    LIVE_STATES,
    EndReason,
    Initiative,
    InitiativeContact,
    Notification,
    Placement,
    PlacementState,
    Role,
    User,
)
from . import placements as machine


class AlreadyTakingPartError(Exception):
    """The citizen already has a live placement at this initiative."""


def live_placement(session: orm.Session, citizen_id: int, initiative_id: int) -> Placement | None:
    return session.scalar(
        sa.select(Placement).where(
            Placement.citizen_id == citizen_id,
            Placement.initiative_id == initiative_id,
            Placement.state.in_(LIVE_STATES),
        )
    )


def current_contact_ids(session: orm.Session, initiative_id: int) -> list[int]:
    return list(
        session.scalars(
            sa.select(InitiativeContact.professional_id).where(
                InitiativeContact.initiative_id == initiative_id, InitiativeContact.ends_at.is_(None)
            )
        )
    )


def notify(session: orm.Session, user_ids: list[int], kind: str, link: str | None, **payload) -> None:
    """In-app messages; rendered in the reader's language when shown."""
    for user_id in user_ids:
        session.add(Notification(user_id=user_id, kind=kind, payload=payload, link=link))


def sign_up(
    session: orm.Session, citizen: User, initiative: Initiative, message: str | None
) -> Placement:
    """'I'd like to help': the contact professionals are told and can accept or reject."""
    if citizen.role != Role.CITIZEN:
        raise machine.PlacementMoveError(None, PlacementState.APPLIED)
    existing = live_placement(session, citizen.id, initiative.id)
    if existing is not None:
        if existing.state == PlacementState.SUGGESTED:
            placement = machine.move_placement(session, existing, PlacementState.APPLIED, actor=citizen)
            placement.citizen_message = message
        else:
            raise AlreadyTakingPartError(initiative.id)
    else:
        placement = machine.create_placement(
            session, citizen, initiative, PlacementState.APPLIED, actor=citizen, message=message
        )
    notify(
        session,
        current_contact_ids(session, initiative.id),
        "placement.applied",
        f"/professionals/initiatives/{initiative.id}",
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
    notify(session, [placement.citizen_id], "placement.accepted", "/citizens/initiatives",
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)
    return placement


def reject(session: orm.Session, placement: Placement, *, reason: str, actor: User) -> Placement:
    machine.move_placement(session, placement, PlacementState.REJECTED, actor=actor, reason=reason)
    notify(session, [placement.citizen_id], "placement.rejected", "/citizens/initiatives",
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title)
    return placement


def end(session: orm.Session, placement: Placement, *, end_reason: EndReason, note: str | None,
        actor: User) -> Placement:
    return machine.move_placement(session, placement, PlacementState.ENDED, actor=actor,
                                  end_reason=end_reason, reason=note)
