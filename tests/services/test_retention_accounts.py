"""Unused accounts: a warning mail first, erasure only after the grace period, and a login in between keeps them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date

from coprod_match.models import AuditEntry, PlacementState, Role, User, utcnow
from coprod_match.services.retention import RetentionPeriods, purge
from tests import factories
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

PERIODS = RetentionPeriods()  # no login for 24 months: warned; 30 days later: erased
DAY = dt.timedelta(days=1)
LONG_AGO = 3 * 365 * DAY


def _purge(session, now, *, dry_run=False):
    result = purge(session, now=now, periods=PERIODS, dry_run=dry_run)
    session.commit()
    return result


def test_an_unused_account_is_warned_once_in_its_language_and_erased_after_the_grace_period(
        db_session, make_user, smtp_server):
    now = utcnow()
    ayse = make_user(name="Ayse", email="ayse@example.org", locale="nl", created_at=now - LONG_AGO)
    make_user(name="Bram", email="bram@example.org", last_login_at=now - 300 * DAY, created_at=now - LONG_AGO)
    ayse_id = ayse.id

    warned = _purge(db_session, now)
    assert warned.account_ids["inactive_accounts_warned"] == [ayse_id]
    assert warned.counts["inactive_accounts_erased"] == 0
    deliver_outbox()
    [mail] = smtp_server.messages
    assert mail["To"] == "ayse@example.org"
    assert mail["Subject"] == "Je account bij coprod-match wordt verwijderd"
    text = body_text(mail)
    erase_after = format_date((now + 30 * DAY).astimezone(ZoneInfo("Europe/Amsterdam")), "long", locale="nl")
    assert "Hallo Ayse," in text and "http://localhost.test/auth/login" in text
    assert f"na {erase_after}." in text and "Log dan voor die dag in" in text
    assert db_session.get(User, ayse_id).inactivity_warned_at == now

    # The next days: no second mail, and nothing erased before the grace period is over.
    for later in (now + DAY, now + 29 * DAY):
        result = _purge(db_session, later)
        assert result.total == 0, result.counts
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    assert _purge(db_session, now + 30 * DAY - dt.timedelta(minutes=1), dry_run=True).total == 0

    dry = _purge(db_session, now + 30 * DAY, dry_run=True)
    assert dry.account_ids["inactive_accounts_erased"] == [ayse_id]
    assert db_session.get(User, ayse_id).erased_at is None  # a dry run erases nobody
    erased = _purge(db_session, now + 30 * DAY)
    assert erased.account_ids == dry.account_ids and erased.counts == dry.counts
    ayse = db_session.get(User, ayse_id)
    assert ayse.is_erased and ayse.email != "ayse@example.org" and ayse.password_hash is None
    record = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.erased"))
    assert record.entity_id == ayse_id and record.actor_id is None and record.details["reason"] == "inactive"
    assert _purge(db_session, now + 31 * DAY).total == 0
    assert db_session.scalar(sa.select(User).where(User.email == "bram@example.org")).erased_at is None


def test_a_login_after_the_warning_keeps_the_account(db_session, make_user, auth):
    now = utcnow()
    ayse = make_user(name="Ayse", email="ayse@example.org", created_at=now - LONG_AGO)
    assert _purge(db_session, now).account_ids["inactive_accounts_warned"] == [ayse.id]

    response = auth.login("ayse@example.org")
    assert response.status_code == 302
    db_session.expire_all()
    assert ayse.inactivity_warned_at is None and ayse.last_login_at is not None
    result = _purge(db_session, now + 31 * DAY)
    assert result.total == 0, result.counts
    assert not db_session.get(User, ayse.id).is_erased


def test_a_warning_that_no_longer_holds_is_withdrawn(db_session, make_user):
    """Logged in some other way (finishing an invitation) or started taking part: the old warning goes."""
    now = utcnow()
    ayse = make_user(name="Ayse", created_at=now - LONG_AGO)
    bram = make_user(name="Bram", created_at=now - LONG_AGO)
    _purge(db_session, now)
    ayse.last_login_at = now + DAY
    factories.placement(db_session, bram, factories.day_care(db_session), PlacementState.ACTIVE)
    db_session.commit()

    result = _purge(db_session, now + 31 * DAY)
    assert result.counts["inactivity_warnings_withdrawn"] == 2 and result.counts["inactive_accounts_erased"] == 0
    assert db_session.get(User, ayse.id).inactivity_warned_at is None
    assert db_session.get(User, bram.id).inactivity_warned_at is None


def test_admins_active_volunteers_pending_and_erased_accounts_are_never_warned(db_session, make_user):
    now = utcnow()
    old = {"created_at": now - LONG_AGO}
    make_user(Role.ADMIN, **old)
    coordinator = make_user(Role.COORDINATOR, **old)
    professional = make_user(Role.PROFESSIONAL, last_login_at=now - 800 * DAY, **old)
    make_user(Role.PROFESSIONAL, last_login_at=now - 700 * DAY, **old)  # less than 24 months ago
    volunteer = make_user(name="Still helping", **old)
    factories.placement(db_session, volunteer, factories.day_care(db_session), PlacementState.PAUSED)
    gone = make_user(name="Gone", **old)
    gone.password_hash, gone.is_enabled, gone.erased_at = None, False, now - 400 * DAY
    factories.pending_citizen(db_session, email="sam@example.org", since=now - 3 * DAY)
    db_session.commit()

    result = _purge(db_session, now, dry_run=True)
    assert result.account_ids["inactive_accounts_warned"] == sorted([coordinator.id, professional.id])
