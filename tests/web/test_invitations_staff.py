"""Inviting, as staff do it on the pages: refusals with their reasons, plan rows and the
candidates page, a resident's page, and the funnel of what became of the invitations.

The invitation's own way to the resident and back is in test_invitations.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    AuditEntry,
    Invitation,
    PlacementState,
    Role,
    utcnow,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


@pytest.fixture
def world(db_session, make_user):
    return factories.invitation_world(db_session, make_user)


# --- Must show: no consent, daily limit ---------------------------------------------------------------


def test_inviting_without_consent_is_refused_with_a_clear_message(app, world, db_session, make_user):
    bram = make_user(Role.CITIZEN, name="Bram")
    professional = client_for(app, world["contact"])
    path = f"/invitations/new/{world['day_care'].id}/{bram.id}"
    # Neither agreed nor taking part: the page does not show him at all.
    assert professional.get(path).status_code == 404
    # Once in the day care (his place there ended), its contact sees him, and that he did not agree.
    factories.placement(db_session, bram, world["day_care"], PlacementState.ENDED)
    db_session.commit()
    page = professional.get(path)
    assert "has not agreed to be invited" in page.get_data(as_text=True)
    refused = professional.post(path, data={"csrf_token": csrf_token(professional, "/"), "message": "Hi"})
    assert refused.status_code == 409
    assert "This person has not agreed to be invited" in refused.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


@pytest.mark.parametrize("app_config_overrides", [{"INVITATION_DAILY_LIMIT": 2}])
def test_the_daily_limit_is_refused_with_a_clear_message(app, world, db_session, make_user):
    people = [make_user(Role.CITIZEN, name=f"Neighbour {n}") for n in range(3)]
    for person in people:
        factories.profile(person, consents=True)
    db_session.commit()
    professional = client_for(app, world["contact"])
    token = csrf_token(professional, "/")
    answers = [professional.post(f"/invitations/new/{world['day_care'].id}/{person.id}",
                                 data={"csrf_token": token, "message": "Join us?"}) for person in people]
    assert [a.status_code for a in answers] == [302, 302, 409]
    assert "You have sent the most invitations for today" in answers[2].get_data(as_text=True)
    # By e-mail too, before anything about the address is looked at.
    path = f"/invitations/by-email/{world['day_care'].id}"
    refused = professional.post(path, data={"csrf_token": token, "display_name": "Sam", "email": "sam@example.org",
                                            "preferred_locale": "en", "asked_in_person": "y"})
    assert refused.status_code == 409 and "most invitations for today" in refused.get_data(as_text=True)


# --- Plan rows and the candidates page ---------------------------------------------------------------


def test_every_invitation_is_in_the_audit_log_and_plan_rows_are_real_invitations(app, world, db_session):
    from coprod_match.matching import service as matching

    outcome = matching.invite_plan_rows(db_session, [(world["ayse"].id, world["day_care"].id)],
                                        actor=world["coordinator"])
    db_session.commit()
    assert outcome.invited == [(world["ayse"].id, world["day_care"].id)]
    invitation = db_session.scalar(sa.select(Invitation))
    assert len(invitation.token_hash) == 64 and invitation.sender_id == world["coordinator"].id
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.sent"))
    assert entry.entity_id == invitation.id and entry.details["via"] == "plan"


def test_candidates_page_has_invite_with_a_default_message(app, world):
    page = client_for(app, world["contact"]).get(f"/matching/initiatives/{world['day_care'].id}/candidates")
    text = page.get_data(as_text=True)
    assert "Invite Ayse" in text and 'name="message"' in text and "Fatima the nurse" in text


# --- Must show: the funnel for a seeded scenario -------------------------------------------------------


NOW = utcnow()


def _seed_invitation(db_session, citizen, initiative, sender, *, state, answer=None, answered_days_ago=None,
                     ended_days_after_answer=None, opened=False, sent_days_ago=30):
    sent_at = NOW - dt.timedelta(days=sent_days_ago)
    answered_at = NOW - dt.timedelta(days=answered_days_ago) if answered_days_ago is not None else None
    history = {"created_at": sent_at, "state_changed_at": answered_at or sent_at}
    if state in (PlacementState.ACTIVE, PlacementState.ENDED):
        history["last_activity_at"] = answered_at + dt.timedelta(days=1)
    if ended_days_after_answer is not None:
        history["state_changed_at"] = answered_at + dt.timedelta(days=ended_days_after_answer)
    placement = factories.placement(db_session, citizen, initiative, state, **history)
    factories.invitation(db_session, placement, sender=sender, sent_at=sent_at,
                         opened_at=sent_at + dt.timedelta(hours=2) if opened else None,
                         answer=answer, answered_at=answered_at)


@pytest.fixture
def funnel_world(db_session, world, make_user):
    S = PlacementState
    sports = factories.initiative(db_session, title="Sports for women in Transvaal", volunteers_ideal=5,
                                  contact=world["other"])
    people = [make_user(Role.CITIZEN) for _ in range(7)]
    day_care, contact, other = world["day_care"], world["contact"], world["other"]
    seeds = [
        (day_care, contact, dict(state=S.ACTIVE, answer="accepted", answered_days_ago=120, opened=True,
                                 sent_days_ago=125)),
        (day_care, contact, dict(state=S.ENDED, answer="accepted", answered_days_ago=100,
                                 ended_days_after_answer=30, opened=True, sent_days_ago=105)),
        (day_care, contact, dict(state=S.DECLINED, answer="declined", answered_days_ago=5, opened=True)),
        (day_care, contact, dict(state=S.EXPIRED)),
        (day_care, contact, dict(state=S.INVITED, sent_days_ago=2)),
        (sports, other, dict(state=S.ACTIVE, answer="accepted", answered_days_ago=10, opened=True)),
        (sports, other, dict(state=S.ENDED, answer="accepted", answered_days_ago=200,
                             ended_days_after_answer=150, opened=True, sent_days_ago=205)),
    ]
    for person, (initiative, sender, fields) in zip(people, seeds, strict=True):
        _seed_invitation(db_session, person, initiative, sender, **fields)
    db_session.commit()
    return {"sports": sports}


def _row_counts(html: str, label: str) -> dict[str, str]:
    # A row of initiatives links to its initiative (tests/web/test_find_volunteers.py).
    row = re.search(r'<th scope="row">(?:<a href="[^"]*">)?' + re.escape(label) + r"(?:</a>)?</th>(.*?)</tr>",
                    html, re.S).group(1)
    return dict(re.findall(r'data-count="(\w+)">([^<]+)<', row))


DAY_CARE = {"sent": "5", "opened": "3", "accepted": "2", "declined": "1", "expired": "1", "retained": "1 / 2"}
SPORTS = {"sent": "2", "opened": "2", "accepted": "2", "declined": "0", "expired": "0", "retained": "1 / 1"}


def test_funnel_counts_per_professional_initiative_and_neighbourhood(app, world, funnel_world, db_session):
    from coprod_match.queries import invitation_funnel

    rows = invitation_funnel.funnel(db_session, group_by="initiative", now=NOW)
    by_title = {row.label: row for row in rows}
    day_care = by_title["Day care for elderly migrants"]
    assert (day_care.sent, day_care.opened, day_care.accepted, day_care.declined, day_care.expired,
            day_care.accepted_long_ago, day_care.still_active_after_3_months, day_care.waiting) == (5, 3, 2, 1, 1, 2, 1, 1)

    professional = client_for(app, world["contact"]).get("/invitations/funnel").get_data(as_text=True)
    assert _row_counts(professional, "Day care for elderly migrants") == DAY_CARE
    assert "Sports for women in Transvaal" not in professional  # not theirs

    coordinator = client_for(app, world["coordinator"]).get("/invitations/funnel").get_data(as_text=True)
    assert _row_counts(coordinator, "Schilderswijk") == DAY_CARE
    assert _row_counts(coordinator, "Transvaal") == SPORTS
    assert _row_counts(coordinator, "Fatima the nurse") == DAY_CARE  # by professional
    district = factories.neighbourhood_named(db_session, "Transvaal").district
    only = client_for(app, world["coordinator"]).get(f"/invitations/funnel?district={district}").get_data(as_text=True)
    assert "Transvaal" in only

    follow = client_for(app, world["contact"]).get(f"/invitations/initiatives/{world['day_care'].id}")
    assert _row_counts(follow.get_data(as_text=True), "Day care for elderly migrants") == DAY_CARE
    assert client_for(app, world["contact"]).get(
        f"/invitations/initiatives/{funnel_world['sports'].id}").status_code == 404


def test_staff_see_a_consenting_residents_page_and_invite_from_it(app, world, db_session):
    from coprod_match.models import AuditEntry

    ayse, day_care = world["ayse"], world["day_care"]
    professional = client_for(app, world["contact"])
    page = professional.get(f"/invitations/citizens/{ayse.id}")
    assert page.status_code == 200
    assert day_care.title in page.get_data(as_text=True)
    viewed = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "citizen.viewed"))
    assert viewed.entity_id == ayse.id and viewed.actor_id == world["contact"].id
    chosen = professional.get(f"/invitations/citizens/{ayse.id}?initiative_id={day_care.id}")
    assert chosen.headers["Location"].endswith(f"/invitations/new/{day_care.id}/{ayse.id}")
    # Someone else's initiative id is ignored: the page is shown again, nothing is offered.
    assert professional.get(f"/invitations/citizens/{ayse.id}?initiative_id=999999").status_code == 200

    ayse.citizen_profile.consent_to_contact = False
    ayse.citizen_profile.consent_given_at = None
    db_session.commit()
    assert professional.get(f"/invitations/citizens/{ayse.id}").status_code == 404  # no consent, no page
    assert professional.get(f"/invitations/citizens/{world['contact'].id}").status_code == 404  # not a resident
    assert client_for(app, ayse).get(f"/invitations/citizens/{ayse.id}").status_code == 403
