"""Server-side logins: a copied cookie dies with its row (logout, new password, reset, "log out elsewhere")."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.models import ApiToken, LoginSession, Role, utcnow
from coprod_match.services import accounts, sessions
from tests.conftest import TEST_PASSWORD, AuthActions, csrf_token, login_as
from tests.factories import api_headers

HOST = "localhost.test"  # SERVER_NAME of the test app: the cookies' domain
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0"
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Safari/537.36")
NEW_PASSWORD = "Zomeravond aan zee 7"


def browser(app, user_agent: str = CHROME_WINDOWS):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def logged_in_browser(app, user, *, remember: bool = False, user_agent: str = CHROME_WINDOWS):
    """A browser logged in through the real form."""
    client = browser(app, user_agent)
    token = csrf_token(client, "/auth/login")
    answer = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                              "csrf_token": token, "remember": "y" if remember else ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def copied_cookie(client) -> str:
    return client.get_cookie("session", domain=HOST).value


def browser_with_cookie(app, value: str):
    """Another browser holding a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value, domain=HOST)
    return thief


def logged_out(client, home: str = "/citizens/account") -> bool:
    page = client.get(home)
    api = client.get("/api/v1/me")
    return page.status_code == 302 and "/auth/login" in page.headers["Location"] and api.status_code == 401


def still_logged_in(client, home: str = "/citizens/account") -> bool:
    return client.get(home).status_code == 200 and client.get("/api/v1/me").status_code == 200


def login_rows(db_session, user) -> list[LoginSession]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(LoginSession).where(LoginSession.user_id == user.id)))


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, email="fatima@example.org")


def test_a_cookie_copied_before_logout_is_logged_out_after_it(app, citizen, db_session):
    client = logged_in_browser(app, citizen)
    copy = copied_cookie(client)
    assert still_logged_in(browser_with_cookie(app, copy))
    assert len(login_rows(db_session, citizen)) == 1

    assert AuthActions(client).logout().status_code == 302
    assert login_rows(db_session, citizen) == []
    assert logged_out(client)
    assert logged_out(browser_with_cookie(app, copy))


def test_the_cookie_holds_a_random_key_and_only_its_hash_is_stored(app, citizen, db_session):
    client = logged_in_browser(app, citizen)
    with client.session_transaction() as cookie_session:
        key = cookie_session["_user_id"]
    assert key != str(citizen.id) and len(key) >= 40
    (row,) = login_rows(db_session, citizen)
    assert row.key_hash != key and len(row.key_hash) == 64
    # The old kind of cookie, holding the user id, is not a login.
    forged = app.test_client()
    with forged.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(citizen.id)
    assert logged_out(forged)


def test_a_new_password_logs_out_every_other_device_and_every_remembered_login(app, citizen, db_session):
    here = logged_in_browser(app, citizen)
    other = logged_in_browser(app, citizen, user_agent=FIREFOX_ANDROID)
    remembered = logged_in_browser(app, citizen, remember=True)
    assert "Expires" in _login_cookie_header(app, citizen, remember=True)  # survives closing the browser
    assert [row.remembered for row in login_rows(db_session, citizen)].count(True) == 2

    answer = here.post("/auth/password", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(here, "/auth/password")})
    assert answer.status_code == 302
    assert logged_out(other)
    assert logged_out(remembered)
    assert still_logged_in(here)
    assert len(login_rows(db_session, citizen)) == 1


def _login_cookie_header(app, user, *, remember: bool) -> str:
    client = browser(app)
    token = csrf_token(client, "/auth/login")
    answer = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                              "csrf_token": token, "remember": "y" if remember else ""})
    (header,) = [value for value in answer.headers.getlist("Set-Cookie") if value.startswith("session=")]
    return header


def test_a_password_reset_logs_out_everywhere(app, citizen, db_session):
    first = logged_in_browser(app, citizen)
    second = logged_in_browser(app, citizen, remember=True)
    token = accounts.make_password_reset_token(citizen, app.config["SECRET_KEY"])
    reset = app.test_client()
    path = f"/auth/password/reset/{token}"
    answer = reset.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                    "csrf_token": csrf_token(reset, path)})
    assert answer.status_code == 302
    assert login_rows(db_session, citizen) == []
    assert logged_out(first) and logged_out(second)


