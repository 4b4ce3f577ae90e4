"""The placement state machine: allowed moves, history, capacity."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    InitiativeStatus,
    PlacementEvent,
    PlacementState,
    Role,
)
from coprod_match.services import placements as machine
from tests import factories

S = PlacementState


@pytest.fixture
def initiative(db_session, reference_data):
    initiative = factories.initiative(db_session, title="Buurtcoöperatie", neighbourhood="Moerwijk",
                                      start_date=dt.date(2026, 1, 1), volunteers_ideal=2)
    db_session.commit()
    return initiative


def test_every_state_is_in_the_table():
    assert set(machine.ALLOWED_MOVES) == {None, *PlacementState}
    for state in (S.DECLINED, S.REJECTED, S.EXPIRED, S.ENDED):
        assert machine.ALLOWED_MOVES[state] == frozenset()
    for state in (S.SUGGESTED, S.INVITED, S.APPLIED, S.ACCEPTED, S.ACTIVE, S.PAUSED):
        assert S.ENDED in machine.ALLOWED_MOVES[state]  # any live state can end


def test_full_journey_records_every_move(db_session, make_user, initiative):
    citizen, professional = make_user(Role.CITIZEN), make_user(Role.PROFESSIONAL)
    placement = machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)
    machine.move_placement(db_session, placement, S.ACCEPTED, actor=professional, starts_on=dt.date(2026, 2, 1))
    machine.move_placement(db_session, placement, S.ACTIVE, actor=professional)
    machine.move_placement(db_session, placement, S.PAUSED, actor=citizen)
    machine.move_placement(db_session, placement, S.ACTIVE, actor=citizen)
    machine.move_placement(db_session, placement, S.ENDED, actor=citizen, reason="Moving to Utrecht",
                           end_reason="moved")
    db_session.commit()
    events = db_session.scalars(sa.select(PlacementEvent).order_by(PlacementEvent.id)).all()
    assert [(e.from_state, e.to_state) for e in events] == [
        (None, "applied"), ("applied", "accepted"), ("accepted", "active"), ("active", "paused"),
        ("paused", "active"), ("active", "ended"),
    ]
    assert [e.actor_id for e in events] == [citizen.id, professional.id, professional.id, citizen.id,
                                            citizen.id, citizen.id]
    assert events[-1].reason == "Moving to Utrecht"
    assert placement.end_reason == "moved" and placement.starts_on == dt.date(2026, 2, 1)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.entity_type == "placement")) == 6


@pytest.mark.parametrize(("path", "bad"), [
    ([S.APPLIED], S.ACTIVE),          # must be accepted first
    ([S.INVITED], S.REJECTED),        # a professional rejects applications, not invitations
    ([S.APPLIED, S.REJECTED], S.ACCEPTED),  # final states stay final
    ([S.SUGGESTED], S.PAUSED),
])
def test_moves_outside_the_table_are_refused(db_session, make_user, initiative, path, bad):
    citizen = make_user(Role.CITIZEN)
    placement = machine.create_placement(db_session, citizen, initiative, path[0], actor=citizen)
    for state in path[1:]:
        machine.move_placement(db_session, placement, state, actor=citizen)
    with pytest.raises(machine.PlacementMoveError):
        machine.move_placement(db_session, placement, bad, actor=citizen)


def test_capacity_counts_accepted_active_and_paused(db_session, make_user, initiative):
    first, second, third = (make_user(Role.CITIZEN) for _ in range(3))
    a = machine.create_placement(db_session, first, initiative, S.APPLIED, actor=first)
    b = machine.create_placement(db_session, second, initiative, S.APPLIED, actor=second)
    c = machine.create_placement(db_session, third, initiative, S.APPLIED, actor=third)
    machine.move_placement(db_session, a, S.ACCEPTED, actor=None)
    machine.move_placement(db_session, a, S.ACTIVE, actor=None)
    machine.move_placement(db_session, a, S.PAUSED, actor=None)
    machine.move_placement(db_session, b, S.ACCEPTED, actor=None)
    with pytest.raises(machine.InitiativeFullError):
        machine.move_placement(db_session, c, S.ACCEPTED, actor=None)
    # A paused volunteer keeps their place and can come back without a capacity check.
    machine.move_placement(db_session, a, S.ACTIVE, actor=None)
    machine.move_placement(db_session, b, S.ENDED, actor=None)
    machine.move_placement(db_session, c, S.ACCEPTED, actor=None)  # a place came free


def test_closed_initiative_takes_no_sign_ups(db_session, make_user, initiative):
    initiative.status = InitiativeStatus.CLOSED
    citizen = make_user(Role.CITIZEN)
    with pytest.raises(machine.InitiativeNotOpenError):
        machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)


def test_one_live_placement_per_citizen_and_initiative(db_session, make_user, initiative):
    citizen = make_user(Role.CITIZEN)
    first = machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)
    with pytest.raises(sa.exc.IntegrityError):
        machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)
    db_session.rollback()
    first = machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)
    machine.move_placement(db_session, first, S.ENDED, actor=citizen)
    machine.create_placement(db_session, citizen, initiative, S.APPLIED, actor=citizen)  # history allows a new one
    db_session.commit()
