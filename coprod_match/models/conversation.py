"""The conversation of a placement: messages between a resident and the initiative's contact persons."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from .base import Base, utcnow
from .placement import Placement
from .user import User


class PlacementMessage(Base):
    """One message in a placement's conversation: plain text, shown escaped with its line breaks."""

    __tablename__ = "placement_messages"
    __table_args__ = (sa.Index("ix_placement_messages_placement_id_id", "placement_id", "id"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # CASCADE: the conversation belongs to the placement; only a pending account's placements are ever
    # deleted, and those can hold messages from contacts only.
    placement_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("placements.id", ondelete="CASCADE"))
    # SET NULL: an account is erased, not deleted (services/erasure.py blanks the words and keeps the row);
    # a deleted pending account cannot have written anything.
    author_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Empty once the author's account was erased: the page says the message was removed.
    body: orm.Mapped[str] = orm.mapped_column(sa.Text)
    sent_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow)

    placement: orm.Mapped[Placement] = orm.relationship()
    author: orm.Mapped[User | None] = orm.relationship()


class ConversationRead(Base):
    """How far one reader has read a placement's conversation: everything up to a message id.

    One row per reader rather than one per message, so a long conversation costs one row each side.
    """

    __tablename__ = "conversation_reads"

    placement_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), primary_key=True
    )
    reader_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The newest message id the reader has seen (not a foreign key: messages are never deleted one by one).
    read_up_to: orm.Mapped[int] = orm.mapped_column(default=0)
    read_at: orm.Mapped[dt.datetime] = orm.mapped_column(default=utcnow, onupdate=utcnow)
