"""`flask users reset-2fa`: the administrator's desk for a lost phone."""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.models import AuditEntry, RecoveryCode, Role, TwoFactor
from tests.factories import client_for, two_factor_on


def test_reset_removes_two_factor_so_staff_set_it_up_again(app, runner, db_session, make_user):
    app.config["TWO_FACTOR_REQUIRED"] = True
    user = make_user(Role.PROFESSIONAL, email="nurse@example.org")
    two_factor_on(db_session, user)
    db_session.commit()
    assert client_for(app, user).get("/professionals/").status_code == 200

    result = runner.invoke(args=["users", "reset-2fa", "--email", "Nurse@Example.org"])
    assert result.exit_code == 0, result.output
    assert "reset for nurse@example.org" in result.output
    db_session.expire_all()
    assert db_session.get(TwoFactor, user.id) is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "two_factor.reset"))
    assert entry.entity_id == user.id and entry.actor_id is None
    assert client_for(app, user).get("/professionals/").headers["Location"] == "/account/two-factor"

    again = runner.invoke(args=["users", "reset-2fa", "--email", "nurse@example.org"])
    assert again.exit_code == 0 and "nothing to reset" in again.output


def test_reset_for_an_unknown_address_fails(runner, reference_data):
    result = runner.invoke(args=["users", "reset-2fa", "--email", "nobody@example.org"])
    assert result.exit_code != 0 and "No account" in result.output
