"""Reads about invitations: the linking-pin funnel and the follow-up lists.

Every count is one grouped SELECT (no query per row), the same on SQLite and
PostgreSQL. "Still active after 3 months" counts invitations accepted at least
three months ago whose volunteer became active and was still active or paused
three months after saying yes (still at it now, or ended later than that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.ext.compiler import compiles

from ..models import (
    Initiative,
    Invitation,
    InvitationAnswer,
    Neighbourhood,
    Placement,
    PlacementState,
    Role,
    User,
)
from ..models.user import erased_person_name

RETENTION_DAYS = 91  # three months
S = PlacementState


class days_between(sa.sql.functions.FunctionElement):
    """Days from the first timestamp to the second, as a float, on either database."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


@dataclass(frozen=True)
class FunnelRow:
    key: int | None
    label: str
    sent: int = 0
    opened: int = 0
    accepted: int = 0
    declined: int = 0
    expired: int = 0
    # Accepted at least three months ago: the base for the next figure.
    accepted_long_ago: int = 0
    still_active_after_3_months: int = 0

    @property
    def waiting(self) -> int:
        return self.sent - self.accepted - self.declined - self.expired


COUNTS = tuple(f.name for f in fields(FunnelRow) if f.name not in ("key", "label"))


def _count(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _count_columns(now: dt.datetime) -> list[sa.ColumnElement[int]]:
    accepted = Invitation.answer == InvitationAnswer.ACCEPTED
    long_ago = sa.and_(accepted, Invitation.answered_at <= now - dt.timedelta(days=RETENTION_DAYS))
    stayed = sa.and_(
        long_ago,
        Placement.last_activity_at.is_not(None),  # it did become active
        sa.or_(
            Placement.state.in_((S.ACTIVE, S.PAUSED)),
            sa.and_(Placement.state == S.ENDED,
                    days_between(Invitation.answered_at, Placement.state_changed_at) >= RETENTION_DAYS),
        ),
    )
    return [
        sa.func.count(Invitation.id).label("sent"),
        sa.func.count(Invitation.opened_at).label("opened"),
        _count(accepted).label("accepted"),
        _count(Invitation.answer == InvitationAnswer.DECLINED).label("declined"),
        _count(Placement.state == S.EXPIRED).label("expired"),
        _count(long_ago).label("accepted_long_ago"),
        _count(stayed).label("still_active_after_3_months"),
    ]


GROUPS = ("initiative", "sender", "neighbourhood")


def funnel(
    session: orm.Session,
    *,
    group_by: str,
    now: dt.datetime,
    sender_id: int | None = None,
    initiative_ids: list[int] | None = None,
    district: str | None = None,
) -> list[FunnelRow]:
    """Invitation counts per initiative, per sending professional or per neighbourhood."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    sender = orm.aliased(User)
    key, label = {
        "initiative": (Initiative.id, Initiative.title),
        # An erased sender's row holds no name: the label is left empty and worded below.
        "sender": (Invitation.sender_id, sa.case((sender.erased_at.is_not(None), sa.null()),
                                                 else_=sender.display_name)),
        "neighbourhood": (Neighbourhood.id, Neighbourhood.name),
    }[group_by]
    query = (
        sa.select(key.label("key"), label.label("label"), *_count_columns(now))
        .select_from(Invitation)
        .join(Placement, Placement.id == Invitation.placement_id)
        .join(Initiative, Initiative.id == Placement.initiative_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == Initiative.neighbourhood_id)
        .outerjoin(sender, sender.id == Invitation.sender_id)
        .group_by(key, label)
        .order_by(label)
    )
    if sender_id is not None:
        query = query.where(Invitation.sender_id == sender_id)
    if initiative_ids is not None:
        query = query.where(Placement.initiative_id.in_(initiative_ids or [0]))
    if district is not None:
        query = query.where(Neighbourhood.district == district)
    return [
        FunnelRow(key=row.key, label=row.label or _former_sender(group_by, row.key), **{name: int(getattr(row, name)) for name in COUNTS})
        for row in session.execute(query)
    ]


def total(rows: list[FunnelRow], label: str) -> FunnelRow:
    return FunnelRow(key=None, label=label, **{name: sum(getattr(r, name) for r in rows) for name in COUNTS})


def invitations_for_initiative(session: orm.Session, initiative_id: int, *, limit: int = 200) -> list[Invitation]:
    """The follow-up list: newest first, with the citizen, the sender and the placement loaded."""
    return list(session.scalars(
        sa.select(Invitation)
        .join(Placement, Placement.id == Invitation.placement_id)
        .where(Placement.initiative_id == initiative_id)
        .options(orm.contains_eager(Invitation.placement).joinedload(Placement.citizen),
                 orm.joinedload(Invitation.sender))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
        .limit(limit)
    ))


def invitation_status(invitation: Invitation, now: dt.datetime) -> str:
    """One word for the list: waiting, accepted, declined, expired or withdrawn."""
    if invitation.answer:
        return invitation.answer
    if invitation.placement.state == S.EXPIRED or (
        invitation.revoked_at is None and invitation.expires_at <= now
    ):
        return "expired"
    if invitation.revoked_at is not None or invitation.placement.state != S.INVITED:
        return "withdrawn"
    return "waiting"


def _former_sender(group_by: str, key) -> str:
    """A row of an erased professional's invitations says whose they were without a name."""
    return erased_person_name(Role.PROFESSIONAL) if group_by == "sender" and key is not None else ""
