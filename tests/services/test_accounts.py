"""Account and API-token services on the database, without pages: what they store and what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.domain_errors import DomainError
from coprod_match.models import ApiToken, AuditEntry, Role
from coprod_match.services import accounts, api_tokens
from coprod_match.services.tokens import hash_token
from tests import factories
from tests.conftest import TEST_PASSWORD

GOOD_PASSWORD = "Zomeravond aan zee 7"


@pytest.fixture
def schilderswijk(db_session, reference_data):
    return factories.neighbourhood_named(db_session, "Schilderswijk")


def _actions(db_session) -> list[str]:
    return db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_a_citizen_registers_with_a_normalised_address(db_session, schilderswijk):
    user = accounts.register_citizen(db_session, email=" Amal@Example.org ", password=GOOD_PASSWORD,
                                     display_name=" Amal ", neighbourhood=schilderswijk, preferred_locale="nl")
    db_session.commit()
    assert (user.email, user.display_name, user.role) == ("amal@example.org", "Amal", Role.CITIZEN)
    assert user.citizen_profile.neighbourhood_id == schilderswijk.id
    assert _actions(db_session) == ["account.registered"]


def test_refusals_are_domain_errors_that_name_their_field(db_session, schilderswijk, make_user):
    make_user(Role.CITIZEN, email="taken@example.org")
    cases = [
        (lambda: accounts.register_citizen(db_session, email="TAKEN@example.org", password=GOOD_PASSWORD,
                                           display_name="Sara", neighbourhood=schilderswijk,
                                           preferred_locale="en"), "email"),
        (lambda: accounts.register_citizen(db_session, email="new@example.org", password="short",
                                           display_name="Sara", neighbourhood=schilderswijk,
                                           preferred_locale="en"), "password"),
        (lambda: accounts.create_staff_user(db_session, email="c@example.org", password=GOOD_PASSWORD,
                                            role=Role.CITIZEN, display_name="C", actor=None), "role"),
    ]
    for attempt, field in cases:
        with pytest.raises(accounts.AccountError) as refused:
            attempt()
        assert isinstance(refused.value, DomainError)
        assert refused.value.field == field and refused.value.status == 422 and str(refused.value.message)


def test_staff_accounts_record_who_made_them(db_session, make_user, schilderswijk):
    admin = make_user(Role.ADMIN)
    staff = accounts.create_staff_user(db_session, email="nurse@example.org", password=GOOD_PASSWORD,
                                       role=Role.PROFESSIONAL, display_name="Nurse", organisation="  ",
                                       work_areas=[schilderswijk], actor=admin)
    db_session.commit()
    assert staff.organisation is None and [area.id for area in staff.work_areas] == [schilderswijk.id]
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.created"))
    assert entry.actor_id == admin.id and entry.entity_id == staff.id


def test_authenticate_never_says_which_part_was_wrong(db_session, make_user):
    user = make_user(Role.CITIZEN, email="sara@example.org")
    make_user(Role.CITIZEN, email="gone@example.org", is_enabled=False)
    assert accounts.authenticate(db_session, "sara@example.org", "not the password") is None
    assert accounts.authenticate(db_session, "nobody@example.org", TEST_PASSWORD) is None
    assert accounts.authenticate(db_session, "gone@example.org", TEST_PASSWORD) is None
    assert accounts.authenticate(db_session, " SARA@example.org", TEST_PASSWORD) is user
    assert user.last_login_at is not None


def test_passwords_change_once_the_current_one_is_known_and_reset_links_work_once(db_session, make_user):
    user = make_user(Role.COORDINATOR)
    with pytest.raises(accounts.AccountError) as wrong:
        accounts.change_password(db_session, user, "not it", GOOD_PASSWORD, current_login=None)
    assert wrong.value.field == "current_password"
    token = accounts.make_password_reset_token(user, "secret")
    assert accounts.user_from_password_reset_token(db_session, token, "secret", 3600) is user
    accounts.change_password(db_session, user, TEST_PASSWORD, GOOD_PASSWORD, current_login=None)
    db_session.commit()
    assert accounts.authenticate(db_session, user.email, GOOD_PASSWORD) is user
    assert accounts.user_from_password_reset_token(db_session, token, "secret", 3600) is None


def test_token_names_and_owners_are_checked(db_session, make_user):
    owner = make_user(Role.PROFESSIONAL)
    for name in ("   ", "x" * 81):
        with pytest.raises(api_tokens.TokenNameError) as refused:
            api_tokens.create_api_token(db_session, owner, name, actor=owner)
        assert refused.value.field == "name" and refused.value.status == 422
    disabled = make_user(Role.PROFESSIONAL, is_enabled=False)
    with pytest.raises(api_tokens.TokenOwnerDisabledError) as refused:
        api_tokens.create_api_token(db_session, disabled, "script", actor=None)
    assert refused.value.status == 403 and refused.value.problem_type == "forbidden"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_a_token_works_until_revoked_and_revoking_twice_is_harmless(db_session, make_user):
    owner = make_user(Role.CITIZEN)
    record, token = api_tokens.create_api_token(db_session, owner, "  my   dashboard ", actor=owner)
    db_session.commit()
    assert record.name == "my dashboard" and record.token_hash == hash_token(token)
    assert api_tokens.user_for_token(db_session, token) is owner
    api_tokens.revoke_api_token(db_session, record, actor=owner)
    api_tokens.revoke_api_token(db_session, record, actor=owner)
    db_session.commit()
    assert api_tokens.user_for_token(db_session, token) is None
    assert _actions(db_session) == ["api_token.created", "api_token.revoked"]


def test_the_use_of_a_token_is_noted_even_when_the_request_then_rolls_back(db_session, make_user):
    owner = make_user(Role.CITIZEN)
    record, token = api_tokens.create_api_token(db_session, owner, "script", actor=owner)
    db_session.commit()
    now = record.created_at + dt.timedelta(minutes=5)
    assert api_tokens.user_for_token(db_session, token, now=now) is owner
    db_session.rollback()  # the request was refused after all
    db_session.expire_all()
    assert db_session.get(ApiToken, record.id).last_used_at == now
    # Within the hour, no new write.
    api_tokens.user_for_token(db_session, token, now=now + dt.timedelta(minutes=30))
    db_session.expire_all()
    assert db_session.get(ApiToken, record.id).last_used_at == now
