"""Reads for the administrator's pages: the accounts list, and neighbourhoods by district."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..folding import fold
from ..models import Invitation, Neighbourhood, Placement, Role, User
from .paging import Page, page_of

ACCOUNTS_PER_PAGE = 50
# Longest search text kept: longer adds nothing for a name or an address.
SEARCH_MAX = 100


class AccountState(enum.StrEnum):
    """Where an account stands, as the administrator filters by it."""

    ACTIVE = "active"
    DISABLED = "disabled"
    # Made by an e-mail invitation; its owner has not finished it yet.
    PENDING = "pending"
    ERASED = "erased"


def account_state(user: User) -> AccountState:
    if user.is_erased:
        return AccountState.ERASED
    if user.is_pending:
        return AccountState.PENDING
    return AccountState.ACTIVE if user.is_enabled else AccountState.DISABLED


def _state_condition(state: AccountState) -> sa.ColumnElement[bool]:
    return {
        AccountState.ERASED: User.erased_at.is_not(None),
        AccountState.PENDING: sa.and_(User.pending_since.is_not(None), User.erased_at.is_(None)),
        AccountState.ACTIVE: sa.and_(User.is_enabled.is_(True), User.pending_since.is_(None),
                                     User.erased_at.is_(None)),
        AccountState.DISABLED: sa.and_(User.is_enabled.is_(False), User.pending_since.is_(None),
                                       User.erased_at.is_(None)),
    }[state]


def like_pattern(text: str) -> str:
    """`%text%` for LIKE with `\\` as escape: a typed % or _ matches only itself."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class AccountSearch:
    """What the administrator asked for: words in the name or e-mail address, a role, a state."""

    text: str = ""
    role: str | None = None
    state: AccountState | None = None


@dataclass(frozen=True)
class AccountList:
    """One page of accounts, and when each pending one on it is removed if nobody finishes it."""

    page: Page
    pending_until: dict[int, dt.datetime]

    @property
    def resident_ids(self) -> list[int]:
        return [user.id for user in self.page.items if user.role == Role.CITIZEN]


def _conditions(search: AccountSearch) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    text = search.text.strip()[:SEARCH_MAX]
    if text:
        # E-mail addresses are stored lower-cased; names are compared folded (no accents, folding.py).
        conditions.append(sa.or_(User.search_name.like(like_pattern(fold(text)), escape="\\"),
                                 User.email.like(like_pattern(text), escape="\\")))
    if search.role:
        conditions.append(User.role == search.role)
    if search.state:
        conditions.append(_state_condition(search.state))
    return conditions


def account_list(session: orm.Session, search: AccountSearch, *, page: int, grace_days: int) -> AccountList:
    """Accounts that fit the search, by name, 50 a page; one count and one read of pending expiries."""
    conditions = _conditions(search)
    query = sa.select(User).where(*conditions).order_by(sa.func.lower(User.display_name), User.id)
    count = sa.select(sa.func.count()).select_from(User).where(*conditions)
    found = page_of(session, query, page=page, per_page=ACCOUNTS_PER_PAGE, count=count)
    pending = [user for user in found.items if user.is_pending]
    return AccountList(found, pending_removal_dates(session, pending, grace_days=grace_days))


def pending_removal_dates(session: orm.Session, users: list[User], *, grace_days: int) -> dict[int, dt.datetime]:
    """When each pending account goes if nobody finishes it (as services/invitations/pending.py decides).

    The `pending_accounts` job removes one `grace_days` after the later of its
    creation and the end of its last invitation.
    """
    if not users:
        return {}
    last_ends = dict(session.execute(
        sa.select(Placement.citizen_id, sa.func.max(Invitation.expires_at))
        .join(Invitation, Invitation.placement_id == Placement.id)
        .where(Placement.citizen_id.in_([user.id for user in users]))
        .group_by(Placement.citizen_id)
    ).all())
    grace = dt.timedelta(days=grace_days)
    return {
        user.id: max(filter(None, (user.pending_since, last_ends.get(user.id)))) + grace
        for user in users
    }


def enabled_admin_ids(session: orm.Session) -> list[int]:
    """Administrators who can log in."""
    return list(session.scalars(
        sa.select(User.id).where(User.role == Role.ADMIN, User.is_enabled.is_(True)).order_by(User.id)))


def neighbourhoods_by_district(session: orm.Session) -> dict[str, list[Neighbourhood]]:
    """Every neighbourhood, grouped by district, both in alphabetical order."""
    districts: dict[str, list[Neighbourhood]] = {}
    for place in session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.district, Neighbourhood.name)):
        districts.setdefault(place.district, []).append(place)
    return districts
