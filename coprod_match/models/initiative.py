"""Neighbourhood initiatives and the professionals who are their contact."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.ext.hybrid import hybrid_property

from ..schedule import SLOT_MASK_ALL
from ..vocabulary import InitiativeStatus, Limits, OpenTo, TaskKind
from .base import Base, enum_values_check, utcnow
from .reference import InterestCategory, Language, Neighbourhood, TargetGroup
from .user import User


def _association(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        Base.metadata,
        sa.Column(
            "initiative_id", sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(column, sa.ForeignKey(target), primary_key=True),
        # The search filters by code ("initiatives for Turkish speakers"): the primary key
        # starts with the initiative, so without this the filter reads the whole table.
        sa.Index(f"ix_{name}_{column}", column, "initiative_id"),
    )


initiative_interests = _association(
    "initiative_interests", "interest_code", "interest_categories.code"
)
initiative_target_groups = _association(
    "initiative_target_groups", "target_group_code", "target_groups.code"
)
# The languages the service users speak: a volunteer who shares one can bridge the gap.
initiative_languages = _association("initiative_languages", "language_code", "languages.code")


class Initiative(Base):
    __tablename__ = "initiatives"
    __table_args__ = (
        enum_values_check("status", InitiativeStatus, "status_valid"),
        sa.CheckConstraint("volunteers_min >= 0", name="volunteers_min_not_negative"),
        sa.CheckConstraint("volunteers_ideal >= 1", name="volunteers_ideal_positive"),
        sa.CheckConstraint("volunteers_min <= volunteers_ideal", name="volunteers_min_le_ideal"),
        sa.CheckConstraint(
            f"schedule_slots BETWEEN 0 AND {SLOT_MASK_ALL}", name="schedule_slots_range"
        ),
        sa.CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week_range"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        enum_values_check("open_to", OpenTo, "open_to_valid"),
        sa.CheckConstraint(f"min_age IS NULL OR min_age BETWEEN 0 AND {Limits.AGE_MAX}", name="min_age_range"),
        sa.CheckConstraint(f"max_age IS NULL OR max_age BETWEEN 0 AND {Limits.AGE_MAX}", name="max_age_range"),
        sa.CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="min_age_le_max_age"
        ),
        # The search's default order, newest first, among the open ones.
        sa.Index("ix_initiatives_status_created_at", "status", "created_at", "id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(160))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    neighbourhood_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("neighbourhoods.id"), index=True
    )
    location: orm.Mapped[str | None] = orm.mapped_column(sa.String(200))
    status: orm.Mapped[str] = orm.mapped_column(
        sa.String(20), default=InitiativeStatus.DRAFT, index=True
    )
    schedule_slots: orm.Mapped[int] = orm.mapped_column(default=0)
    # Hours a week one volunteer is expected to give (for load and burnout checks).
    hours_per_week: orm.Mapped[int] = orm.mapped_column(default=2)
    volunteers_min: orm.Mapped[int] = orm.mapped_column(default=1)
    volunteers_ideal: orm.Mapped[int] = orm.mapped_column(default=3)
    welcomes_dutch_learners: orm.Mapped[bool] = orm.mapped_column(default=False)
    # A hard rule for matching and sign-up (open_to.py): everyone, or women or men only, and an age range.
    open_to: orm.Mapped[str] = orm.mapped_column(
        sa.String(20), default=OpenTo.EVERYONE, server_default=OpenTo.EVERYONE.value
    )
    min_age: orm.Mapped[int | None]
    max_age: orm.Mapped[int | None]
    start_date: orm.Mapped[dt.date]
    end_date: orm.Mapped[dt.date | None]
    # The language the title, description and tasks are written in (an interface language code);
    # versions in other languages are InitiativeVersion rows.
    written_in: orm.Mapped[str] = orm.mapped_column(sa.String(10), default="nl", server_default="nl")
    created_by_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    updated_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, onupdate=utcnow)

    neighbourhood: orm.Mapped[Neighbourhood] = orm.relationship()
    created_by: orm.Mapped[User | None] = orm.relationship()
    interests: orm.Mapped[list[InterestCategory]] = orm.relationship(
        secondary=initiative_interests
    )
    target_groups: orm.Mapped[list[TargetGroup]] = orm.relationship(
        secondary=initiative_target_groups
    )
    languages: orm.Mapped[list[Language]] = orm.relationship(secondary=initiative_languages)
    tasks: orm.Mapped[list[InitiativeTask]] = orm.relationship(
        back_populates="initiative",
        cascade="all, delete-orphan",
        order_by="InitiativeTask.position",
    )
    contacts: orm.Mapped[list[InitiativeContact]] = orm.relationship(
        back_populates="initiative",
        cascade="all, delete-orphan",
        order_by="InitiativeContact.starts_at",
    )
    versions: orm.Mapped[list[InitiativeVersion]] = orm.relationship(
        back_populates="initiative",
        cascade="all, delete-orphan",
        order_by="InitiativeVersion.locale",
    )

    def __repr__(self) -> str:
        return f"<Initiative {self.id} {self.title!r}>"


class InitiativeTask(Base):
    __tablename__ = "initiative_tasks"
    __table_args__ = (
        enum_values_check("kind", TaskKind, "kind_valid"),
        sa.UniqueConstraint("initiative_id", "position"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    position: orm.Mapped[int] = orm.mapped_column(default=0)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(200))
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(20), default=TaskKind.CORE)

    initiative: orm.Mapped[Initiative] = orm.relationship(back_populates="tasks")
    versions: orm.Mapped[list[InitiativeTaskVersion]] = orm.relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="InitiativeTaskVersion.locale"
    )


class InitiativeVersion(Base):
    """The initiative's title and description in another language than it was written in.

    A professional, or a co-producer who speaks the language, adds it; readers get the version in their
    language, else the original marked with its language. At most one version per language.
    """

    __tablename__ = "initiative_versions"
    __table_args__ = (
        sa.UniqueConstraint("initiative_id", "locale"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    locale: orm.Mapped[str] = orm.mapped_column(sa.String(10))
    title: orm.Mapped[str] = orm.mapped_column(sa.String(160))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    updated_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, onupdate=utcnow)

    initiative: orm.Mapped[Initiative] = orm.relationship(back_populates="versions")


class InitiativeTaskVersion(Base):
    """A task's title in another language (kept per task, so editing the task list never misaligns it)."""

    __tablename__ = "initiative_task_versions"
    __table_args__ = (sa.CheckConstraint("length(title) > 0", name="title_not_empty"),)

    task_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiative_tasks.id", ondelete="CASCADE"), primary_key=True
    )
    locale: orm.Mapped[str] = orm.mapped_column(sa.String(10), primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(200))

    task: orm.Mapped[InitiativeTask] = orm.relationship(back_populates="versions")


