"""`flask match`: suggestions, candidates and the placement plan from the command line."""

from __future__ import annotations

import csv
import json

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from ..models import Initiative, Role, User, utcnow
from ..transaction import unit_of_work
from . import plan_runs, service
from .facts import Match
from .texts import Labels, reason_texts

match_cli = AppGroup("match", help="Matching: suggestions, candidates, placement plan.")


def _find_citizen(key: str) -> User:
    query = sa.select(User).where(User.role == Role.CITIZEN)
    if key.isdigit():
        query = query.where(User.id == int(key))
    else:
        query = query.where(User.email == key.strip().lower())
    citizen = db.session.scalar(query)
    if citizen is None:
        raise click.UsageError(f"No citizen with e-mail or id {key!r}.")
    return citizen


def _rows(matches: list[Match], labels: Labels, audience: str) -> list[dict]:
    return [
        {
            "citizen_id": m.citizen_id,
            "initiative_id": m.initiative_id,
            "score": round(m.score, 3),
            "reasons": reason_texts(db.session, m.reasons, audience=audience, labels=labels),
            "reason_codes": [r.code for r in m.reasons],
        }
        for m in matches
    ]


def _echo_table(rows: list[dict], names: dict[int, str], key: str) -> None:
    if not rows:
        click.echo("Nothing matches.")
    for number, row in enumerate(rows, start=1):
        click.echo(f"{number:>3}. {row['score']:6.2f}  {names.get(row[key], row[key])} (id {row[key]})")
        for reason in row["reasons"]:
            click.echo(f"       - {reason}")


@match_cli.command("suggest")
@click.option("--citizen", "citizen_key", required=True, help="E-mail or id of the citizen.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def suggest_command(citizen_key: str, limit: int, as_json: bool) -> None:
    """Initiatives suggested to one citizen, with the reasons."""
    citizen = _find_citizen(citizen_key)
    matches = service.suggestions_for_citizen(db.session, citizen.id, limit=limit)
    with force_locale("en"):
        rows = _rows(matches, Labels(db.session), "citizen")
    if as_json:
        click.echo(json.dumps({"citizen_id": citizen.id, "rows": rows}, indent=2))
        return
    titles = dict(db.session.execute(sa.select(Initiative.id, Initiative.title).where(
        Initiative.id.in_([r["initiative_id"] for r in rows]))).all())
    _echo_table(rows, titles, "initiative_id")


@match_cli.command("candidates")
@click.option("--initiative", "initiative_id", required=True, type=int, help="Id of the initiative.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def candidates_command(initiative_id: int, limit: int, as_json: bool) -> None:
    """Citizens who could join one initiative, with the reasons."""
    if db.session.get(Initiative, initiative_id) is None:
        raise click.UsageError(f"No initiative with id {initiative_id}.")
    matches = service.candidates_for_initiative(db.session, initiative_id, limit=limit)
    with force_locale("en"):
        rows = _rows(matches, Labels(db.session), "staff")
    if as_json:
        click.echo(json.dumps({"initiative_id": initiative_id, "rows": rows}, indent=2))
        return
    names = dict(db.session.execute(sa.select(User.id, User.display_name).where(
        User.id.in_([r["citizen_id"] for r in rows]))).all())
    _echo_table(rows, names, "citizen_id")


@match_cli.command("plan")
@click.option("--district", help="Only this district's initiatives (default: the whole city).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write the rows as CSV.")
def plan_command(district: str | None, as_json: bool, out_path: str | None) -> None:
    """The optimal placement plan: at-risk initiatives first, then the best total score.

    Made now, in this process, and stored like a plan the scheduler makes: the
    plan page shows it afterwards.
    """
    try:
        with unit_of_work() as session:
            asked = plan_runs.ask_for_plan(session, district=district, actor=None)
    except service.UnknownDistrictError:
        known = ", ".join(service.districts(db.session))
        raise click.UsageError(f"No district named {district!r}. Known: {known}.") from None
    # Claimed like the job does, so a scheduler polling at the same moment does not make it twice.
    if plan_runs.claim_next_plan(db.engine, now=utcnow(), plan_run_id=asked.id) is None:
        raise click.ClickException(f"Plan {asked.id} is already being made by the scheduler.")
    with unit_of_work() as session:
        stored, result = plan_runs.make_plan(session, asked.id)
    if result is None:
        raise click.ClickException(f"The plan could not be made: {stored.error}")
    with force_locale("en"):
        rows = _rows(result.rows, Labels(db.session), "staff")
    if out_path:
        with open(out_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["citizen_id", "initiative_id", "score", "reasons"])
            for row in rows:
                writer.writerow([row["citizen_id"], row["initiative_id"], row["score"], "; ".join(row["reasons"])])
    if as_json:
        click.echo(json.dumps(service.plan_as_dict(result, rows), indent=2))
        return
    summary = result.summary()
    click.echo(f"Plan for {district or 'the whole city'}: {summary['placed']} placements, "
               f"total score {summary['objective']:.3f} (optimal).")
    click.echo(f"Initiatives at risk strengthened: {summary['at_risk_served']} "
               f"(the most any plan could: {summary['at_risk_servable']}; at risk with room: "
               f"{summary['at_risk_in_scope']}).")
    for row in rows[:20]:
        click.echo(f"  citizen {row['citizen_id']:>6} -> initiative {row['initiative_id']:>5}  "
                   f"{row['score']:6.2f}  {'; '.join(row['reasons'][:3])}")
    if len(rows) > 20:
        click.echo(f"  ... and {len(rows) - 20} more (use --json or --out).")
    click.echo(f"Stored as plan {stored.id}; the plan page shows it.")
