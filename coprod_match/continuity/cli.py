"""`flask continuity ...`: run the scan by hand, list alerts, send the digest."""

from __future__ import annotations

import datetime as dt
import json

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import AlertStatus, ContinuityAlert, utcnow
from ..transaction import unit_of_work
from .scan import run_scan, thresholds_from_config

continuity_cli = AppGroup("continuity", help="Continuity alerts: scan, list, digest.")


def parse_moment(value: str | None) -> dt.datetime:
    """An ISO 8601 moment from the command line; without a zone it is taken as UTC."""
    if value is None:
        return utcnow()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date and time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


_now_option = click.option(
    "--now", "now_text", metavar="ISO", help="Pretend it is this moment (default: now; UTC if no zone)."
)


@continuity_cli.command("scan")
@_now_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def scan_command(now_text: str | None, as_json: bool) -> None:
    """Check every initiative and volunteer; open, keep and resolve alerts."""
    now = parse_moment(now_text)
    with unit_of_work() as session:
        summary = run_scan(session, now=now, thresholds=thresholds_from_config(current_app.config))
    result = summary.as_dict()
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))
        return
    click.echo(f"Continuity scan at {now.isoformat(timespec='seconds')}: "
               f"{summary.opened} opened, {summary.kept} kept, {summary.resolved} resolved.")
    for kind, counts in result["by_kind"].items():
        click.echo(f"  {kind:<20} opened {counts['opened']:>5}  kept {counts['kept']:>5}  "
                   f"resolved {counts['resolved']:>5}")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@continuity_cli.command("alerts")
@click.option("--status", type=click.Choice([s.value for s in AlertStatus] + ["unresolved"]),
              help="Only alerts with this status (default: all).")
@click.option("--kind", help="Only alerts of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def alerts_command(status: str | None, kind: str | None, as_json: bool) -> None:
    """List continuity alerts, oldest first."""
    query = sa.select(ContinuityAlert).order_by(ContinuityAlert.id)
    if status == "unresolved":
        query = query.where(ContinuityAlert.status != AlertStatus.RESOLVED)
    elif status:
        query = query.where(ContinuityAlert.status == status)
    if kind:
        query = query.where(ContinuityAlert.kind == kind)
    alerts = [
        {"id": a.id, "kind": a.kind, "initiative_id": a.initiative_id, "citizen_id": a.citizen_id,
         "status": a.status, "severity": a.severity, "first_seen": _iso(a.first_seen_at),
         "last_seen": _iso(a.last_seen_at), "resolved_at": _iso(a.resolved_at),
         "previous_alert_id": a.previous_alert_id}
        for a in db.session.scalars(query)
    ]
    if as_json:
        click.echo(json.dumps(alerts))
        return
    if not alerts:
        click.echo("No alerts.")
    for a in alerts:
        subject = (f"initiative {a['initiative_id']}" if a["initiative_id"] is not None
                   else f"citizen {a['citizen_id']}")
        click.echo(f"{a['id']:>6}  {a['kind']:<20} {a['status']:<12} {subject:<18} "
                   f"first seen {a['first_seen']}  last seen {a['last_seen']}")
