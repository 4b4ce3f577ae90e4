"""Two-factor login: a person's TOTP secret and their single-use recovery codes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow


class TwoFactor(Base):
    """The authenticator app a person set up (or is setting up) for logging in.

    The secret is kept as text: the server must read it to check codes, and
    without an encryption key kept apart from the database, encrypting it
    would protect nothing the database's own access control does not. It is
    shown only on the setup page, before two-factor is on, and never again.
    """

    __tablename__ = "two_factor_logins"

    user_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Base32, as authenticator apps read it (160 bits of randomness).
    secret: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    # Null while the person has not yet typed a first right code.
    enabled_at: orm.Mapped[dt.datetime | None]
    # The newest 30-second step whose code was accepted: a code works only once.
    last_used_step: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None


class RecoveryCode(Base):
    """One of ten codes for logging in without the phone; only a hash is stored, each works once."""

    __tablename__ = "recovery_codes"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    user_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    used_at: orm.Mapped[dt.datetime | None]
