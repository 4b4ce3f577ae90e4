"""`flask privacy ...`: the retention purge by hand, the twin of the daily `privacy_purge` job."""

from __future__ import annotations

import datetime as dt
import textwrap

import click
from flask import current_app
from flask.cli import AppGroup

from ..models import utcnow
from ..services.retention import ACCOUNT_KINDS, KINDS, PurgeResult, RetentionPeriods, purge
from .common import command_unit

privacy_cli = AppGroup("privacy", help="Personal data: retention.")

# What each kind is, for people reading the output.
KIND_LABELS = {
    "placement_texts": "notes and messages of ended placements (blanked)",
    "placement_event_reasons": "reasons in the history of ended placements (blanked)",
    "check_in_notes": "check-in notes of ended placements (blanked)",
    "volunteer_check_in_comments": "comments on volunteers' monthly check-ins (blanked)",
    "contact_check_in_comments": "comments on contact persons' monthly check-ins (blanked)",
    "invitation_messages": "messages of ended invitations (blanked)",
    "conversation_messages": "conversations of ended placements (blanked)",
    "alert_notes": "notes on resolved continuity alerts (blanked)",
    "notifications": "in-app messages",
    "audit_entries": "audit log entries",
    "job_runs": "scheduler run log entries",
    "volunteer_check_ins": "volunteers' monthly check-ins",
    "contact_check_ins": "contact persons' monthly check-ins",
    "pending_accounts": "pending accounts whose invitations ended",
    "inactivity_warnings_withdrawn": "inactivity warnings withdrawn (logged in since)",
    "inactive_accounts_warned": "unused accounts warned by mail",
    "inactive_accounts_erased": "unused accounts erased after the warning",
}


def _moment(value: str | None) -> dt.datetime:
    if value is None:
        return utcnow()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date and time like 2027-06-01T03:00:00Z.", param_hint="'--now'") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed; change nothing.")
@click.option("--now", "now_text", metavar="ISO",
              help="Act as if it were this moment (UTC unless a zone is given); to look ahead, with --dry-run.")
def purge_command(dry_run: bool, now_text: str | None) -> None:
    """Remove personal data that outlived its retention period (README, "Retention")."""
    now = _moment(now_text)
    periods = RetentionPeriods.from_config(current_app.config)
    with command_unit() as session:
        result = purge(session, now=now, periods=periods, dry_run=dry_run)
    for line in report_lines(result):
        click.echo(line)


def report_lines(result: PurgeResult) -> list[str]:
    """The purge's counts by kind, and the accounts by id, as lines for an operator."""
    if result.dry_run:
        heading = f"Dry run as of {result.now.isoformat()}: nothing was changed. It would remove:"
    else:
        heading = f"Purge as of {result.now.isoformat()}: removed"
    width = max(len(label) for label in KIND_LABELS.values())
    lines = [heading]
    for kind in KINDS:
        lines.append(f"  {KIND_LABELS[kind].ljust(width)}  {result.counts.get(kind, 0):>7}")
        ids = result.account_ids.get(kind) if kind in ACCOUNT_KINDS else None
        if ids:
            lines.extend(textwrap.wrap(f"account ids: {', '.join(str(user_id) for user_id in ids)}", width=100,
                                       initial_indent="    ", subsequent_indent="      "))
    lines.append(f"  {'total'.ljust(width)}  {result.total:>7}")
    return lines
