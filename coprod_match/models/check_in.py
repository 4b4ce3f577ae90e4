"""Monthly check-ins: how volunteers and contact professionals feel, and thanks on a statement.

A `VolunteerCheckIn` is one month's question to an active volunteer about one
placement: the row is made when the question is sent (by mail with a signed
link, and shown in the app), and filled in when it is answered. Unanswered
rows are what the response rates and the "not answering" alert count.
A `ContactCheckIn` is the same for a contact professional and one initiative.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..vocabulary import SCALE_MAX, SCALE_MIN, Burden, StillHelping
from .base import Base, utcnow
from .initiative import Initiative
from .placement import Placement
from .user import User


def _scale_check(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR {column} BETWEEN {SCALE_MIN} AND {SCALE_MAX}", name=f"{column}_on_scale"
    )


class VolunteerCheckIn(Base):
    __tablename__ = "volunteer_check_ins"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "month"),
        sa.CheckConstraint(
            "still_helping IS NULL OR still_helping IN ("
            + ", ".join(f"'{answer.value}'" for answer in StillHelping) + ")",
            name="still_helping_valid",
        ),
        _scale_check("appreciated"),
        _scale_check("supported"),
        _scale_check("too_much"),
        sa.CheckConstraint("(answered_at IS NULL) = (still_helping IS NULL)", name="answer_is_whole"),
        sa.Index("ix_volunteer_check_ins_month", "month"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE")
    )
    # The first day of the (local) month the question is about.
    month: orm.Mapped[dt.date]
    asked_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    # SHA-256 of the signed link's token; the link works once, until `expires_at`.
    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    expires_at: orm.Mapped[dt.datetime]
    answered_at: orm.Mapped[dt.datetime | None]
    # 'link' (the mailed link, without logging in) or 'app' (logged in).
    answered_via: orm.Mapped[str | None] = orm.mapped_column(sa.String(10))
    still_helping: orm.Mapped[str | None] = orm.mapped_column(sa.String(10))
    # Five-point scales, 1 = not at all ... 5 = very much.
    appreciated: orm.Mapped[int | None] = orm.mapped_column(sa.SmallInteger)
    supported: orm.Mapped[int | None] = orm.mapped_column(sa.SmallInteger)
    too_much: orm.Mapped[int | None] = orm.mapped_column(sa.SmallInteger)
    comment: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    placement: orm.Mapped[Placement] = orm.relationship()


class ContactCheckIn(Base):
    __tablename__ = "contact_check_ins"
    __table_args__ = (
        sa.UniqueConstraint("initiative_id", "professional_id", "month"),
        sa.CheckConstraint(
            "burden IS NULL OR burden IN ("
            + ", ".join(f"'{answer.value}'" for answer in Burden) + ")",
            name="burden_valid",
        ),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        sa.Index("ix_contact_check_ins_month", "month"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    professional_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    month: orm.Mapped[dt.date]
    asked_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    answered_at: orm.Mapped[dt.datetime | None]
    # Hours spent on the initiative this month.
    hours: orm.Mapped[int | None]
    burden: orm.Mapped[str | None] = orm.mapped_column(sa.String(10))
    needs_help: orm.Mapped[bool | None]
    comment: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    initiative: orm.Mapped[Initiative] = orm.relationship()
    professional: orm.Mapped[User] = orm.relationship()


class PlacementThanks(Base):
    """The contact's sentence of thanks on a volunteer's recognition statement (one per placement)."""

    __tablename__ = "placement_thanks"

    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: orm.Mapped[int | None] = orm.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sentence: orm.Mapped[str] = orm.mapped_column(sa.Text)
    written_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)

    placement: orm.Mapped[Placement] = orm.relationship()
    author: orm.Mapped[User | None] = orm.relationship()
