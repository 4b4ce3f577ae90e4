"""The outbox in tests: mails are rows until the outbox job sends them; this sends them now."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from coprod_match.extensions import db
from coprod_match.models import OutboxMail


def deliver_outbox(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the due mails as the job does (commit what the test wrote first)."""
    from coprod_match.outbox import send_due_mail

    return send_due_mail(db.engine, current_app.config, now=now)


def outbox_rows(session, **where) -> list[OutboxMail]:
    session.expire_all()
    query = sa.select(OutboxMail).order_by(OutboxMail.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMail, name) == value)
    return list(session.scalars(query))
