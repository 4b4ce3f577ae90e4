"""An invitation's way to the resident and back, through the pages: the e-mail through a real
SMTP server, the link and its refusals, answering, pending accounts, reminders and expiry, the inbox.

What staff see and are refused while inviting is in test_invitations_staff.py.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from coprod_match.models import (
    DeclineReason,
    Invitation,
    Notification,
    Placement,
    PlacementState,
    Role,
    User,
)
from coprod_match.services import accounts
from coprod_match.services import invitations as service
from coprod_match.services.citizens import ProfileChanges, update_citizen_profile
from coprod_match.services.invitations import links
from coprod_match.services.tokens import hash_token
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.factories import TUESDAY_MORNING, client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

SECRET = "testing-only-secret-key"


@pytest.fixture
def world(db_session, make_user):
    return factories.invitation_world(db_session, make_user)


def _send(db_session, world, citizen=None, **kwargs) -> service.SentInvitation:
    sent = service.invite_citizen(db_session, citizen or world["ayse"], world["day_care"],
                                  actor=world["contact"], **kwargs)
    db_session.commit()
    return sent


def _link_path(message) -> str:
    link = re.search(r"https?://\S+/invitations/link/\S+", body_text(message)).group(0)
    return urlsplit(link).path


def _placement(db_session, citizen) -> Placement:
    db_session.expire_all()
    return db_session.scalar(sa.select(Placement).where(Placement.citizen_id == citizen.id)
                             .order_by(Placement.id.desc()).limit(1))


# --- Must show: end to end through a real SMTP server -----------------------------------------------


def test_invite_mail_in_citizens_language_link_accepts_once(app, world, db_session, smtp_server):
    day_care, ayse = world["day_care"], world["ayse"]
    professional = client_for(app, world["contact"])
    form_page = professional.get(f"/invitations/new/{day_care.id}/{ayse.id}")
    # The default message is in Ayse's language (Dutch), whatever the professional's.
    assert form_page.status_code == 200 and "Hallo Ayse" in form_page.get_data(as_text=True)
    sent = professional.post(f"/invitations/new/{day_care.id}/{ayse.id}", data={
        "csrf_token": csrf_token(professional, f"/invitations/new/{day_care.id}/{ayse.id}"),
        "message": "Ayse, we need someone who speaks Turkish on Tuesdays. Will you come?",
    })
    assert sent.status_code == 302

    assert deliver_outbox()["sent"] == 1
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "ayse@example.org" and day_care.title in mail["Subject"]
    text = body_text(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Hallo Ayse," in text and "Hallo Ayse," in html  # Dutch: Ayse's language
    assert '<html lang="nl" dir="ltr">' in html
    invitation = db_session.scalar(sa.select(Invitation))
    dutch_date = re.compile(r"\d+ (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                            r"november|december) \d{4}")
    assert dutch_date.search(text), text
    assert "we need someone who speaks Turkish" in text
    path = _link_path(mail)
    assert hash_token(path.rsplit("/", 1)[1]) == invitation.token_hash  # only the hash is kept

    anonymous = client_for(app)
    page = anonymous.get(path)  # the client's browser asks for English: the page speaks the mail's Dutch
    assert page.status_code == 200 and "Ja, ik wil meedoen" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    db_session.expire_all()
    assert db_session.get(Invitation, invitation.id).opened_at is not None

    # Saying yes asks to log in first.
    token = csrf_token(anonymous, path)
    to_login = anonymous.post(path + "/accept", data={"csrf_token": token})
    assert to_login.status_code == 302 and "/auth/login" in to_login.headers["Location"]

    citizen = client_for(app, ayse)
    token = csrf_token(citizen, path)
    answer = citizen.post(path + "/accept", data={"csrf_token": token})
    assert answer.status_code == 200 and "Je hebt ja gezegd" in answer.get_data(as_text=True)  # her language
    assert _placement(db_session, ayse).state == PlacementState.ACCEPTED
    assert db_session.get(Invitation, invitation.id).answer == "accepted"

    again = citizen.post(path + "/accept", data={"csrf_token": token})
    assert again.status_code == 400
    with force_locale("nl"):  # Ayse reads the site in Dutch
        refused = gettext("You already answered this invitation. The link works only once.")
    assert refused in again.get_data(as_text=True)
    assert citizen.get(path).status_code == 400

    # The professional is told, and confirms the start: the placement becomes active.
    assert db_session.scalar(sa.select(Notification).where(
        Notification.user_id == world["contact"].id, Notification.kind == "invitation.accepted"))
    placement = _placement(db_session, ayse)
    manage = f"/professionals/initiatives/{day_care.id}"
    professional.post(f"{manage}/placements/{placement.id}/activate",
                      data={"csrf_token": csrf_token(professional, manage)})
    assert _placement(db_session, ayse).state == PlacementState.ACTIVE


def test_declining_works_without_logging_in_and_blocks_a_new_invitation(app, world, db_session):
    sent = _send(db_session, world)
    client = client_for(app)
    path = f"/invitations/link/{sent.token}"
    answer = client.post(path + "/decline", data={"csrf_token": csrf_token(client, path), "reason": "too_far"})
    # In Ayse's Dutch, the language of her mail, though the test browser asks for English.
    assert answer.status_code == 200 and "Je hebt nee gezegd" in answer.get_data(as_text=True)
    placement = _placement(db_session, world["ayse"])
    assert placement.state == PlacementState.DECLINED
    assert db_session.get(Invitation, sent.invitation.id).decline_reason == DeclineReason.TOO_FAR
    assert db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.declined",
                                                           Notification.user_id == world["contact"].id))

    professional = client_for(app, world["contact"])
    path = f"/invitations/new/{world['day_care'].id}/{world['ayse'].id}"
    refused = professional.post(path, data={"csrf_token": csrf_token(professional, path), "message": "Again?"})
    assert refused.status_code == 409
    assert "said no to this initiative, or did not answer, not long ago" in refused.get_data(as_text=True)


# --- Must show: expired, tampered and cross-purpose tokens ------------------------------------------


def test_tampered_expired_cross_purpose_and_withdrawn_links_are_refused(app, world, db_session):
    client = client_for(app)
    sent = _send(db_session, world)
    token = sent.token

    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    page = client.get(f"/invitations/link/{tampered}")
    assert page.status_code == 400 and "not complete or not right" in page.get_data(as_text=True)
    forged = links._serializer("another-secret").dumps({"i": sent.invitation.id, "e": 2**40})
    assert client.get(f"/invitations/link/{forged}").status_code == 400

    # A password-reset token is not an invitation token, and the other way round.
    reset = accounts.make_password_reset_token(world["ayse"], SECRET)
    assert client.get(f"/invitations/link/{reset}").status_code == 400
    assert client.get(f"/auth/password/reset/{token}").status_code == 400

    # Past its end, the link is refused even before the job has run.
    invitation = db_session.get(Invitation, sent.invitation.id)
    later = invitation.expires_at + dt.timedelta(minutes=1)
    with pytest.raises(service.InvitationLinkError) as refused:
        service.invitation_from_token(db_session, token, SECRET, now=later)
    assert refused.value.reason == service.LINK_EXPIRED
    assert service.expire_due(db_session, now=later) == 1
    db_session.commit()
    expired = client.get(f"/invitations/link/{token}")
    assert expired.status_code == 400 and "the time to answer is over" in expired.get_data(as_text=True)
    assert _placement(db_session, world["ayse"]).state == PlacementState.EXPIRED


def test_a_withdrawn_invitation_link_stops_working(app, world, db_session):
    sent = _send(db_session, world)
    professional = client_for(app, world["contact"])
    follow = f"/invitations/initiatives/{world['day_care'].id}"
    page = professional.get(follow)
    assert page.status_code == 200 and "Ayse" in page.get_data(as_text=True)
    professional.post(f"/invitations/{sent.invitation.id}/withdraw",
                      data={"csrf_token": csrf_token(professional, follow)})
    refused = client_for(app).get(f"/invitations/link/{sent.token}")
    assert refused.status_code == 400 and "taken back" in refused.get_data(as_text=True)
    assert _placement(db_session, world["ayse"]).state == PlacementState.ENDED


# --- Consent withdrawn: pending invitations lapse ---------------------------------------------------


def test_withdrawing_consent_lapses_pending_invitations(app, world, db_session):
    sent = _send(db_session, world)
    ayse = world["ayse"]
    profile = ayse.citizen_profile
    update_citizen_profile(db_session, ayse, ProfileChanges(
        neighbourhood=profile.neighbourhood, interest_codes=[], languages={"tr": "native"},
        wants_to_practise_dutch=False, availability_slots=TUESDAY_MORNING, max_hours_per_week=None,
        max_initiatives=2, consent_to_contact=False), actor=ayse)
    db_session.commit()
    assert _placement(db_session, ayse).state == PlacementState.ENDED
    assert db_session.get(Invitation, sent.invitation.id).revoked_at is not None
    assert client_for(app).get(f"/invitations/link/{sent.token}").status_code == 400


# --- Someone without an account, invited by e-mail ---------------------------------------------------


def _invite_by_email(client, initiative_id: int, email: str, name: str = "Sam"):
    path = f"/invitations/by-email/{initiative_id}"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "display_name": name,
                                   "email": email, "preferred_locale": "en", "message": "",
                                   "asked_in_person": "y"}, follow_redirects=True)


def test_a_new_address_gets_a_pending_account_completed_from_the_link(app, world, db_session, smtp_server):
    professional = client_for(app, world["contact"])
    answer = _invite_by_email(professional, world["day_care"].id, "Sam@Example.org")
    assert answer.status_code == 200
    sam = db_session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    assert sam.is_pending and not sam.is_enabled and sam.password_hash is None

    # It cannot log in, and no professional or coordinator sees it.
    admin = client_for(app, world["coordinator"])
    # The admin sees it among the accounts not finished yet.
    listed = client_for(app, _admin(db_session)).get("/admin/users?state=pending").get_data(as_text=True)
    assert "sam@example.org" in listed
    assert accounts.authenticate(db_session, "sam@example.org", TEST_PASSWORD) is None
    assert admin.get("/admin/users").status_code == 403

    deliver_outbox()
    mail = smtp_server.messages[-1]
    assert mail["To"] == "sam@example.org"
    assert "you choose a password" in body_text(mail)
    path = _link_path(mail)
    visitor = client_for(app)
    token = csrf_token(visitor, path)
    to_account = visitor.post(path + "/accept", data={"csrf_token": token})
    assert to_account.status_code == 302 and to_account.headers["Location"].endswith(path + "/account")
    form = visitor.get(path + "/account")
    assert form.status_code == 200 and 'value="Sam"' in form.get_data(as_text=True)
    transvaal = factories.neighbourhood_named(db_session, "Transvaal")
    done = visitor.post(path + "/account", data={
        "csrf_token": token, "display_name": "Sam", "neighbourhood_id": str(transvaal.id),
        "password": "A long walk in Transvaal 7", "confirm": "A long walk in Transvaal 7"})
    assert done.status_code == 200 and "You said yes" in done.get_data(as_text=True)
    db_session.expire_all()
    sam = db_session.get(User, sam.id)
    assert sam.is_enabled and not sam.is_pending and sam.citizen_profile.neighbourhood.name == "Transvaal"
    assert _placement(db_session, sam).state == PlacementState.ACCEPTED
    assert visitor.get("/citizens/initiatives").status_code == 200  # logged in now
    assert visitor.get(path).status_code == 400  # used


def _admin(db_session) -> User:
    admin = User(email="admin@example.org", password_hash=None, role=Role.ADMIN, display_name="Admin")
    db_session.add(admin)
    db_session.commit()
    return admin


def test_inviting_by_email_never_reveals_whether_the_address_has_an_account(app, world, make_user):
    make_user(Role.PROFESSIONAL, email="colleague@example.org")
    professional = client_for(app, world["contact"])
    pages = {}
    for email in ("nobody-yet@example.org", "colleague@example.org", "ayse@example.org"):
        answer = _invite_by_email(professional, world["day_care"].id, email)
        text = answer.get_data(as_text=True)
        pages[email] = (answer.status_code, "If this address can receive the invitation, it is on its way." in text)
    assert set(pages.values()) == {(200, True)}


# --- Scheduled jobs: one reminder, then expiry ------------------------------------------------------


def test_one_reminder_with_the_same_link_then_expiry(app, world, db_session, smtp_server):
    sent = _send(db_session, world)
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    first_link = _link_path(smtp_server.messages[0])
    expires_at = db_session.get(Invitation, sent.invitation.id).expires_at

    early = expires_at - dt.timedelta(days=10)
    assert service.send_due_reminders(db_session, now=early, days_before=4) == 0
    near = expires_at - dt.timedelta(days=3)
    assert service.send_due_reminders(db_session, now=near, days_before=4) == 1
    db_session.commit()
    assert service.send_due_reminders(db_session, now=near, days_before=4) == 0
    db_session.commit()
    deliver_outbox()
    assert len(smtp_server.messages) == 2
    reminder = smtp_server.messages[1]
    assert "Herinnering" in reminder["Subject"] or "Reminder" in reminder["Subject"]
    assert _link_path(reminder) == first_link

    assert service.expire_due(db_session, now=expires_at - dt.timedelta(seconds=1)) == 0
    assert service.expire_due(db_session, now=expires_at + dt.timedelta(hours=1)) == 1
    db_session.commit()
    assert service.expire_due(db_session, now=expires_at + dt.timedelta(hours=2)) == 0
    assert _placement(db_session, world["ayse"]).state == PlacementState.EXPIRED
    assert db_session.scalar(sa.select(Notification).where(Notification.kind == "invitation.expired"))
    # Expired blocks a new invitation for the block period.
    with pytest.raises(service.RecentlyAnsweredError):
        service.invite_citizen(db_session, world["ayse"], world["day_care"], actor=world["contact"],
                               now=expires_at + dt.timedelta(days=1))


def test_the_jobs_are_registered():
    from coprod_match.jobs.registry import job_named

    assert job_named("invitation_expiry").body and job_named("invitation_reminders").body


# --- The inbox -------------------------------------------------------------------------------------


def test_inbox_shows_the_unread_count_and_opening_marks_read(app, world, db_session):
    sent = _send(db_session, world)
    client = client_for(app, world["ayse"])
    home = client.get("/inbox/").get_data(as_text=True)
    assert 'class="badge"' in home and "Day care for elderly migrants" in home
    notification = db_session.scalar(sa.select(Notification).where(Notification.user_id == world["ayse"].id))
    opened = client.post(f"/inbox/{notification.id}/open", data={"csrf_token": csrf_token(client, "/inbox/")})
    assert opened.headers["Location"].endswith(f"/invitations/{sent.invitation.id}")
    assert 'class="badge"' not in client.get("/inbox/").get_data(as_text=True)
    # Someone else's message: nothing happens, nothing is revealed.
    other = client_for(app, world["contact"])
    assert other.post(f"/inbox/{notification.id}/open",
                      data={"csrf_token": csrf_token(other, "/inbox/")}).headers["Location"].endswith("/inbox/")
    # The logged-in citizen can answer from there too (in her own language, Dutch).
    page = client.get(f"/invitations/{sent.invitation.id}")
    assert page.status_code == 200 and "Ja, ik wil meedoen" in page.get_data(as_text=True)
    assert client_for(app, world["contact"]).get(f"/invitations/{sent.invitation.id}").status_code == 403
