"""Error pages, JSON errors, health checks, request ids, rollback after a 500."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Blueprint

from coprod_match.extensions import db
from coprod_match.models import Neighbourhood


def test_404_is_a_page_in_the_site_style(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_api_clients_get_json_problems(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"]
    wants_json = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert wants_json.mimetype == "application/problem+json"


def test_405_for_a_wrong_method(client):
    assert client.delete("/initiatives/").status_code == 405


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/health+json"
    assert response.json == {"status": "pass"}


def test_readyz_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/health+json"
    assert response.json["status"] == "pass"


def test_readyz_fails_on_an_empty_database(new_database_url):
    from tests.conftest import make_test_app

    app = make_test_app(new_database_url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "fail"
    with app.app_context():
        db.engine.dispose()


def test_readyz_fails_when_the_database_is_unreachable():
    from tests.conftest import make_test_app

    app = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"][0]["status"] == "fail"


def test_request_id_is_returned_and_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="coprod_match.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert response.headers["X-Request-ID"] == "abcdef123456"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    messages = [r.getMessage() for r in caplog.records]
    assert any("GET /healthz 200" in m for m in messages)


def test_logs_name_the_route_not_the_path(client, caplog, reference_data):
    with caplog.at_level(logging.INFO, logger="coprod_match.requests"):
        client.get("/auth/password/reset/secret-token-value")
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "secret-token-value" not in text
    assert "/auth/password/reset/<token>" in text


@pytest.mark.own_app  # adds a route
def test_a_500_rolls_back_and_shows_a_calm_page(app, db_session, reference_data):
    failing = Blueprint("failing", __name__)

    @failing.get("/fail-after-write")
    def fail_after_write():
        db.session.add(Neighbourhood(name="Half-written", district="X", latitude=0, longitude=0))
        db.session.flush()
        raise RuntimeError("boom")

    app.register_blueprint(failing)
    response = app.test_client().get("/fail-after-write")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page and "boom" not in page
    count = db_session.scalar(
        sa.select(sa.func.count()).select_from(Neighbourhood).where(Neighbourhood.name == "Half-written")
    )
    assert count == 0


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_nul_bytes_are_a_bad_request(client):
    assert client.get("/initiatives/?q=a%00b").status_code == 400
    assert client.post("/auth/login", data={"email": "a\x00@b.nl", "password": "x"}).status_code == 400