def test_a_new_password_can_also_stop_the_api_tokens(app, make_user, db_session):
    professional = make_user(Role.PROFESSIONAL)
    headers = api_headers(db_session, professional, actor=professional)
    db_session.commit()
    client = logged_in_browser(app, professional)
    form = client.get("/auth/password").get_data(as_text=True)
    assert "Also stop all my API tokens" in form and "You have 1 API token." in form
    answer = client.post("/auth/password", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "revoke_tokens": "y", "csrf_token": csrf_token(client, "/auth/password")})
    assert answer.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    db_session.expire_all()
    assert db_session.scalar(sa.select(ApiToken.revoked_at)) is not None


def test_without_the_box_ticked_api_tokens_keep_working(app, make_user, db_session):
    professional = make_user(Role.PROFESSIONAL)
    headers = api_headers(db_session, professional, actor=professional)
    db_session.commit()
    client = logged_in_browser(app, professional)
    client.post("/auth/password", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(client, "/auth/password")})
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200


def test_where_you_are_logged_in_lists_both_and_logs_out_the_other(app, citizen, db_session):
    phone = logged_in_browser(app, citizen, user_agent=FIREFOX_ANDROID)
    laptop = logged_in_browser(app, citizen, user_agent=CHROME_WINDOWS)
    page = phone.get("/account/sessions")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Firefox on Android <strong>(this device)</strong>" in text
    assert "Chrome on Windows" in text and "Chrome on Windows <strong>" not in text
    assert "Where you are logged in" in phone.get("/").get_data(as_text=True)  # in the account menu

    confirm = phone.get("/account/sessions/others/end")
    assert confirm.status_code == 200 and "Log out everywhere else?" in confirm.get_data(as_text=True)
    answer = phone.post("/account/sessions/others/end",
                        data={"csrf_token": csrf_token(phone, "/account/sessions/others/end")})
    assert answer.status_code == 302
    assert logged_out(laptop)
    assert still_logged_in(phone)
    assert "Chrome on Windows" not in phone.get("/account/sessions").get_data(as_text=True)


def test_log_out_one_device_and_this_one(app, citizen, db_session):
    phone = logged_in_browser(app, citizen, user_agent=FIREFOX_ANDROID)
    laptop = logged_in_browser(app, citizen, user_agent=CHROME_WINDOWS)
    rows = {row.browser: row.id for row in login_rows(db_session, citizen)}
    path = f"/account/sessions/{rows['Chrome']}/end"
    assert phone.post(path, data={}).status_code == 400  # no CSRF token: nothing ends
    assert still_logged_in(laptop)
    assert phone.post(path, data={"csrf_token": csrf_token(phone, path)}).status_code == 302
    assert logged_out(laptop) and still_logged_in(phone)

    own = f"/account/sessions/{rows['Firefox']}/end"
    assert "you will be logged out here" in phone.get(own).get_data(as_text=True)
    answer = phone.post(own, data={"csrf_token": csrf_token(phone, own)})
    assert answer.status_code == 302
    assert logged_out(phone)
    assert login_rows(db_session, citizen) == []


def test_nobody_can_end_someone_elses_login(app, citizen, make_user, db_session):
    victim = logged_in_browser(app, citizen)
    (row,) = login_rows(db_session, citizen)
    other = make_user(Role.COORDINATOR)
    intruder = app.test_client()
    login_as(intruder, other)
    path = f"/account/sessions/{row.id}/end"
    assert intruder.get(path).status_code == 404
    assert intruder.post(path, data={"csrf_token": csrf_token(intruder, "/account/sessions")}).status_code == 404
    own_page = intruder.get("/account/sessions").get_data(as_text=True)
    assert f"/account/sessions/{row.id}/end" not in own_page
    assert still_logged_in(victim)


def test_the_csrf_token_from_before_login_no_longer_works_after_it(app, citizen):
    client = browser(app)
    before = csrf_token(client, "/auth/login")
    assert client.post("/auth/login", data={"email": citizen.email, "password": TEST_PASSWORD,
                                            "csrf_token": before}).status_code == 302
    after = csrf_token(client, "/")
    assert after != before
    # A form posted with the old token is refused; with the new one it works.
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 400
    assert still_logged_in(client)
    assert client.post("/auth/logout", data={"csrf_token": after}).status_code == 302


def test_staff_cannot_stay_logged_in(app, make_user, db_session):
    coordinator = make_user(Role.COORDINATOR)
    header = _login_cookie_header(app, coordinator, remember=True)
    assert "Expires" not in header  # a browser-session cookie
    (row,) = login_rows(db_session, coordinator)
    assert not row.remembered
    assert row.expires_at - row.created_at <= dt.timedelta(minutes=app.config["LOGIN_SESSION_IDLE_MINUTES"])


