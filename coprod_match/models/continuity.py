"""Continuity alerts raised by the scheduled scan, with their lifecycle and notes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..vocabulary import AlertKind, AlertStatus
from .base import Base, enum_values_check, utcnow
from .initiative import Initiative
from .reference import Neighbourhood
from .user import User


class ContinuityAlert(Base):
    __tablename__ = "continuity_alerts"
    __table_args__ = (
        enum_values_check("kind", AlertKind, "kind_valid"),
        enum_values_check("status", AlertStatus, "status_valid"),
        sa.CheckConstraint(
            "initiative_id IS NOT NULL OR citizen_id IS NOT NULL", name="has_subject"
        ),
        sa.CheckConstraint(
            "(status = 'resolved') = (resolved_at IS NOT NULL)", name="resolved_has_time"
        ),
        sa.CheckConstraint("last_seen_at >= first_seen_at", name="seen_in_order"),
        # One unresolved alert per condition, even when two scans race.
        sa.Index(
            "uq_continuity_alerts_unresolved_condition",
            "condition_key",
            unique=True,
            sqlite_where=sa.text("status <> 'resolved'"),
            postgresql_where=sa.text("status <> 'resolved'"),
        ),
        sa.Index("ix_continuity_alerts_status_kind", "status", "kind"),
        sa.Index("ix_continuity_alerts_status_neighbourhood", "status", "neighbourhood_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    # Identifies the condition, e.g. "single_volunteer:i12"; stable across scans.
    condition_key: orm.Mapped[str] = orm.mapped_column(sa.String(120), index=True)
    initiative_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    citizen_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Where the alert belongs: its initiative's neighbourhood, or the volunteer's home. Kept by
    # the scan (so the dashboard filters and sorts one table instead of joining three).
    neighbourhood_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    status: orm.Mapped[str] = orm.mapped_column(sa.String(20), default=AlertStatus.OPEN)
    severity: orm.Mapped[int] = orm.mapped_column(default=1)
    details: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    first_seen_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    last_seen_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    acknowledged_at: orm.Mapped[dt.datetime | None]
    resolved_at: orm.Mapped[dt.datetime | None]
    assignee_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # When a condition returns after being resolved, the new alert points at the old one.
    previous_alert_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("continuity_alerts.id", ondelete="SET NULL")
    )

    initiative: orm.Mapped[Initiative | None] = orm.relationship()
    neighbourhood: orm.Mapped[Neighbourhood | None] = orm.relationship()
    citizen: orm.Mapped[User | None] = orm.relationship(foreign_keys=[citizen_id])
    assignee: orm.Mapped[User | None] = orm.relationship(foreign_keys=[assignee_id])
    notes: orm.Mapped[list[AlertNote]] = orm.relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="AlertNote.id"
    )


class AlertNote(Base):
    __tablename__ = "alert_notes"
    __table_args__ = (sa.CheckConstraint("length(body) > 0", name="body_not_empty"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    alert_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("continuity_alerts.id", ondelete="CASCADE"), index=True
    )
    author_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    body: orm.Mapped[str] = orm.mapped_column(sa.Text)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)

    alert: orm.Mapped[ContinuityAlert] = orm.relationship(back_populates="notes")
    author: orm.Mapped[User | None] = orm.relationship()
