"""Taking part, as a service: signing up, who may make which move, links in messages, matching kept fresh."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import DomainError, InvalidInput
from coprod_match.links import PageLink, page_path
from coprod_match.matching.service import current_snapshot
from coprod_match.models import (
    InitiativeStatus,
    MatchingChange,
    Notification,
    PlacementState,
    Role,
)
from coprod_match.security import PLACEMENT_MOVES
from coprod_match.services import participation
from coprod_match.services import placements as machine
from coprod_match.services.placement_moves import MoveNotYoursError, make_move
from tests import factories

S = PlacementState


@pytest.fixture
def people(make_user):
    return {"citizen": make_user(Role.CITIZEN), "contact": make_user(Role.PROFESSIONAL),
            "stranger": make_user(Role.PROFESSIONAL)}


@pytest.fixture
def initiative(db_session, people):
    initiative = factories.initiative(db_session, title="Taalcafé", start_date=dt.date(2026, 1, 1),
                                      volunteers_ideal=2, contact=people["contact"])
    db_session.commit()
    return initiative


def test_every_move_someone_may_make_is_a_move_of_the_machine():
    for party, table in PLACEMENT_MOVES.items():
        for from_state, targets in table.items():
            assert targets <= machine.ALLOWED_MOVES[from_state], (party, from_state)


def test_sign_up_tells_the_contacts_with_a_link_made_from_the_endpoint(db_session, people, initiative):
    # No request here, as in a command or a job: the URL map still makes the path.
    participation.apply(db_session, initiative, actor=people["citizen"], message="Dinsdag kan ik.")
    db_session.commit()
    message = db_session.scalar(sa.select(Notification))
    assert (message.user_id, message.kind) == (people["contact"].id, "placement.applied")
    assert message.link == f"/professionals/initiatives/{initiative.id}"


def test_a_second_sign_up_is_refused_also_when_it_races_the_first(db_session, people, initiative, monkeypatch):
    participation.apply(db_session, initiative, actor=people["citizen"])
    db_session.commit()
    with pytest.raises(participation.AlreadyTakingPartError) as again:
        participation.apply(db_session, initiative, actor=people["citizen"])
    assert (again.value.status, again.value.problem_type) == (409, "already-taking-part")

    # Two clicks at once: neither saw the other's placement, the unique index decides.
    monkeypatch.setattr(participation, "live_placement", lambda *args: None)
    with pytest.raises(participation.AlreadyTakingPartError):
        participation.apply(db_session, initiative, actor=people["citizen"])
    db_session.rollback()


def test_an_initiative_that_is_not_open_takes_no_sign_ups(db_session, people, initiative):
    initiative.status = InitiativeStatus.PAUSED
    with pytest.raises(machine.InitiativeNotOpenError) as refused:
        participation.apply(db_session, initiative, actor=people["citizen"])
    assert refused.value.problem_type == "initiative-not-open"


def test_moves_follow_who_may_make_them(db_session, people, initiative):
    placement = participation.apply(db_session, initiative, actor=people["citizen"])
    with pytest.raises(MoveNotYoursError):  # a citizen does not accept their own sign-up
        make_move(db_session, placement, S.ACCEPTED, actor=people["citizen"])
    with pytest.raises(MoveNotYoursError):  # nor does a professional who is not a contact
        make_move(db_session, placement, S.ACCEPTED, actor=people["stranger"])
    with pytest.raises(machine.PlacementMoveError) as skipped:  # a sign-up is accepted before it is active
        make_move(db_session, placement, S.ACTIVE, actor=people["contact"])
    assert (skipped.value.status, skipped.value.problem_type) == (409, "invalid-move")
    with pytest.raises(InvalidInput) as no_reason:
        make_move(db_session, placement, S.REJECTED, actor=people["contact"], reason="  ")
    assert no_reason.value.field == "reason"

    make_move(db_session, placement, S.ACCEPTED, actor=people["contact"], starts_on=dt.date(2026, 1, 5),
              today=dt.date(2026, 1, 5))
    assert placement.state == S.ACTIVE  # starting today: taking part at once
    make_move(db_session, placement, S.PAUSED, actor=people["citizen"])
    make_move(db_session, placement, S.ACTIVE, actor=people["contact"])
    db_session.commit()
    accepted = db_session.scalar(sa.select(Notification).where(Notification.kind == "placement.accepted"))
    assert accepted.user_id == people["citizen"].id and accepted.link == "/citizens/initiatives"


def test_every_refusal_is_a_domain_error_with_its_own_problem_type():
    refusals = [machine.PlacementMoveError(), machine.InitiativeFullError(), machine.InitiativeNotOpenError(),
                participation.AlreadyTakingPartError(), MoveNotYoursError()]
    assert all(isinstance(refusal, DomainError) for refusal in refusals)
    assert [refusal.problem_type for refusal in refusals] == [
        "invalid-move", "initiative-full", "initiative-not-open", "already-taking-part", "move-not-yours"]


def test_matching_is_refreshed_after_a_move_is_stored_and_not_after_a_rollback(db_session, people, initiative):
    def pending_and_load():
        snapshot = current_snapshot(db_session)
        row = snapshot.initiative_index[initiative.id]
        return int(snapshot.initiatives.pending[row]), int(
            snapshot.citizens.load_count[snapshot.citizen_index[people["citizen"].id]])

    assert pending_and_load() == (0, 0)
    participation.apply(db_session, initiative, actor=people["citizen"])
    db_session.rollback()
    assert pending_and_load() == (0, 0)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(MatchingChange)) == 0
    participation.apply(db_session, initiative, actor=people["citizen"])
    db_session.commit()
    assert pending_and_load() == (1, 1)


def test_links_outside_a_request_follow_where_the_app_is_published(app):
    app.config["PUBLIC_BASE_URL"] = "https://wijk.example/coprod"
    assert PageLink("professionals.manage_initiative", initiative_id=7).path() == "/coprod/professionals/initiatives/7"
    with app.test_request_context("/", base_url="http://localhost.test/"):
        assert page_path("citizens.my_initiatives") == "/citizens/initiatives"
