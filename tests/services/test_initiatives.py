"""Initiatives and profiles as services: what they refuse, and that matching sees what they store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from coprod_match.domain_errors import InvalidInput
from coprod_match.matching.freshness import live_snapshot
from coprod_match.matching.service import current_snapshot
from coprod_match.models import InitiativeStatus, LanguageLevel, Role
from coprod_match.services import citizens as citizen_service
from coprod_match.services import initiatives as initiative_service
from coprod_match.services.codes import UnknownCodeError
from tests import factories


@pytest.fixture
def details(db_session, reference_data):
    place = factories.neighbourhood_named(db_session, "Moerwijk")
    return initiative_service.InitiativeDetails(
        title="Buurtkamer", description="Koffie en een praatje.", neighbourhood=place, location=None,
        target_group_codes=["elderly"], interest_codes=["company"], language_codes=["nl", "tr", "nl"],
        core_tasks=["Gastvrouw zijn"], complementary_tasks=["Opruimen"], schedule_slots=1, hours_per_week=2,
        volunteers_min=1, volunteers_ideal=3, welcomes_dutch_learners=True,
        start_date=dt.date(2026, 1, 1), end_date=None,
    )


def test_codes_and_contradictions_are_refused_with_their_field(db_session, make_user, details):
    nadia = make_user(Role.PROFESSIONAL)
    initiative = initiative_service.create_initiative(db_session, details, actor=nadia)
    assert [language.code for language in initiative.languages] == ["nl", "tr"]
    for changes, field in (({"language_codes": ["tr", "xx"]}, "languages"),
                           ({"interest_codes": ["knitting"]}, "interests"),
                           ({"volunteers_min": 4}, "volunteers_ideal"),
                           ({"end_date": dt.date(2025, 12, 31)}, "end_date")):
        with pytest.raises(InvalidInput) as refused:
            initiative_service.update_initiative(db_session, initiative, dataclasses.replace(details, **changes),
                                                 actor=nadia)
        assert (refused.value.status, refused.value.field) == (422, field)


def test_status_and_contact_changes_that_cannot_be_made(db_session, make_user, details):
    nadia, pieter = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    initiative = initiative_service.create_initiative(db_session, details, actor=nadia)
    with pytest.raises(initiative_service.StatusChangeError) as refused:
        initiative_service.change_status(db_session, initiative, InitiativeStatus.PAUSED, actor=nadia)
    assert refused.value.problem_type == "invalid-status-change"
    with pytest.raises(initiative_service.AlreadyContactError):
        initiative_service.add_contact(db_session, initiative, nadia, actor=nadia)
    with pytest.raises(initiative_service.NotAColleagueError):
        initiative_service.add_contact(db_session, initiative, make_user(Role.CITIZEN), actor=nadia)
    with pytest.raises(initiative_service.SamePersonError):
        initiative_service.hand_over(db_session, initiative, nadia, nadia, actor=nadia)
    with pytest.raises(initiative_service.NotAContactError):
        initiative_service.hand_over(db_session, initiative, pieter, nadia, actor=pieter)


def test_an_unknown_code_leaves_the_profile_as_it_was(db_session, make_user, reference_data):
    citizen = make_user(Role.CITIZEN)
    profile = citizen.citizen_profile
    changes = citizen_service.ProfileChanges(
        neighbourhood=profile.neighbourhood, interest_codes=["meals"], languages={"xx": LanguageLevel.NATIVE},
        wants_to_practise_dutch=True, availability_slots=3, max_hours_per_week=4, max_initiatives=1,
        consent_to_contact=True)
    with pytest.raises(UnknownCodeError) as refused:
        citizen_service.update_citizen_profile(db_session, citizen, changes, actor=citizen)
    assert refused.value.field == "languages" and refused.value.codes == ["xx"]
    assert profile.interests == [] and not profile.wants_to_practise_dutch


def test_matching_sees_a_new_initiative_and_a_saved_profile_once_stored(db_session, make_user, details):
    nadia, citizen = make_user(Role.PROFESSIONAL), make_user(Role.CITIZEN)
    snapshot = current_snapshot(db_session)
    initiative = initiative_service.create_initiative(db_session, details, actor=nadia)
    assert initiative.id not in current_snapshot(db_session).initiative_index  # not stored yet
    db_session.commit()
    assert initiative.id in current_snapshot(db_session).initiative_index
    profile = citizen.citizen_profile
    changes = citizen_service.ProfileChanges(
        neighbourhood=profile.neighbourhood, interest_codes=["meals"], languages={}, wants_to_practise_dutch=False,
        availability_slots=3, max_hours_per_week=None, max_initiatives=2, consent_to_contact=True)
    citizen_service.update_citizen_profile(db_session, citizen, changes, actor=citizen)
    db_session.commit()
    after = current_snapshot(db_session)
    assert after.citizens.slots[after.citizen_index[citizen.id]] == 3
    # Written into the one snapshot this process has, not rebuilt.
    assert after is snapshot and live_snapshot().counts.builds == 1
