"""Browser tests: the real app served over HTTP, driven by Debian's Chromium through Playwright.

One live server for this folder, on a fresh SQLite file built by the real
migrations, with only what a municipality would set up before residents
arrive: reference data, two professionals and open initiatives. Everything a
resident or a professional does after that goes through the browser.

These tests never request `app`, so they are not run once per database
backend: the browser sees only HTTP, and the backends are covered below it.

A missing Chromium (or playwright package) skips them with a message, unless
REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps calling Google's hosts, which this machine refuses.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast: every page here answers in well under a second.
ACTION_TIMEOUT_MS = 10_000

PROFESSIONAL_PASSWORD = "Linking-pin-on-the-Hague-streets"
COLLEAGUE_PASSWORD = "Taking-over-the-neighbourhood-work"


@dataclass(frozen=True)
class Staff:
    name: str
    email: str
    password: str


@dataclass(frozen=True)
class World:
    """What the setup put in the database, for the tests to look for in the pages."""

    url: str
    professional: Staff
    colleague: Staff
    home_neighbourhood: str  # where the test residents live
    initiative_title: str  # open, in a neighbourhood near home (under 1 km)
    initiative_neighbourhood: str
    far_initiative_title: str  # open, across the city (several km away)
    # The live server's database, where a test reads the mails waiting in the outbox (no SMTP here).
    database_url: str = ""


def _browser_missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def main_menu(page):
    """The main menu, opened first where it folds behind its button (below 600 px)."""
    if page.locator("header details.menu:not([open]) > summary").is_visible():
        page.locator("header details.menu > summary").click()
    return page.get_by_role("navigation", name="Main menu")


@pytest.fixture(scope="session")
def _require_browser() -> None:
    problem = _browser_missing()
    if problem is None:
        return
    message = f"Browser tests need a browser: {problem}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)


class ServerErrorRecorder:
    """WSGI middleware that remembers every 5xx answer and every exception that escaped the app."""

    def __init__(self, app):
        self.app = app
        self.errors: list[str] = []

    def __call__(self, environ, start_response):
        where = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"

        def recording_start_response(status, headers, exc_info=None):
            if status.startswith("5"):
                self.errors.append(f"{where} -> {status}")
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        except Exception as error:
            self.errors.append(f"{where} raised {error!r}")
            raise


class QuietRequestHandler(WSGIRequestHandler):
    """The app logs every request itself; werkzeug's access log would only repeat it."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def _build_database(app) -> dict:
    """Schema by migrations, reference data, staff and initiatives: the only shortcuts into the database."""
    from flask_migrate import upgrade

    from coprod_match.extensions import db
    from coprod_match.models import InitiativeStatus, Neighbourhood, Role
    from coprod_match.reference_data import load_reference_data
    from coprod_match.services import accounts
    from coprod_match.services import initiatives as initiative_service

    with app.app_context():
        upgrade()
        session = db.session
        load_reference_data(session)
        session.flush()

        def place(name: str) -> Neighbourhood:
            return session.query(Neighbourhood).filter_by(name=name).one()

        professional = accounts.create_staff_user(
            session, email="fatima.social@wijkteam.example", password=PROFESSIONAL_PASSWORD,
            role=Role.PROFESSIONAL, display_name="Fatima El Amrani", organisation="Wijkteam Centrum",
            work_areas=[place("Transvaal"), place("Schilderswijk")], preferred_locale="en", actor=None,
        )
        accounts.create_staff_user(
            session, email="joost.community@buurthuis.example", password=COLLEAGUE_PASSWORD,
            role=Role.PROFESSIONAL, display_name="Joost Verbeek", organisation="Buurthuis Transvaal",
            work_areas=[place("Transvaal")], preferred_locale="en", actor=None,
        )

        def initiative(title: str, neighbourhood: str, description: str):
            details = initiative_service.InitiativeDetails(
                title=title,
                description=description,
                neighbourhood=place(neighbourhood),
                location=None,
                target_group_codes=[],
                interest_codes=["sports"],
                language_codes=["nl", "tr"],
                core_tasks=["Lead the warm-up"],
                complementary_tasks=["Make coffee and tea"],
                schedule_slots=0,
                hours_per_week=2,
                volunteers_min=1,
                volunteers_ideal=3,
                welcomes_dutch_learners=True,
                start_date=dt.date.today() - dt.timedelta(days=30),
                end_date=None,
                written_in="en",  # the words above are English: pages and Listen mark them so
            )
            created = initiative_service.create_initiative(session, details, actor=professional)
            initiative_service.change_status(session, created, InitiativeStatus.OPEN, actor=professional)
            return created

        initiative("Women's sports afternoon", "Transvaal",
                   "Sports and a chat for women from the neighbourhood, many of whom speak Turkish.")
        initiative("Beach walk for carers", "Kijkduin en Ockenburgh",
                   "A walk along the beach for informal carers, far from the city centre.")
        session.commit()
        db.engine.dispose()
    return {
        "professional": Staff("Fatima El Amrani", "fatima.social@wijkteam.example", PROFESSIONAL_PASSWORD),
        "colleague": Staff("Joost Verbeek", "joost.community@buurthuis.example", COLLEAGUE_PASSWORD),
        "home_neighbourhood": "Schilderswijk",
        "initiative_title": "Women's sports afternoon",
        "initiative_neighbourhood": "Transvaal",
        "far_initiative_title": "Beach walk for carers",
    }


