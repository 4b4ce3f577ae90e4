"""`flask users create`: staff accounts from the command line."""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.models import ApiToken, Role, User
from coprod_match.passwords import verify_password


def test_create_professional_with_password_from_stdin(runner, db_session, reference_data):
    result = runner.invoke(
        args=["users", "create", "--role", "professional", "--email", "Nurse@Example.org",
              "--name", "Nurse Joy", "--organisation", "Wijkteam Centrum", "--area", "Schilderswijk",
              "--area", "Laak"],
        input="Zomeravond aan zee 7\n",
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(sa.select(User).where(User.email == "nurse@example.org"))
    assert user.role == Role.PROFESSIONAL
    assert verify_password(user.password_hash, "Zomeravond aan zee 7")
    assert sorted(n.name for n in user.work_areas) == ["Binckhorst", "Laakkwartier en Spoorwijk", "Schilderswijk"]


def test_create_refuses_bad_input(runner, db_session, reference_data, make_user):
    make_user(Role.ADMIN, email="admin@example.org")
    taken = runner.invoke(args=["users", "create", "--role", "admin", "--email", "ADMIN@example.org"],
                          input="Zomeravond aan zee 7\n")
    assert taken.exit_code != 0 and "already an account" in taken.output
    weak = runner.invoke(args=["users", "create", "--role", "admin", "--email", "b@example.org"],
                         input="password123\n")
    assert weak.exit_code != 0 and "too easy to guess" in weak.output
    area = runner.invoke(args=["users", "create", "--role", "coordinator", "--email", "c@example.org",
                               "--area", "Atlantis"], input="Zomeravond aan zee 7\n")
    assert area.exit_code != 0 and "No neighbourhood or district named 'Atlantis'" in area.output
    citizen = runner.invoke(args=["users", "create", "--role", "citizen", "--email", "d@example.org"],
                            input="Zomeravond aan zee 7\n")
    assert citizen.exit_code != 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_users_token_prints_a_working_token_once(app, runner, make_user, db_session):
    from coprod_match.models import ApiToken
    from coprod_match.services.tokens import hash_token
    user = make_user(Role.COORDINATOR, email="coordinator@example.org")
    result = runner.invoke(args=["users", "token", "--email", "Coordinator@example.org", "--name", "dashboard"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    record = db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert record.name == "dashboard" and record.token_hash == hash_token(token)
    response = app.test_client().get("/api/v1/job-runs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_token_for_unknown_email_fails(runner, reference_data):
    result = runner.invoke(args=["users", "token", "--email", "nobody@example.org"])
    assert result.exit_code != 0
    assert "No account" in result.output


def test_a_refused_token_name_ends_the_command_with_the_reason_and_stores_nothing(runner, make_user, db_session):
    user = make_user(Role.PROFESSIONAL)
    result = runner.invoke(args=["users", "token", "--email", user.email, "--name", "x" * 81])
    assert result.exit_code != 0 and "Use at most 80 characters." in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_users_disable_and_enable_use_the_admin_rules(app, runner, make_user, db_session):
    from coprod_match.models import AuditEntry, LoginSession
    from tests.conftest import login_as

    admin = make_user(Role.ADMIN, email="admin@example.org")
    citizen = make_user(Role.CITIZEN, email="noor@example.org")
    browser = app.test_client()
    login_as(browser, citizen)

    disabled = runner.invoke(args=["users", "disable", "--email", "Noor@example.org"])
    assert disabled.exit_code == 0, disabled.output
    assert "noor@example.org is disabled; 1 login(s) ended." in disabled.output
    db_session.expire_all()
    assert not citizen.is_enabled
    assert db_session.scalar(sa.select(sa.func.count()).where(LoginSession.user_id == citizen.id)) == 0
    assert browser.get("/citizens/account").status_code == 302
    again = runner.invoke(args=["users", "disable", "--email", "noor@example.org"])
    assert again.exit_code != 0 and "already disabled" in again.output

    enabled = runner.invoke(args=["users", "enable", "--email", "noor@example.org"])
    assert enabled.exit_code == 0, enabled.output
    db_session.expire_all()
    assert citizen.is_enabled
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == citizen.id,
                                                                    AuditEntry.actor_id.is_(None))).all()
    assert {"account.disabled", "account.enabled"} <= set(actions)

    # The last administrator who can log in stays.
    last = runner.invoke(args=["users", "disable", "--email", "admin@example.org"])
    assert last.exit_code != 0 and "last administrator" in last.output
    db_session.expire_all()
    assert admin.is_enabled
    unknown = runner.invoke(args=["users", "enable", "--email", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No account" in unknown.output


def test_users_erase_asks_and_erases(runner, make_user, db_session):
    make_user(Role.ADMIN, email="admin@example.org")
    citizen = make_user(Role.CITIZEN, email="noor@example.org")
    kept = runner.invoke(args=["users", "erase", "--email", "noor@example.org"], input="n\n")
    assert kept.exit_code != 0
    db_session.expire_all()
    assert not citizen.is_erased
    erased = runner.invoke(args=["users", "erase", "--email", "noor@example.org", "--yes"])
    assert erased.exit_code == 0, erased.output
    db_session.expire_all()
    assert citizen.is_erased and citizen.email != "noor@example.org"
    last = runner.invoke(args=["users", "erase", "--email", "admin@example.org", "--yes"])
    assert last.exit_code != 0 and "last administrator" in last.output
