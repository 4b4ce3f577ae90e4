"""Shared fixtures: an app on a clean database for each test, on SQLite and on PostgreSQL.

Tests that use `app` (or anything built on it) run once per database
backend. The schema is built once per session by the real migrations; after
each test every table is emptied. A missing PostgreSQL server skips the
PostgreSQL runs, unless REQUIRE_POSTGRES=1 makes that a failure.

Building the app takes longer than most tests (about 0.09 s: some 1,300 URL
rules and the OpenAPI spec), so tests with the default configuration share one
app per database, handed over as new: its configuration is put back and its
per-app caches are dropped after each test. A test with its own configuration,
or marked `own_app` (it adds routes), gets an app of its own.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import tempfile

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coprod_match import create_app
from coprod_match.extensions import db as _db
from coprod_match.models import Base, Role, User
from coprod_match.passwords import hash_password
from coprod_match.reference_data import load_reference_data
from tests import pg_server, redis_server

TEST_PASSWORD = "Correct-Horse-Battery-42"
BACKENDS = ("sqlite", "postgresql")


def _require_postgres() -> bool:
    return os.environ.get("REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_admin_url():
    """URL of a PostgreSQL server's maintenance database, for creating test databases."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    try:
        with pg_server.running_server() as url:
            yield url
    except (FileNotFoundError, OSError) as error:
        message = f"PostgreSQL not available: {error}"
        if _require_postgres():
            pytest.fail(message + " (REQUIRE_POSTGRES=1)")
        pytest.skip(message)


def _new_database(backend: str, request) -> tuple[str, callable]:
    """A fresh empty database URL for `backend` and a function that removes it."""
    if backend == "sqlite":
        handle, path = tempfile.mkstemp(prefix="coprod-test-", suffix=".sqlite3")
        os.close(handle)
        return f"sqlite:///{path}", lambda: os.path.exists(path) and os.remove(path)
    admin_url = request.getfixturevalue("postgres_admin_url")
    url = pg_server.create_database(admin_url)
    return url, lambda: pg_server.drop_database(admin_url, url)


@pytest.fixture
def new_database_url(request, db_backend):
    """An empty database (no schema) on the current backend, removed after the test."""
    url, remove = _new_database(db_backend, request)
    yield url
    remove()


