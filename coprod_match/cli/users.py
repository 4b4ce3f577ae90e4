"""`flask users ...`: staff accounts and personal API tokens, made from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import Neighbourhood, Role
from ..services import account_admin, two_factor
from ..services.accounts import create_staff_user, find_user_by_email
from ..services.api_tokens import create_api_token
from ..vocabulary import UI_LOCALES
from .common import command_unit

users_cli = AppGroup("users", help="Manage accounts.")


def _read_password() -> str:
    """From a hidden prompt when interactive, else the first line of stdin (for scripts)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@users_cli.command("create")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role if r != Role.CITIZEN]),
    help="Citizens register themselves on the site.",
)
@click.option("--email", required=True)
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--organisation")
@click.option("--area", "areas", multiple=True, help="Neighbourhood or district worked in; repeatable.")
@click.option("--locale", default=UI_LOCALES[0], type=click.Choice(UI_LOCALES))
def create_user_command(role, email, display_name, organisation, areas, locale):
    """Create a professional, coordinator or admin. The password is read from a prompt or stdin."""
    neighbourhoods = []
    for area in areas:
        found = db.session.scalars(
            db.select(Neighbourhood).where(
                (Neighbourhood.name == area) | (Neighbourhood.district == area)
            )
        ).all()
        if not found:
            raise click.UsageError(f"No neighbourhood or district named {area!r}.")
        neighbourhoods.extend(found)
    password = _read_password()
    with command_unit() as session:
        user = create_staff_user(
            session,
            email=email,
            password=password,
            role=Role(role),
            display_name=display_name or email.split("@", 1)[0],
            organisation=organisation,
            work_areas=neighbourhoods,
            preferred_locale=locale,
            actor=None,
        )
    click.echo(f"Created {user.role} account {user.id} for {user.email}.")


@users_cli.command("token")
@click.option("--email", required=True, help="The account the token acts for.")
@click.option("--name", default="script", show_default=True, help="What the token is for.")
def create_token_command(email, name):
    """Make a personal API token for scripts; it is printed once and stored only as a hash."""
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email!r}.")
    with command_unit() as session:
        record, token = create_api_token(session, user, name, actor=None)
    click.echo(f"Token {record.id} ({record.name}) for {user.email}, shown only now:", err=True)
    click.echo(token)


@users_cli.command("reset-2fa")
@click.option("--email", required=True, help="The account whose phone or recovery codes are lost.")
def reset_two_factor_command(email):
    """Remove an account's two-factor app and recovery codes (the administrator's desk; audited).

    Staff are asked to set it up again at their next page.
    """
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email!r}.")
    with command_unit() as session:
        had_any = two_factor.reset(session, user, actor=None)
    if had_any:
        click.echo(f"Two-factor login is reset for {user.email}: they set it up again at their next login.")
    else:
        click.echo(f"{user.email} had no two-factor login; nothing to reset.")


def _existing(email: str):
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email!r}.")
    return user


@users_cli.command("disable")
@click.option("--email", required=True, help="The account to stop.")
def disable_command(email):
    """Disable an account: it is logged out everywhere, and its logins and API tokens are refused (audited)."""
    user = _existing(email)
    with command_unit() as session:
        ended = account_admin.disable_account(session, user, actor=None)
    click.echo(f"{user.email} is disabled; {ended} login(s) ended.")


@users_cli.command("enable")
@click.option("--email", required=True, help="The disabled account to let in again.")
def enable_command(email):
    """Enable a disabled account again (audited); its owner logs in with their old password."""
    user = _existing(email)
    with command_unit() as session:
        account_admin.enable_account(session, user, actor=None)
    click.echo(f"{user.email} is enabled again.")


@users_cli.command("erase")
@click.option("--email", required=True, help="The account to erase.")
@click.confirmation_option(prompt="Erasing cannot be undone. Erase this account?")
def erase_command(email):
    """Erase an account: personal data goes, history stays anonymous (audited; docs/erasure.md)."""
    user = _existing(email)
    with command_unit() as session:
        result = account_admin.erase_by_admin(session, user, actor=None)
    click.echo(f"Account {result.user_id} ({email}) is erased: {result.placements_ended} placement(s) ended, "
               f"{result.sessions_ended} login(s) ended.")
