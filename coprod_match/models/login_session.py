"""Login sessions: one row for each browser a person is logged in on.

The browser's cookie holds a random key; only its SHA-256 is stored here. A
copied cookie is worth nothing once its row is gone: logging out, a new
password and a disabled account delete rows, and a row past `expires_at` no
longer counts (the `expired_login_sessions` job removes it).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow
from .user import User


class LoginSession(Base):
    __tablename__ = "login_sessions"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    user_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    # A short description of the device from its User-Agent; empty when not recognised.
    browser: orm.Mapped[str] = orm.mapped_column(sa.String(40), default="")
    platform: orm.Mapped[str] = orm.mapped_column(sa.String(40), default="")
    # "Stay logged in on this device" (citizens only): a fixed end, no idle limit.
    remembered: orm.Mapped[bool] = orm.mapped_column(default=False)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    last_seen_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    expires_at: orm.Mapped[dt.datetime] = orm.mapped_column(index=True)

    user: orm.Mapped[User] = orm.relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"
