"""Stored placement plans: a plan is asked for, made by a job outside any request, and kept.

A solve of a whole city takes seconds, far too long for a page. A page asks
for a plan (a row in `queued`), the scheduler's job makes it (`running`,
then `done` or `failed`) and stores its rows, and pages show the stored rows
with the plan's age. At most one plan waits per scope (the city, or one
district): asking again while one is waiting joins it.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy import orm

from ..vocabulary import Limits
from .base import Base, enum_values_check, utcnow


class PlanState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# Still to be made: a page says "being made" and offers a refresh.
WAITING_PLAN_STATES = frozenset({PlanState.QUEUED, PlanState.RUNNING})
CITY_SCOPE = "city"


def scope_key(district: str | None) -> str:
    """One key per scope: 'city', or 'district:<name>'; the unique index keeps one waiting plan per key."""
    return CITY_SCOPE if district is None else f"district:{district}"


class PlanRun(Base):
    """One placement plan: who asked, when it was made, from which inputs, and its figures."""

    __tablename__ = "plan_runs"
    __table_args__ = (
        enum_values_check("state", PlanState, "state_valid"),
        # Asking again while a plan waits joins it, even when two people ask at the same moment.
        sa.Index(
            "uq_plan_runs_queued_scope",
            "scope_key",
            unique=True,
            sqlite_where=sa.text("state = 'queued'"),
            postgresql_where=sa.text("state = 'queued'"),
        ),
        sa.Index("ix_plan_runs_scope_key_state", "scope_key", "state"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # None: the whole city.
    district: orm.Mapped[str | None] = orm.mapped_column(sa.String(Limits.DISTRICT))
    scope_key: orm.Mapped[str] = orm.mapped_column(sa.String(Limits.DISTRICT + 10))
    requested_by_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    started_at: orm.Mapped[dt.datetime | None]
    finished_at: orm.Mapped[dt.datetime | None]
    state: orm.Mapped[str] = orm.mapped_column(sa.String(20), default=PlanState.QUEUED)
    # What the plan was made from: weights and limits, and how many people and initiatives there were.
    inputs: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    # The plan's figures (Plan.summary()) and how long each stage took.
    summary: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    row_count: orm.Mapped[int] = orm.mapped_column(default=0)
    error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    rows: orm.Mapped[list[PlanRow]] = orm.relationship(
        back_populates="plan_run", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanRow.position",
    )

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_PLAN_STATES


class PlanRow(Base):
    """One proposed placement of a stored plan, in the plan's order (best first)."""

    __tablename__ = "plan_rows"

    plan_run_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("plan_runs.id", ondelete="CASCADE"), primary_key=True
    )
    position: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=False)
    # A resident who erases their data, or an initiative that is deleted, leaves the plan.
    citizen_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    score: orm.Mapped[float]
    # [{"code": ..., "params": {...}}]: the words are chosen when the row is shown.
    reasons: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)

    plan_run: orm.Mapped[PlanRun] = orm.relationship(back_populates="rows")
