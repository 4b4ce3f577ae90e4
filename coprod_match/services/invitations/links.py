"""The invitation link: a signed token, single use, that names the invitation and its end.

The token is signed with itsdangerous under its own salt, so a token made
for another purpose (a password reset) never passes. It is derived again
from the invitation's id and end for the reminder, so the reminder carries
the same link. Only its SHA-256 is stored: the link is refused once the
invitation is answered, withdrawn, lapsed or past its end.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import orm

from ...models import Invitation
from ..tokens import hash_token
from .errors import LINK_EXPIRED, LINK_INVALID, InvitationLinkError
from .waiting import why_closed

INVITATION_SALT = "coprod-match/invitation-link"  # one salt per purpose: never valid as another token


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=INVITATION_SALT)


def invitation_token(invitation: Invitation, secret_key: str) -> str:
    """The link's token: signed, naming the invitation and when it ends (the same every time)."""
    return _serializer(secret_key).dumps(
        {"i": invitation.id, "e": int(invitation.expires_at.timestamp())}
    )


def invitation_from_token(
    session: orm.Session, token: str, secret_key: str, *, now: dt.datetime
) -> Invitation:
    """The invitation a link is for, while it waits for its answer; else InvitationLinkError saying why."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        raise InvitationLinkError(LINK_INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("e"), int):
        raise InvitationLinkError(LINK_INVALID)
    invitation = session.scalar(sa.select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or invitation.id != data["i"]:
        raise InvitationLinkError(LINK_INVALID)
    closed = why_closed(invitation, now)
    if closed is None and data["e"] <= now.timestamp():
        closed = LINK_EXPIRED
    if closed is not None:
        raise InvitationLinkError(closed)
    return invitation
