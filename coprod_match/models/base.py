"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy import orm

# Stable constraint names make migrations reviewable and identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Current time, timezone-aware in UTC (the only time zone stored)."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp that is always stored and returned as timezone-aware UTC.

    PostgreSQL keeps the zone (timestamptz); SQLite stores naive text, so the
    zone is attached again when reading.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def enum_values_check(column: str, enum_cls: type[enum.Enum], name: str) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column within a StrEnum's values."""
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return sa.CheckConstraint(f"{column} IN ({values})", name=name)


class Base(orm.DeclarativeBase):
    # Every `Mapped[datetime]` column is a UTCDateTime.
    registry = orm.registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UTCDateTime()},
    )