@pytest.fixture(scope="session")
def redis_url():
    """URL of a real Redis server (one per test session), for the rate limiter's shared storage.

    Skipped without `redis-server`, unless REQUIRE_REDIS=1 makes that a failure
    (CI installs it); TEST_REDIS_URL points at an existing server instead.
    """
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    try:
        with redis_server.running_server() as url:
            yield url
    except (FileNotFoundError, OSError) as error:
        message = f"Redis not available: {error}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message + " (REQUIRE_REDIS=1)")
        pytest.skip(message)


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def migrated_database_url(request, db_backend):
    """One database per backend per session, built by `flask db upgrade`."""
    from flask_migrate import upgrade

    url, remove = _new_database(db_backend, request)
    app = create_app({"TESTING": True, "APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "testing-only-secret-key"})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    yield url
    remove()


class FreshContextClient(FlaskClient):
    """Runs every request in its own app context, as in production.

    The app fixture keeps an app context open for the test body; without this,
    requests would reuse it and share `g` (and the logged-in user cached there)
    and the test's database session.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tests read English messages unless they ask for another language.
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_test_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "testing-only-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: tests that send mail start a real SMTP server
        "SERVER_NAME": "localhost.test",
        "PUBLIC_BASE_URL": "http://localhost.test",  # where mailed links point, whatever the Host
        # Many tests log in often; the throttling tests turn the limiter on (tests/web/test_throttling.py).
        "RATELIMIT_ENABLED": False,
        # Staff made by the fixtures have no authenticator app: the gate is tested on its own
        # (tests/web/test_two_factor.py, tests/e2e/test_two_factor.py) and off elsewhere.
        "TWO_FACTOR_REQUIRED": False,
        # Users made by the fixtures accepted no privacy statement: the gate is tested on its own
        # (tests/web/test_privacy_statement.py) and off elsewhere.
        "PRIVACY_ACCEPTANCE_REQUIRED": False,
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = FreshContextClient
    return app


# Every sequence of the schema back to its start, as TRUNCATE ... RESTART IDENTITY does: ids begin at 1 again.
_RESTART_SEQUENCES = (
    "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
    "WHERE c.relnamespace = current_schema()::regnamespace"
)


def _empty_all_tables() -> None:
    """Every table emptied (children first) and ids starting at 1 again, after each test.

    On PostgreSQL, DELETE on a few rows takes some milliseconds where TRUNCATE
    of all 46 tables takes 0.2-1 s (it makes new files for every table), and this
    runs after each of a thousand tests.
    """
    tables = list(reversed(Base.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One round trip: psycopg sends statements without parameters together.
            conn.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in tables))
            conn.exec_driver_sql(_RESTART_SEQUENCES)
        else:
            for table in tables:
                conn.execute(table.delete())


def _sqlite_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """Test databases are thrown away: SQLite need not wait for the disk (fsync) at every commit.

    Nothing a test checks depends on it (locks and transactions work the same);
    on a busy shared disk each commit otherwise waits 5-20 ms.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def pytest_configure(config) -> None:
    # On every engine the tests make (the apps', the browser tests' live servers', the tests' own).
    sa.event.listen(sa.engine.Engine, "connect", _sqlite_without_waiting_for_the_disk)


@pytest.fixture
def app_config_overrides() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost; the app fixture sends to it when the test asks for it."""
    from tests.smtp_server import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()


_SHARED_APPS: dict[str, object] = {}


def _shared_app(database_url: str):
    app = _SHARED_APPS.get(database_url)
    if app is None:
        app = _SHARED_APPS[database_url] = make_test_app(database_url)
    return app


def _as_new(app, config: dict, views: dict) -> None:
    """What a test may have changed in a shared app, back to how a new app has it."""
    from coprod_match.matching import freshness
    from coprod_match.web import evidence, privacy_statement

    app.config.clear()
    app.config.update(config)
    app.view_functions.clear()  # a test may put a failing view in place of a real one
    app.view_functions.update(views)
    app.extensions.pop(freshness._KEY, None)  # the live matching snapshot, read from the database again
    app.extensions.pop(privacy_statement._CACHE_KEY, None)
    app.extensions.pop(evidence.RETENTION_CACHE_KEY, None)


@pytest.fixture
def app(request, migrated_database_url, app_config_overrides):
    overrides = dict(app_config_overrides)
    if "smtp_server" in request.fixturenames:
        overrides["MAIL_PORT"] = request.getfixturevalue("smtp_server").port
    shared = not overrides and request.node.get_closest_marker("own_app") is None
    app = _shared_app(migrated_database_url) if shared else make_test_app(migrated_database_url, **overrides)
    config, views = dict(app.config), dict(app.view_functions)
    with app.app_context():
        try:
            yield app
        finally:
            _db.session.remove()
            _empty_all_tables()
            _db.engine.dispose()
            if shared:
                _as_new(app, config, views)


@pytest.fixture
def db_session(app):
    return _db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def reference_data(db_session):
    load_reference_data(db_session)
    db_session.commit()


@functools.cache
def hashed_test_password() -> str:
    """TEST_PASSWORD hashed once per test process: scrypt is slow on purpose (~0.15 s), and every user shares it."""
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(db_session, reference_data):
    """Create a committed user of any role: make_user(Role.PROFESSIONAL, email=...)."""
    from coprod_match.models import CitizenProfile, Neighbourhood

    counter = iter(range(1, 10_000))
    password_hash = hashed_test_password()

    def _make(role: Role = Role.CITIZEN, *, email: str | None = None, name: str | None = None,
              locale: str = "en", neighbourhood: str = "Schilderswijk", **fields) -> User:
        number = next(counter)
        if role == Role.COORDINATOR:
            # A coordinator for the whole city unless a test says otherwise (is_municipal=False):
            # tests of districts ask for one who is not (tests/web/test_coordinator_districts.py).
            fields.setdefault("is_municipal", True)
        user = User(
            email=email or f"{role.value}{number}@example.org",
            password_hash=password_hash,
            role=role,
            display_name=name or f"{role.value.title()} {number}",
            preferred_locale=locale,
            **fields,
        )
        if role == Role.CITIZEN:
            place = db_session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == neighbourhood))
            user.citizen_profile = CitizenProfile(neighbourhood=place)
        db_session.add(user)
        db_session.commit()
        return user

    return _make


def login_as(client, user: User, *, remember: bool = False) -> None:
    """Start a login for `user` and give its key to the client (faster than the form; the form has its own tests)."""
    from coprod_match.services.sessions import SessionLifetimes, start_login_session

    app = client.application
    with app.app_context():  # its own database session: the test's own is left as it is
        _record, key = start_login_session(_db.session, user, device=("", ""), remember=remember,
                                           lifetimes=SessionLifetimes.from_config(app.config))
        _db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key  # the login session's key, as web/logins.py puts it there
        session["_fresh"] = True


class AuthActions:
    """Log in and out through the real login form, CSRF token included."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = TEST_PASSWORD):
        token = csrf_token(self._client, "/auth/login")
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_token(self._client, "/")  # the logout form in the header
        return self._client.post("/auth/logout", data={"csrf_token": token})


_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """The CSRF token from a form on `path` (the session keeps it valid for later posts)."""
    page = client.get(path)
    match = _CSRF_INPUT.search(page.get_data(as_text=True))
    assert match, f"no csrf_token on {path} (status {page.status_code})"
    return match.group(1)


@pytest.fixture
def auth(client):
    return AuthActions(client)
