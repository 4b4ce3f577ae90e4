"""`flask` commands: every command group of the app, registered in one place.

Groups that belong to an area live with it (`matching/cli.py`,
`continuity/cli.py`, `jobs/cli.py`, `demo.py`); the ones that only wrap
services live in this package (`users`, `transfers`, `privacy`).
"""

from __future__ import annotations

from flask import Flask

from ..continuity.cli import continuity_cli
from ..demo import demo_cli, reference_cli
from ..jobs.cli import scheduler_cli
from ..matching.cli import match_cli
from . import backup
from .privacy import privacy_cli
from .search import search_cli
from .transfers import export_cli, import_cli
from .users import users_cli


def init_app(app: Flask) -> None:
    """Add every command group to `flask`."""
    for group in (users_cli, reference_cli, demo_cli, match_cli, continuity_cli, scheduler_cli,
                  import_cli, export_cli, privacy_cli, search_cli):
        app.cli.add_command(group)
    backup.init_app(app)
