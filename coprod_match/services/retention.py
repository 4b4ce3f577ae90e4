"""Retention: personal data is kept no longer than its purpose needs.

One function, `purge`, finds for a moment `now` what has outlived its period
and, unless it is a dry run, removes it. Each kind is one set-based selection
(a WHERE clause); the dry run counts it, the real run updates or deletes
with the same clause, so the real run removes exactly what the dry run
listed, and a second run finds nothing (blanked text no longer matches,
removed rows are gone, a warned account is not warned twice).

Monthly check-ins (volunteers' and contacts') are counted from the month
they are about, not from a placement's end: the comment is blanked after
RETENTION_CHECK_IN_COMMENT_MONTHS, the answer itself deleted after
RETENTION_CHECK_IN_MONTHS. Attendance minutes live on `placement_check_ins`
and a contact's thanks on the placement: they are kept as the placement is.

The periods come from the RETENTION_* settings (config.py; the README says
why each default). What other jobs already clear is left to them: logins
that ended (`expired_login_sessions`), sent mails (`mail_outbox`), old
plans and the matching change log (the matching jobs).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from ..links import page_url
from ..mail import send_in_language
from ..models import (
    FINAL_STATES,
    AlertNote,
    AuditEntry,
    ContactCheckIn,
    ContinuityAlert,
    Invitation,
    JobOutcome,
    JobRun,
    Notification,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementMessage,
    Role,
    User,
    VolunteerCheckIn,
)
from ..vocabulary import LOCAL_ZONE, PLACE_HOLDING_STATES
from .audit import audit_record
from .erasure import ERASED_TEXT, erase_account
from .invitations.pending import expired_pending_accounts, remove_pending_accounts

# The kinds a purge reports, in the order it handles them (the CLI prints them so).
KINDS = (
    "placement_texts",
    "placement_event_reasons",
    "check_in_notes",
    "volunteer_check_in_comments",
    "contact_check_in_comments",
    "invitation_messages",
    "conversation_messages",
    "alert_notes",
    "notifications",
    "audit_entries",
    "job_runs",
    "volunteer_check_ins",
    "contact_check_ins",
    "pending_accounts",
    "inactivity_warnings_withdrawn",
    "inactive_accounts_warned",
    "inactive_accounts_erased",
)
# Accounts loaded at once: far below SQLite's limit of bound values in one statement.
_BATCH = 500
# Kinds whose account ids a dry run lists.
ACCOUNT_KINDS = ("pending_accounts", "inactive_accounts_warned", "inactive_accounts_erased")


@dataclass(frozen=True)
class RetentionPeriods:
    """How long each kind of data is kept (RETENTION_* and PENDING_ACCOUNT_GRACE_DAYS)."""

    free_text_months: int = 12
    notification_months: int = 6
    audit_months: int = 60
    job_run_months: int = 3
    pending_grace_days: int = 7
    # An imported resident's pending account waits for its welcome link (WELCOME_LINK_DAYS) before the grace.
    welcome_days: int = 0
    inactive_months: int = 24
    inactivity_grace_days: int = 30
    check_in_comment_months: int = 12
    check_in_months: int = 24

    @classmethod
    def from_config(cls, config: Mapping) -> RetentionPeriods:
        return cls(
            free_text_months=int(config["RETENTION_FREE_TEXT_MONTHS"]),
            notification_months=int(config["RETENTION_NOTIFICATION_MONTHS"]),
            audit_months=12 * int(config["RETENTION_AUDIT_YEARS"]),
            job_run_months=int(config["RETENTION_JOB_RUN_MONTHS"]),
            pending_grace_days=int(config["PENDING_ACCOUNT_GRACE_DAYS"]),
            welcome_days=int(config["WELCOME_LINK_DAYS"]),
            inactive_months=int(config["RETENTION_INACTIVE_ACCOUNT_MONTHS"]),
            inactivity_grace_days=int(config["RETENTION_INACTIVITY_GRACE_DAYS"]),
            check_in_comment_months=int(config["RETENTION_CHECK_IN_COMMENT_MONTHS"]),
            check_in_months=int(config["RETENTION_CHECK_IN_MONTHS"]),
        )


@dataclass
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove): a count per kind, and the accounts by id."""

    now: dt.datetime
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    account_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_gone_before(now: dt.datetime, months: int) -> dt.date:
    """The first month (its first local day) NOT yet `months` whole months past at `now`.

    A check-in's `month` is the first day of the local month it is about: one
    about a month before this date ended at least `months` months ago. At
    1 December 2026 with 12 months: 1 December 2025, so November 2025 and older.
    """
    local = months_before(now.astimezone(LOCAL_ZONE), months)
    return local.date().replace(day=1)


