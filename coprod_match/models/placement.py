"""A citizen's place in an initiative, its history, check-ins and invitations."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..vocabulary import (
    FINAL_STATES,
    LIVE_STATES,
    CameThrough,
    CheckInKind,
    DeclineReason,
    EndReason,
    InvitationAnswer,
    PlacementState,
)
from .base import Base, enum_values_check, utcnow
from .initiative import Initiative
from .user import User

_FINAL_SQL = ", ".join(f"'{state.value}'" for state in sorted(FINAL_STATES))


class Placement(Base):
    __tablename__ = "placements"
    __table_args__ = (
        enum_values_check("state", PlacementState, "state_valid"),
        enum_values_check("came_through", CameThrough, "came_through_valid"),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ("
            + ", ".join(f"'{reason.value}'" for reason in EndReason)
            + ")",
            name="end_reason_valid",
        ),
        # At most one live placement per citizen and initiative; ended ones stay as history.
        sa.Index(
            "uq_placements_live_citizen_initiative",
            "citizen_id",
            "initiative_id",
            unique=True,
            sqlite_where=sa.text(f"state NOT IN ({_FINAL_SQL})"),
            postgresql_where=sa.text(f"state NOT IN ({_FINAL_SQL})"),
        ),
        sa.Index("ix_placements_initiative_id_state", "initiative_id", "state"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # RESTRICT: a placement is also the initiative's history, so an account that took part is
    # erased (services/erasure.py), never deleted; only a pending account's placements are
    # deleted, explicitly, with it (services/invitations/pending.py). See docs/erasure.md.
    citizen_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    state: orm.Mapped[str] = orm.mapped_column(sa.String(20))
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    state_changed_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    # When the citizen started (or will start) helping, once accepted.
    starts_on: orm.Mapped[dt.date | None]
    last_activity_at: orm.Mapped[dt.datetime | None]
    end_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    end_note: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    citizen_message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    # How the volunteer came in (CameThrough): set when the placement starts, never changed.
    # Only a server default: bulk loads that leave it out get 'own' too.
    came_through: orm.Mapped[str] = orm.mapped_column(sa.String(20), server_default=CameThrough.OWN.value)

    citizen: orm.Mapped[User] = orm.relationship()
    initiative: orm.Mapped[Initiative] = orm.relationship()
    events: orm.Mapped[list[PlacementEvent]] = orm.relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="PlacementEvent.id"
    )

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class PlacementEvent(Base):
    """One move of a placement: from which state to which, by whom, when and why."""

    __tablename__ = "placement_events"
    __table_args__ = (
        sa.CheckConstraint(
            "from_state IS NULL OR from_state IN ("
            + ", ".join(f"'{state.value}'" for state in PlacementState)
            + ")",
            name="from_state_valid",
        ),
        enum_values_check("to_state", PlacementState, "to_state_valid"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    from_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(20))
    to_state: orm.Mapped[str] = orm.mapped_column(sa.String(20))
    actor_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    reason: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    placement: orm.Mapped[Placement] = orm.relationship(back_populates="events")
    actor: orm.Mapped[User | None] = orm.relationship()


class PlacementCheckIn(Base):
    """Evidence that an active volunteer is still involved (feeds the inactivity alert):
    an attendance tick by the contact, "I helped today", or a monthly check-in's "yes"."""

    __tablename__ = "placement_check_ins"
    __table_args__ = (enum_values_check("kind", CheckInKind, "kind_valid"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    recorded_by_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    note: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    # Time given that day, when someone recorded it (the recognition statement adds these up).
    minutes: orm.Mapped[int | None]


class Invitation(Base):
    """A professional's personal invitation to a citizen; the link carries a signed token."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint("expires_at > sent_at", name="expires_after_sent"),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ("
            + ", ".join(f"'{answer.value}'" for answer in InvitationAnswer)
            + ")",
            name="answer_valid",
        ),
        sa.CheckConstraint(
            "decline_reason IS NULL OR decline_reason IN ("
            + ", ".join(f"'{reason.value}'" for reason in DeclineReason)
            + ")",
            name="decline_reason_valid",
        ),
        sa.CheckConstraint(
            "(answer IS NULL) = (answered_at IS NULL)", name="answer_has_time"
        ),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    sender_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    message: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    # Only a hash of the token is kept, so a leaked table cannot be replayed and a token can be revoked.
    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    sent_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    expires_at: orm.Mapped[dt.datetime]
    opened_at: orm.Mapped[dt.datetime | None]
    reminded_at: orm.Mapped[dt.datetime | None]
    answered_at: orm.Mapped[dt.datetime | None]
    answer: orm.Mapped[str | None] = orm.mapped_column(sa.String(20))
    decline_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(30))
    revoked_at: orm.Mapped[dt.datetime | None]

    placement: orm.Mapped[Placement] = orm.relationship()
    sender: orm.Mapped[User | None] = orm.relationship()
