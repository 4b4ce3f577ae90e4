"""Login lockouts: an account's failed logins in a row, and until when it is locked.

A row exists only for an account with a recent failed login; a successful
login (or a new password) removes it. Kept apart from `users` so the users
row is not written on every failed attempt and the table stays tiny.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base


class LoginLockout(Base):
    """Failed logins of one account since its last success, and its current lock."""

    __tablename__ = "login_lockouts"
    __table_args__ = (
        sa.CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
        sa.CheckConstraint("lockouts >= 0", name="lockouts_not_negative"),
    )

    user_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Wrong passwords in a row since the last success or the last lock.
    failed_logins: orm.Mapped[int] = orm.mapped_column(default=0)
    last_failed_at: orm.Mapped[dt.datetime]
    # Locks in a row: each next lock lasts longer.
    lockouts: orm.Mapped[int] = orm.mapped_column(default=0)
    locked_until: orm.Mapped[dt.datetime | None]
