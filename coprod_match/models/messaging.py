"""In-app notifications and personal API tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow


class Notification(Base):
    """A message in a user's in-app inbox."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    user_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(40))
    # Message parameters, rendered in the reader's language when shown.
    payload: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    link: orm.Mapped[str | None] = orm.mapped_column(sa.String(300))
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    read_at: orm.Mapped[dt.datetime | None]


class ApiToken(Base):
    """A personal API token; only its hash is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    user_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: orm.Mapped[str] = orm.mapped_column(sa.String(80))
    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    last_used_at: orm.Mapped[dt.datetime | None]
    revoked_at: orm.Mapped[dt.datetime | None]
