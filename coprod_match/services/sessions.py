"""Login sessions: start one at login, find it again for each request, end it.

The cookie carries a random key; the row (`models.LoginSession`) decides
whether it still works, so ending a login is deleting its row. A normal
login ends `idle` after it was last used and at most `absolute` after it
began; "stay logged in" (citizens only) ends `remembered` after it began.
`last_seen_at` is written at most once a minute, in the request's own unit of
work, so a page view is not a write (and on SQLite no second connection waits
for the request's lock).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import LoginSession, Role, User, utcnow
from .audit import audit_record
from .tokens import hash_token

KEY_BYTES = 32
LAST_SEEN_GRANULARITY = dt.timedelta(minutes=1)
# Longest "stay logged in", whatever the configuration says.
MAX_REMEMBERED = dt.timedelta(days=30)


@dataclass(frozen=True)
class SessionLifetimes:
    absolute: dt.timedelta
    idle: dt.timedelta
    remembered: dt.timedelta

    @classmethod
    def from_config(cls, config: Mapping) -> SessionLifetimes:
        return cls(
            absolute=dt.timedelta(hours=int(config["LOGIN_SESSION_HOURS"])),
            idle=dt.timedelta(minutes=int(config["LOGIN_SESSION_IDLE_MINUTES"])),
            remembered=min(dt.timedelta(days=int(config["REMEMBER_ME_DAYS"])), MAX_REMEMBERED),
        )


def may_stay_logged_in(user: User) -> bool:
    """Only residents may stay logged in: staff see many residents' data."""
    return user.role == Role.CITIZEN


def _end_of_use(record: LoginSession, lifetimes: SessionLifetimes, now: dt.datetime) -> dt.datetime:
    if record.remembered:
        return record.created_at + lifetimes.remembered
    return min(record.created_at + lifetimes.absolute, now + lifetimes.idle)


def start_login_session(
    session: orm.Session, user: User, *, device: tuple[str, str], remember: bool,
    lifetimes: SessionLifetimes, now: dt.datetime | None = None,
) -> tuple[LoginSession, str]:
    """A new login for `user`; returns the row and the key for the cookie (never stored)."""
    now = now or utcnow()
    key = secrets.token_urlsafe(KEY_BYTES)
    browser, platform = device
    record = LoginSession(
        user_id=user.id, key_hash=hash_token(key), browser=browser[:40], platform=platform[:40],
        remembered=remember and may_stay_logged_in(user), created_at=now, last_seen_at=now,
    )
    record.expires_at = _end_of_use(record, lifetimes, now)
    session.add(record)
    session.flush()
    return record, key


def login_session_for_key(
    session: orm.Session, key: str, *, lifetimes: SessionLifetimes, now: dt.datetime | None = None,
) -> LoginSession | None:
    """The live login this cookie key belongs to, with its enabled user; None otherwise.

    An expired row found here is deleted (the job removes the ones nobody brings back).
    """
    if not key or len(key) > 100:
        return None
    record = session.scalar(
        sa.select(LoginSession).join(LoginSession.user).options(orm.contains_eager(LoginSession.user))
        .where(LoginSession.key_hash == hash_token(key))
    )
    if record is None:
        return None
    user = record.user
    now = now or utcnow()
    if record.expires_at <= now:
        session.delete(record)
        return None
    if not user.is_enabled:
        return None
    if now - record.last_seen_at >= LAST_SEEN_GRANULARITY:
        record.last_seen_at = now
        record.expires_at = _end_of_use(record, lifetimes, now)
    return record


def sessions_of(session: orm.Session, user: User, *, now: dt.datetime | None = None) -> list[LoginSession]:
    """The person's live logins, most recently used first."""
    return list(session.scalars(
        sa.select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.expires_at > (now or utcnow()))
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    ))


def own_login_session(session: orm.Session, user: User, login_session_id: int) -> LoginSession | None:
    """One of the person's own logins; someone else's is None, like one that does not exist."""
    record = session.get(LoginSession, login_session_id)
    if record is None or record.user_id != user.id:
        return None
    return record


def end_login_session(session: orm.Session, record: LoginSession) -> None:
    """Log out one login (the cookie that carries its key stops working)."""
    session.delete(record)
    session.flush()


def end_other_sessions(session: orm.Session, user: User, *, keep: LoginSession | None,
                       actor: User | None) -> int:
    """Log `user` out everywhere except `keep`; returns how many logins ended."""
    query = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    ended = session.execute(query).rowcount
    audit_record(session, "account.sessions_ended", "user", user.id, actor=actor, count=ended,
                 kept_current=keep is not None)
    return ended


def end_all_sessions(session: orm.Session, user: User, *, actor: User | None = None) -> int:
    """Log `user` out everywhere: after a password reset, or when the account is disabled."""
    return end_other_sessions(session, user, keep=None, actor=actor)


def stop_remembering(record: LoginSession, lifetimes: SessionLifetimes, now: dt.datetime | None = None) -> None:
    """Turn "stay logged in" off for this login: it now ends like a normal one."""
    now = now or utcnow()
    if record.remembered:
        record.remembered = False
        record.expires_at = _end_of_use(record, lifetimes, now)


def remove_expired(session: orm.Session, *, now: dt.datetime) -> int:
    """Delete logins that ended by time: the scheduler's `expired_login_sessions` job."""
    return session.execute(sa.delete(LoginSession).where(LoginSession.expires_at <= now)).rowcount
