"""Outgoing e-mail: written to the outbox with the change that causes it, sent later by the scheduler.

`send_in_language` is the one function services call: it words the subject,
the text part and the HTML part in the recipient's language (templates
emails/<name>.txt and .html, `<html lang dir>` from that language) and hands
them to `send_after_commit`, which builds the whole
message at once and adds it to the session as an outbox row, so the mail is
stored, or rolled back, together with the change: an invitation whose
transaction rolls back leaves no mail behind, and a committed one never
loses its mail when the mail server is down. Nothing talks to a mail server
during a request: timing cannot tell whether a mail was sent.

A message that cannot be built (a line break in a subject, a broken address)
is stored as failed with the reason; the request or job that asked for it
goes on. The scheduler's `mail_outbox` job (outbox.py) sends the rest.
"""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
from collections.abc import Callable
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import parseaddr

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import orm

from .i18n import text_direction
from .models import MailStatus, OutboxMail, utcnow

log = logging.getLogger("coprod_match.mail")

_NOT_BUILT_KEY = "coprod_match.mails_not_built"


def init_app(app: Flask) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend not in ("smtp", "log"):
        raise RuntimeError(f"MAIL_BACKEND must be 'smtp' or 'log', not {backend!r}")
    if not app.config.get("MAIL_LOG_FOLDER"):
        app.config["MAIL_LOG_FOLDER"] = os.path.join(app.instance_path, "mail")


def build_message(to: str, subject: str, text_body: str, html_body: str | None = None) -> bytes:
    """The message as it goes over SMTP; raises ValueError for a header with a line break."""
    message = EmailMessage()  # lines end in \n inside the parts; SMTP's CRLF only on the way out
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    return message.as_bytes(policy=SMTP)


def mail_locale(locale: str | None) -> str:
    """The language a mail is written in: the recipient's, when the site speaks it, else the default."""
    return locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def send_in_language(session: orm.Session, to: str, locale: str | None, template: str,
                     subject: Callable[[], str], *, kind: str | None = None, **context) -> OutboxMail:
    """Put a mail in the outbox written in `locale`: the recipient's stored language (or, for
    someone without an account yet, the one the sender chose for them).

    Everything is worded inside one `force_locale`, so the subject, both parts,
    and the dates and numbers Babel formats in them speak the same language.
    The templates get `locale` and `direction` for `<html lang dir>` (emails/layout.html).
    """
    locale = mail_locale(locale)
    with force_locale(locale):
        context.update(locale=locale, direction=text_direction(locale))
        subject_text = str(subject())
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    return send_after_commit(session, to, subject_text, text, html, kind=kind or template)


def send_after_commit(session: orm.Session, to: str, subject: str, text_body: str,
                      html_body: str | None = None, *, kind: str = "mail") -> OutboxMail:
    """Put this mail in the outbox, in `session`'s transaction: it is sent once the change is committed.

    A mail that cannot be built is stored as failed with the reason, and
    counted for the job that asked for it (`mails_not_built`).
    """
    mail = OutboxMail(kind=kind[:40], recipient=to[:254], status=MailStatus.PENDING, attempts=0,
                      next_attempt_at=utcnow())
    try:
        mail.message = build_message(to, subject, text_body, html_body)
    except (ValueError, TypeError, UnicodeError) as error:
        mail.status = MailStatus.FAILED
        mail.last_error = f"could not be built: {type(error).__name__}: {error}"[:1000]
        session.info[_NOT_BUILT_KEY] = session.info.get(_NOT_BUILT_KEY, 0) + 1
        # Never the address or the subject in the log: the id says where to look.
    session.add(mail)
    session.flush()
    if mail.status == MailStatus.FAILED:
        log.warning("mail %s (%s) could not be built and is stored as failed", mail.id, mail.kind)
    return mail


def mails_not_built(session: orm.Session) -> int:
    """How many mails this session could not build since the last call (for a job's run log)."""
    return session.info.pop(_NOT_BUILT_KEY, 0)


class Transport:
    """One SMTP connection for a run of the outbox job, opened at the first mail."""

    def __init__(self, config):
        self._config = config
        self._smtp: smtplib.SMTP | None = None

    def send(self, recipient: str, message: bytes) -> None:
        """Send one built message; raises OSError or an SMTPException when it did not go."""
        config = self._config
        if config["MAIL_BACKEND"] == "log":
            path = keep_as_eml(config["MAIL_LOG_FOLDER"], message)
            log.info("mail (development, not sent; kept as %s):\n%s", path, readable(message))
            return
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.sendmail(_envelope_sender(config["MAIL_SENDER"]), [recipient], message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
            raise  # the server answered: the connection still serves the next mail
        except OSError:  # SMTPException is an OSError too: a lost or broken connection
            self.close()  # the next mail starts a fresh connection
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self._config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def readable(message: bytes) -> str:
    """A built mail as a person reads it: the main headers and the decoded text part.

    The development log shows this instead of the MIME source, whose
    quoted-printable lines break links in two.
    """
    parsed = message_from_bytes(message, policy=default_policy)
    lines = [f"{name}: {parsed[name]}" for name in ("From", "To", "Subject") if parsed[name]]
    body = parsed.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return "\n".join(lines) + "\n\n" + text.rstrip() + "\n"


def keep_as_eml(folder: str, message: bytes) -> str:
    """Keep a development mail as an .eml file (opens in any mail program); returns its path.

    The folder is private like the instance folder: mails hold addresses and login links.
    """
    os.makedirs(folder, mode=0o700, exist_ok=True)
    moment = utcnow().strftime("%Y%m%d-%H%M%S-%f")
    path = os.path.join(folder, f"{moment}-{hashlib.sha256(message).hexdigest()[:8]}.eml")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(message)
    return path


def _envelope_sender(sender: str) -> str:
    return parseaddr(sender)[1] or sender
