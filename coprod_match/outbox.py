"""Sending the outbox: the scheduler's `mail_outbox` job takes due mails one by one and sends them.

Each mail is claimed in its own short transaction before it is sent: the
claim sets `claimed_until`, and only a row that nobody holds can be claimed
(on PostgreSQL the candidate is read with FOR UPDATE SKIP LOCKED, so two
senders never wait for each other; on SQLite the single writer does the
same). The claim is a conditional UPDATE either way, so two schedulers never
send one mail twice. A sender that dies mid-mail leaves a claim that ends
after CLAIM_SECONDS; then the mail is tried again (at least once, never lost).

A mail that did not go waits MAIL_RETRY_SECONDS, doubled after each try (at
most MAIL_RETRY_MAX_SECONDS), and is given up, as failed with the reason,
after MAIL_MAX_ATTEMPTS tries, or at once when the server refuses the
address for good (a 5xx answer). When the server cannot be reached, the run
stops: the other mails keep their turn for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from .mail import Transport
from .models import MailStatus, OutboxMail, utcnow

log = logging.getLogger("coprod_match.mail")

_mails = OutboxMail.__table__
# Longer than any one SMTP conversation (each step times out after MAIL_TIMEOUT seconds).
CLAIM_SECONDS = 300
# Most mails one run sends; the next run, a poll later, goes on.
RUN_LIMIT = 500


@dataclass(frozen=True)
class RetryRules:
    first_wait: int
    longest_wait: int
    max_attempts: int

    @classmethod
    def from_config(cls, config: Mapping) -> RetryRules:
        return cls(int(config["MAIL_RETRY_SECONDS"]), int(config["MAIL_RETRY_MAX_SECONDS"]),
                   int(config["MAIL_MAX_ATTEMPTS"]))

    def wait_after(self, attempts: int) -> dt.timedelta:
        """Back-off after the `attempts`-th try: 1, 2, 4... times the first wait, at most the longest."""
        return dt.timedelta(seconds=min(self.first_wait * 2 ** max(attempts - 1, 0), self.longest_wait))


def _due(now: dt.datetime):
    return sa.and_(_mails.c.status == MailStatus.PENDING, _mails.c.next_attempt_at <= now,
                   sa.or_(_mails.c.claimed_until.is_(None), _mails.c.claimed_until <= now))


def has_due_mail(session: orm.Session, *, now: dt.datetime | None = None) -> bool:
    """Whether a mail waits to be sent now (the job's cheap first question)."""
    now = now or utcnow()
    return session.scalar(sa.select(sa.exists().where(_due(now)))) or False


@dataclass(frozen=True)
class ClaimedMail:
    id: int
    kind: str
    recipient: str
    message: bytes
    attempts: int


def claim_next(engine: sa.Engine, *, now: dt.datetime) -> ClaimedMail | None:
    """Take the oldest due mail for this sender, committed before it is sent; None when none is due."""
    with engine.begin() as connection:
        candidate = connection.scalar(
            sa.select(_mails.c.id).where(_due(now))
            .order_by(_mails.c.next_attempt_at, _mails.c.id).limit(1)
            .with_for_update(skip_locked=True)
        )
        if candidate is None:
            return None
        row = connection.execute(
            sa.update(_mails).where(_mails.c.id == candidate, _due(now))
            .values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=_mails.c.attempts + 1)
            .returning(_mails.c.id, _mails.c.kind, _mails.c.recipient, _mails.c.message, _mails.c.attempts)
        ).first()
    if row is None:  # another sender took it between the two statements (SQLite); try the next one
        return claim_next(engine, now=now)
    return ClaimedMail(row.id, row.kind, row.recipient, bytes(row.message), row.attempts)


def _finish(engine: sa.Engine, mail_id: int, **values) -> None:
    with engine.begin() as connection:
        connection.execute(sa.update(_mails).where(_mails.c.id == mail_id).values(claimed_until=None, **values))


def _refused_for_good(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500 \
        and not isinstance(error, smtplib.SMTPAuthenticationError)


def _unreachable(error: Exception) -> bool:
    """The server is away (no answer at all), rather than answering no to this one mail."""
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
        return True
    # Every SMTPException is an OSError too; those are answers of a server that is there.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def send_due_mail(engine: sa.Engine, config: Mapping, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the mails that are due, one by one; counts for the run log (sent, retrying, failed)."""
    rules = RetryRules.from_config(config)
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    transport = Transport(config)
    try:
        for _ in range(RUN_LIMIT):
            moment = now or utcnow()
            mail = claim_next(engine, now=moment)
            if mail is None:
                break
            try:
                transport.send(mail.recipient, mail.message)
            except (OSError, smtplib.SMTPException) as error:
                outcome = _after_failure(engine, mail, error, rules, moment)
                counts[outcome] += 1
                if _unreachable(error):
                    break  # the server is away: the others keep their turn
                continue
            _finish(engine, mail.id, status=MailStatus.SENT, sent_at=utcnow(), message=None, last_error=None)
            counts["sent"] += 1
    finally:
        transport.close()
    return counts


def _after_failure(engine: sa.Engine, mail: ClaimedMail, error: Exception, rules: RetryRules,
                   now: dt.datetime) -> str:
    reason = f"{type(error).__name__}: {error}"[:1000]
    if _refused_for_good(error) or mail.attempts >= rules.max_attempts:
        _finish(engine, mail.id, status=MailStatus.FAILED, message=None, last_error=reason)
        # The id and kind only: never the address.
        log.warning("mail %s (%s) failed for good after %d tries: %s", mail.id, mail.kind, mail.attempts,
                    type(error).__name__)
        return "failed"
    _finish(engine, mail.id, next_attempt_at=now + rules.wait_after(mail.attempts), last_error=reason)
    log.info("mail %s (%s) will be tried again: %s", mail.id, mail.kind, type(error).__name__)
    return "retrying"


def prune_outbox(session: orm.Session, *, now: dt.datetime, keep_days: int) -> int:
    """Remove sent and failed mails older than `keep_days` (their bodies are gone already)."""
    result = session.execute(
        sa.delete(OutboxMail).where(OutboxMail.status != MailStatus.PENDING,
                                    OutboxMail.created_at < now - dt.timedelta(days=keep_days))
    )
    return result.rowcount or 0
