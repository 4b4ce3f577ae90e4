"""Job bodies: thin wrappers around services, returning counts for the run log."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import orm

from .context import JobContext


def continuity_scan(session: orm.Session, context: JobContext) -> dict:
    from ..continuity.scan import run_scan, thresholds_from_config

    summary = run_scan(session, now=context.now, thresholds=thresholds_from_config(current_app.config))
    return summary.as_dict()


def daily_digest(session: orm.Session, context: JobContext) -> dict:
    from ..continuity.digest import send_digests

    return send_digests(session, now=context.now, since=context.previous_success_at)


def invitation_expiry(session: orm.Session, context: JobContext) -> dict:
    from ..services.invitations import expire_due

    return {"expired": expire_due(session, now=context.now)}


def invitation_reminders(session: orm.Session, context: JobContext) -> dict:
    from ..services.invitations import send_due_reminders

    return {"reminded": send_due_reminders(session, now=context.now)}


def volunteer_check_ins(session: orm.Session, context: JobContext) -> dict:
    """Ask this month's check-in of every volunteer who is due (services/check_ins/volunteers.py)."""
    from ..services.check_ins import ask_volunteers

    return {"asked": ask_volunteers(session, now=context.now)}


def matching_snapshot(session: orm.Session, context: JobContext) -> dict:
    from ..matching.facts import Weights
    from ..matching.publishing import publish_snapshot

    config = current_app.config
    published = publish_snapshot(session, Weights.from_mapping(config),
                                 turned_away_days=int(config["MATCHING_TURNED_AWAY_DAYS"]))
    return {"citizens": published.citizens, "initiatives": published.initiatives, "bytes": published.size,
            "change_id": published.change_id}


def placement_plans(session: orm.Session, context: JobContext) -> dict:
    """Make the oldest placement plan a page asked for (one per run; the job polls every few seconds)."""
    from ..matching.plan_runs import make_next_plan

    return make_next_plan(session, now=context.now)


def placement_plan_waiting(session: orm.Session) -> bool:
    from ..matching.plan_runs import has_waiting_plan

    return has_waiting_plan(session)


def expired_login_sessions(session: orm.Session, context: JobContext) -> dict:
    from ..services.sessions import remove_expired

    return {"removed": remove_expired(session, now=context.now)}


def mail_outbox(session: orm.Session, context: JobContext) -> dict:
    """Send the mails waiting in the outbox, then forget old sent and failed ones."""
    from ..outbox import prune_outbox, send_due_mail

    config = current_app.config
    counts = send_due_mail(session.get_bind(), config)
    counts["pruned"] = prune_outbox(session, now=context.now, keep_days=int(config["MAIL_OUTBOX_KEEP_DAYS"]))
    return counts


def mail_waiting(session: orm.Session) -> bool:
    from ..outbox import has_due_mail

    return has_due_mail(session)


def privacy_purge(session: orm.Session, context: JobContext) -> dict:
    """Remove what outlived its retention period; the counts per kind go to the run log."""
    from ..services.retention import RetentionPeriods, purge

    result = purge(session, now=context.now, periods=RetentionPeriods.from_config(current_app.config))
    return result.counts


def contact_check_ins(session: orm.Session, context: JobContext) -> dict:
    """From the configured day of the month on, ask the contacts not asked this month yet."""
    from ..services.contact_check_ins import ask_contacts, asking_day_reached

    if not asking_day_reached(context.now, int(current_app.config["CONTACT_CHECK_IN_DAY"])):
        return {"asked": 0}
    return {"asked": ask_contacts(session, now=context.now)}
