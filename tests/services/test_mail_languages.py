"""Every kind of mail is written in its recipient's language, with `<html lang dir>` to match.

One row per mail template (templates/emails/*.html): the service that sends
it, for a Turkish recipient while the request or job speaks English. What
lands in the outbox is compared with the Turkish catalogue's own subject (so
a mail that falls back to English or Dutch fails), and a new template without
a row here fails `test_every_mail_template_is_checked`. The invitation and its
reminder are followed to a real SMTP server in tests/web/test_mails_in_residents_languages.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as default_policy
from html import unescape
from pathlib import Path

import pytest
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from coprod_match.continuity.digest import send_digests
from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.extensions import db
from coprod_match.links import PageLink
from coprod_match.mail import mail_locale
from coprod_match.models import Role
from coprod_match.services import (
    account_admin,
    account_details,
    invitations,
    lockout,
    registration,
    welcome,
)
from coprod_match.services.check_ins import ask_volunteers
from coprod_match.services.notifications import notify
from coprod_match.services.retention import send_inactivity_warning
from tests import factories
from tests.outbox import outbox_rows

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"
NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
ERASE_AFTER = dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)


@dataclass
class Sent:
    """What the trigger expects: the Turkish subject (worded by `subject`), and text that must be in the mail."""

    to: str
    subject: Callable[[], str]
    body: Callable[[], str] | None = None


def _registration(session, make_user, ayse) -> Sent:
    # No account yet: the language chosen on the form.
    registration.request_registration(session, email="emine@example.org", display_name="Emine",
                                      neighbourhood=None, preferred_locale="tr")
    return Sent("emine@example.org", lambda: _("Finish your coprod-match account"))


def _registration_taken(session, make_user, ayse) -> Sent:
    # Someone signs up in English with Ayşe's address: she reads the warning in her own language.
    registration.request_registration(session, email=ayse.email, display_name="Someone", neighbourhood=None,
                                      preferred_locale="en")
    return Sent(ayse.email, lambda: _("Someone tried to sign up with your e-mail address"))


def _password_reset(session, make_user, ayse) -> Sent:
    registration.request_password_reset(session, ayse.email)
    return Sent(ayse.email, lambda: _("Choose a new password"))


def _email_change(session, make_user, ayse) -> Sent:
    account_details.send_email_change_link(session, ayse, new_email="ayse.new@example.org", actor=ayse)
    return Sent("ayse.new@example.org", lambda: _("Confirm your new e-mail address"))


def _email_change_taken(session, make_user, ayse) -> Sent:
    someone = make_user(Role.CITIZEN, locale="en")
    account_details.send_email_change_link(session, someone, new_email=ayse.email, actor=someone)
    return Sent(ayse.email, lambda: _("Someone tried to use your e-mail address for another account"))


def _email_change_notice(session, make_user, ayse) -> Sent:
    old = ayse.email
    account_details.send_email_change_link(session, ayse, new_email="ayse.new@example.org", actor=ayse)
    (asked,) = outbox_rows(session)
    token = re.search(r"/email/confirm/(\S+)", _text(asked)).group(1)
    session.commit()
    account_details.confirm_email_change(session, token)
    return Sent(old, lambda: _("The e-mail address of your account was changed"))


def _welcome(session, make_user, ayse) -> Sent:
    welcome.send_welcome(session, ayse, organisation=None)
    return Sent(ayse.email, lambda: _("Your account on coprod-match: please confirm it"))


def _account_changed(session, make_user, ayse) -> Sent:
    admin = make_user(Role.ADMIN, locale="en")
    account_admin.disable_account(session, ayse, actor=admin)
    return Sent(ayse.email, lambda: _("Your coprod-match account has changed"))


def _login_locked(session, make_user, ayse) -> Sent:
    session.commit()
    for _attempt in range(lockout.rules().failures_to_lock):
        lockout.record_wrong_password(db.engine, ayse.id)  # its own transaction, as at the login
    return Sent(ayse.email, lambda: _("Someone tried to log in to your account"))


def _inactive_account(session, make_user, ayse) -> Sent:
    send_inactivity_warning(session, ayse, erase_after=ERASE_AFTER)
    # The date with its Turkish month name, by Babel.
    return Sent(ayse.email, lambda: _("Your coprod-match account will be removed"),
                lambda: format_date(ERASE_AFTER, "long"))


def _invitation(session, make_user, ayse) -> Sent:
    contact = make_user(Role.PROFESSIONAL, locale="en")
    initiative = factories.initiative(session, title="Samen koken", contact=contact)
    factories.profile(ayse, consents=True)
    session.commit()
    invitations.invite_citizen(session, ayse, initiative, actor=contact)
    return Sent(ayse.email, lambda: _("A personal invitation: %(initiative)s", initiative="Samen koken"))


def _check_in(session, make_user, ayse) -> Sent:
    initiative = factories.initiative(session, title="Samen koken")
    factories.placement(session, ayse, initiative, since=NOW - dt.timedelta(days=40))
    session.commit()
    assert ask_volunteers(session, now=NOW) == 1
    return Sent(ayse.email, lambda: _("How is it going at %(initiative)s?", initiative="Samen koken"),
                lambda: _("You can answer until %(date)s. The link works only once.",
                          date=format_date(NOW + dt.timedelta(days=21), "long")))


def _notification(session, make_user, ayse) -> Sent:
    initiative = factories.initiative(session, title="Samen koken")
    session.flush()
    notify(session, [ayse.id], "placement.accepted", PageLink("citizens.my_initiatives"),
           initiative_id=initiative.id, initiative_title=initiative.title)
    return Sent(ayse.email, lambda: _("News about %(initiative)s", initiative="Samen koken"),
                lambda: _("You can start at \"%(initiative)s\".", initiative="Samen koken"))


def _single_volunteer(session, make_user, ayse, *, template: str) -> Sent:
    """A Turkish-speaking coordinator and contact person hear of an initiative that runs on one volunteer."""
    role = Role.COORDINATOR if template == "continuity_digest" else Role.PROFESSIONAL
    staff = make_user(role, name="Mehmet", locale="tr", email="mehmet@example.org")
    contact = staff if role == Role.PROFESSIONAL else make_user(Role.PROFESSIONAL, locale="en")
    initiative = factories.initiative(session, title="Samen koken", contact=contact)
    factories.placement(session, make_user(), initiative, since=NOW - dt.timedelta(days=5))
    session.commit()
    run_scan(session, now=NOW, thresholds=Thresholds())
    session.commit()
    send_digests(session, now=NOW + dt.timedelta(hours=2), since=NOW - dt.timedelta(days=1))
    if template == "continuity_digest":
        return Sent(staff.email, lambda: ngettext("%(num)d new continuity alert", "%(num)d new continuity alerts", 1))
    return Sent(staff.email, lambda: _("An initiative of yours now runs on one volunteer"))


def _contact_check_in(session, make_user, ayse) -> Sent:
    """A Turkish-speaking contact person is asked about their month."""
    from coprod_match.services.contact_check_ins import ask_contacts

    mehmet = make_user(Role.PROFESSIONAL, name="Mehmet", locale="tr", email="mehmet@example.org")
    factories.initiative(session, title="Samen koken", contact=mehmet)
    session.commit()
    ask_contacts(session, now=NOW)
    return Sent(mehmet.email, lambda: _("How was your month?"),
                lambda: _("The coordinator of your area reads your answers and can help."))


TRIGGERS: dict[str, Callable] = {
    "registration": _registration,
    "registration_taken": _registration_taken,
    "password_reset": _password_reset,
    "email_change": _email_change,
    "email_change_taken": _email_change_taken,
    "email_change_notice": _email_change_notice,
    "welcome": _welcome,
    "account_changed": _account_changed,
    "login_locked": _login_locked,
    "inactive_account": _inactive_account,
    "invitation": _invitation,
    "check_in": _check_in,
    "notification": _notification,
    "continuity_digest": lambda *args: _single_volunteer(*args, template="continuity_digest"),
    "single_volunteer_notice": lambda *args: _single_volunteer(*args, template="single_volunteer_notice"),
    "contact_check_in": _contact_check_in,
}


def _parsed(row):
    return message_from_bytes(row.message, policy=default_policy)


def _text(row) -> str:
    return _parsed(row).get_body(preferencelist=("plain",)).get_content()


def test_every_mail_template_is_checked():
    templates = {path.stem for path in EMAIL_TEMPLATES.glob("*.html")} - {"layout"}
    assert templates == set(TRIGGERS), "add a row to TRIGGERS for each mail (and say where its language comes from " \
                                       "in docs/languages.md)"


def test_every_html_mail_says_its_language_and_direction_through_the_layout():
    for path in EMAIL_TEMPLATES.glob("*.html"):
        if path.stem != "layout":
            assert path.read_text(encoding="utf-8").startswith('{% extends "emails/layout.html" %}'), path.name
    assert '<html lang="{{ locale }}" dir="{{ direction }}">' in (EMAIL_TEMPLATES / "layout.html").read_text()


@pytest.mark.parametrize("template", sorted(TRIGGERS))
def test_each_mail_is_in_the_recipients_language(app, db_session, make_user, template):
    ayse = make_user(Role.CITIZEN, name="Ayşe", locale="tr", email="ayse@example.org")
    db_session.commit()
    with force_locale("en"):  # the request or job around it speaks English: the mail must not
        sent = TRIGGERS[template](db_session, make_user, ayse)
    db_session.commit()
    mails = [row for row in outbox_rows(db_session) if row.recipient == sent.to and row.message]
    assert mails, f"no {template} mail to {sent.to}"
    mail = _parsed(mails[-1])
    with force_locale("tr"):
        turkish = str(sent.subject())
        body = str(sent.body()) if sent.body else None
    with force_locale("en"):
        english = str(sent.subject())
    assert turkish != english, "the Turkish catalogue has no translation of this subject"
    assert mail["Subject"] == turkish
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="tr" dir="ltr">' in html
    if body is not None:
        assert body in _text(mails[-1]) and body in unescape(html)


def test_a_language_the_site_does_not_speak_falls_back_to_the_default(app):
    assert mail_locale("fr") == app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert mail_locale(None) == "nl" and mail_locale("tr") == "tr"


def test_an_arabic_mail_is_right_to_left(app, db_session, make_user):
    amina = make_user(Role.CITIZEN, name="Amina", locale="ar", email="amina@example.org")
    db_session.commit()
    registration.request_password_reset(db_session, amina.email)
    db_session.commit()
    (row,) = outbox_rows(db_session)
    html = _parsed(row).get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
