"""Account lockout: wrong passwords in a row lock an account for a growing time, and the owner hears of it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from coprod_match.models import AuditEntry, LoginLockout, Role, utcnow
from coprod_match.services import accounts, lockout
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

WRONG = "Not-The-Password-1"


def _record(db_session, user) -> LoginLockout | None:
    db_session.expire_all()  # the failures were stored by a transaction of their own
    return db_session.get(LoginLockout, user.id)


def _fail(db_session, user, times: int) -> None:
    """Wrong passwords, each in a unit of work that rolls back, as the login page's 422 does."""
    for _ in range(times):
        assert accounts.authenticate(db_session, user.email, WRONG) is None
        db_session.rollback()


def _end_lock(db_session, user) -> None:
    """Let the current lock run out, as if its minutes had passed."""
    record = _record(db_session, user)
    record.locked_until = utcnow() - dt.timedelta(seconds=1)
    db_session.commit()


def test_five_wrong_passwords_lock_the_account_and_even_the_right_one_is_refused(db_session, make_user):
    user = make_user(Role.CITIZEN, email="amal@example.org")
    _fail(db_session, user, 4)
    assert lockout.locked_until(db_session, _reload(db_session, user)) is None
    assert _record(db_session, user).failed_logins == 4

    _fail(db_session, user, 1)
    until = lockout.locked_until(db_session, user)
    assert until is not None
    assert dt.timedelta(seconds=50) < until - utcnow() <= dt.timedelta(minutes=1)
    assert accounts.authenticate(db_session, user.email, TEST_PASSWORD) is None
    # Tries during the lock do not make it longer.
    _fail(db_session, user, 7)
    assert lockout.locked_until(db_session, user) == until
    assert db_session.scalars(sa.select(AuditEntry.action)).all() == ["account.locked"]


def _reload(db_session, user):
    db_session.expire_all()
    return db_session.get(type(user), user.id)


def test_a_right_password_forgets_the_failures(db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    _fail(db_session, user, 4)
    assert accounts.authenticate(db_session, user.email, TEST_PASSWORD) is not None
    db_session.commit()
    assert _record(db_session, user) is None
    _fail(db_session, user, 4)
    assert lockout.locked_until(db_session, user) is None
    assert accounts.authenticate(db_session, user.email, TEST_PASSWORD) is not None


def test_each_lock_in_a_row_lasts_longer(db_session, make_user):
    user = make_user(Role.CITIZEN)
    lengths = []
    for _ in range(5):
        _fail(db_session, user, 5)
        lengths.append(round((lockout.locked_until(db_session, user) - utcnow()) / dt.timedelta(minutes=1)))
        _end_lock(db_session, user)
    assert lengths == [1, 5, 15, 60, 60]
    # After the lock the right password works again, and the next lock starts short.
    assert accounts.authenticate(db_session, user.email, TEST_PASSWORD) is not None
    db_session.commit()
    _fail(db_session, user, 5)
    assert round((lockout.locked_until(db_session, user) - utcnow()) / dt.timedelta(minutes=1)) == 1


def test_old_failures_are_forgotten(db_session, make_user):
    user = make_user(Role.CITIZEN)
    _fail(db_session, user, 4)
    record = _record(db_session, user)
    record.last_failed_at = utcnow() - dt.timedelta(hours=25)
    db_session.commit()
    _fail(db_session, user, 1)
    assert _record(db_session, user).failed_logins == 1


def test_a_new_password_ends_the_lock(db_session, make_user):
    user = make_user(Role.CITIZEN)
    _fail(db_session, user, 5)
    accounts.set_password(db_session, _reload(db_session, user), "Zomeravond aan zee 7")
    db_session.commit()
    assert lockout.locked_until(db_session, user) is None
    assert accounts.authenticate(db_session, user.email, "Zomeravond aan zee 7") is not None


def test_unknown_and_disabled_accounts_are_not_counted(db_session, make_user):
    disabled = make_user(Role.CITIZEN, is_enabled=False)
    _fail(db_session, disabled, 6)
    assert accounts.authenticate(db_session, "nobody@example.org", WRONG) is None
    db_session.rollback()
    assert db_session.scalars(sa.select(LoginLockout)).all() == []


def test_a_failure_is_recorded_even_while_the_same_unit_of_work_holds_locks(db_session, make_user):
    """A session that already changed the account (as a job or command might) does not block the count."""
    user = make_user(Role.CITIZEN)
    for _ in range(5):
        user.display_name = "Renamed"
        db_session.flush()  # this transaction now holds a write lock (SQLite: the whole database)
        assert accounts.authenticate(db_session, user.email, WRONG) is None
        db_session.commit()
    assert lockout.locked_until(db_session, user) is not None
    assert db_session.get(type(user), user.id).display_name == "Renamed"


def test_the_owner_gets_a_mail_in_their_language(db_session, make_user, smtp_server):
    user = make_user(Role.CITIZEN, email="sanne@example.org", locale="nl")
    _fail(db_session, user, 5)
    deliver_outbox()
    assert [message["To"] for message in smtp_server.messages] == ["sanne@example.org"]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Iemand probeerde in te loggen op je account"
    text = body_text(message)
    assert "5 keer" in text and "de komende minuut" in text
    assert "http://localhost.test/auth/password/forgot" in text  # from PUBLIC_BASE_URL, never the request
    # The next failures during the lock send nothing more.
    _fail(db_session, user, 3)
    deliver_outbox()
    assert len(smtp_server.messages) == 1


def test_the_login_page_counts_failures_although_it_answers_with_an_error(client, db_session, make_user):
    user = make_user(Role.CITIZEN, email="amal@example.org")
    token = csrf_token(client, "/auth/login")

    def login(password: str):
        return client.post("/auth/login", data={"email": "Amal@Example.org", "password": password,
                                                "csrf_token": token})

    for _ in range(5):
        assert login(WRONG).status_code == 422
    wrong = login(WRONG)
    locked_right = login(TEST_PASSWORD)
    # During the lock the right password gets exactly the answer a wrong one gets: nothing to learn.
    assert locked_right.status_code == wrong.status_code == 422
    message = "This e-mail address and password do not match an account."
    assert message in locked_right.get_data(as_text=True) and message in wrong.get_data(as_text=True)
    assert lockout.locked_until(db_session, user) is not None

    _end_lock(db_session, user)
    assert login(TEST_PASSWORD).status_code == 302
    assert _record(db_session, user) is None
