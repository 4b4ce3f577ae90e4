"""Links from one place, headers, and files: the attacks of issue 12 replayed, with the safe answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from urllib.parse import urlsplit

import pytest

from config import ProductionConfig
from coprod_match import create_app
from coprod_match.links import safe_next
from coprod_match.models import AlertKind, Role
from coprod_match.transfers.export import InitiativeExportRow, initiatives_csv
from tests import factories
from tests.conftest import csrf_token
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

PUBLIC = "https://wijk.example"
EVIL_TARGETS = ["/\t/evil.example", "/\\evil.example", "/\\/evil.example", "//evil.example",
                "https://evil.example/", "/\n/evil.example", "\t//evil.example", "javascript:alert(1)"]


@pytest.fixture
def app_config_overrides():
    return {"PUBLIC_BASE_URL": PUBLIC}


def _stays_on_site(response) -> str:
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost.test"), location
    assert not re.search(r"[\x00-\x1f\\]", location) and not parts.path.startswith("//"), location
    return location


# --- one safe_next for every redirect target taken from a request ---------------------------


@pytest.mark.parametrize("target", [*EVIL_TARGETS, None, "", "relative/path", 7])
def test_safe_next_refuses_anything_a_browser_could_read_as_another_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/citizens/account", "/coordination/?page=2&kind=x#top"])
def test_safe_next_keeps_paths_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_next_stays_on_the_site(client, make_user, target):
    user = make_user(Role.CITIZEN)
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": "Correct-Horse-Battery-42", "csrf_token": token})
    assert _stays_on_site(response).endswith("/citizens/account")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_language_switch_next_stays_on_the_site(client, reference_data, target):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"locale": "nl", "next": target, "csrf_token": token})
    assert urlsplit(_stays_on_site(response)).path == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example", "//evil.example"])
def test_acknowledge_next_stays_on_the_site(app, db_session, make_user, target):
    coordinator = make_user(Role.COORDINATOR)
    initiative = factories.initiative(db_session, contact=make_user(Role.PROFESSIONAL))
    alert = factories.alert(db_session, initiative, AlertKind.BELOW_MINIMUM, details={"active": 0, "minimum": 2})
    db_session.commit()
    client = factories.client_for(app, coordinator)
    token = csrf_token(client, f"/coordination/alerts/{alert.id}")
    response = client.post(f"/coordination/alerts/{alert.id}/acknowledge", data={"csrf_token": token, "next": target})
    assert urlsplit(_stays_on_site(response)).path == f"/coordination/alerts/{alert.id}"
    # A real path on the site is still followed (the dashboard's own button sends one).
    kept = client.post(f"/coordination/alerts/{alert.id}/acknowledge",
                       data={"csrf_token": token, "next": "/coordination/?kind=below_minimum"})
    assert _stays_on_site(kept).endswith("/coordination/?kind=below_minimum")


# --- absolute links come from PUBLIC_BASE_URL ---------------------------------------------------


def test_reset_mail_asked_for_with_another_host_links_to_the_public_address(client, make_user, smtp_server):
    make_user(Role.CITIZEN, email="amal@example.org")
    evil = "http://evil.example"
    page = client.get("/auth/password/forgot", base_url=evil)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/auth/password/forgot", base_url=evil,
                           data={"email": "amal@example.org", "csrf_token": token})
    assert response.status_code == 302
    deliver_outbox()
    text = body_text(smtp_server.messages[0])
    assert "evil.example" not in text
    assert re.search(re.escape(PUBLIC) + r"/auth/password/reset/\S+", text), text


# --- production: PUBLIC_BASE_URL required, TRUSTED_HOSTS, HSTS, private files ---------------------


def _production(tmp_path, monkeypatch, **settings):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    config = type("Production", (ProductionConfig,), {
        "SECRET_KEY": "production-test-" + "0" * 32, "SQLALCHEMY_DATABASE_URI": None,
        "RATELIMIT_STORAGE_URI": "memory://", **settings})
    return create_app(config)


def test_production_refuses_to_start_without_a_public_address(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL is not set"):
        _production(tmp_path, monkeypatch, PUBLIC_BASE_URL=None)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL must be an address"):
        _production(tmp_path, monkeypatch, PUBLIC_BASE_URL="wijk.example")


def test_production_answers_only_its_own_host_with_hsts(tmp_path, monkeypatch):
    app = _production(tmp_path, monkeypatch, PUBLIC_BASE_URL=PUBLIC, EXTRA_TRUSTED_HOSTS=("10.0.0.5",))
    client = app.test_client()
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400
    for base in (PUBLIC, "http://10.0.0.5:8000"):
        ok = client.get("/healthz", base_url=base)
        assert ok.status_code == 200
        assert ok.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_instance_folder_key_and_sqlite_file_are_the_owners_only(tmp_path, monkeypatch):
    app = _production(tmp_path, monkeypatch, PUBLIC_BASE_URL=PUBLIC, SECRET_KEY=None, APP_ENV="development")
    from coprod_match.extensions import db

    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE probe (id INTEGER)")
        db.engine.dispose()
    instance = tmp_path / "instance"
    assert oct(os.stat(instance).st_mode & 0o777) == "0o700"
    assert oct(os.stat(instance / "secret_key").st_mode & 0o777) == "0o600"
    assert oct(os.stat(instance / "coprod_match.sqlite3").st_mode & 0o777) == "0o600"


def test_an_existing_world_readable_database_is_made_private(tmp_path, monkeypatch):
    (tmp_path / "instance").mkdir(mode=0o755)
    database = tmp_path / "instance" / "coprod_match.sqlite3"
    database.touch(mode=0o644)
    os.chmod(database, 0o644)
    _production(tmp_path, monkeypatch, PUBLIC_BASE_URL=PUBLIC)
    assert oct(os.stat(database).st_mode & 0o777) == "0o600"
    assert oct(os.stat(tmp_path / "instance").st_mode & 0o777) == "0o700"


# --- nothing personal stays in a cache ---------------------------------------------------------


def test_a_residents_pages_are_never_stored(app, make_user):
    citizen = make_user(Role.CITIZEN)
    client = factories.client_for(app, citizen)
    for path in ("/citizens/account", "/citizens/profile", "/inbox/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_static_files_may_still_be_cached(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


# --- CSV export ------------------------------------------------------------------------------


def test_csv_export_neutralises_cells_starting_with_tab_or_carriage_return():
    row = InitiativeExportRow(
        id=1, title="\t=HYPERLINK(\"http://evil.example\")", description="\r=1+1", neighbourhood="-2+3",
        district="Centrum", location="@SUM(A1)", status="open", target_groups=(), interests=(),
        core_tasks=(), complementary_tasks=(), languages=(), schedule_slots=0, hours_per_week=2,
        volunteers_min=1, volunteers_ideal=2, active_volunteers=0, welcomes_dutch_learners=False,
        start_date=dt.date(2026, 1, 1), end_date=None, contact_emails=())
    exported = next(csv.DictReader(io.StringIO(initiatives_csv([row]), newline="")))
    assert exported["title"].startswith("'\t=")
    assert exported["description"].startswith("'\r=")
    assert exported["neighbourhood"] == "'-2+3" and exported["location"] == "'@SUM(A1)"
    assert exported["district"] == "Centrum"