# --- what each kind selects: one WHERE clause per kind -----------------------------------


def _ended_placements(cutoff: dt.datetime):
    return sa.select(Placement.id).where(Placement.state.in_(sorted(FINAL_STATES)),
                                         Placement.state_changed_at < cutoff)


def _ended_invitation(cutoff: dt.datetime):
    # Answered, withdrawn or expired, whichever came first, before the cutoff (the cutoff is in the past,
    # so an invitation whose link ran out before it has ended even without an answer).
    return sa.func.coalesce(Invitation.answered_at, Invitation.revoked_at, Invitation.expires_at) < cutoff


def _free_text_rules(cutoff: dt.datetime, check_in_month: dt.date) -> dict[str, tuple[type, sa.ColumnElement, dict]]:
    """Free text that outlived its use: table, which rows, and the values that blank them (rows stay)."""
    ended = _ended_placements(cutoff)
    resolved_alerts = sa.select(ContinuityAlert.id).where(ContinuityAlert.resolved_at < cutoff)
    return {
        "placement_texts": (
            Placement,
            sa.and_(Placement.id.in_(ended),
                    sa.or_(Placement.end_note.is_not(None), Placement.citizen_message.is_not(None))),
            {"end_note": None, "citizen_message": None},
        ),
        "placement_event_reasons": (
            PlacementEvent,
            sa.and_(PlacementEvent.placement_id.in_(ended), PlacementEvent.reason.is_not(None)),
            {"reason": None},
        ),
        "check_in_notes": (
            PlacementCheckIn,
            sa.and_(PlacementCheckIn.placement_id.in_(ended), PlacementCheckIn.note.is_not(None)),
            {"note": None},
        ),
        # A check-in's comment may say how someone feels (health, strain): kept for a year of follow-up.
        "volunteer_check_in_comments": (
            VolunteerCheckIn,
            sa.and_(VolunteerCheckIn.month < check_in_month, VolunteerCheckIn.comment.is_not(None)),
            {"comment": None},
        ),
        "contact_check_in_comments": (
            ContactCheckIn,
            sa.and_(ContactCheckIn.month < check_in_month, ContactCheckIn.comment.is_not(None)),
            {"comment": None},
        ),
        "invitation_messages": (
            Invitation,
            sa.and_(_ended_invitation(cutoff), Invitation.message != ""),
            {"message": ""},
        ),
        # The conversation of an ended placement: the rows stay, so the other side sees "removed".
        "conversation_messages": (
            PlacementMessage,
            sa.and_(PlacementMessage.placement_id.in_(ended), PlacementMessage.body != ""),
            {"body": ""},
        ),
        # Coordinators' notes may say why a volunteer stopped; a note cannot be empty, so it keeps a dash.
        "alert_notes": (
            AlertNote,
            sa.and_(AlertNote.alert_id.in_(resolved_alerts), AlertNote.body != ERASED_TEXT),
            {"body": ERASED_TEXT},
        ),
    }


def _row_rules(now: dt.datetime, periods: RetentionPeriods) -> dict[str, tuple[type, sa.ColumnElement]]:
    """Rows removed whole once old: table and which rows."""
    return {
        "notifications": (Notification, Notification.created_at < months_before(now, periods.notification_months)),
        # The residents an entry names (audit_log_residents) go with it: ON DELETE CASCADE.
        "audit_entries": (AuditEntry, AuditEntry.at < months_before(now, periods.audit_months)),
        "job_runs": (JobRun, sa.and_(JobRun.started_at < months_before(now, periods.job_run_months),
                                     JobRun.outcome != JobOutcome.RUNNING)),
        # The answers feed trends over two years on the dashboard; after that they go, asked or answered.
        "volunteer_check_ins": (
            VolunteerCheckIn, VolunteerCheckIn.month < months_gone_before(now, periods.check_in_months)),
        "contact_check_ins": (
            ContactCheckIn, ContactCheckIn.month < months_gone_before(now, periods.check_in_months)),
    }


def _last_seen():
    return sa.func.coalesce(User.last_login_at, User.created_at)


def _unused_accounts(now: dt.datetime, periods: RetentionPeriods) -> sa.ColumnElement:
    """Accounts nobody logged in to for the period: never admins, nor pending or erased ones.

    A resident who takes part in an initiative now (accepted, active, paused)
    keeps the account whether or not they log in: their professional records
    what they do, and the placement still needs them.
    """
    taking_part = sa.select(Placement.id).where(Placement.citizen_id == User.id,
                                                Placement.state.in_(sorted(PLACE_HOLDING_STATES)))
    return sa.and_(
        User.role != Role.ADMIN,
        User.erased_at.is_(None),
        User.pending_since.is_(None),
        _last_seen() < months_before(now, periods.inactive_months),
        ~taking_part.exists(),
    )