# The text search configuration the search document is read with on PostgreSQL (migration 0018):
# Dutch word forms ("vrouw" finds "vrouwen") on text without accents (unaccent).
SEARCH_CONFIGURATION = "coprod_dutch"


class InitiativeSearchText(Base):
    """Everything an initiative is found by, in one document: its title, description and tasks in the
    language it is written in and in every version (services/search_text.py keeps it up to date).

    The body is folded (folding.py: lower case, no accents). PostgreSQL reads it with a GIN index on
    its Dutch text search vector; SQLite with an FTS5 table over it (both made by migration 0018,
    outside the models: neither is something SQLAlchemy can describe).
    """

    __tablename__ = "initiative_search_texts"
    __table_args__ = (
        sa.Index(
            "ix_initiative_search_texts_words",
            sa.text(f"to_tsvector('{SEARCH_CONFIGURATION}'::regconfig, body)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    body: orm.Mapped[str] = orm.mapped_column(sa.Text)


class InitiativeContact(Base):
    """A period in which a professional is a contact for an initiative.

    Turnover is history: a hand-over ends one period and starts another,
    it never overwrites.
    """

    __tablename__ = "initiative_contacts"
    __table_args__ = (
        sa.CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
        # At most one open period per professional and initiative.
        sa.Index(
            "uq_initiative_contacts_open_period",
            "initiative_id",
            "professional_id",
            unique=True,
            sqlite_where=sa.text("ends_at IS NULL"),
            postgresql_where=sa.text("ends_at IS NULL"),
        ),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    initiative_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    # RESTRICT: contact history outlives the professional; their account is erased, never deleted.
    professional_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    starts_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    ends_at: orm.Mapped[dt.datetime | None]

    initiative: orm.Mapped[Initiative] = orm.relationship(back_populates="contacts")
    professional: orm.Mapped[User] = orm.relationship()

    @hybrid_property
    def is_current(self) -> bool:
        """A contact now: the period has not ended (a hand-over or leaving ends it)."""
        return self.ends_at is None

    @is_current.inplace.expression
    @classmethod
    def _is_current_expression(cls) -> sa.ColumnElement[bool]:
        return cls.ends_at.is_(None)
