"""Erasing an account: the person's data goes, other people's history stays, anonymous (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.matching import service as matching
from coprod_match.models import (
    ApiToken,
    AuditEntry,
    AuditResident,
    CitizenLanguage,
    CitizenProfile,
    Consent,
    ContinuityAlert,
    InitiativeContact,
    Invitation,
    LoginSession,
    MailStatus,
    Notification,
    OutboxMail,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
    RecoveryCode,
    Role,
    TwoFactor,
    User,
    utcnow,
)
from coprod_match.queries.initiatives import active_volunteer_counts, current_contact_ids
from coprod_match.services.api_tokens import create_api_token
from coprod_match.services.audit import audit_record
from coprod_match.services.consents import TextShown, accept_privacy_statement
from coprod_match.services.erasure import ERASED_NAME, erase_account, erased_email
from coprod_match.services.sessions import SessionLifetimes, start_login_session
from tests import factories
from tests.factories import TUESDAY_MORNING

S = PlacementState
LONG_AGO = utcnow() - dt.timedelta(days=200)


@pytest.fixture
def world(app, db_session, make_user):
    """Ayse helped at the day care (ended), helps at the walks now, and has an invitation waiting."""
    fatima = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    walker = make_user(Role.PROFESSIONAL, name="Wim the walker")
    day_care = factories.day_care(db_session, contact=fatima)
    coffee = factories.initiative(db_session, title="Turkish coffee morning", neighbourhood="Schilderswijk",
                                  schedule_slots=TUESDAY_MORNING, languages=["tr"], contact=fatima)
    walks = factories.initiative(db_session, title="Walks", contact=walker)
    choir = factories.initiative(db_session, title="Choir", contact=walker)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz", email="ayse@example.org"),
                             availability_slots=TUESDAY_MORNING, native_languages=["tr"], consents=True,
                             max_initiatives=5)
    bob = make_user(Role.CITIZEN, name="Bob")
    factories.placement(db_session, bob, day_care, since=utcnow())
    ended = factories.placement(db_session, ayse, day_care, S.ENDED, since=LONG_AGO, end_reason="no_time",
                                end_note="My mother is ill", citizen_message="I speak Turkish")
    db_session.add(PlacementEvent(placement_id=ended.id, from_state="active", to_state="ended",
                                  actor_id=ayse.id, reason="My mother is ill"))
    db_session.add(PlacementCheckIn(placement_id=ended.id, kind="activity", recorded_by_id=fatima.id,
                                    note="Ayse brought her daughter"))
    active = factories.placement(db_session, ayse, walks, since=utcnow())
    invited = factories.placement(db_session, ayse, choir, S.INVITED)
    factories.invitation(db_session, invited, sender=walker, message="Dear Ayse, join us!")
    db_session.add(Notification(user_id=fatima.id, kind="invitation.accepted",
                                payload={"initiative_id": day_care.id, "initiative_title": day_care.title,
                                         "citizen_name": "Ayse Yilmaz"}))
    db_session.add(Notification(user_id=ayse.id, kind="placement.accepted", payload={}))
    db_session.add(OutboxMail(kind="invitation_reminder", recipient="ayse@example.org", message=b"secret link"))
    looked = audit_record(db_session, "placement.looked_at", "initiative", day_care.id, actor=fatima,
                          residents=[ayse.id, bob.id])
    own = audit_record(db_session, "citizen.profile_updated", "user", ayse.id, actor=ayse)
    create_api_token(db_session, ayse, "my script", actor=ayse)
    accept_privacy_statement(db_session, ayse, TextShown("a" * 64, "en"))
    factories.two_factor_on(db_session, ayse)
    start_login_session(db_session, ayse, device=("Firefox", "Linux"), remember=True,
                        lifetimes=SessionLifetimes.from_config(app.config))
    db_session.commit()
    return {"fatima": fatima, "walker": walker, "day_care": day_care, "coffee": coffee, "walks": walks,
            "choir": choir, "ayse": ayse, "bob": bob, "ended": ended, "active": active, "invited": invited,
            "looked": looked.id, "own": own.id}


def _count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _open_alerts(session, initiative_id: int) -> set[str]:
    return set(session.scalars(sa.select(ContinuityAlert.kind).where(
        ContinuityAlert.initiative_id == initiative_id, ContinuityAlert.status != "resolved")))


def test_erasure_wipes_the_person_and_keeps_the_history(db_session, world):
    ayse, day_care = world["ayse"], world["day_care"]
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    db_session.commit()
    alerts_before = _open_alerts(db_session, day_care.id)
    counts_before = active_volunteer_counts(db_session, [day_care.id])
    assert ayse.id in {m.citizen_id for m in matching.candidates_for_initiative(db_session, world["coffee"].id)}

    result = erase_account(db_session, ayse, actor=ayse, reason="own_request")
    db_session.commit()
    db_session.expire_all()

    # The account: no name, no address, no way in.
    ayse = db_session.get(User, world["ayse"].id)
    assert ayse.is_erased and not ayse.is_enabled and ayse.password_hash is None
    assert ayse.display_name == ERASED_NAME and ayse.email == erased_email(ayse.id) and ayse.phone is None
    with force_locale("en"):
        assert ayse.shown_name == "a former volunteer"
    with force_locale("nl"):
        assert ayse.shown_name == "een oud-vrijwilliger"
    # The profile matching reads is gone, with its languages; matching no longer proposes her.
    assert db_session.get(CitizenProfile, ayse.id) is None
    assert _count(db_session, CitizenLanguage, CitizenLanguage.citizen_id == ayse.id) == 0
    assert ayse.id not in {m.citizen_id for m in matching.candidates_for_initiative(db_session, world["coffee"].id)}
    # Her own records are deleted: logins, tokens, two-factor, inbox.
    for model in (LoginSession, ApiToken, TwoFactor, RecoveryCode, Notification, Consent):
        assert _count(db_session, model, model.user_id == ayse.id) == 0, model
    # Live placements ended as "left the service"; the ended one stays, as it was, without her words.
    active = db_session.get(Placement, world["active"].id)
    assert (active.state, active.end_reason) == (S.ENDED, "left_service")
    assert db_session.get(Placement, world["invited"].id).state == S.ENDED
    ended = db_session.get(Placement, world["ended"].id)
    assert (ended.state, ended.end_reason) == (S.ENDED, "no_time")
    assert ended.end_note is None and ended.citizen_message is None
    assert all(event.reason in (None, "account_erased") for event in ended.events)
    assert db_session.scalar(sa.select(PlacementCheckIn.note).where(PlacementCheckIn.placement_id == ended.id)) is None
    invitation = db_session.scalar(sa.select(Invitation).where(Invitation.placement_id == world["invited"].id))
    assert invitation.revoked_at is not None and invitation.message == ""
    # The walks' contact hears that a volunteer left, without a name; Fatima's old message lost the name.
    notices = db_session.scalars(sa.select(Notification).where(
        Notification.user_id == world["walker"].id, Notification.kind == "placement.volunteer_left")).all()
    assert {notice.payload["initiative_id"] for notice in notices} == {world["walks"].id, world["choir"].id}
    assert "Ayse" not in str([notice.payload for notice in notices])
    old = db_session.scalar(sa.select(Notification).where(Notification.user_id == world["fatima"].id))
    assert "citizen_name" not in old.payload and old.payload["former_citizen"] is True
    # Mail still waiting for her old address is not sent; the outbox forgets the address.
    (mail,) = db_session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "invitation_reminder"))
    assert (mail.status, mail.message, mail.recipient) == (MailStatus.FAILED, None, erased_email(ayse.id))
    # The contacts' notices go by mail too, to them, and without her name either.
    told = db_session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "notification:placement.volunteer_left")).all()
    assert {told_mail.recipient for told_mail in told} == {world["walker"].email}
    assert all(b"Ayse" not in told_mail.message for told_mail in told)
    # The day care, where she only had an ended place: same count, same alerts.
    assert active_volunteer_counts(db_session, [day_care.id]) == counts_before
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    db_session.commit()
    assert _open_alerts(db_session, day_care.id) == alerts_before
    # The audit log keeps its entries and ids, pointing at the anonymous row, and records the erasure.
    assert db_session.get(AuditEntry, world["own"]).actor_id == ayse.id
    assert {r.citizen_id for r in db_session.get(AuditEntry, world["looked"]).residents} == {ayse.id, world["bob"].id}
    (erased,) = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "account.erased"))
    assert (erased.entity_id, erased.actor_id, erased.details["reason"]) == (ayse.id, ayse.id, "own_request")
    assert (result.placements_ended, result.invitations_withdrawn, result.sessions_ended) == (2, 1, 1)
    assert result.profile_removed and result.api_tokens_removed == 1 and result.mails_cancelled == 1
    assert result.consents_removed >= 1
    assert _count(db_session, AuditResident, AuditResident.citizen_id == ayse.id) >= 1


def test_erasing_twice_changes_nothing(db_session, world):
    erase_account(db_session, world["ayse"], actor=None, reason="inactive")
    db_session.commit()
    again = erase_account(db_session, world["ayse"], actor=None, reason="inactive")
    assert again.already_erased and not any(again.counts().values())
    assert _count(db_session, AuditEntry, AuditEntry.action == "account.erased") == 1


def test_a_professional_leaves_the_contact_history_with_a_placeholder(db_session, world, make_user):
    admin = make_user(Role.ADMIN)
    walker, walks = world["walker"], world["walks"]
    result = erase_account(db_session, walker, actor=admin, reason="admin")
    db_session.commit()
    db_session.expire_all()
    assert result.contact_periods_ended == 2  # the walks and the choir
    assert current_contact_ids(db_session, walks.id) == []
    (period,) = db_session.scalars(sa.select(InitiativeContact).where(InitiativeContact.initiative_id == walks.id))
    assert period.ends_at is not None
    with force_locale("en"):
        assert period.professional.shown_name == "a former contact person"
    # The invitation she wrote keeps its dates, not her words.
    assert db_session.scalar(sa.select(Invitation.message).where(Invitation.sender_id == walker.id)) == ""
    # Coordinators see the usual situation: no contact.
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    assert "no_contact" in _open_alerts(db_session, walks.id)


def test_a_user_who_took_part_cannot_be_deleted_by_cascade(db_session, world):
    """The foreign keys refuse: an account with history is erased, never deleted (docs/erasure.md)."""
    with pytest.raises(sa.exc.IntegrityError):
        db_session.execute(sa.delete(User).where(User.id == world["fatima"].id))
        db_session.flush()
    db_session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        db_session.execute(sa.delete(User).where(User.id == world["bob"].id))
        db_session.flush()
    db_session.rollback()
