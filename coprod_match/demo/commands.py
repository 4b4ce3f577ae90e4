"""The `flask reference` and `flask demo` commands: thin wrappers around one unit of work each.

The generator, its content and the writer are imported by `demo seed` alone,
so that every other `flask` command starts without them.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import JobOutcome, JobRun, User, utcnow
from ..reference_data import load_reference_data
from ..transaction import unit_of_work
from .accounts import (
    ADMIN_EMAIL,
    ARABIC_RESIDENT_EMAIL,
    DEFAULT_CITIZENS,
    DEFAULT_SEED,
    MUNICIPAL_COORDINATOR_EMAIL,
    STRAINED_VOLUNTEER_EMAIL,
    TURKISH_RESIDENT_EMAIL,
    demo_logins,
)

reference_cli = AppGroup("reference", help="Reference data.")
demo_cli = AppGroup("demo", help="Demo data.")


@reference_cli.command("load")
def load_reference_command() -> None:
    """Load neighbourhoods, languages, interests and target groups from coprod_match/data/."""
    with unit_of_work() as session:
        counts = load_reference_data(session)
    click.echo(f"Reference data: {counts.added} added, {counts.updated} updated.")


def _echo_logins() -> None:
    rows = [("Role", "E-mail", "Password"), *demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        line = "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        click.echo(line.rstrip())
    click.echo(f"The coordinator above works in their own districts only; {MUNICIPAL_COORDINATOR_EMAIL} "
               "(same password) is municipal and sees the whole city.")
    click.echo("Both professionals are contacts of the Schilderswijk day care (Samen Dag): "
               "one can hand it over to the other. The second says in the monthly check-ins that the work "
               "got heavier, and asks for help.")
    click.echo(f"{TURKISH_RESIDENT_EMAIL} (Ayşe Yılmaz) uses the site in Turkish and "  # noqa: RUF001
               f"{ARABIC_RESIDENT_EMAIL} (Khaled Haddad) in Arabic (same password).")
    click.echo(f"{STRAINED_VOLUNTEER_EMAIL} (Els van der Linden, an informal carer) says in her monthly "
               "check-ins that it is too much for her: the coordinator's dashboard shows the alert.")
    if current_app.config.get("TWO_FACTOR_REQUIRED"):
        click.echo("Staff set up two-factor login at their first login, with any authenticator app.")
    from .check_in_link import showcase_check_in_link

    link = showcase_check_in_link(db.session, current_app.config["SECRET_KEY"], now=utcnow())
    if link is not None:
        click.echo(f"Ayşe's monthly check-in, answerable without logging in (the link works once): {link}")


@demo_cli.command("seed")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--citizens", default=DEFAULT_CITIZENS, show_default=True,
    type=int, help="Number of citizens (no fewer than the demo's personas).",
)
@click.option(
    "--initiatives", default=None, type=click.IntRange(min=0),
    help="Number of initiatives (default: the article's; more are generated).",
)
@click.option(
    "--allow-production", is_flag=True,
    help="Seed even with APP_ENV=production (all demo accounts share a published password).",
)
def seed_command(seed: int, citizens: int, initiatives: int | None, allow_production: bool):
    """Fill the database with a The Hague demo; running it again adds nothing."""
    if current_app.config.get("APP_ENV") == "production" and not allow_production:
        raise click.ClickException(
            "Refusing to seed demo accounts with a shared password in production "
            "(use --allow-production for a demo server)."
        )
    from .content import MIN_CITIZENS
    from .writer import seed_demo

    if citizens < MIN_CITIZENS:
        raise click.BadParameter(f"the demo needs at least {MIN_CITIZENS}.",
                                 param_hint="'--citizens'")
    from ..continuity.scan import run_scan, thresholds_from_config

    with unit_of_work() as session:
        added = seed_demo(session, seed=seed, citizens=citizens, initiatives=initiatives)
        # After a bulk load the planner still takes the tables for empty: at city scale the scan's
        # joins would run for many minutes instead of a second. ANALYZE sees this transaction's rows.
        session.execute(sa.text("ANALYZE"))
        # The dashboard shows the demo's alerts at first start, not an hour later at the scheduler's scan,
        # and the run log says the check ran (else it reads "has not run yet" beside the alerts it found).
        started = utcnow()
        scan = run_scan(session, now=started, thresholds=thresholds_from_config(current_app.config))
        session.add(JobRun(job_name="continuity_scan", holder="flask demo seed", started_at=started,
                           finished_at=utcnow(), outcome=JobOutcome.SUCCEEDED, counts=scan.as_dict()))
    click.echo("Rows added:")
    width = max(len(name) for name in added)
    for name, count in added.items():
        click.echo(f"  {name.ljust(width)}  {count:>7}")
    click.echo(f"  {'total'.ljust(width)}  {sum(added.values()):>7}")
    click.echo(f"Continuity scan: {scan.opened} alerts opened, {scan.kept} kept, {scan.resolved} resolved.")
    click.echo("")
    _echo_logins()


@demo_cli.command("logins")
def logins_command() -> None:
    """Show one demo login per role, and two professionals of one initiative."""
    if db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL)) is None:
        click.echo("The demo has not been seeded yet: run `flask demo seed`.")
    _echo_logins()
