"""The showcase resident's signed check-in link, for `flask demo logins` to print.

The seed stores the hash of a real token for Ayşe's current question
(monthly.py keeps it open; writer.py signs it with the app's key). The token
is made again here from the row: the same placement, month and end under the
same key sign to the same token, so nothing secret is stored, and once she
has answered the link is refused like any used one.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from ..links import page_url
from ..models import Placement, User, VolunteerCheckIn
from ..services.check_ins.links import check_in_token
from ..services.tokens import hash_token
from .accounts import TURKISH_RESIDENT_EMAIL


def showcase_check_in_link(session: orm.Session, secret_key: str, *, now: dt.datetime) -> str | None:
    """The address of Ayşe's open check-in, or None once answered, expired or never seeded."""
    waiting = session.scalars(
        sa.select(VolunteerCheckIn)
        .join(Placement, Placement.id == VolunteerCheckIn.placement_id)
        .join(User, User.id == Placement.citizen_id)
        .where(User.email == TURKISH_RESIDENT_EMAIL, VolunteerCheckIn.answered_at.is_(None),
               VolunteerCheckIn.expires_at > now)
        .order_by(VolunteerCheckIn.month.desc())
    )
    for check_in in waiting:
        token = check_in_token(check_in.placement_id, check_in.month, check_in.expires_at, secret_key)
        if hash_token(token) == check_in.token_hash:
            return page_url("check_ins.by_link", token=token)
    return None
