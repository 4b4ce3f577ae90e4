"""Accounts: every person who logs in, whatever their role."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import orm

from ..folding import fold
from ..lazy_text import lazy_text as _l
from ..vocabulary import Role
from .base import Base, enum_values_check, utcnow
from .reference import Language, Neighbourhood

if TYPE_CHECKING:
    from .citizen import CitizenProfile


# What pages and the API call an erased person, in the reader's language (the row holds no name).
ERASED_PERSON_NAMES = {
    Role.CITIZEN: _l("a former volunteer"),
    Role.PROFESSIONAL: _l("a former contact person"),
}
ERASED_STAFF_NAME = _l("a former staff member")


def erased_person_name(role: str) -> str:
    """The translated placeholder for an erased account with this role."""
    return str(ERASED_PERSON_NAMES.get(role, ERASED_STAFF_NAME))


# Where a professional or coordinator works: a set of neighbourhoods (a whole
# district is all of its neighbourhoods).
user_work_areas = sa.Table(
    "user_work_areas",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "neighbourhood_id", sa.ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True
    ),
)

# The languages a professional speaks with residents (issue 15: the article's Schilderswijk initiative
# worked because its professionals shared the residents' languages). Shown on an initiative's page for
# its contacts and searchable; gone with the account (CASCADE, and erasure clears it).
user_languages = sa.Table(
    "user_languages",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("language_code", sa.ForeignKey("languages.code"), primary_key=True),
    # "Contact persons who speak Arabic": the search filters by language first.
    sa.Index("ix_user_languages_language_code", "language_code", "user_id"),
)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        # Stored lower-cased, so the unique constraint is case-insensitive.
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        enum_values_check("role", Role, "role_valid"),
        sa.CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),
        # A pending account can neither log in nor be seen until its owner completes it.
        sa.CheckConstraint(
            "pending_since IS NULL OR (password_hash IS NULL AND NOT is_enabled)",
            name="pending_not_usable",
        ),
        # An erased account can never log in again.
        sa.CheckConstraint(
            "erased_at IS NULL OR (password_hash IS NULL AND NOT is_enabled)",
            name="erased_not_usable",
        ),
        # A name anywhere in the folded name ("ayse" in "ayse yilmaz"): a trigram index serves
        # `search_name LIKE '%ayse%'`. PostgreSQL only (pg_trgm); SQLite scans.
        # (Written as an expression, as an index SQLite cannot have must be, for Alembic to skip it there.)
        sa.Index(
            "ix_users_search_name_trgm", sa.text("search_name"),
            postgresql_using="gin", postgresql_ops={"search_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    email: orm.Mapped[str] = orm.mapped_column(sa.String(254), unique=True)
    # Null for an account that has no password yet (e.g. a pending invited citizen).
    password_hash: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    role: orm.Mapped[str] = orm.mapped_column(sa.String(20), index=True)
    display_name: orm.Mapped[str] = orm.mapped_column(sa.String(120))
    # The display name folded for searching (folding.py: "Ayşe Öztürk" -> "ayse ozturk"), set with
    # every change of the name by the event below. Null only for rows written around the ORM.
    search_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(120))
    preferred_locale: orm.Mapped[str] = orm.mapped_column(sa.String(10), default="nl")
    organisation: orm.Mapped[str | None] = orm.mapped_column(sa.String(160))
    is_enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    last_login_at: orm.Mapped[dt.datetime | None]
    # Set while the account exists only because a professional invited this address by
    # e-mail; the person completes it from the invitation link (see services/invitations/answering.py).
    pending_since: orm.Mapped[dt.datetime | None]
    # A phone number the person chose to give, for contact persons to reach them (free form).
    phone: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    # Staff: a work e-mail address residents taking part may use (the login address stays private).
    work_email: orm.Mapped[str | None] = orm.mapped_column(sa.String(254))
    # Residents: what the contact persons of initiatives they are accepted in may see. Off until the
    # resident chooses: by default they are reached through the conversation on the site only.
    shares_phone: orm.Mapped[bool] = orm.mapped_column(default=False, server_default=sa.false())
    shares_email: orm.Mapped[bool] = orm.mapped_column(default=False, server_default=sa.false())
    # Set when the account was erased: the row stays, anonymous, for the history others need.
    erased_at: orm.Mapped[dt.datetime | None]
    # A coordinator who works for the whole city, not only their own districts (set by an admin).
    is_municipal: orm.Mapped[bool] = orm.mapped_column(default=False, server_default=sa.false())
    # When the retention job warned that this unused account will be erased.
    inactivity_warned_at: orm.Mapped[dt.datetime | None]

    work_areas: orm.Mapped[list[Neighbourhood]] = orm.relationship(
        secondary=user_work_areas, order_by=Neighbourhood.name
    )
    citizen_profile: orm.Mapped[CitizenProfile | None] = orm.relationship(
        back_populates="user", uselist=False
    )
    spoken_languages: orm.Mapped[list[Language]] = orm.relationship(
        secondary=user_languages, order_by=Language.code
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot log in
        return self.is_enabled

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def shown_name(self) -> str:
        """The name to show others: the person's own, or "a former volunteer" once erased."""
        return erased_person_name(self.role) if self.is_erased else self.display_name

    @property
    def is_pending(self) -> bool:
        return self.pending_since is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


@sa.event.listens_for(User.display_name, "set")
def _fold_search_name(user: User, name: str | None, _old, _initiator) -> None:
    # Every way a name is written (registration, account details, admin edit, import, erasure)
    # sets display_name on the object, so the folded copy can never lag behind.
    user.search_name = fold(name)[:120] if name else None
