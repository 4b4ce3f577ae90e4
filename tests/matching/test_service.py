"""Matching services on the database: facts load, fresh reasons, plan rows become invitations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.matching import service
from coprod_match.models import (
    Placement,
    PlacementState,
    Role,
)
from coprod_match.services.placements import create_placement, move_placement
from tests import factories


@pytest.fixture
def world(db_session, make_user):
    day_care = factories.day_care(db_session)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse"), availability_slots=factories.TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    coordinator = make_user(Role.COORDINATOR)
    db_session.commit()
    return {"day_care": day_care, "ayse": ayse, "coordinator": coordinator}


def test_suggestion_and_reasons_from_the_database(app, db_session, world):
    matches = service.suggestions_for_citizen(db_session, world["ayse"].id)
    assert [m.initiative_id for m in matches] == [world["day_care"].id]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        reasons = service.reasons_for(db_session, world["ayse"].id, world["day_care"].id)
    assert "You speak Turkish (Türkçe), like the people here" in reasons
    assert any(reason.startswith("You are free when they meet: Tuesday morning") for reason in reasons)


def test_plan_rows_become_invited_placements_and_are_not_invited_twice(db_session, world):
    result = service.placement_plan(db_session)
    assert [(r.citizen_id, r.initiative_id) for r in result.rows] == [(world["ayse"].id, world["day_care"].id)]
    assert result.at_risk_served == result.at_risk_servable == 1
    pairs = [(world["ayse"].id, world["day_care"].id)]
    outcome = service.invite_plan_rows(db_session, pairs + pairs, actor=world["coordinator"])
    db_session.commit()
    assert outcome.invited == pairs and outcome.skipped == []
    placement = db_session.scalar(sa.select(Placement))
    assert placement.state == PlacementState.INVITED and placement.events[0].actor_id == world["coordinator"].id
    again = service.invite_plan_rows(db_session, pairs, actor=world["coordinator"])
    assert again.invited == [] and again.skipped[0][2] == "no_longer_fits"
    # The fresh read sees the live placement at once, and the plan does through the change log.
    assert service.reasons_for(db_session, world["ayse"].id, world["day_care"].id) is None
    assert service.placement_plan(db_session).rows == []


def test_recently_declined_is_not_suggested(db_session, world):
    placement = create_placement(db_session, world["ayse"], world["day_care"], PlacementState.INVITED,
                                 actor=world["coordinator"])
    move_placement(db_session, placement, PlacementState.DECLINED, actor=world["ayse"])
    db_session.commit()
    assert service.suggestions_for_citizen(db_session, world["ayse"].id) == []
    assert service.candidates_for_initiative(db_session, world["day_care"].id) == []


def test_unknown_district_is_refused(db_session, world):
    with pytest.raises(service.UnknownDistrictError):
        service.placement_plan(db_session, district="Atlantis")
    assert service.placement_plan(db_session, district="Centrum").placed == 1


def test_staff_reads_log_each_look_for_pages_and_api_alike(db_session, world, make_user):
    from coprod_match.domain_errors import NotFound
    from coprod_match.matching import plan_runs, reads
    from coprod_match.models import AuditEntry
    from coprod_match.transaction import unit_of_work

    found = reads.read_candidates(db_session, world["day_care"].id, actor=world["coordinator"], limit=20,
                                  page=1, per_page=1)
    assert [m.citizen_id for m in found.matches] == [world["ayse"].id] and found.total == 1
    assert found.people[world["ayse"].id].citizen_profile is not None
    beyond = reads.read_candidates(db_session, world["day_care"].id, actor=world["coordinator"], limit=20,
                                   page=2, per_page=1)
    assert beyond.matches == [] and beyond.total == 1
    with pytest.raises(NotFound):  # not one of this professional's initiatives
        reads.read_candidates(db_session, world["day_care"].id, actor=make_user(Role.PROFESSIONAL), limit=20)
    stored = plan_runs.ask_for_plan(db_session, district="Centrum", actor=world["coordinator"])
    db_session.commit()
    with unit_of_work(db_session):
        plan_runs.make_next_plan(db_session, now=stored.requested_at)
    plan = reads.read_plan(db_session, actor=world["coordinator"], district="Centrum")
    assert plan.initiatives[world["day_care"].id].title == "Day care for elderly migrants"
    db_session.commit()
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("%_viewed"))
                               .order_by(AuditEntry.id)).all()
    assert [(e.action, e.details, e.resident_ids) for e in looks] == [
        ("matching.candidates_viewed", {}, [world["ayse"].id]),
        ("matching.candidates_viewed", {}, []),
        ("matching.plan_viewed", {"district": "Centrum", "page": 1}, [world["ayse"].id]),
    ]
    assert {e.actor_id for e in looks} == {world["coordinator"].id}


def test_the_snapshot_residents_get_suggestions_from_counts_who_sees_what(db_session, world):
    # The attention bonus is on by default (config MATCHING_EXPOSURE_BOOST), so the snapshot
    # knows how many residents have each initiative in their top five: here Ayse has the day care.
    snapshot = service.current_snapshot(db_session)
    assert snapshot.weights.exposure_boost > 0
    assert snapshot.exposure is not None
    assert int(snapshot.exposure[snapshot.initiative_index[world["day_care"].id]]) == 1
