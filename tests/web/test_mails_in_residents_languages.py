"""Must show: a Turkish resident gets the invitation, its reminder and the invitation page in Turkish.

The mails go through the outbox to a real SMTP server, and what arrives is
compared with the Turkish catalogue's own strings (worded here with
force_locale("tr"), and checked to differ from the English, so a mail that fell
back to English or Dutch fails). An Arabic resident's mail is written right to
left. On SQLite and PostgreSQL, like every database test.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from coprod_match.jobs.runner import run_job
from coprod_match.models import InitiativeVersion, Invitation, JobOutcome, Role, utcnow
from tests import factories
from tests.conftest import csrf_token
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

TURKISH_TITLE = "Yaşlı göçmenler için gündüz bakımı"  # noqa: RUF001 (Turkish has a dotless i)


def _in(locale: str, message: str, **values) -> str:
    with force_locale(locale):
        return _(message, **values)


def _in_turkish(message: str, **values) -> str:
    """The Turkish catalogue's wording, which must not be the English (else the test proves nothing)."""
    turkish, english = _in("tr", message, **values), _in("en", message, **values)
    assert turkish != english, f"not translated into Turkish: {message!r}"
    return turkish


def _html(mail) -> str:
    return mail.get_body(preferencelist=("html",)).get_content()


def _link_path(mail) -> str:
    link = re.search(r"https?://\S+/invitations/link/\S+", body_text(mail)).group(0)
    return urlsplit(link).path


def _invite(app, professional, initiative, citizen) -> None:
    """The professional's own door: the invitation form."""
    client = factories.client_for(app, professional)
    path = f"/invitations/new/{initiative.id}/{citizen.id}"
    sent = client.post(path, data={"csrf_token": csrf_token(client, path), "message": "Gelir misin?"})
    assert sent.status_code == 302, sent.get_data(as_text=True)


def test_a_turkish_resident_gets_the_invitation_its_reminder_and_its_page_in_turkish(
        app, db_session, make_user, smtp_server):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl")  # the professional reads Dutch
    day_care = factories.day_care(db_session, contact=fatima)
    db_session.add(InitiativeVersion(initiative=day_care, locale="tr", title=TURKISH_TITLE,
                                     description="Yaşlılarla birlikte."))  # noqa: RUF001
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayşe", locale="tr", email="ayse@example.org"),
                             availability_slots=factories.TUESDAY_MORNING, native_languages=["tr"],
                             consents=True)
    db_session.commit()

    _invite(app, fatima, day_care, ayse)
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    invitation = db_session.scalar(sa.select(Invitation))
    assert mail["To"] == "ayse@example.org"
    assert mail["Subject"] == _in_turkish("A personal invitation: %(initiative)s", initiative=TURKISH_TITLE)
    text, html = body_text(mail), _html(mail)
    with force_locale("tr"):
        answer_until = format_date(invitation.expires_at, "long")  # Babel's Turkish date, month in words
    assert answer_until != _date_in("en", invitation.expires_at)
    for part in (text, html):
        assert _in_turkish("Hello %(name)s,", name="Ayşe") in part
        assert TURKISH_TITLE in part and day_care.title not in part  # the Turkish version, not the original
        assert answer_until in part
    assert _in_turkish("Do you want to join? Or not? Open this link to answer:") in text
    assert _in_turkish("Answer the invitation") in html
    assert '<html lang="tr" dir="ltr">' in html
    path = _link_path(mail)

    # The reminder job, four days before the end: the same language, and its own words.
    db_session.execute(sa.update(Invitation).values(expires_at=utcnow() + dt.timedelta(days=2)))
    db_session.commit()
    smtp_server.messages.clear()
    reminded = run_job(app, "invitation_reminders", "scheduler-a")
    assert reminded.outcome == JobOutcome.SUCCEEDED and reminded.counts["reminded"] == 1
    assert deliver_outbox()["sent"] == 1
    (reminder,) = smtp_server.messages
    assert reminder["Subject"] == _in_turkish("Reminder: %(initiative)s would like you to join",
                                              initiative=TURKISH_TITLE)
    assert _in_turkish("This is a reminder. You have not answered this invitation yet.") in body_text(reminder)
    assert '<html lang="tr" dir="ltr">' in _html(reminder)

    # The page the mail's link opens, in a browser that asks for English, is Turkish too.
    visitor = factories.client_for(app)
    page = visitor.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    assert f"<h1>{_in_turkish('An invitation for you')}</h1>" in page
    # Saying no from that page answers in Turkish as well: the language stays for the form.
    declined = visitor.post(path + "/decline", headers={"Accept-Language": "en"},
                            data={"csrf_token": csrf_token(visitor, path), "reason": "too_far"})
    assert declined.status_code == 200
    assert _in_turkish("Thank you for your answer") in declined.get_data(as_text=True)