def _account_rules(now: dt.datetime, periods: RetentionPeriods) -> dict[str, sa.ColumnElement]:
    unused = _unused_accounts(now, periods)
    warned = User.inactivity_warned_at.is_not(None)
    return {
        # Warned, then logged in or started taking part: the warning no longer holds.
        "inactivity_warnings_withdrawn": sa.and_(warned, ~unused),
        "inactive_accounts_warned": sa.and_(unused, ~warned),
        # Warned at least the grace period ago, and no login since the warning.
        "inactive_accounts_erased": sa.and_(
            unused, warned,
            User.inactivity_warned_at <= now - dt.timedelta(days=periods.inactivity_grace_days),
            _last_seen() < User.inactivity_warned_at,
        ),
    }


# --- the purge ---------------------------------------------------------------------------


def purge(session: orm.Session, *, now: dt.datetime, periods: RetentionPeriods,
          dry_run: bool = False) -> PurgeResult:
    """Remove (or with `dry_run` only count) what outlived its retention period at `now`; flushes, never commits.

    Rows are handled before accounts: an account's removal takes its rows
    with it, which would make the real run's counts differ from the dry run's.
    A real run that removed anything records one `privacy.purged` audit entry with the counts.
    """
    result = PurgeResult(now=now, dry_run=dry_run)
    cutoff = months_before(now, periods.free_text_months)
    check_in_month = months_gone_before(now, periods.check_in_comment_months)
    for kind, (model, where, blank) in _free_text_rules(cutoff, check_in_month).items():
        result.counts[kind] = _count(session, model, where) if dry_run else _rowcount(
            session, sa.update(model).where(where).values(**blank))
    for kind, (model, where) in _row_rules(now, periods).items():
        result.counts[kind] = _count(session, model, where) if dry_run else _rowcount(
            session, sa.delete(model).where(where))

    pending = list(session.scalars(expired_pending_accounts(session, now=now, grace_days=periods.pending_grace_days,
                                                            welcome_days=periods.welcome_days)))
    accounts = {kind: _ids(session, where) for kind, where in _account_rules(now, periods).items()}
    result.account_ids = {"pending_accounts": pending, **{kind: accounts[kind] for kind in ACCOUNT_KINDS[1:]}}
    result.counts["pending_accounts"] = len(pending)
    result.counts.update({kind: len(ids) for kind, ids in accounts.items()})
    if not dry_run:
        _apply_to_accounts(session, now, periods, pending, accounts)
        if result.total:
            audit_record(session, "privacy.purged", "retention", None, actor=None, **result.counts)
    session.expire_all()
    return result


def _apply_to_accounts(session: orm.Session, now: dt.datetime, periods: RetentionPeriods, pending: list[int],
                       accounts: dict[str, list[int]]) -> None:
    remove_pending_accounts(session, pending)
    for user in _users(session, accounts["inactivity_warnings_withdrawn"]):
        user.inactivity_warned_at = None
    for user in _users(session, accounts["inactive_accounts_warned"]):
        user.inactivity_warned_at = now
        send_inactivity_warning(session, user, erase_after=now + dt.timedelta(days=periods.inactivity_grace_days))
    for user in _users(session, accounts["inactive_accounts_erased"]):
        erase_account(session, user, actor=None, reason="inactive")
    session.flush()


def send_inactivity_warning(session: orm.Session, user: User, *, erase_after: dt.datetime) -> None:
    """Tell the owner, in their language, that the account will be erased unless they log in before the date."""
    send_in_language(session, user.email, user.preferred_locale, "inactive_account",
                     lambda: _("Your coprod-match account will be removed"),
                     user=user, erase_after=erase_after, login_link=page_url("auth.login"))


def _users(session: orm.Session, ids: list[int]) -> Iterator[User]:
    """The accounts with these ids, a batch at a time (the first run on a city may find thousands)."""
    for start in range(0, len(ids), _BATCH):
        batch = sa.select(User).where(User.id.in_(ids[start:start + _BATCH])).order_by(User.id)
        yield from session.scalars(batch).all()


def _ids(session: orm.Session, where: sa.ColumnElement) -> list[int]:
    return list(session.scalars(sa.select(User.id).where(where).order_by(User.id)))


def _count(session: orm.Session, model: type, where: sa.ColumnElement) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(where))


def _rowcount(session: orm.Session, statement) -> int:
    return session.execute(statement, execution_options={"synchronize_session": False}).rowcount
