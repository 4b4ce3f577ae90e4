"""Consents as records: each path writes a record, and the profile's column never disagrees with it.

Paths: the profile page, the API, "asked in person" on the e-mail invitation,
an import. An explicit no is never overridden: "asked in person" is refused
with a clear message on the page and in the API, and an import keeps only
the organisation's intention.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import (
    Consent,
    ConsentKind,
    ConsentSource,
    Invitation,
    Placement,
    Role,
    User,
)
from coprod_match.services import consents
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for


@pytest.fixture
def world(db_session, make_user):
    return factories.invitation_world(db_session, make_user)


def _records(db_session, user: User, kind: ConsentKind = ConsentKind.INVITATIONS) -> list[Consent]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Consent).where(Consent.user_id == user.id, Consent.kind == kind)
                                   .order_by(Consent.id)))


def assert_in_step(db_session, user: User) -> None:
    """The profile's column says yes exactly when the resident's own latest record is a yes still standing."""
    db_session.expire_all()
    user = db_session.get(User, user.id)
    answer = consents.invitations_answer(db_session, user)
    profile = user.citizen_profile
    assert profile.consent_to_contact is (answer is True)
    assert (profile.consent_given_at is not None) is (answer is True)
    if answer:
        assert profile.consent_given_at == consents.latest(db_session, user, ConsentKind.INVITATIONS).given_at


def _save_profile(client, citizen: User, *, consent: bool):
    token = csrf_token(client, "/citizens/profile")
    data = {"csrf_token": token, "neighbourhood_id": str(citizen.citizen_profile.neighbourhood_id),
            "availability": ["tue-morning"], "max_initiatives": "2"}
    if consent:
        data["consent_to_contact"] = "y"
    answer = client.post("/citizens/profile", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)


def test_profile_page_records_yes_then_an_explicit_no(app, db_session, make_user):
    citizen = make_user(Role.CITIZEN, name="Noor")
    client = client_for(app, citizen)

    _save_profile(client, citizen, consent=False)  # an empty box on a first save is no answer
    assert _records(db_session, citizen) == []
    assert_in_step(db_session, citizen)

    _save_profile(client, citizen, consent=True)
    (yes,) = _records(db_session, citizen)
    assert (yes.granted, yes.source, yes.locale, yes.withdrawn_at) == (True, "self", "en", None)
    assert yes.version == consents.wording_shown("en", consents.INVITATIONS_WORDING, consents.INVITATIONS_HINT).version
    assert_in_step(db_session, citizen)

    _save_profile(client, citizen, consent=True)  # saving the same answer again writes nothing
    assert len(_records(db_session, citizen)) == 1

    _save_profile(client, citizen, consent=False)
    yes, no = _records(db_session, citizen)
    assert yes.withdrawn_at is not None and not no.granted and no.source == "self"
    assert consents.invitations_answer(db_session, citizen) is False
    assert_in_step(db_session, citizen)


def test_api_records_the_answer_like_the_page(app, db_session, make_user):
    citizen = make_user(Role.CITIZEN)
    headers = factories.api_headers(db_session, citizen, actor=citizen)
    db_session.commit()
    client = app.test_client()

    said_yes = client.patch("/api/v1/me", headers=headers, json={"consent_to_contact": True})
    assert said_yes.status_code == 200 and said_yes.get_json()["profile"]["consent_to_contact"] is True
    assert [(r.granted, r.source) for r in _records(db_session, citizen)] == [(True, "self")]
    assert_in_step(db_session, citizen)

    # Another change leaves the answer alone.
    assert client.patch("/api/v1/me", headers=headers, json={"max_initiatives": 3}).status_code == 200
    assert len(_records(db_session, citizen)) == 1

    said_no = client.patch("/api/v1/me", headers=headers, json={"consent_to_contact": False})
    assert said_no.status_code == 200 and said_no.get_json()["profile"]["consent_to_contact"] is False
    assert [(r.granted, r.withdrawn_at is not None) for r in _records(db_session, citizen)] == [(True, True),
                                                                                              (False, False)]
    assert_in_step(db_session, citizen)


def _invite_by_email(client, initiative_id: int, email: str):
    path = f"/invitations/by-email/{initiative_id}"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "display_name": "Sam", "email": email,
                                   "preferred_locale": "en", "message": "", "asked_in_person": "y"})


def _placements(db_session, citizen: User) -> list[Placement]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Placement).where(Placement.citizen_id == citizen.id)))


def test_asked_in_person_for_someone_who_never_answered_is_a_yes_for_that_invitation_only(app, db_session, world,
                                                                                          make_user):
    never_answered = make_user(Role.CITIZEN, email="never@example.org")
    professional = client_for(app, world["contact"])
    answer = _invite_by_email(professional, world["day_care"].id, "never@example.org")
    assert answer.status_code == 302

    (placement,) = _placements(db_session, never_answered)
    invitation = db_session.scalar(sa.select(Invitation).where(Invitation.placement_id == placement.id))
    (record,) = _records(db_session, never_answered)
    assert (record.source, record.granted, record.recorded_by_id, record.invitation_id) == (
        ConsentSource.IN_PERSON, True, world["contact"].id, invitation.id)
    # One invitation, not a standing yes: the profile still says no, and search does not find them.
    assert consents.invitations_answer(db_session, never_answered) is None
    assert_in_step(db_session, never_answered)


def _said_no(app, db_session, make_user) -> User:
    citizen = make_user(Role.CITIZEN, email="said-no@example.org", name="Mira")
    client = client_for(app, citizen)
    _save_profile(client, citizen, consent=True)
    _save_profile(client, citizen, consent=False)
    return citizen


def test_asked_in_person_never_overrides_an_explicit_no_on_the_page(app, db_session, world, make_user):
    citizen = _said_no(app, db_session, make_user)
    professional = client_for(app, world["contact"])
    answer = _invite_by_email(professional, world["day_care"].id, "Said-No@Example.org")
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "This person said no to personal invitations" in page
    assert 'name="asked_in_person"' in page and 'value="Said-No@Example.org"' in page  # the form, kept
    assert _placements(db_session, citizen) == []
    assert [r.source for r in _records(db_session, citizen)] == ["self", "self"]
    assert_in_step(db_session, citizen)


def test_an_explicit_no_is_refused_in_the_api_too(app, db_session, world, make_user):
    citizen = _said_no(app, db_session, make_user)
    headers = factories.api_headers(db_session, world["contact"], actor=world["contact"])
    db_session.commit()
    answer = app.test_client().post("/api/v1/invitations", headers=headers,
                                    json={"citizen_id": citizen.id, "initiative_id": world["day_care"].id})
    assert answer.status_code == 409
    problem = answer.get_json()
    assert problem["type"] == "urn:coprod-match:problem:invitations-refused"
    assert "said no to personal invitations" in problem["detail"]
    assert _placements(db_session, citizen) == []


def test_an_import_never_turns_an_explicit_no_into_a_yes(app, db_session, world, make_user):
    citizen = _said_no(app, db_session, make_user)
    shown = consents.wording_shown("nl", consents.IMPORTED_WORDING)
    consents.record_imported(db_session, [citizen], importer=world["coordinator"], shown=shown)
    db_session.commit()
    assert [r.source for r in _records(db_session, citizen)] == ["self", "self", "imported"]
    assert consents.invitations_answer(db_session, citizen) is False
    assert_in_step(db_session, citizen)
    professional = client_for(app, world["contact"])
    assert _invite_by_email(professional, world["day_care"].id, citizen.email).status_code == 409


def test_the_demo_writes_a_record_for_every_yes(app, db_session):
    from coprod_match.demo import seed_demo
    from coprod_match.models import CitizenProfile

    seed_demo(db_session, seed=11, citizens=40, initiatives=10, today=dt.date(2026, 3, 2))
    db_session.commit()
    yes = set(db_session.scalars(sa.select(CitizenProfile.user_id).where(CitizenProfile.consent_to_contact)))
    recorded = set(db_session.scalars(sa.select(Consent.user_id).where(
        Consent.kind == ConsentKind.INVITATIONS, Consent.source == ConsentSource.SELF, Consent.granted)))
    assert yes and recorded == yes
    for user in db_session.scalars(sa.select(User).where(User.id.in_(yes))):
        assert_in_step(db_session, user)