def test_an_arabic_residents_invitation_mail_is_written_right_to_left(app, db_session, make_user, smtp_server):
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl")
    day_care = factories.day_care(db_session, contact=fatima)
    amina = factories.profile(make_user(Role.CITIZEN, name="Amina", locale="ar", email="amina@example.org"),
                              availability_slots=factories.TUESDAY_MORNING, consents=True)
    db_session.commit()

    _invite(app, fatima, day_care, amina)
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    html = _html(mail)
    assert '<html lang="ar" dir="rtl">' in html
    # The quote's bar stands on the right, where an Arabic line starts.
    assert "border-right: 4px solid" in html and "border-left" not in html
    # No Arabic version of the title: the original keeps its own language inside the Arabic mail.
    assert f'<span lang="nl">{day_care.title}</span>' in html
    assert mail["Subject"] == _in("ar", "A personal invitation: %(initiative)s", initiative=day_care.title)
    with force_locale("ar"):
        assert format_date(db_session.scalar(sa.select(Invitation.expires_at)), "long") in html


def test_a_resident_invited_by_address_gets_the_language_the_professional_chose(
        app, db_session, make_user, smtp_server):
    """No account yet: the mail, and the page its link opens, speak the language chosen on the form."""
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl")
    day_care = factories.day_care(db_session, contact=fatima)
    db_session.commit()
    client = factories.client_for(app, fatima)
    path = f"/invitations/by-email/{day_care.id}"
    sent = client.post(path, data={"csrf_token": csrf_token(client, path), "email": "emine@example.org",
                                   "display_name": "Emine", "preferred_locale": "tr", "message": "Gel!",
                                   "asked_in_person": "y"})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert deliver_outbox()["sent"] == 1
    (mail,) = smtp_server.messages
    assert mail["Subject"] == _in_turkish("A personal invitation: %(initiative)s", initiative=day_care.title)
    assert _in_turkish("To say yes, you choose a password. Then your account is ready.") in body_text(mail)
    page = factories.client_for(app).get(_link_path(mail)).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page


def _ayses_invitation_mail(app, db_session, make_user, smtp_server):
    """Fatima (Dutch) invites Ayşe (Turkish); the one mail, as the SMTP server received it."""
    fatima = make_user(Role.PROFESSIONAL, name="Fatima", locale="nl")
    day_care = factories.day_care(db_session, contact=fatima)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayşe", locale="tr", email="ayse@example.org"),
                             consents=True)
    db_session.commit()
    _invite(app, fatima, day_care, ayse)
    deliver_outbox()
    (mail,) = smtp_server.messages
    return mail


def test_a_visitor_who_chose_a_language_keeps_it_on_the_invitation_page(app, db_session, make_user, smtp_server):
    mail = _ayses_invitation_mail(app, db_session, make_user, smtp_server)
    visitor = factories.client_for(app)
    visitor.post("/language", data={"locale": "nl", "next": "/", "csrf_token": csrf_token(visitor, "/")})
    page = visitor.get(_link_path(mail)).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page and "<h1>Een uitnodiging voor jou</h1>" in page


def _date_in(locale: str, moment: dt.datetime) -> str:
    with force_locale(locale):
        return format_date(moment, "long")


def test_pages_opened_from_other_mailed_links_speak_the_mails_language(app, db_session, make_user, smtp_server):
    """Registration, password reset and e-mail change: the link's page is Turkish in an English browser."""
    from coprod_match.services import account_details, registration

    ayse = make_user(Role.CITIZEN, name="Ayşe", locale="tr", email="ayse@example.org")
    db_session.commit()
    registration.request_registration(db_session, email="emine@example.org", display_name="Emine",
                                      neighbourhood=None, preferred_locale="tr")
    registration.request_password_reset(db_session, ayse.email)
    account_details.send_email_change_link(db_session, ayse, new_email="ayse.new@example.org", actor=ayse)
    db_session.commit()
    assert deliver_outbox()["sent"] == 3
    headings = {"/auth/register/finish/": "Finish your account", "/auth/password/reset/": "Choose a new password",
                "/account/email/confirm/": "Confirm your new e-mail address"}
    for mail in smtp_server.messages:
        path = urlsplit(re.search(r"https?://\S+", body_text(mail)).group(0)).path
        heading = next(text for start, text in headings.items() if path.startswith(start))
        page = factories.client_for(app).get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert '<html lang="tr" dir="ltr">' in html and f"<h1>{_in_turkish(heading)}</h1>" in html, path


def test_a_logged_in_user_opening_a_mailed_link_keeps_their_own_language(app, db_session, make_user, smtp_server):
    mail = _ayses_invitation_mail(app, db_session, make_user, smtp_server)
    colleague = factories.client_for(app, make_user(Role.PROFESSIONAL, locale="en"))
    assert '<html lang="en" dir="ltr">' in colleague.get(_link_path(mail)).get_data(as_text=True)
    with colleague.session_transaction() as kept:
        assert "locale" not in kept  # nothing left behind for after the logout
