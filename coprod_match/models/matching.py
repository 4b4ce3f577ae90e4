"""What matching keeps in the database so that every app process on every machine stays current.

`MatchingChange` is a log of stored changes that matching must read again
(a profile, a placement, an initiative), written in the same transaction as
the change itself. `PublishedSnapshot` is a whole matching snapshot as a
compact file, built by the scheduler, that workers map instead of building
one themselves.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow

# 64-bit on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is already 64-bit (and must stay a rowid).
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class MatchingChange(Base):
    """One change matching must see: read this citizen and/or this initiative again."""

    __tablename__ = "matching_changes"
    # AUTOINCREMENT on SQLite: ids never come back after old rows are pruned, so a reader's cursor holds.
    __table_args__ = {"sqlite_autoincrement": True}

    id: orm.Mapped[int] = orm.mapped_column(BIG_ID, primary_key=True)
    citizen_id: orm.Mapped[int | None]
    initiative_id: orm.Mapped[int | None]
    changed_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, index=True)


class PublishedSnapshot(Base):
    """A matching snapshot built by the scheduler, as the file workers map (see matching/store.py)."""

    __tablename__ = "matching_snapshots"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    built_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    # Every change up to this one is in the snapshot.
    change_id: orm.Mapped[int] = orm.mapped_column(sa.BigInteger)
    citizens: orm.Mapped[int]
    initiatives: orm.Mapped[int]
    size: orm.Mapped[int]
    data: orm.Mapped[bytes] = orm.mapped_column(sa.LargeBinary, deferred=True)
