"""Two-factor login: codes from the app work once, recovery codes once, staff keep it on."""

from __future__ import annotations

import urllib.parse

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from coprod_match.extensions import db
from coprod_match.models import AuditEntry, RecoveryCode, Role, TwoFactor
from coprod_match.services import two_factor
from tests.factories import app_code, two_factor_on


def test_setup_shows_one_secret_until_the_first_right_code(db_session, make_user):
    user = make_user(Role.PROFESSIONAL, email="nurse@example.org")
    first = two_factor.begin_setup(db_session, user)
    again = two_factor.begin_setup(db_session, user)
    assert again.secret == first.secret and len(first.secret) == 32
    uri = urllib.parse.urlsplit(two_factor.provisioning_uri(user, first))
    query = urllib.parse.parse_qs(uri.query)
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert urllib.parse.unquote(uri.path) == "/coprod-match:nurse@example.org"
    assert query["issuer"] == ["coprod-match"] and query["secret"] == [first.secret]
    assert not two_factor.is_enabled(db_session, user)


def test_a_wrong_code_does_not_turn_it_on(db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    record = two_factor.begin_setup(db_session, user)
    wrong = f"{(int(app_code(record.secret)) + 1) % 1_000_000:06d}"
    for code in (wrong, "", "abcdef", "1234567"):
        with pytest.raises(two_factor.WrongTwoFactorCode):
            two_factor.enable(db_session, user, code)
    assert not two_factor.is_enabled(db_session, user)


def test_the_right_code_turns_it_on_with_ten_hashed_recovery_codes(db_session, make_user):
    user = make_user(Role.COORDINATOR)
    _secret, codes = two_factor_on(db_session, user)
    db_session.commit()
    assert two_factor.is_enabled(db_session, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)
    hashes = db_session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(hashes) == 10 and not any(code.replace("-", "") in stored for code in codes for stored in hashes)
    assert db_session.scalar(sa.select(AuditEntry.action).where(AuditEntry.entity_id == user.id)) == "two_factor.enabled"
    with pytest.raises(two_factor.TwoFactorAlreadyOn):
        two_factor.begin_setup(db_session, user)


def test_an_app_code_works_once(db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    secret, _codes = two_factor_on(db_session, user)
    # The setup used this step's code: it cannot log in as well.
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, app_code(secret))
    next_code = app_code(secret, steps_ahead=1)
    two_factor.verify_login_code(db_session, user, next_code[:3] + " " + next_code[3:])
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, next_code)  # replayed within its window
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, app_code(secret, steps_ahead=3))  # too far ahead


def test_wrong_codes_count_as_failed_logins_and_a_lock_refuses_even_the_right_code(app, db_session, make_user):
    from coprod_match.services import lockout

    user = make_user(Role.PROFESSIONAL)
    secret, codes = two_factor_on(db_session, user)
    db_session.commit()
    for _ in range(app.config["LOGIN_LOCKOUT_AFTER_FAILURES"]):
        with pytest.raises(two_factor.WrongTwoFactorCode):
            two_factor.verify_login_code(db_session, user, app_code(secret, steps_ahead=5))  # outside the window
        db_session.rollback()  # a refused step rolls back, as the page's unit of work does
    assert lockout.locked_until(db_session, user) is not None
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, app_code(secret, steps_ahead=1))
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, codes[0])


def test_two_requests_with_the_same_code_cannot_both_win(app, db_session, make_user):
    user = make_user(Role.PROFESSIONAL)
    secret, _codes = two_factor_on(db_session, user)
    db_session.commit()
    code = app_code(secret, steps_ahead=1)
    other = orm.Session(db.engine)
    try:
        stale_user = other.get(type(user), user.id)
        other.get(TwoFactor, user.id)  # read before the first request stores its step
        two_factor.verify_login_code(db_session, user, code)
        db_session.commit()
        with pytest.raises(two_factor.WrongTwoFactorCode):
            two_factor.verify_login_code(other, stale_user, code)
    finally:
        other.close()


def test_a_recovery_code_works_once_and_renewing_replaces_them(db_session, make_user):
    user = make_user(Role.ADMIN)
    secret, codes = two_factor_on(db_session, user)
    two_factor.verify_login_code(db_session, user, codes[0].upper())
    assert two_factor.recovery_codes_left(db_session, user) == 9
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, codes[0])
    new_codes = two_factor.renew_recovery_codes(db_session, user, app_code(secret, steps_ahead=1))
    assert two_factor.recovery_codes_left(db_session, user) == 10
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, user, codes[1])
    two_factor.verify_login_code(db_session, user, new_codes[1])


def test_someone_elses_codes_do_not_work(db_session, make_user):
    owner, other = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    owner_secret, owner_codes = two_factor_on(db_session, owner)
    two_factor_on(db_session, other)
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, other, app_code(owner_secret, steps_ahead=1))
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.verify_login_code(db_session, other, owner_codes[0])


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN])
def test_staff_cannot_turn_it_off(db_session, make_user, role):
    user = make_user(role)
    secret, _codes = two_factor_on(db_session, user)
    with pytest.raises(two_factor.StaffKeepTwoFactor):
        two_factor.disable(db_session, user, app_code(secret, steps_ahead=1))
    assert two_factor.is_enabled(db_session, user)


def test_a_citizen_turns_it_off_with_a_code(db_session, make_user):
    citizen = make_user(Role.CITIZEN)
    assert not two_factor.must_have_two_factor(citizen)
    secret, _codes = two_factor_on(db_session, citizen)
    with pytest.raises(two_factor.WrongTwoFactorCode):
        two_factor.disable(db_session, citizen, "000000" if app_code(secret, steps_ahead=1) != "000000" else "111111")
    two_factor.disable(db_session, citizen, app_code(secret, steps_ahead=1))
    assert not two_factor.is_enabled(db_session, citizen)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    with pytest.raises(two_factor.TwoFactorNotOn):
        two_factor.verify_login_code(db_session, citizen, app_code(secret, steps_ahead=1))


def test_reset_removes_the_app_and_codes_and_is_audited(db_session, make_user):
    admin, user = make_user(Role.ADMIN), make_user(Role.PROFESSIONAL)
    two_factor_on(db_session, user)
    assert two_factor.reset(db_session, user, actor=admin) is True
    db_session.commit()
    assert db_session.get(TwoFactor, user.id) is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "two_factor.reset"))
    assert entry.actor_id == admin.id and entry.entity_id == user.id and entry.details == {"was_set_up": True}
    assert two_factor.reset(db_session, user, actor=None) is False
