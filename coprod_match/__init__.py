"""coprod-match: matching residents to neighbourhood co-production initiatives."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: type | Mapping[str, Any] | None = None) -> Flask:
    """Build the application. Does no database I/O.

    `config` is a config class or a mapping of overrides applied on top of the
    class chosen by APP_ENV.
    """
    from flask import Flask

    from config import config_for_environment

    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT_DIR, "templates"),
        static_folder=os.path.join(ROOT_DIR, "static"),
        instance_path=os.environ.get("INSTANCE_PATH", os.path.join(ROOT_DIR, "instance")),
    )
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_for_environment())
        if config:
            app.config.from_mapping(config)

    os.makedirs(app.instance_path, exist_ok=True)
    _configure_secret_key(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = os.path.join(app.instance_path, "coprod_match.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"

    from . import api, cli, errors, i18n, logging_setup, mail, routing, security, transaction
    from .extensions import csrf, db, login_manager, migrate
    from .web import register_blueprints, two_factor

    logging_setup.init_app(app)
    db.init_app(app)
    _configure_sqlite(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT_DIR, "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    _configure_login(app, login_manager)
    mail.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    routing.init_app(app)
    register_blueprints(app)
    api.init_app(app)
    # After the API's hook, so that the gate sees who a bearer token belongs to.
    two_factor.init_gate(app)
    cli.init_app(app)
    # Last: every view the blueprints registered runs in one unit of work.
    transaction.init_app(app)
    return app


def _configure_secret_key(app: Flask) -> None:
    """Production needs SECRET_KEY; development keeps a generated one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["APP_ENV"] == "production":
        raise RuntimeError("SECRET_KEY is not set: production refuses to start without it.")
    key_file = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(key_file):
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    with open(key_file) as handle:
        app.config["SECRET_KEY"] = handle.read().strip()


def _configure_sqlite(app: Flask) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    import sqlalchemy as sa

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _enable_foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _configure_login(app: Flask, login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    from .extensions import db
    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))
