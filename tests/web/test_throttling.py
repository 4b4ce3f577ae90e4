"""Throttling (limits.py): the doors attackers knock on answer 429 with Retry-After after too many tries.

Every test runs with the limiter's storage in memory and in a real Redis
(`redis_url` starts `redis-server`; CI requires it), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest
from werkzeug.security import generate_password_hash

from coprod_match.extensions import db
from coprod_match.models import Role
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token, make_test_app

WRONG = "Not-The-Password-1"
STORAGES = ("memory", "redis")


# The people here have the test password hashed with scrypt's cost turned down (1,024 rounds, not 32,768):
# these tests count tries, and each try checks a hash (some 70 here, each 0.1-1 s at full cost). The full
# cost, and a check on every path, are tested in tests/services/test_login_timing.py.
QUICK_HASH = generate_password_hash(TEST_PASSWORD, method="scrypt:1024:8:1")


@pytest.fixture
def make_user(make_user, db_session):
    def _make(*args, **kwargs):
        user = make_user(*args, **kwargs)
        user.password_hash = QUICK_HASH
        db_session.commit()
        return user

    return _make


@pytest.fixture(params=STORAGES)
def storage_uri(request) -> str:
    if request.param == "memory":
        return "memory://"
    return request.getfixturevalue("redis_url")


@pytest.fixture
def app_config_overrides(storage_uri) -> dict:
    # A key prefix per test: tests sharing one Redis never see each other's counts.
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def _post(client, path: str, data: dict, *, address: str = "192.0.2.1", headers: dict | None = None):
    return client.post(path, data=data, headers=headers or {}, environ_base={"REMOTE_ADDR": address})


def _login(client, email: str, password: str, *, address: str = "192.0.2.1", headers: dict | None = None):
    token = csrf_token(client, "/auth/login")
    return _post(client, "/auth/login", {"email": email, "password": password, "csrf_token": token},
                 address=address, headers=headers)


def _retry_after(response) -> int:
    value = int(response.headers["Retry-After"])
    assert 0 < value <= 60
    return value


def test_the_eleventh_wrong_login_within_a_minute_answers_429(client, make_user):
    user = make_user(Role.CITIZEN, email="amal@example.org")
    for _ in range(10):
        answer = _login(client, user.email, WRONG)
        assert answer.status_code == 422
        assert "do not match an account" in answer.get_data(as_text=True)
    eleventh = _login(client, "AMAL@example.org ", WRONG)  # the same account, typed differently
    assert eleventh.status_code == 429
    _retry_after(eleventh)
    assert "Too many tries. Wait 1 minute and try again." in eleventh.get_data(as_text=True)
    # The right password waits too, from any address: the limit is on the account.
    assert _login(client, user.email, TEST_PASSWORD, address="198.51.100.7").status_code == 429


def test_another_account_from_the_same_address_is_not_affected(client, make_user):
    attacked = make_user(Role.CITIZEN)
    neighbour = make_user(Role.CITIZEN)
    for _ in range(11):
        _login(client, attacked.email, WRONG)
    assert _login(client, neighbour.email, TEST_PASSWORD).status_code == 302


def test_the_limit_per_address_holds_across_accounts_and_spares_other_addresses(app, client, make_user):
    app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "3 per minute"
    people = [make_user(Role.CITIZEN) for _ in range(3)]
    for person in people:
        assert _login(client, person.email, WRONG, address="192.0.2.50").status_code == 422
    assert _login(client, people[0].email, TEST_PASSWORD, address="192.0.2.50").status_code == 429
    assert _login(client, people[0].email, TEST_PASSWORD, address="192.0.2.51").status_code == 302


def test_logins_that_succeed_do_not_count(client, make_user):
    user = make_user(Role.COORDINATOR)
    for _ in range(12):
        assert _login(client, user.email, TEST_PASSWORD).status_code == 302
        assert client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302


def test_two_app_instances_sharing_redis_share_the_count(app, client, make_user, storage_uri,
                                                           migrated_database_url, app_config_overrides):
    """Two gunicorn workers (or machines): with Redis they count together; in memory, each on its own."""
    user = make_user(Role.CITIZEN)
    other = make_test_app(migrated_database_url, **app_config_overrides)
    try:
        other_client = other.test_client()
        for _ in range(5):
            assert _login(client, user.email, WRONG).status_code == 422
            assert _login(other_client, user.email, WRONG).status_code == 422
        expected = 429 if storage_uri.startswith("redis") else 422
        assert _login(other_client, user.email, WRONG).status_code == expected
    finally:
        with other.app_context():
            db.engine.dispose()


def test_registration_and_reset_requests_count_every_try_per_account(client, reference_data):
    token = csrf_token(client, "/auth/register")
    registration = {"csrf_token": token, "email": "sam@example.org", "display_name": "Sam", "password": "x"}
    answers = [_post(client, "/auth/register", registration).status_code for _ in range(4)]
    assert answers == [422, 422, 422, 429]
    # Another address typed is another account.
    assert _post(client, "/auth/register", {**registration, "email": "kim@example.org"}).status_code == 422

    reset = {"csrf_token": token, "email": "Sam@Example.org"}
    answers = [_post(client, "/auth/password/forgot", reset).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]


def test_invitations_by_email_are_throttled_per_address_invited(app, db_session, make_user):
    world = factories.invitation_world(db_session, make_user)
    professional = factories.client_for(app, world["contact"])
    token = csrf_token(professional, "/")
    path = f"/invitations/by-email/{world['day_care'].id}"
    invite = {"csrf_token": token, "display_name": "Sam", "email": "sam@example.org",
              "preferred_locale": "en", "asked_in_person": "y", "message": "Join us?"}
    answers = [_post(professional, path, invite).status_code for _ in range(4)]
    assert answers[:3] != [429] * 3 and answers[3] == 429


def test_bad_api_tokens_are_throttled_per_address(app, db_session, make_user):
    app.config["RATELIMIT_API_TOKEN_FAILURES_PER_ADDRESS"] = "3 per minute"
    user = make_user(Role.PROFESSIONAL)
    good = factories.api_headers(db_session, user, actor=user)
    db_session.commit()
    client = app.test_client()
    bad = {"Authorization": "Bearer not-a-real-token"}
    statuses = [client.get("/api/v1/me", headers=bad, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    refused = client.get("/api/v1/me", headers=good, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["type"] == "urn:coprod-match:problem:too-many-requests" and body["status"] == 429
    assert body["detail"] == "Too many tries. Wait 1 minute and try again."
    _retry_after(refused)
    # Good tokens count nothing, and another address is not affected.
    assert client.get("/api/v1/me", headers=good, environ_base={"REMOTE_ADDR": "203.0.113.10"}).status_code == 200


def test_the_429_page_speaks_dutch(client, make_user):
    user = make_user(Role.CITIZEN)
    for _ in range(10):
        _login(client, user.email, WRONG)
    answer = _login(client, user.email, WRONG, headers={"Accept-Language": "nl"})
    assert answer.status_code == 429
    assert "Te veel pogingen. Wacht 1 minuut en probeer het opnieuw." in answer.get_data(as_text=True)


# --- Configuration and failure: run once, not per storage -------------------------------------------------


@pytest.mark.parametrize("storage_uri", ["memory://"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(app, client, make_user, storage_uri):
    app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "2 per minute"
    people = [make_user(Role.CITIZEN) for _ in range(3)]
    proxied = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXY_COUNT=1, RATELIMIT_ENABLED=True,
                            RATELIMIT_STORAGE_URI="memory://", RATELIMIT_LOGIN_PER_ADDRESS="2 per minute")
    via_proxy = proxied.test_client()

    def from_client(target, person, forwarded_for):
        return _login(target, person.email, WRONG, address="10.0.0.1",
                      headers={"X-Forwarded-For": forwarded_for})

    # Behind one trusted proxy, each client address has its own count.
    assert [from_client(via_proxy, people[0], "192.0.2.1").status_code for _ in range(3)] == [422, 422, 429]
    assert from_client(via_proxy, people[1], "192.0.2.2").status_code == 422
    # Without a trusted proxy the header is the client's word only: it changes nothing.
    assert [from_client(client, people[2], f"192.0.2.{n}").status_code for n in range(3)] == [422, 422, 429]
    with proxied.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("storage_uri", ["redis://127.0.0.1:1/0"])
def test_a_missing_redis_fails_open_to_a_count_in_memory(client, make_user, storage_uri):
    user = make_user(Role.CITIZEN)
    answers = [_login(client, user.email, WRONG).status_code for _ in range(11)]
    assert answers == [422] * 10 + [429]
    assert _login(client, make_user(Role.CITIZEN).email, TEST_PASSWORD).status_code == 302


def test_production_needs_a_shared_store_for_the_limits(monkeypatch, tmp_path):
    from coprod_match import create_app

    base = {"APP_ENV": "production", "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "RATELIMIT_STORAGE_URI": None}
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI is not set"):
        create_app(base)
    assert create_app({**base, "RATELIMIT_STORAGE_URI": "memory://"}).config["APP_ENV"] == "production"
