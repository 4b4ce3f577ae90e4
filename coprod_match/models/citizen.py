"""What a citizen tells us about themselves, used for matching."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm

from ..schedule import SLOT_MASK_ALL
from ..vocabulary import Gender, LanguageLevel, Limits
from .base import Base, enum_values_check, utcnow
from .reference import InterestCategory, Language, Neighbourhood

if TYPE_CHECKING:
    from .user import User


citizen_interests = sa.Table(
    "citizen_interests",
    Base.metadata,
    sa.Column(
        "citizen_id", sa.ForeignKey("citizen_profiles.user_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("interest_code", sa.ForeignKey("interest_categories.code"), primary_key=True),
)


class CitizenProfile(Base):
    __tablename__ = "citizen_profiles"
    __table_args__ = (
        sa.CheckConstraint(
            f"availability_slots BETWEEN 0 AND {SLOT_MASK_ALL}", name="availability_slots_range"
        ),
        sa.CheckConstraint(
            "max_hours_per_week IS NULL OR max_hours_per_week BETWEEN 1 AND 60",
            name="max_hours_per_week_range",
        ),
        sa.CheckConstraint("max_initiatives BETWEEN 1 AND 10", name="max_initiatives_range"),
        sa.CheckConstraint(
            "NOT consent_to_contact OR consent_given_at IS NOT NULL", name="consent_has_time"
        ),
        sa.CheckConstraint(
            "gender IS NULL OR gender IN ({})".format(", ".join(f"'{g.value}'" for g in Gender)),
            name="gender_valid",
        ),
        # A wide, fixed range: the forms check the sane one (not in the future, not over AGE_MAX).
        sa.CheckConstraint(
            f"birth_year IS NULL OR birth_year BETWEEN {Limits.BIRTH_YEAR_MIN} AND 2200",
            name="birth_year_range",
        ),
    )

    user_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    neighbourhood_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("neighbourhoods.id"), index=True
    )
    wants_to_practise_dutch: orm.Mapped[bool] = orm.mapped_column(default=False)
    # Weekly availability: a bitmask over 7 days x 3 parts of the day (see schedule.py).
    availability_slots: orm.Mapped[int] = orm.mapped_column(default=0)
    max_hours_per_week: orm.Mapped[int | None]
    max_initiatives: orm.Mapped[int] = orm.mapped_column(default=2)
    consent_to_contact: orm.Mapped[bool] = orm.mapped_column(default=False)
    consent_given_at: orm.Mapped[dt.datetime | None]
    # Optional, and used only for initiatives open to one group or an age range (open_to.py).
    gender: orm.Mapped[str | None] = orm.mapped_column(sa.String(20))
    birth_year: orm.Mapped[int | None]
    updated_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, onupdate=utcnow)

    user: orm.Mapped[User] = orm.relationship(back_populates="citizen_profile")
    neighbourhood: orm.Mapped[Neighbourhood | None] = orm.relationship()
    interests: orm.Mapped[list[InterestCategory]] = orm.relationship(secondary=citizen_interests)
    languages: orm.Mapped[list[CitizenLanguage]] = orm.relationship(
        back_populates="citizen", cascade="all, delete-orphan"
    )


class CitizenLanguage(Base):
    """A language a citizen speaks, with how well."""

    __tablename__ = "citizen_languages"
    __table_args__ = (enum_values_check("level", LanguageLevel, "level_valid"),)

    citizen_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("citizen_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    language_code: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("languages.code"), primary_key=True
    )
    level: orm.Mapped[str] = orm.mapped_column(sa.String(20))

    citizen: orm.Mapped[CitizenProfile] = orm.relationship(back_populates="languages")
    language: orm.Mapped[Language] = orm.relationship()