def test_a_disabled_account_is_logged_out_at_once_and_its_logins_can_be_ended(app, citizen, db_session):
    client = logged_in_browser(app, citizen)
    citizen.is_enabled = False
    db_session.commit()
    assert logged_out(client)
    assert sessions.end_all_sessions(db_session, citizen) == 1
    db_session.commit()
    assert login_rows(db_session, citizen) == []


def test_last_seen_is_written_at_most_once_a_minute_and_idle_logins_end(app, citizen, db_session):
    lifetimes = sessions.SessionLifetimes.from_config(app.config)
    start = utcnow() - dt.timedelta(hours=1)
    record, key = sessions.start_login_session(db_session, citizen, device=("", ""), remember=False,
                                               lifetimes=lifetimes, now=start)
    db_session.commit()
    assert record.expires_at == start + lifetimes.idle

    found = sessions.login_session_for_key(db_session, key, lifetimes=lifetimes, now=start + dt.timedelta(seconds=50))
    assert found is record and not db_session.dirty  # no write within the minute
    sessions.login_session_for_key(db_session, key, lifetimes=lifetimes, now=start + dt.timedelta(seconds=70))
    assert record.last_seen_at == start + dt.timedelta(seconds=70) and db_session.dirty
    db_session.commit()

    later = record.expires_at + dt.timedelta(seconds=1)
    assert sessions.login_session_for_key(db_session, key, lifetimes=lifetimes, now=later) is None
    db_session.commit()
    assert login_rows(db_session, citizen) == []  # an expired login found in use is removed


def test_no_login_lasts_longer_than_its_limit(app, citizen, db_session):
    lifetimes = sessions.SessionLifetimes.from_config(app.config)
    assert lifetimes.remembered <= dt.timedelta(days=30)
    start = utcnow() - dt.timedelta(days=40)
    normal, normal_key = sessions.start_login_session(db_session, citizen, device=("", ""), remember=False,
                                                      lifetimes=lifetimes, now=start)
    kept, kept_key = sessions.start_login_session(db_session, citizen, device=("", ""), remember=True,
                                                  lifetimes=lifetimes, now=start)
    db_session.commit()
    assert kept.expires_at == start + dt.timedelta(days=30)
    # Used every minute, a normal login still ends after LOGIN_SESSION_HOURS.
    moment = start
    while moment < start + dt.timedelta(hours=13):
        moment += dt.timedelta(minutes=20)
        sessions.login_session_for_key(db_session, normal_key, lifetimes=lifetimes, now=moment)
    assert normal.expires_at == start + lifetimes.absolute
    assert sessions.login_session_for_key(db_session, kept_key, lifetimes=lifetimes,
                                          now=start + dt.timedelta(days=29)) is kept
    assert sessions.login_session_for_key(db_session, kept_key, lifetimes=lifetimes,
                                          now=start + dt.timedelta(days=30, seconds=1)) is None


def test_the_job_removes_logins_that_ended(app, citizen, make_user, runner, db_session):
    lifetimes = sessions.SessionLifetimes.from_config(app.config)
    sessions.start_login_session(db_session, citizen, device=("", ""), remember=False, lifetimes=lifetimes,
                                 now=utcnow() - dt.timedelta(days=1))
    sessions.start_login_session(db_session, citizen, device=("", ""), remember=False, lifetimes=lifetimes)
    db_session.commit()
    result = runner.invoke(args=["scheduler", "run-job", "expired_login_sessions"])
    assert result.exit_code == 0, result.output
    assert len(login_rows(db_session, citizen)) == 1


def test_production_cookie_is_host_only_secure_and_lax(migrated_database_url):
    from config import ProductionConfig
    from tests.conftest import make_test_app

    cookie_settings = {name: getattr(ProductionConfig, name) for name in dir(ProductionConfig)
                       if name.startswith("SESSION_COOKIE_")}
    assert cookie_settings["SESSION_COOKIE_NAME"] == "__Host-session"
    app = make_test_app(migrated_database_url, **cookie_settings)
    with app.app_context():
        answer = app.test_client().get("/auth/login")
    (header,) = answer.headers.getlist("Set-Cookie")
    assert header.startswith("__Host-session=")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"secure", "httponly", "path"} <= attributes and "domain" not in attributes
    assert "Path=/" in header and "SameSite=Lax" in header
