"""The invitation services on the database, without pages: sending and its limits, consent,
answering, the link, taking back, expiry and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import DomainError, InvalidInput
from coprod_match.models import (
    AuditEntry,
    DeclineReason,
    InitiativeStatus,
    Invitation,
    InvitationAnswer,
    MailStatus,
    Notification,
    Placement,
    PlacementState,
    Role,
    User,
    utcnow,
)
from coprod_match.services import invitations as service
from coprod_match.services import placements as machine
from coprod_match.services.invitations import links
from coprod_match.services.invitations.sending import start_of_local_day
from coprod_match.services.tokens import hash_token
from coprod_match.vocabulary import Limits
from tests import factories
from tests.outbox import deliver_outbox, outbox_rows

S = PlacementState
SECRET = "testing-only-secret-key"
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    initiative = factories.initiative(db_session, title="Language café", neighbourhood="Schilderswijk",
                                      start_date=dt.date(2026, 1, 1), volunteers_ideal=2, contact=contact)
    citizen = factories.profile(make_user(Role.CITIZEN, name="Ayse", locale="nl"), consents=True)
    db_session.commit()
    return {"initiative": initiative, "contact": contact, "citizen": citizen}


def _invite(db_session, world, citizen=None, **kwargs) -> service.SentInvitation:
    kwargs.setdefault("actor", world["contact"])
    return service.invite_citizen(db_session, citizen or world["citizen"], world["initiative"], **kwargs)


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


# --- Sending ------------------------------------------------------------------------------------


def test_an_invitation_is_a_placement_a_hashed_link_an_inbox_message_and_a_mail_after_commit(
        db_session, world, smtp_server):
    sent = _invite(db_session, world, message="  Come on Tuesdays?  ", now=NOW)
    invitation = sent.invitation
    assert invitation.placement.state == S.INVITED and invitation.message == "Come on Tuesdays?"
    assert invitation.token_hash == hash_token(sent.token) and sent.token not in invitation.token_hash
    assert invitation.expires_at == NOW + dt.timedelta(days=14)
    message = db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.received"))
    assert message.user_id == world["citizen"].id and message.link == f"/invitations/{invitation.id}"
    sent_entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.sent"))
    assert sent_entry.actor_id == world["contact"].id and sent_entry.details["consent"] == "profile"
    assert smtp_server.messages == []
    db_session.commit()
    assert [mail.status for mail in outbox_rows(db_session)] == [MailStatus.PENDING]
    assert smtp_server.messages == []  # the outbox job sends it, never the request
    assert deliver_outbox() == {"sent": 1, "retrying": 0, "failed": 0}
    assert [mail["To"] for mail in smtp_server.messages] == [world["citizen"].email]


def test_a_rolled_back_invitation_sends_no_mail(db_session, world, smtp_server):
    _invite(db_session, world)
    db_session.rollback()
    db_session.commit()
    assert outbox_rows(db_session) == [] and _count(db_session, Invitation) == 0
    assert deliver_outbox()["sent"] == 0 and smtp_server.messages == []


def test_the_default_message_is_in_the_citizens_language(db_session, world):
    sent = _invite(db_session, world)
    assert sent.invitation.message.startswith("Hallo Ayse") and "Fatima" in sent.invitation.message


def test_the_message_limit_is_the_vocabularys(db_session, world):
    with pytest.raises(service.MessageTooLongError) as refused:
        _invite(db_session, world, message="x" * (Limits.INVITATION_MESSAGE + 1))
    assert (refused.value.status, refused.value.problem_type, refused.value.field) == (422, "validation", "message")
    assert _count(db_session, Placement) == 0
    sent = _invite(db_session, world, message="x" * Limits.INVITATION_MESSAGE)
    assert len(sent.invitation.message) == Limits.INVITATION_MESSAGE


def test_without_consent_only_an_in_person_request_allows_an_invitation(db_session, world, make_user):
    bram = make_user(Role.CITIZEN, name="Bram")
    with pytest.raises(service.NoConsentError) as refused:
        _invite(db_session, world, citizen=bram)
    assert isinstance(refused.value, DomainError) and refused.value.problem_type == "cannot-invite"
    _invite(db_session, world, citizen=bram, in_person_consent=True, via="email")
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.sent"))
    assert entry.details["consent"] == "in_person"


def test_staff_and_disabled_accounts_cannot_be_invited(db_session, world, make_user):
    for person in (make_user(Role.PROFESSIONAL), make_user(Role.CITIZEN, is_enabled=False)):
        with pytest.raises(service.NotInvitableError):
            _invite(db_session, world, citizen=person, in_person_consent=True)


@pytest.mark.parametrize("app_config_overrides", [{"INVITATION_DAILY_LIMIT": 1}])
def test_the_daily_limit_counts_the_local_day_and_not_coordinators(db_session, world, make_user):
    people = [make_user(Role.CITIZEN) for _ in range(3)]
    for person in people:
        factories.profile(person, consents=True)
    local_midnight = start_of_local_day(NOW)
    assert local_midnight == dt.datetime(2026, 3, 9, 23, 0, tzinfo=dt.UTC)  # CET: UTC+1 in March
    _invite(db_session, world, citizen=people[0], now=local_midnight - dt.timedelta(minutes=1))  # yesterday
    _invite(db_session, world, citizen=people[1], now=NOW)
    with pytest.raises(service.DailyLimitError):
        _invite(db_session, world, citizen=people[2], now=NOW)
    _invite(db_session, world, citizen=people[2], actor=make_user(Role.COORDINATOR), now=NOW)


def test_only_an_open_initiative_with_room_takes_invitations(db_session, world, make_user):
    initiative = world["initiative"]
    initiative.status = InitiativeStatus.PAUSED
    with pytest.raises(machine.InitiativeNotOpenError):
        _invite(db_session, world)
    initiative.status = InitiativeStatus.OPEN
    for _ in range(initiative.volunteers_ideal):
        volunteer = make_user(Role.CITIZEN)
        placement = machine.create_placement(db_session, volunteer, initiative, S.APPLIED, actor=volunteer)
        machine.move_placement(db_session, placement, S.ACCEPTED, actor=world["contact"])
    with pytest.raises(machine.InitiativeFullError):
        _invite(db_session, world)


def test_a_suggestion_becomes_the_invitation_and_a_second_one_is_refused(db_session, world):
    citizen, initiative = world["citizen"], world["initiative"]
    suggested = machine.create_placement(db_session, citizen, initiative, S.SUGGESTED, actor=None)
    sent = _invite(db_session, world)
    assert sent.invitation.placement_id == suggested.id and suggested.state == S.INVITED
    with pytest.raises(service.AlreadyInvolvedError):
        _invite(db_session, world)


def test_a_no_blocks_a_new_invitation_for_the_block_period(db_session, world):
    sent = _invite(db_session, world, now=NOW)
    service.decline_invitation(db_session, sent.invitation, actor=world["citizen"], now=NOW)
    with pytest.raises(service.RecentlyAnsweredError):
        _invite(db_session, world, now=NOW + dt.timedelta(days=89))
    again = _invite(db_session, world, now=NOW + dt.timedelta(days=91))
    assert again.invitation.placement.state == S.INVITED


# --- By e-mail: pending accounts ------------------------------------------------------------------


def test_a_new_address_gets_a_pending_account_that_the_link_completes(db_session, world):
    service.invite_by_email(db_session, email=" Sam@Example.org ", name="Sam", locale="xx",
                            initiative=world["initiative"], actor=world["contact"])
    sam = db_session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    assert sam.is_pending and not sam.is_enabled and sam.preferred_locale == "nl"  # unknown: the default
    invitation = db_session.scalar(sa.select(Invitation))
    with pytest.raises(InvalidInput) as refused:
        service.complete_pending_account(db_session, sam, password="short", display_name="Sam",
                                         neighbourhood_id=None)
    assert refused.value.field == "password"
    service.complete_pending_account(db_session, sam, password="A long walk in Transvaal 7",
                                     display_name="Sam", neighbourhood_id=None)
    service.accept_invitation(db_session, invitation, actor=sam)
    assert sam.is_enabled and not sam.is_pending and invitation.placement.state == S.ACCEPTED


def test_by_email_a_staff_address_gets_nothing_and_only_the_audit_log_says_so(db_session, world, make_user):
    colleague = make_user(Role.PROFESSIONAL, email="colleague@example.org")
    service.invite_by_email(db_session, email=colleague.email, name="", locale="en",
                            initiative=world["initiative"], actor=world["contact"])
    assert _count(db_session, Invitation) == 0
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.not_sent"))
    assert entry.details["why"] == "NotInvitableError"


# --- Answering and the link ----------------------------------------------------------------------


def test_yes_tells_the_inviters_and_the_link_then_says_used(db_session, world):
    sent = _invite(db_session, world, now=NOW)
    invitation = links.invitation_from_token(db_session, sent.token, SECRET, now=NOW)
    service.accept_invitation(db_session, invitation, actor=world["citizen"], now=NOW)
    assert invitation.answer == InvitationAnswer.ACCEPTED and invitation.opened_at == NOW
    told = db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.accepted"))
    assert told.user_id == world["contact"].id
    assert told.link == f"/invitations/initiatives/{world['initiative'].id}"
    with pytest.raises(service.InvitationLinkError) as refused:
        links.invitation_from_token(db_session, sent.token, SECRET, now=NOW)
    assert refused.value.reason == service.LINK_USED and refused.value.status == 400
    assert refused.value.problem_type == "invitation-link-used"
    with pytest.raises(service.InvitationClosedError) as again:
        service.decline_invitation(db_session, invitation, actor=world["citizen"], now=NOW)
    assert (again.value.status, again.value.problem_type) == (409, "invalid-move")


def test_only_the_invited_citizen_answers(db_session, world, make_user):
    sent = _invite(db_session, world)
    with pytest.raises(service.NotYourInvitationError) as refused:
        service.accept_invitation(db_session, sent.invitation, actor=make_user(Role.CITIZEN))
    assert refused.value.status == 403 and sent.invitation.placement.state == S.INVITED


def test_the_answer_through_the_placement_is_the_same_answer(db_session, world):
    sent = _invite(db_session, world)
    placement = sent.invitation.placement
    service.answer_invitation(db_session, placement, InvitationAnswer.DECLINED, actor=world["citizen"],
                              reason=DeclineReason.TOO_FAR)
    assert placement.state == S.DECLINED and sent.invitation.decline_reason == DeclineReason.TOO_FAR
    with pytest.raises(service.InvitationClosedError):
        service.answer_invitation(db_session, placement, InvitationAnswer.ACCEPTED, actor=world["citizen"])


def test_past_its_end_an_invitation_cannot_be_answered_before_the_job_runs(db_session, world):
    sent = _invite(db_session, world, now=NOW)
    later = sent.invitation.expires_at + dt.timedelta(minutes=1)
    with pytest.raises(service.InvitationClosedError):
        service.accept_invitation(db_session, sent.invitation, actor=world["citizen"], now=later)
    with pytest.raises(service.InvitationLinkError) as refused:
        links.invitation_from_token(db_session, sent.token, SECRET, now=later)
    assert refused.value.reason == service.LINK_EXPIRED


def test_yes_to_a_full_initiative_is_refused_by_the_state_machine(db_session, world, make_user):
    sent = _invite(db_session, world)
    for _ in range(world["initiative"].volunteers_ideal):
        volunteer = make_user(Role.CITIZEN)
        placement = machine.create_placement(db_session, volunteer, world["initiative"], S.APPLIED, actor=volunteer)
        machine.move_placement(db_session, placement, S.ACCEPTED, actor=world["contact"])
    with pytest.raises(machine.InitiativeFullError):
        service.accept_invitation(db_session, sent.invitation, actor=world["citizen"])


def test_taking_back_ends_the_placement_once(db_session, world):
    sent = _invite(db_session, world)
    service.withdraw_invitation(db_session, sent.invitation, actor=world["contact"])
    assert sent.invitation.revoked_at is not None and sent.invitation.placement.state == S.ENDED
    with pytest.raises(service.InvitationClosedError) as again:
        service.withdraw_invitation(db_session, sent.invitation, actor=world["contact"])
    assert again.value.flash_category == "info"
    with pytest.raises(service.InvitationLinkError) as refused:
        links.invitation_from_token(db_session, sent.token, SECRET, now=utcnow())
    assert refused.value.reason == service.LINK_WITHDRAWN


def test_withdrawn_consent_lapses_what_still_waits(db_session, world):
    sent = _invite(db_session, world)
    assert service.lapse_invitations_of(db_session, world["citizen"], actor=world["citizen"]) == 1
    assert sent.invitation.revoked_at is not None and sent.invitation.placement.state == S.ENDED


def test_a_token_signed_for_another_purpose_or_changed_is_invalid(db_session, world):
    sent = _invite(db_session, world)
    db_session.commit()
    forged = links._serializer("another-secret").dumps({"i": sent.invitation.id, "e": 2**40})
    for token in (forged, sent.token[:-2] + "xx", "not-a-token"):
        with pytest.raises(service.InvitationLinkError) as refused:
            links.invitation_from_token(db_session, token, SECRET, now=utcnow())
        assert refused.value.reason == service.LINK_INVALID


# --- The jobs ------------------------------------------------------------------------------------


def test_one_reminder_from_the_configured_days_with_the_same_link(db_session, world, smtp_server):
    sent = _invite(db_session, world, now=NOW)
    db_session.commit()
    end = sent.invitation.expires_at
    assert service.send_due_reminders(db_session, now=end - dt.timedelta(days=5)) == 0  # 4 days before
    assert service.send_due_reminders(db_session, now=end - dt.timedelta(days=3)) == 1
    db_session.commit()
    assert service.send_due_reminders(db_session, now=end - dt.timedelta(days=2)) == 0
    reminder = db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.reminder"))
    assert reminder.link == f"/invitations/{sent.invitation.id}"
    db_session.commit()
    assert deliver_outbox()["sent"] == 2
    first, second = (mail.get_body(preferencelist=("plain",)).get_content() for mail in smtp_server.messages)
    assert sent.token in first and sent.token in second


def test_expiry_is_idempotent_and_tells_the_inviters(db_session, world):
    sent = _invite(db_session, world, now=NOW)
    end = sent.invitation.expires_at
    assert service.expire_due(db_session, now=end - dt.timedelta(seconds=1)) == 0
    assert service.expire_due(db_session, now=end) == 1
    assert service.expire_due(db_session, now=end + dt.timedelta(hours=1)) == 0
    assert sent.invitation.placement.state == S.EXPIRED
    told = db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.expired"))
    assert told.user_id == world["contact"].id
