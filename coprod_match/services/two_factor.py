"""Two-factor login: setting up an authenticator app, checking its codes, recovery codes.

Staff (professionals, coordinators, administrators) must have it before
they see residents' data; citizens may turn it on. A code from the app
(TOTP, 30-second steps, one step of clock drift either way) works once:
the newest accepted step is stored and only later steps are accepted, with
a conditional UPDATE so that two requests racing with the same code cannot
both win. Recovery codes are stored as hashes and each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput, NotAllowed
from ..models import RecoveryCode, Role, TwoFactor, User, utcnow
from . import lockout
from .audit import audit_record

ISSUER = "coprod-match"
# Who must have two-factor before seeing residents' data.
STAFF_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN})
RECOVERY_CODE_COUNT = 10
# 12 characters of base32: 60 random bits, shown as three groups of four.
RECOVERY_CODE_LENGTH = 12
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
# Accept the step before and after the current one: phones' clocks drift a little.
DRIFT_STEPS = 1


class WrongTwoFactorCode(InvalidInput):
    """The code from the app or the recovery code is not right (or was used already)."""

    problem_type = "two-factor-code"
    message = _l("This code is not right. Type the 6 numbers your app shows now, or one of your recovery codes.")

    def __init__(self, message=None):
        super().__init__(message, field="code")


class TwoFactorRequired(NotAllowed):
    """Staff must set up two-factor before they can see residents' data."""

    problem_type = "two-factor-required"
    message = _l("Set up two-factor login first: go to /account/two-factor on the website.")


class StaffKeepTwoFactor(NotAllowed):
    """Staff cannot turn two-factor off; the administrator can reset it for a lost phone."""

    problem_type = "two-factor-staff"
    message = _l("Staff cannot turn two-factor login off. If you lost your phone, ask the administrator.")


class TwoFactorAlreadyOn(InvalidInput):
    problem_type = "two-factor-already-on"
    message = _l("Two-factor login is already on for your account.")


class TwoFactorNotOn(InvalidInput):
    problem_type = "two-factor-not-on"
    message = _l("Two-factor login is not on for your account.")


def must_have_two_factor(user: User) -> bool:
    """Does this person's role need two-factor before seeing residents' data?"""
    return user.role in STAFF_ROLES


def two_factor_of(session: orm.Session, user: User) -> TwoFactor | None:
    """The person's authenticator set-up, finished or not; None if they never started."""
    return session.get(TwoFactor, user.id)


def is_enabled(session: orm.Session, user: User) -> bool:
    record = two_factor_of(session, user)
    return record is not None and record.is_enabled


def begin_setup(session: orm.Session, user: User) -> TwoFactor:
    """A new secret for the setup page, or the one already shown if setup is not finished."""
    record = two_factor_of(session, user)
    if record is not None and record.is_enabled:
        raise TwoFactorAlreadyOn()
    if record is None:
        record = TwoFactor(user_id=user.id, secret=pyotp.random_base32(32))
        session.add(record)
        session.flush()
    return record


