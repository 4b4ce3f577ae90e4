"""Two-factor pages: the gate for staff, setting up, the second login step, managing it."""

from __future__ import annotations

import re

import pytest

from coprod_match.models import Role, TwoFactor
from coprod_match.services import two_factor
from tests.conftest import TEST_PASSWORD, AuthActions, csrf_token
from tests.factories import api_headers, app_code, client_for, two_factor_on

SECRET = re.compile(r'<code class="token" id="two-factor-secret">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>")
STAFF_HOMES = {Role.PROFESSIONAL: "/professionals/", Role.COORDINATOR: "/coordination/", Role.ADMIN: "/admin/users"}


@pytest.fixture
def app_config_overrides():
    return {"TWO_FACTOR_REQUIRED": True}


def _post(client, path, data, *, form_path=None, prefix=""):
    """Post `data` with the session's CSRF token (named with the form's prefix, as the page names it)."""
    field = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return client.post(path, data={**data, field: csrf_token(client, form_path or path)})


@pytest.mark.parametrize("role", list(STAFF_HOMES))
def test_staff_without_two_factor_are_sent_to_set_it_up(app, make_user, role):
    client = client_for(app, make_user(role))
    for path in (STAFF_HOMES[role], "/initiatives/", "/inbox/", "/account/tokens", "/no-such-page"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"] == "/account/two-factor", path
    setup = client.get("/account/two-factor")
    assert setup.status_code == 200 and setup.headers["Cache-Control"] == "no-store"
    assert "You need it to see residents&#39; data." in setup.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200
    assert client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/account/two-factor")}).status_code == 302
    assert client.get("/account/two-factor").status_code == 302  # logged out: to the login page


def test_citizens_are_not_gated_and_a_switched_off_gate_lets_staff_through(app, make_user):
    assert client_for(app, make_user(Role.CITIZEN)).get("/citizens/account").status_code == 200
    app.config["TWO_FACTOR_REQUIRED"] = False
    assert client_for(app, make_user(Role.PROFESSIONAL)).get("/professionals/").status_code == 200


def test_the_api_refuses_staff_without_two_factor_with_a_problem_document(app, db_session, make_user):
    staff, citizen = make_user(Role.COORDINATOR), make_user(Role.CITIZEN)
    staff_token, citizen_token = api_headers(db_session, staff, actor=staff), api_headers(db_session, citizen, actor=citizen)
    db_session.commit()
    client = app.test_client()
    for request in (lambda: client.get("/api/v1/job-runs", headers=staff_token),
                    lambda: client_for(app, staff).get("/api/v1/me")):
        answer = request()
        assert answer.status_code == 403 and answer.mimetype == "application/problem+json"
        assert answer.get_json()["type"] == "urn:coprod-match:problem:two-factor-required"
    assert client.get("/api/v1/me", headers=citizen_token).status_code == 200
    two_factor_on(db_session, staff)
    db_session.commit()
    assert client.get("/api/v1/job-runs", headers=staff_token).status_code == 200


def test_setup_shows_qr_and_key_refuses_a_wrong_code_and_shows_codes_once(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    client = client_for(app, user)
    assert client.get("/professionals/").status_code == 302  # the gate remembers where they were going
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert '<svg' in page and "<title>QR code to scan with your authenticator app</title>" in page
    assert "<script" not in page.split("<main", 1)[1]
    shown = SECRET.search(page).group(1)
    assert all(len(group) == 4 for group in shown.split(" "))
    secret = shown.replace(" ", "")
    assert secret == db_session.get(TwoFactor, user.id).secret

    wrong = f"{(int(app_code(secret)) + 1) % 1_000_000:06d}"
    refused = _post(client, "/account/two-factor", {"code": wrong})
    assert refused.status_code == 422 and "This code is not right." in refused.get_data(as_text=True)
    assert not two_factor.is_enabled(db_session, user)

    done = _post(client, "/account/two-factor", {"code": app_code(secret)})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert len(RECOVERY.findall(body)) == 10 and "Print these codes or write them down now" in body
    assert 'href="/professionals/"' in body
    again = client.get("/account/two-factor").get_data(as_text=True)
    assert secret[:4] not in again and not RECOVERY.search(again)
    assert "You have 10 recovery codes left." in again
    assert client.get("/professionals/").status_code == 200


def _log_in(app, user, *, remember=False):
    client = app.test_client()
    data = {"email": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    return client, _post(client, "/auth/login", data)


def test_with_two_factor_the_password_alone_does_not_log_in(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    secret, _codes = two_factor_on(db_session, user)
    db_session.commit()
    client, answer = _log_in(app, user)
    assert answer.status_code == 302 and answer.headers["Location"] == "/auth/two-factor"
    assert client.get("/professionals/").headers["Location"].startswith("/auth/login")

    wrong = _post(client, "/auth/two-factor", {"code": "12345"})
    assert wrong.status_code == 422 and "This code is not right." in wrong.get_data(as_text=True)
    assert client.get("/professionals/").status_code == 302

    right = _post(client, "/auth/two-factor", {"code": app_code(secret, steps_ahead=1)})
    assert right.status_code == 302 and right.headers["Location"] == "/professionals/"
    assert client.get("/professionals/").status_code == 200
    assert client.get("/auth/two-factor").headers["Location"] == "/auth/login"  # the step is over


def test_a_recovery_code_logs_in_once(app, db_session, make_user):
    user = make_user(Role.ADMIN)
    _secret, codes = two_factor_on(db_session, user)
    db_session.commit()
    client, _answer = _log_in(app, user)
    assert _post(client, "/auth/two-factor", {"code": codes[3]}).headers["Location"] == "/admin/users"
    second, _answer = _log_in(app, user)
    assert _post(second, "/auth/two-factor", {"code": codes[3]}).status_code == 422


def test_the_second_step_ends_after_five_minutes(app, db_session, make_user):
    user = make_user(Role.CITIZEN)
    secret, _codes = two_factor_on(db_session, user)
    db_session.commit()
    client, _answer = _log_in(app, user)
    with client.session_transaction() as session:
        session["two_factor_login"] = {**session["two_factor_login"], "until": 0}
    late = _post(client, "/auth/two-factor", {"code": app_code(secret, steps_ahead=1)}, form_path="/auth/login")
    assert late.status_code == 302 and late.headers["Location"] == "/auth/login"
    assert client.get("/citizens/account").status_code == 302


def test_a_pending_login_takes_only_its_own_persons_code(app, db_session, make_user):
    owner, other = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    two_factor_on(db_session, owner)
    other_secret, other_codes = two_factor_on(db_session, other)
    db_session.commit()
    client, _answer = _log_in(app, owner)
    for code in (app_code(other_secret, steps_ahead=1), other_codes[0]):
        assert _post(client, "/auth/two-factor", {"code": code}).status_code == 422
    assert client.get("/professionals/").status_code == 302


def test_without_csrf_token_no_code_is_checked(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    secret, _codes = two_factor_on(db_session, user)
    db_session.commit()
    used_step = db_session.get(TwoFactor, user.id).last_used_step
    client, _answer = _log_in(app, user)
    answer = client.post("/auth/two-factor", data={"code": app_code(secret, steps_ahead=1)})
    assert answer.status_code == 400
    db_session.expire_all()
    assert db_session.get(TwoFactor, user.id).last_used_step == used_step
    assert client.get("/professionals/").status_code == 302


def test_staff_cannot_turn_it_off_citizens_can(app, db_session, make_user):
    staff, citizen = make_user(Role.COORDINATOR), make_user(Role.CITIZEN)
    staff_secret, _codes = two_factor_on(db_session, staff)
    citizen_secret, _codes = two_factor_on(db_session, citizen)
    db_session.commit()

    staff_client = client_for(app, staff)
    assert "Turn two-factor login off" not in staff_client.get("/account/two-factor").get_data(as_text=True)
    refused = _post(staff_client, "/account/two-factor/off", {"off-code": app_code(staff_secret, steps_ahead=1)},
                    form_path="/account/two-factor", prefix="off")
    assert refused.status_code == 403
    assert "Staff cannot turn two-factor login off." in refused.get_data(as_text=True)
    assert two_factor.is_enabled(db_session, staff)

    citizen_client = client_for(app, citizen)
    wrong = _post(citizen_client, "/account/two-factor/off", {"off-code": "000000"}, form_path="/account/two-factor", prefix="off")
    assert wrong.status_code == 422
    done = _post(citizen_client, "/account/two-factor/off", {"off-code": app_code(citizen_secret, steps_ahead=1)},
                 form_path="/account/two-factor", prefix="off")
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(TwoFactor, citizen.id) is None


def test_new_recovery_codes_need_a_code_from_the_app(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    secret, old_codes = two_factor_on(db_session, user)
    db_session.commit()
    client = client_for(app, user)
    assert _post(client, "/account/two-factor/recovery-codes", {"renew-code": old_codes[0]},
                 form_path="/account/two-factor", prefix="renew").status_code == 422
    renewed = _post(client, "/account/two-factor/recovery-codes", {"renew-code": app_code(secret, steps_ahead=1)},
                    form_path="/account/two-factor", prefix="renew")
    new_codes = RECOVERY.findall(renewed.get_data(as_text=True))
    assert renewed.status_code == 200 and len(new_codes) == 10 and not set(new_codes) & set(old_codes)


def test_the_login_form_logs_in_as_before_without_two_factor(app, make_user):
    auth_client = app.test_client()
    user = make_user(Role.CITIZEN)
    answer = AuthActions(auth_client).login(user.email)
    assert answer.status_code == 302 and answer.headers["Location"] == "/citizens/account"


def test_the_gate_is_on_unless_switched_off_with_zero(app):
    from config import BaseConfig, ProductionConfig

    assert app.config["TWO_FACTOR_REQUIRED"] is True
    assert BaseConfig.TWO_FACTOR_REQUIRED is True and ProductionConfig.TWO_FACTOR_REQUIRED is True


def test_anonymous_visitors_cannot_use_the_forms_or_the_second_step(app):
    client = app.test_client()
    for path in ("/account/two-factor/recovery-codes", "/account/two-factor/off"):
        answer = _post(client, path, {"code": "123456"}, form_path="/auth/login")
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/auth/login"), path
    step = _post(client, "/auth/two-factor", {"code": "123456"}, form_path="/auth/login")
    assert step.status_code == 302 and step.headers["Location"] == "/auth/login"
