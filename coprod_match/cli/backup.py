"""`flask db backup FILE` and `flask db restore FILE`: a consistent copy of the database, and back.

They join Flask-Migrate's `db` group, beside `db upgrade`, because they act on
the same database. SQLite is copied with SQLite's online backup API, so the
copy is consistent even while the site writes; PostgreSQL is dumped with
`pg_dump --format=custom` and restored with `pg_restore` (the README shows
both by hand too). Backups hold residents' personal data: the file is
created readable by its owner only, and never overwrites another file.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from ..extensions import db


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _new_private_file(path: str) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise click.ClickException(f"{path} exists already; choose a new file name.") from None


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN_DIR, the PATH, or the newest Debian install."""
    folder = current_app.config.get("PG_BIN_DIR")
    if folder:
        return os.path.join(folder, name)
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                                                  reverse=True)), None)
    if found is None:
        raise click.ClickException(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run_pg_tool(name: str, url: URL, *args: str) -> None:
    """Run a PostgreSQL client; the password goes in its environment, never on its command line."""
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    done = subprocess.run([_pg_tool(name), *args, "--dbname", target], env=env,  # noqa: S603
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"{name} failed: {done.stderr.strip()}")


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("This SQLite database lives in memory only: there is nothing to copy.")
    return url.database


def _sqlite_copy(source: str, target: str) -> None:
    """Copy one SQLite database into another, page by page, as one consistent snapshot."""
    with closing(sqlite3.connect(source)) as from_db, closing(sqlite3.connect(target)) as to_db:
        from_db.backup(to_db)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH (a new file, owner-only)."""
    url = _database_url()
    _new_private_file(path)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), path)
        else:
            _run_pg_tool("pg_dump", url, "--format=custom", "--no-owner", "--file", path)
    except BaseException:
        os.remove(path)
        raise
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="This replaces everything in the database with the backup. Go on?")
@with_appcontext
def restore_command(path: str) -> None:
    """Replace the database's contents with the backup at PATH. Stop the site and scheduler first."""
    url = _database_url()
    db.session.remove()  # no connection of ours may hold a lock on what is replaced
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(path, _sqlite_path(url))
    else:
        _run_pg_tool("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--single-transaction", path)
    click.echo(f"Database restored from {path}")


def init_app(app) -> None:
    """Add backup and restore to Flask-Migrate's `db` group (one group object, shared by every app)."""
    from flask_migrate.cli import db as db_group

    db_group.add_command(backup_command)
    db_group.add_command(restore_command)