def provisioning_uri(user: User, record: TwoFactor) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(record.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def enable(session: orm.Session, user: User, code: str) -> list[str]:
    """Turn two-factor on with the first right code; answer the ten recovery codes (shown once)."""
    record = two_factor_of(session, user)
    if record is None:
        raise TwoFactorNotOn()
    if record.is_enabled:
        raise TwoFactorAlreadyOn()
    if not _accept_app_code(session, record, code):
        raise WrongTwoFactorCode()
    record.enabled_at = utcnow()
    codes = _new_recovery_codes(session, user)
    audit_record(session, "two_factor.enabled", "user", user.id, actor=user)
    return codes


def verify_login_code(session: orm.Session, user: User, code: str) -> None:
    """The second step of logging in: a code from the app, or an unused recovery code.

    Every check of a login code goes through here, so a wrong code can be
    counted as a failed login in one place.
    """
    record = two_factor_of(session, user)
    if record is None or not record.is_enabled:
        raise TwoFactorNotOn()
    if lockout.locked_until(session, user) is not None:
        raise WrongTwoFactorCode()  # the same answer as a wrong code: the lock is mailed to the owner
    if _accept_app_code(session, record, code):
        return
    if _use_recovery_code(session, user, code):
        audit_record(session, "two_factor.recovery_code_used", "user", user.id, actor=user,
                     left=recovery_codes_left(session, user))
        return
    # A wrong code counts like a wrong password: a million codes cannot be tried five at a time.
    lockout.allows_login(session, user, password_right=False)
    raise WrongTwoFactorCode()


def renew_recovery_codes(session: orm.Session, user: User, code: str) -> list[str]:
    """Ten new recovery codes for a code from the app; the old ones stop working."""
    record = _enabled_record(session, user)
    if not _accept_app_code(session, record, code):
        raise WrongTwoFactorCode()
    codes = _new_recovery_codes(session, user)
    audit_record(session, "two_factor.recovery_codes_renewed", "user", user.id, actor=user)
    return codes


def disable(session: orm.Session, user: User, code: str) -> None:
    """A citizen turns two-factor off with a code from the app; staff cannot."""
    if must_have_two_factor(user):
        raise StaffKeepTwoFactor()
    record = _enabled_record(session, user)
    if not _accept_app_code(session, record, code):
        raise WrongTwoFactorCode()
    _remove(session, user)
    audit_record(session, "two_factor.disabled", "user", user.id, actor=user)


def reset(session: orm.Session, user: User, *, actor: User | None) -> bool:
    """The administrator's desk: remove the app and recovery codes (a lost phone). True if there was any."""
    had_any = two_factor_of(session, user) is not None
    _remove(session, user)
    audit_record(session, "two_factor.reset", "user", user.id, actor=actor, was_set_up=had_any)
    return had_any


def recovery_codes_left(session: orm.Session, user: User) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0


def _enabled_record(session: orm.Session, user: User) -> TwoFactor:
    record = two_factor_of(session, user)
    if record is None or not record.is_enabled:
        raise TwoFactorNotOn()
    return record


def _remove(session: orm.Session, user: User) -> None:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(sa.delete(TwoFactor).where(TwoFactor.user_id == user.id))
    session.expire_all()


def _accept_app_code(session: orm.Session, record: TwoFactor, code: str, *, now: float | None = None) -> bool:
    """Is `code` the app's code for a step near now that was not used yet? Then it is used up."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return False
    totp = pyotp.TOTP(record.secret)
    current = totp.timecode(now if now is not None else utcnow())
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if record.last_used_step is not None and step <= record.last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return _claim_step(session, record, step)
    return False


def _claim_step(session: orm.Session, record: TwoFactor, step: int) -> bool:
    """Store `step` as used, unless another request stored it (or a later one) first."""
    claimed = session.execute(
        sa.update(TwoFactor)
        .where(TwoFactor.user_id == record.user_id,
               sa.or_(TwoFactor.last_used_step.is_(None), TwoFactor.last_used_step < step))
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(record)
    return claimed == 1


def _normalise_recovery_code(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def _recovery_code_hash(user_id: int, code: str) -> str:
    # 60 random bits per code: a fast hash with the person's id mixed in is enough.
    return hashlib.sha256(f"{user_id}:{_normalise_recovery_code(code)}".encode()).hexdigest()


def _use_recovery_code(session: orm.Session, user: User, code: str) -> bool:
    if len(_normalise_recovery_code(code)) != RECOVERY_CODE_LENGTH:
        return False
    used = session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
               RecoveryCode.code_hash == _recovery_code_hash(user.id, code))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def _new_recovery_codes(session: orm.Session, user: User) -> list[str]:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _number in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[start:start + 4] for start in range(0, RECOVERY_CODE_LENGTH, 4)))
        session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_code_hash(user.id, raw)))
    session.flush()
    return codes
