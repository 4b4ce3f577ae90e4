"""The conversation of a placement: the resident and the initiative's contact persons write to each other.

A conversation starts with the sign-up or the invitation (a suggestion the
resident never saw has none), and stays readable once the placement ended,
but nobody can add to it then. Who reads and who writes is decided here, for
pages and API alike:

- the resident of the placement reads and writes;
- the initiative's current contact persons read and write (a professional who
  handed the initiative over no longer sees it);
- coordinators over the initiative's area, and admins, may read (to follow up
  an alert), never write; every look by staff is logged naming the resident.

Read markers are one row per reader and conversation (`ConversationRead`): a
message is unread for everyone but its author until they open the
conversation. No Flask here but the links the notifications carry.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput, NotFound
from ..links import PageLink
from ..models import (
    ConversationRead,
    Placement,
    PlacementMessage,
    PlacementState,
    Role,
    User,
    utcnow,
)
from ..queries.initiatives import current_contact_ids
from ..queries.paging import Page, page_of
from ..vocabulary import COMMITTED_STATES, Limits
from . import access
from .audit import audit_record
from .notifications import mark_read, notify

# The page the notifications point to: one page for both sides (web/conversations.py).
THREAD_ENDPOINT = "conversations.thread"
MESSAGES_PER_PAGE = 30
NOTIFICATION_KIND = "conversation.message"

# A suggestion is the matcher's idea, not yet something the resident knows of: no conversation.
NO_CONVERSATION_STATES = frozenset({PlacementState.SUGGESTED})
# Signed up, invited, accepted, taking part or paused: both sides may still write.
OPEN_STATES = COMMITTED_STATES

# Control characters but line break and tab: a message keeps its lines, nothing else sneaks in.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class Party(enum.StrEnum):
    """How someone takes part in a conversation."""

    RESIDENT = "resident"
    CONTACT = "contact"
    OVERSEER = "overseer"  # reads only


class ConversationClosedError(DomainError):
    """The placement ended (or the reader only follows it): nothing can be added."""

    status = 409
    problem_type = "conversation-closed"
    message = _l("This conversation is closed. You can read it, but not write in it.")


@dataclass(frozen=True)
class Thread:
    """One page of a conversation as one reader sees it."""

    placement: Placement
    party: Party
    messages: Page
    # The first message that was new to the reader before this look (None: nothing was new).
    first_unread_id: int | None

    @property
    def may_write(self) -> bool:
        return may_write(self.placement, self.party)


def may_write(placement: Placement, party: Party) -> bool:
    return party in (Party.RESIDENT, Party.CONTACT) and placement.state in OPEN_STATES


def party_of(session: orm.Session, placement: Placement, actor: User) -> Party | None:
    """How `actor` takes part in this placement's conversation; None when it is not theirs to see."""
    if not actor.is_authenticated or placement.state in NO_CONVERSATION_STATES:
        return None
    if actor.role == Role.CITIZEN:
        return Party.RESIDENT if placement.citizen_id == actor.id else None
    if actor.role == Role.PROFESSIONAL:
        return Party.CONTACT if actor.id in current_contact_ids(session, placement.initiative_id) else None
    if actor.role in (Role.COORDINATOR, Role.ADMIN) and access.covers_initiative(actor, placement.initiative):
        return Party.OVERSEER
    return None


def find_conversation(session: orm.Session, placement_id: int, actor: User) -> tuple[Placement, Party]:
    """The placement and the actor's part in it; someone else's answers like a missing one."""
    placement = session.get(Placement, placement_id)
    party = party_of(session, placement, actor) if placement is not None else None
    if placement is None or party is None:
        raise NotFound()
    return placement, party


