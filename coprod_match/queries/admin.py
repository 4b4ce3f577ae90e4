"""Reads for the administrator's pages: accounts by role, neighbourhoods by district."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import Neighbourhood, User


def users_by_role(role: str | None = None) -> sa.Select:
    """Accounts ordered by role and name, optionally of one role."""
    # Pending invited accounts are nobody's business until their owner completes them.
    query = sa.select(User).where(User.pending_since.is_(None)).order_by(User.role, User.display_name, User.id)
    if role:
        query = query.where(User.role == role)
    return query


def neighbourhoods_by_district(session: orm.Session) -> dict[str, list[Neighbourhood]]:
    """Every neighbourhood, grouped by district, both in alphabetical order."""
    districts: dict[str, list[Neighbourhood]] = {}
    for place in session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.district, Neighbourhood.name)):
        districts.setdefault(place.district, []).append(place)
    return districts
