"""Personal API tokens: created and shown once, stored as a hash, revoked by their owner."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import DomainError, InvalidInput, NotAllowed
from ..models import ApiToken, User, utcnow
from ..vocabulary import Limits
from .audit import audit_record
from .tokens import hash_token

TOKEN_PREFIX = "cpm_"  # noqa: S105 (a prefix, recognisable in logs and by secret scanners)
# The new-token form still reads the limit from here.
# How stale last_used_at may get: a write at most this often, not on every request.
LAST_USED_GRANULARITY = dt.timedelta(hours=1)


class TokenError(DomainError):
    """A token request that cannot be honoured."""


class TokenNameError(TokenError, InvalidInput):
    """No name, or one too long to show on the tokens page."""


class TokenOwnerDisabledError(TokenError, NotAllowed):
    message = _l("This account is disabled.")


def create_api_token(session: orm.Session, owner: User, name: str, *, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns the record and the token itself (shown only this once)."""
    name = " ".join(name.split())
    if not name:
        raise TokenNameError(_l("Give the token a name, for example the program that uses it."), field="name")
    if len(name) > Limits.API_TOKEN_NAME:
        raise TokenNameError(_l("Use at most %(max)d characters.", max=Limits.API_TOKEN_NAME), field="name")
    if not owner.is_enabled:
        raise TokenOwnerDisabledError()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=owner.id, name=name, token_hash=hash_token(token), created_at=utcnow())
    session.add(record)
    session.flush()
    audit_record(session, "api_token.created", "api_token", record.id, actor=actor, user_id=owner.id)
    return record, token


def revoke_api_token(session: orm.Session, record: ApiToken, *, actor: User | None) -> ApiToken:
    """Stop a token from working; revoking twice is harmless."""
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
        audit_record(session, "api_token.revoked", "api_token", record.id, actor=actor, user_id=record.user_id)
    return record


def tokens_of(session: orm.Session, owner: User) -> list[ApiToken]:
    """The owner's tokens, live ones first, newest first."""
    return list(session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == owner.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def user_for_token(session: orm.Session, token: str, *, now: dt.datetime | None = None) -> User | None:
    """The enabled account a live token belongs to, or None.

    Notes the use (at most once per LAST_USED_GRANULARITY) in a short
    transaction of its own, like a job's lease: the note stays when the
    request is then refused, and no lock is held while the request works.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.execute(
        sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.is_enabled:
        return None
    now = now or utcnow()
    record = row.ApiToken
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_GRANULARITY:
        with session.get_bind(ApiToken.__mapper__).begin() as connection:
            connection.execute(sa.update(ApiToken).where(ApiToken.id == record.id).values(last_used_at=now))
    return row.User


def revoke_all_api_tokens(session: orm.Session, owner: User, *, actor: User | None) -> int:
    """Stop every live token of `owner` (offered with a new password); returns how many."""
    live = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None)))
    count = 0
    for record in live:
        revoke_api_token(session, record, actor=actor)
        count += 1
    return count


def live_token_count(session: orm.Session, owner: User) -> int:
    """How many of the owner's tokens still work."""
    return session.scalar(
        sa.select(sa.func.count()).select_from(ApiToken)
        .where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
    ) or 0
