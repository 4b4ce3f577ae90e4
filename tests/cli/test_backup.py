"""`flask db backup` and `flask db restore`: back up, change, restore, and the old data is back."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coprod_match.extensions import db
from coprod_match.models import Role, User
from tests import pg_server
from tests.conftest import make_test_app


@pytest.fixture
def backup_app(new_database_url):
    """An app on its own new, migrated database: a restore replaces the whole database."""
    app = make_test_app(new_database_url, PG_BIN_DIR=pg_server.find_pg_bin())
    with app.app_context():
        upgrade()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def _names() -> list[str]:
    return sorted(db.session.scalars(sa.select(User.display_name)))


def test_backup_then_change_then_restore_finds_the_old_data(backup_app, tmp_path):
    runner = backup_app.test_cli_runner()
    db.session.add(User(email="amal@example.org", password_hash=None, role=Role.CITIZEN,
                        display_name="Amal", preferred_locale="nl"))
    db.session.commit()
    backup = tmp_path / "coprod.backup"
    version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))

    made = runner.invoke(args=["db", "backup", str(backup)])
    assert made.exit_code == 0, made.output
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"  # residents' data: the owner's only
    again = runner.invoke(args=["db", "backup", str(backup)])
    assert again.exit_code != 0 and "exists already" in again.output

    db.session.scalar(sa.select(User)).display_name = "Changed"
    db.session.add(User(email="later@example.org", password_hash=None, role=Role.CITIZEN,
                        display_name="Later", preferred_locale="en"))
    db.session.commit()
    assert _names() == ["Changed", "Later"]

    refused = runner.invoke(args=["db", "restore", str(backup)], input="n\n")
    assert refused.exit_code != 0
    assert _names() == ["Changed", "Later"]
    restored = runner.invoke(args=["db", "restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert _names() == ["Amal"]
    # The restored database is whole: the schema is still at the latest migration and takes writes.
    assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == version
    db.session.add(User(email="new@example.org", password_hash=None, role=Role.CITIZEN,
                        display_name="New", preferred_locale="en"))
    db.session.commit()
