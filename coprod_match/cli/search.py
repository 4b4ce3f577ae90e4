"""`flask search refresh`: rebuild what the search reads, after rows were written around the ORM."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services.search_text import refresh_everything
from .common import command_unit

search_cli = AppGroup("search", help="The search: initiatives' search documents and folded names.")


@search_cli.command("refresh")
def refresh_command() -> None:
    """Rebuild every initiative's search document and every person's folded name.

    The app keeps both up to date as it writes; a bulk load (COPY, SQL by hand) does not.
    """
    with command_unit() as session:
        initiatives, people = refresh_everything(session)
    click.echo(f"Search documents rebuilt: {initiatives} initiatives, {people} people.")