def clean_text(text: str | None) -> str:
    """The message as it is kept: line breaks made plain, spaces around it trimmed, within the limit."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidInput(_l("Write a message first."), field="text")
    if len(text) > Limits.CONVERSATION_MESSAGE:
        raise InvalidInput(_l("Use at most %(max)d characters.", max=Limits.CONVERSATION_MESSAGE), field="text")
    if _CONTROL.search(text):
        raise InvalidInput(_l("Use letters, numbers and line breaks only, no special characters."), field="text")
    return text


def read_thread(session: orm.Session, placement_id: int, *, actor: User, page: int | None = None,
                per_page: int = MESSAGES_PER_PAGE) -> Thread:
    """A page of the conversation (the newest page unless asked), oldest message first; marks it read.

    A look by staff is logged naming the resident, as every staff look at a resident's data is.
    """
    placement, party = find_conversation(session, placement_id, actor)
    in_thread = PlacementMessage.placement_id == placement.id
    total = session.scalar(sa.select(sa.func.count()).select_from(PlacementMessage).where(in_thread)) or 0
    last_page = max(1, -(-total // per_page))
    number = last_page if page is None else min(max(page, 1), last_page)
    messages = page_of(
        session,
        sa.select(PlacementMessage).where(in_thread).options(orm.joinedload(PlacementMessage.author))
        .order_by(PlacementMessage.id),
        page=number, per_page=per_page, total=total,
    )
    first_unread_id = None
    if party != Party.OVERSEER:
        first_unread_id = _first_unread(session, placement.id, actor)
        _mark_read(session, placement.id, actor)
    if actor.role != Role.CITIZEN:
        audit_record(session, "conversation.viewed", "placement", placement.id, actor=actor,
                     residents=[placement.citizen_id], initiative_id=placement.initiative_id)
    return Thread(placement, party, messages, first_unread_id)


def post_message(session: orm.Session, placement_id: int, text: str | None, *, actor: User) -> PlacementMessage:
    """Add a message and tell the other side in their inbox (the resident, or the contact persons)."""
    placement, party = find_conversation(session, placement_id, actor)
    if not may_write(placement, party):
        raise ConversationClosedError()
    message = PlacementMessage(placement_id=placement.id, author_id=actor.id, body=clean_text(text))
    session.add(message)
    session.flush()
    _mark_read(session, placement.id, actor)
    contacts = current_contact_ids(session, placement.initiative_id)
    others = contacts if party == Party.RESIDENT else [placement.citizen_id]
    notify(session, [user_id for user_id in others if user_id != actor.id], NOTIFICATION_KIND,
           PageLink(THREAD_ENDPOINT, placement_id=placement.id),
           initiative_id=placement.initiative_id, initiative_title=placement.initiative.title,
           sender_name=actor.display_name)
    return message


def _first_unread(session: orm.Session, placement_id: int, reader: User) -> int | None:
    return session.scalar(
        sa.select(sa.func.min(PlacementMessage.id)).where(
            PlacementMessage.placement_id == placement_id, _unread_by(reader)))


def _mark_read(session: orm.Session, placement_id: int, reader: User) -> None:
    newest = session.scalar(sa.select(sa.func.max(PlacementMessage.id))
                            .where(PlacementMessage.placement_id == placement_id)) or 0
    marker = session.get(ConversationRead, (placement_id, reader.id))
    if marker is None:
        session.add(ConversationRead(placement_id=placement_id, reader_id=reader.id, read_up_to=newest))
    elif marker.read_up_to < newest:
        marker.read_up_to, marker.read_at = newest, utcnow()
    # The inbox's notices about this conversation are read too, so the next message mails again.
    mark_read(session, reader.id, PageLink(THREAD_ENDPOINT, placement_id=placement_id))
    session.flush()


def _unread_by(reader: User) -> sa.ColumnElement[bool]:
    """Messages someone else wrote after the reader's marker (no marker: never opened)."""
    read_up_to = (
        sa.select(ConversationRead.read_up_to)
        .where(ConversationRead.placement_id == PlacementMessage.placement_id,
               ConversationRead.reader_id == reader.id)
        .scalar_subquery()
    )
    return sa.and_(
        sa.or_(PlacementMessage.author_id.is_(None), PlacementMessage.author_id != reader.id),
        PlacementMessage.id > sa.func.coalesce(read_up_to, 0),
    )


def unread_counts(session: orm.Session, reader: User, placement_ids) -> dict[int, int]:
    """How many messages are new to `reader`, per placement, in one query (placements without any left out)."""
    ids = set(placement_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(PlacementMessage.placement_id, sa.func.count())
        .where(PlacementMessage.placement_id.in_(ids), _unread_by(reader))
        .group_by(PlacementMessage.placement_id)
    )
    return {placement_id: count for placement_id, count in rows}


def has_conversation(placement: Placement) -> bool:
    """Whether the placement has a conversation at all (pages show its link only then)."""
    return placement.state not in NO_CONVERSATION_STATES
