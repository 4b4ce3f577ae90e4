"""The audit log: who did what to which record, and when, and which residents it concerned."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # Null for the system itself (scheduled jobs, CLI without a user).
    actor_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: orm.Mapped[str] = orm.mapped_column(sa.String(60))
    entity_type: orm.Mapped[str] = orm.mapped_column(sa.String(40))
    entity_id: orm.Mapped[int | None]
    at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, index=True)
    # Identifiers and codes only: never free text or personal data.
    details: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)

    residents: orm.Mapped[list[AuditResident]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AuditResident.citizen_id"
    )

    @property
    def resident_ids(self) -> list[int]:
        return [resident.citizen_id for resident in self.residents]


class AuditResident(Base):
    """A resident an audit entry concerns: what lets a resident see who looked at their data.

    A row per resident rather than a list in `details`, so "every look at
    resident X" is one indexed read.
    """

    __tablename__ = "audit_log_residents"
    __table_args__ = (sa.Index("ix_audit_log_residents_entry_id", "entry_id"),)

    citizen_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True
    )
