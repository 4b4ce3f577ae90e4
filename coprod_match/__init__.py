"""coprod-match: matching residents to neighbourhood co-production initiatives."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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

    _make_private_folder(app.instance_path)
    _configure_secret_key(app)
    _configure_public_address(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = os.path.join(app.instance_path, "coprod_match.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    _make_sqlite_file_private(app.config["SQLALCHEMY_DATABASE_URI"])

    from . import (
        api,
        cli,
        errors,
        i18n,
        limits,
        logging_setup,
        mail,
        routing,
        security,
        transaction,
    )
    from .extensions import csrf, db, login_manager, migrate
    from .services import search_text  # noqa: F401  (its session hook keeps the search documents fresh)
    from .web import privacy, register_blueprints, two_factor

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
    privacy.init_gate(app)  # after two-factor: staff set that up first, then accept the statement
    cli.init_app(app)
    limits.init_app(app)  # after every blueprint: it puts the limits on the views marked @throttled
    _trust_proxies(app)
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


def _configure_public_address(app: Flask) -> None:
    """Production needs PUBLIC_BASE_URL, like SECRET_KEY, and answers only to its host.

    Every absolute link is made from PUBLIC_BASE_URL; TRUSTED_HOSTS makes a
    request with another Host header a 400 before any view runs.
    """
    if app.config["APP_ENV"] != "development":
        # Links from the request's address are a development comfort (links.py), never production's.
        app.config["PUBLIC_BASE_URL_FROM_REQUEST"] = False
    if app.config["APP_ENV"] != "production":
        return
    base = app.config.get("PUBLIC_BASE_URL")
    parts = urlsplit(base or "")
    if not base:
        raise RuntimeError("PUBLIC_BASE_URL is not set: production refuses to start without it.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(f"PUBLIC_BASE_URL must be an address like https://example.org, not {base!r}.")
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [parts.hostname, *app.config.get("EXTRA_TRUSTED_HOSTS", ())]


def _make_private_folder(path: str) -> None:
    """The instance folder holds the secret key and perhaps the database: only its owner may enter."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.stat(path).st_uid == os.geteuid():
        os.chmod(path, 0o700)


def _make_sqlite_file_private(database_uri: str) -> None:
    """Create the SQLite file readable by its owner only, before SQLite creates it world-readable.

    SQLite gives its journal and WAL files the database file's permissions.
    """
    from sqlalchemy.engine import make_url

    url = make_url(database_uri)
    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.exists(path):
        if not os.path.isdir(os.path.dirname(path) or "."):
            return  # SQLite will say so when it first connects
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    elif os.stat(path).st_uid == os.geteuid():
        os.chmod(path, 0o600)


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT proxies, the client's address is taken from X-Forwarded-For.

    Without it every client would seem to come from the proxy, and the limits per
    address (limits.py) would be shared by everyone. The header is trusted only
    when set: otherwise any client could choose its own address.
    """
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count)


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

    from .web.logins import load_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # The session cookie carries a login session's key, not the user id (web/logins.py).
    login_manager.user_loader(load_user)
