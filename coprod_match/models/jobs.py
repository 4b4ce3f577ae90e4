"""Scheduled-job bookkeeping: leases that keep a job single across processes, and a run log."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..vocabulary import JobOutcome
from .base import Base, enum_values_check, utcnow


class JobLease(Base):
    """Who may run a job until when; a second scheduler finds the lease taken and skips."""

    __tablename__ = "job_leases"

    job_name: orm.Mapped[str] = orm.mapped_column(sa.String(80), primary_key=True)
    holder: orm.Mapped[str] = orm.mapped_column(sa.String(120))
    expires_at: orm.Mapped[dt.datetime]


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (
        enum_values_check("outcome", JobOutcome, "outcome_valid"),
        sa.Index("ix_job_runs_job_name_started_at", "job_name", "started_at"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    job_name: orm.Mapped[str] = orm.mapped_column(sa.String(80))
    holder: orm.Mapped[str] = orm.mapped_column(sa.String(120))
    started_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    finished_at: orm.Mapped[dt.datetime | None]
    outcome: orm.Mapped[str] = orm.mapped_column(sa.String(20), default=JobOutcome.RUNNING)
    counts: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
