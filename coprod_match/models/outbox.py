"""The mail outbox: every mail is a row written in the same transaction as the change that causes it.

The scheduler's `mail_outbox` job sends due rows one by one (coprod_match/outbox.py).
A row holds the message as built when it was written; once sent, or given up,
the body is dropped: the links in mails (password resets, invitations) are secrets.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, enum_values_check, utcnow


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent, now or after a back-off
    SENT = "sent"
    FAILED = "failed"  # could not be built, refused for good, or out of tries


class OutboxMail(Base):
    __tablename__ = "outbox_mails"
    __table_args__ = (
        enum_values_check("status", MailStatus, "status_valid"),
        # The job's one question: the pending rows that are due, oldest first.
        sa.Index("ix_outbox_mails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # What the mail is about (e.g. "invitation", "password_reset"): for the log, which never names people.
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(40))
    recipient: orm.Mapped[str] = orm.mapped_column(sa.String(254))
    # The whole RFC 5322 message, built when the row was written; null once sent or given up.
    message: orm.Mapped[bytes | None] = orm.mapped_column(sa.LargeBinary)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(10), default=MailStatus.PENDING)
    attempts: orm.Mapped[int] = orm.mapped_column(default=0)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    next_attempt_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    # A sender that took the row sends it until then; after that (it died) another may take it.
    claimed_until: orm.Mapped[dt.datetime | None]
    sent_at: orm.Mapped[dt.datetime | None]
    last_error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.kind} {self.status}>"
