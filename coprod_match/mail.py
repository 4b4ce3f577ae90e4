"""Outgoing e-mail: through SMTP, or into the log during development."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import orm

from .transaction import after_commit

log = logging.getLogger("coprod_match.mail")


def init_app(app: Flask) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend not in ("smtp", "log"):
        raise RuntimeError(f"MAIL_BACKEND must be 'smtp' or 'log', not {backend!r}")


def send_mail(to: str, subject: str, text_body: str, html_body: str | None = None) -> None:
    """Send one message; raises on SMTP failure so the caller can tell the person."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")

    if config["MAIL_BACKEND"] == "log":
        log.info("mail (development, not sent):\n%s", message.as_string())
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


# Mails that belong to a database change wait for its commit: an invitation whose
# transaction rolls back must not have sent a link that leads nowhere.
def send_after_commit(session: orm.Session, to: str, subject: str, text_body: str,
                      html_body: str | None = None) -> None:
    """Send this mail once `session` commits; drop it if the session rolls back."""

    def send() -> None:
        try:
            send_mail(to, subject, text_body, html_body)
        except (OSError, smtplib.SMTPException):
            # The change is committed; the in-app inbox still has it. Never log the address.
            log.exception("mail could not be sent after commit (subject %r)", subject)

    after_commit(session, send)