@contextlib.contextmanager
def serve_world(tmp_path_factory, name: str, **config) -> Iterator[tuple[World, ServerErrorRecorder]]:
    """A demo-sized world in its own SQLite database, served on a free port in a thread."""
    from coprod_match import create_app

    database = tmp_path_factory.mktemp(name) / "e2e.sqlite3"
    app = create_app({
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "e2e-testing-only-secret-key",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "MAIL_BACKEND": "log",
        **config,
    })
    facts = _build_database(app)
    recorder = ServerErrorRecorder(app.wsgi_app)
    app.wsgi_app = recorder
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"{name}-server", daemon=True)
    thread.start()
    try:
        yield World(url=f"http://127.0.0.1:{server.server_port}", database_url=f"sqlite:///{database}",
                    **facts), recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def _live_server(_require_browser, tmp_path_factory) -> Iterator[tuple[World, ServerErrorRecorder]]:
    # tests/e2e/test_two_factor.py serves its own world with the two-factor gate on.
    # The privacy statement's gate is tested in tests/web/test_privacy_statement.py; the staff made
    # below the browser accepted none.
    with serve_world(tmp_path_factory, "e2e-live", TWO_FACTOR_REQUIRED=False, PRIVACY_ACCEPTANCE_REQUIRED=False) as served:
        yield served


@pytest.fixture
def live_server(_live_server) -> Iterator[World]:
    """The running app; the test fails if any request it made answered with a server error."""
    world, recorder = _live_server
    recorder.errors.clear()
    yield world
    assert not recorder.errors, f"the server answered with errors: {recorder.errors}"


@pytest.fixture(scope="package")
def browser(_require_browser):
    from playwright.sync_api import sync_playwright

    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def pytest_collection_modifyitems(config, items):
    """Keep these tests off the per-backend parametrization: one journey, run once."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and "db_backend" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid}: browser tests must not use `app` or `db_backend`")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_call_failed = report.failed
    return report


@pytest.fixture
def new_context(browser, live_server, request, tmp_path):
    """new_context(**options): a fresh browser (own cookies) in English; screenshots on failure."""
    contexts = []

    def _new(**options):
        options.setdefault("locale", "en-GB")
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _new
    failed = getattr(request.node, "e2e_call_failed", False)
    for number, context in enumerate(contexts):
        if failed:
            for index, page in enumerate(context.pages):
                path = tmp_path / f"context{number}-page{index}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"screenshot of {page.url}: {path}")
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
