"""Consents as records: what a person agreed to (or said no to), to which text, when and how.

The citizen profile's `consent_to_contact` stays the fast current answer that
matching and search read; services/consents.py is the only writer of both,
so the record and the column never disagree.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, enum_values_check, utcnow


class ConsentKind(enum.StrEnum):
    PRIVACY_STATEMENT = "privacy_statement"  # read and accepted the privacy statement
    INVITATIONS = "invitations"  # "professionals may invite me personally"


class ConsentSource(enum.StrEnum):
    SELF = "self"  # the person, on a page or through the API
    IN_PERSON = "in_person"  # asked in person by a professional (recorded_by), for one invitation
    IMPORTED = "imported"  # an organisation's list said so: an intention, never consent


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (
        enum_values_check("kind", ConsentKind, "kind_valid"),
        enum_values_check("source", ConsentSource, "source_valid"),
        sa.CheckConstraint("length(version) = 64", name="version_is_sha256"),
        # Only an invitation can be agreed to in person, and only for that one invitation.
        sa.CheckConstraint("source <> 'in_person' OR (kind = 'invitations' AND invitation_id IS NOT NULL)",
                           name="in_person_is_one_invitation"),
        # The person's latest answer of a kind: one indexed read.
        sa.Index("ix_consents_user_id_kind_given_at", "user_id", "kind", "given_at"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    user_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    # True: yes. False: an explicit no, which nothing may override.
    granted: orm.Mapped[bool]
    # SHA-256 (hex) of the text the person was shown, and the language it was shown in.
    version: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    locale: orm.Mapped[str] = orm.mapped_column(sa.String(10))
    given_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)
    source: orm.Mapped[str] = orm.mapped_column(sa.String(20))
    # The professional who asked in person, or the staff member who imported the list.
    recorded_by_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The organisation whose list was imported (imported only).
    organisation: orm.Mapped[str | None] = orm.mapped_column(sa.String(160))
    # The one invitation an in-person yes was for (goes with it).
    invitation_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    withdrawn_at: orm.Mapped[dt.datetime | None]

    def __repr__(self) -> str:
        return f"<Consent {self.id} {self.kind} {self.source} {'yes' if self.granted else 'no'}>"
