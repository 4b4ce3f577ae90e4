"""Account lockout: after repeated wrong passwords an account is locked for a growing time.

The rate limiter (limits.py) slows down one address and one typed e-mail
address; the lockout protects one account, wherever the attempts come from,
and lives in the database, so it holds across workers and machines and when
Redis is away. During a lock even the right password does not log in, and
the login page answers exactly as for a wrong password: nobody learns that
the account exists or is locked. The owner gets a mail in their language.

A wrong password is recorded in a short transaction of its own, once the
unit of work that saw it has ended: the login page answers a failure with
422, so the request's transaction rolls back, and the count must survive
that. Waiting for the end means the request's own locks are gone, so the
second connection never waits for the first (SQLite would say "database is
locked").
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from ..links import page_url
from ..mail import send_in_language
from ..models import LoginLockout, User, utcnow
from ..transaction import unit_of_work
from .audit import audit_record

log = logging.getLogger("coprod_match.lockout")

_PENDING_KEY = "coprod_match.wrong_passwords"


@dataclass(frozen=True)
class LockoutRules:
    """How many wrong passwords in a row lock an account, and for how long."""

    failures_to_lock: int = 5
    # The first lock lasts the first number of minutes, the next one the second, ...; then the last.
    lock_minutes: tuple[int, ...] = (1, 5, 15, 60)
    # Failures and locks older than this are forgotten: the count starts again.
    forget_after: dt.timedelta = dt.timedelta(hours=24)

    @classmethod
    def from_config(cls, config) -> LockoutRules:
        minutes = tuple(int(part) for part in str(config["LOGIN_LOCKOUT_MINUTES"]).split(",") if part.strip())
        return cls(
            failures_to_lock=int(config["LOGIN_LOCKOUT_AFTER_FAILURES"]),
            lock_minutes=minutes or cls.lock_minutes,
            forget_after=dt.timedelta(hours=int(config["LOGIN_LOCKOUT_FORGET_HOURS"])),
        )

    def minutes_for(self, lockouts_before: int) -> int:
        """Length of the next lock, after `lockouts_before` locks in a row."""
        return self.lock_minutes[min(lockouts_before, len(self.lock_minutes) - 1)]


def rules() -> LockoutRules:
    return LockoutRules.from_config(current_app.config)


def allows_login(session: orm.Session, user: User, *, password_right: bool) -> bool:
    """Whether this login attempt may go on; records a wrong password, forgets them after a right one.

    The caller checks the password first, always, so a locked account costs
    the same time as any other.
    """
    now = utcnow()
    record = session.get(LoginLockout, user.id)
    if record is not None and record.locked_until is not None and record.locked_until > now:
        return False  # attempts during a lock do not count: an attacker cannot make it longer
    if password_right:
        if record is not None:
            session.delete(record)
        return True
    if user.is_enabled and user.password_hash is not None:
        session.info.setdefault(_PENDING_KEY, []).append((user.id, now))
    return False


@sa.event.listens_for(orm.Session, "after_transaction_end")
def _record_when_the_unit_of_work_ends(session: orm.Session, transaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint; wait for the outermost transaction
    for user_id, at in session.info.pop(_PENDING_KEY, None) or ():
        try:
            record_wrong_password(session.get_bind(), user_id, now=at)
        except Exception:
            # The login was refused all the same; only this count is lost.
            log.exception("a wrong password could not be recorded for user %s", user_id)


def record_wrong_password(bind, user_id: int, *, now: dt.datetime | None = None) -> bool:
    """Count one wrong password for this account in its own transaction; True when it locked the account."""
    now = now or utcnow()
    policy = rules()
    with orm.Session(bind=bind) as own, unit_of_work(own):
        record = _locked_row(own, user_id, now)
        if now - record.last_failed_at > policy.forget_after:
            record.failed_logins = 0
            record.lockouts = 0
        record.failed_logins += 1
        record.last_failed_at = now
        if record.failed_logins < policy.failures_to_lock:
            return False
        minutes = policy.minutes_for(record.lockouts)
        record.failed_logins = 0
        record.lockouts += 1
        record.locked_until = now + dt.timedelta(minutes=minutes)
        user = own.get(User, user_id)
        audit_record(own, "account.locked", "user", user_id, actor=None, minutes=minutes)
        _mail_owner(own, user, policy.failures_to_lock, minutes)
        return True


def clear(session: orm.Session, user: User) -> None:
    """Forget failures and any lock: the owner proved who they are (a new password)."""
    session.execute(sa.delete(LoginLockout).where(LoginLockout.user_id == user.id))


def locked_until(session: orm.Session, user: User) -> dt.datetime | None:
    """When the account's current lock ends, or None when it is not locked."""
    record = session.get(LoginLockout, user.id)
    if record is None or record.locked_until is None or record.locked_until <= utcnow():
        return None
    return record.locked_until


def _locked_row(session: orm.Session, user_id: int, now: dt.datetime) -> LoginLockout:
    """The account's row, created if missing, locked against other workers counting at the same time."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginLockout)
        .values(user_id=user_id, failed_logins=0, lockouts=0, last_failed_at=now)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        sa.select(LoginLockout).where(LoginLockout.user_id == user_id).with_for_update()
    ).one()


def _mail_owner(session: orm.Session, user: User, failures: int, minutes: int) -> None:
    send_in_language(session, user.email, user.preferred_locale, "login_locked",
                     lambda: _("Someone tried to log in to your account"),
                     user=user, failures=failures, minutes=minutes,
                     reset_link=page_url("auth.forgot_password"))
