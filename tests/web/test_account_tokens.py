"""The API tokens page: make a token (shown once), use it, revoke it after confirming."""

from __future__ import annotations

import re

import sqlalchemy as sa

from coprod_match.models import ApiToken, Role
from coprod_match.services.tokens import hash_token
from tests.conftest import csrf_token
from tests.factories import client_for

TOKEN = re.compile(r'<code class="token" id="new-token">(cpm_[A-Za-z0-9_-]+)</code>')


def _make_token(client, name="My dashboard"):
    token = csrf_token(client, "/account/tokens")
    return client.post("/account/tokens", data={"name": name, "csrf_token": token})


def test_anonymous_is_sent_to_login(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_token_is_shown_once_stored_hashed_and_works(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    client = client_for(app, user)
    page = _make_token(client)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    record = db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert token not in client.get("/account/tokens").get_data(as_text=True)  # never again

    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["id"] == user.id
    db_session.expire_all()
    assert db_session.get(ApiToken, record.id).last_used_at is not None


def test_empty_name_is_refused(app, make_user):
    client = client_for(app, make_user(Role.CITIZEN))
    page = _make_token(client, name="   ")
    assert page.status_code == 422
    assert "Give the token a name" in page.get_data(as_text=True)


def test_revoke_asks_first_then_the_token_stops_working(app, db_session, make_user):
    user = make_user(Role.CITIZEN)
    client = client_for(app, user)
    token = TOKEN.search(_make_token(client).get_data(as_text=True)).group(1)
    record = db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))

    confirm = client.get(f"/account/tokens/{record.id}/revoke")
    assert confirm.status_code == 200 and "Yes, revoke it" in confirm.get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    form_token = csrf_token(client, f"/account/tokens/{record.id}/revoke")
    done = client.post(f"/account/tokens/{record.id}/revoke", data={"csrf_token": form_token})
    assert done.status_code == 302
    refused = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoke_needs_csrf(app, db_session, make_user):
    user = make_user(Role.CITIZEN)
    client = client_for(app, user)
    _make_token(client)
    record = db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert client.post(f"/account/tokens/{record.id}/revoke", data={}).status_code == 400
    db_session.expire_all()
    assert db_session.get(ApiToken, record.id).revoked_at is None


def test_someone_elses_token_is_not_found(app, db_session, make_user):
    owner, other = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    client = client_for(app, owner)
    _make_token(client)
    record = db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == owner.id))
    intruder = client_for(app, other)
    assert intruder.get(f"/account/tokens/{record.id}/revoke").status_code == 404
    form_token = csrf_token(intruder, "/account/tokens")
    assert intruder.post(f"/account/tokens/{record.id}/revoke",
                         data={"csrf_token": form_token}).status_code == 404
