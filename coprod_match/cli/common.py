"""What every command shares: one unit of work, and refusals said as the command's error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask_babel import force_locale
from sqlalchemy import orm

from ..domain_errors import DomainError
from ..transaction import unit_of_work


@contextmanager
def command_unit() -> Iterator[orm.Session]:
    """Commit what the block did; on a refusal roll back and end the command with its message.

    Operators read English: messages the block words (refusals and its own
    output) are in English whatever the server's default language.
    """
    with force_locale("en"):
        try:
            with unit_of_work() as session:
                yield session
        except DomainError as refusal:
            raise click.ClickException(str(refusal.message)) from None
