"""Outgoing e-mail: through SMTP, or into the log during development."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import Flask, current_app

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
