"""`flask import ...` and `flask export ...`: CSV files in and out, for municipalities' lists."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from ..services.transfers import (
    ImportOutcome,
    import_csv,
    initiatives_for_export,
    record_export,
)
from ..transfers.export import initiatives_csv
from ..transfers.validation import CITIZENS, INITIATIVES
from .common import command_unit

import_cli = AppGroup("import", help="Import initiatives or citizens from a CSV file.")
export_cli = AppGroup("export", help="Export data to CSV files.")

NOUNS = {INITIATIVES: "initiatives", CITIZENS: "citizens"}


def _report(outcome: ImportOutcome) -> None:
    for problem in outcome.problems:
        where = f"Line {problem.line}" if problem.line is not None else "File"
        if problem.column:
            where += f", column {problem.column}"
        click.echo(f"{where}: {problem.message}", err=True)


def _run_import(kind: str, path: str, dry_run: bool) -> None:
    with open(path, "rb") as handle:
        data = handle.read()
    with command_unit() as session:
        outcome = import_csv(session, kind, data, actor=None, dry_run=dry_run)
        if not outcome.ok:
            _report(outcome)
            lines = outcome.bad_lines
            summary = f"{len(outcome.problems)} problem(s)"
            if lines:
                summary += f" on {len(lines)} row(s): line(s) {', '.join(map(str, lines))}"
            raise click.ClickException(f"{summary}. Nothing was imported.")
    if dry_run:
        click.echo(f"Checked {outcome.rows} row(s): all fine. Nothing was imported (--dry-run).")
        return
    click.echo(f"Imported {outcome.imported} {NOUNS[kind]}.")


_dry_run = click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
_file = click.argument("path", metavar="FILE.csv",
                       type=click.Path(exists=True, dir_okay=False, readable=True))


@import_cli.command("initiatives")
@_file
@_dry_run
def import_initiatives_command(path: str, dry_run: bool) -> None:
    """Add the initiatives in a CSV file; any bad row stops the whole import."""
    _run_import(INITIATIVES, path, dry_run)


@import_cli.command("citizens")
@_file
@_dry_run
def import_citizens_command(path: str, dry_run: bool) -> None:
    """Add citizen accounts (without a password) from a CSV file; any bad row stops it all."""
    _run_import(CITIZENS, path, dry_run)


@export_cli.command("initiatives")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@click.option("--excel", is_flag=True,
              help="Semicolons and a byte order mark, for Excel with Dutch settings.")
def export_initiatives_command(out: str | None, excel: bool) -> None:
    """Write every initiative with its active volunteer count as CSV."""
    with command_unit() as session:
        rows = initiatives_for_export(session)
        text = initiatives_csv(rows, delimiter=";" if excel else ",", byte_order_mark=excel)
        record_export(session, len(rows), actor=None)
    if out is None:
        click.echo(text, nl=False)
        return
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    click.echo(f"Wrote {len(rows)} initiatives to {out} ({dt.date.today().isoformat()}).", err=True)

