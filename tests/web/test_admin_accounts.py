"""The administrator's accounts page: search, filters, the look log, and what an admin does to one account."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coprod_match.models import (
    AuditEntry,
    InitiativeStatus,
    LoginSession,
    MatchingChange,
    Role,
    User,
    utcnow,
)
from tests import factories
from tests.conftest import AuthActions, csrf_token, hashed_test_password
from tests.factories import api_headers, client_for
from tests.outbox import deliver_outbox
from tests.smtp_server import body_text

NAME_LINK = re.compile(r'<h2><a href="/admin/users/(\d+)">')


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Ada Admin", email="ada@example.org")


def _shown_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(found) for found in NAME_LINK.findall(response.get_data(as_text=True))]


def _audits(db_session, action: str) -> list[AuditEntry]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _post(client, path: str, form_page: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page), **data})


# --- The list ----------------------------------------------------------------------------------------


def test_search_by_name_or_address_ignores_case_and_takes_percent_and_underscore_literally(
        app, db_session, make_user, admin):
    anna = make_user(Role.CITIZEN, name="Anna de Vries", email="anna@example.org")
    percent = make_user(Role.CITIZEN, name="Club 100% Sport", email="club@example.org")
    underscore = make_user(Role.PROFESSIONAL, name="Ben", email="ben_bakker@example.org")
    make_user(Role.PROFESSIONAL, name="Bert", email="benxbakker@example.org")
    client = client_for(app, admin)

    assert _shown_ids(client.get("/admin/users?q=VRIES")) == [anna.id]
    assert _shown_ids(client.get("/admin/users?q=ANNA@Example")) == [anna.id]
    assert _shown_ids(client.get("/admin/users?q=%25")) == [percent.id]
    assert _shown_ids(client.get("/admin/users?q=ben_")) == [underscore.id]
    assert _shown_ids(client.get("/admin/users?q=nobody-at-all")) == []


def test_filters_by_role_and_state_and_shows_when_a_pending_account_goes(app, db_session, make_user, admin):
    active = make_user(Role.CITIZEN, name="Active Amir")
    disabled = make_user(Role.CITIZEN, name="Disabled Dina", is_enabled=False)
    erased = make_user(Role.CITIZEN, name="Erased Eva", is_enabled=False)
    erased.password_hash, erased.erased_at = None, utcnow()
    professional = make_user(Role.PROFESSIONAL, name="Pro Piet")
    since = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    pending = factories.pending_citizen(db_session, email="sam@example.org", name="Pending Sam", since=since)
    db_session.commit()
    client = client_for(app, admin)

    assert _shown_ids(client.get("/admin/users?state=active&role=citizen")) == [active.id]
    assert _shown_ids(client.get("/admin/users?state=disabled")) == [disabled.id]
    assert _shown_ids(client.get("/admin/users?state=erased")) == [erased.id]
    assert _shown_ids(client.get("/admin/users?role=professional")) == [professional.id]
    answer = client.get("/admin/users?state=pending")
    assert _shown_ids(answer) == [pending.id]
    # No invitation: removed a grace period (7 days) after it was made.
    assert "Removed on 8 Mar 2026 if nobody finishes it." in answer.get_data(as_text=True)
    # Unknown values are ignored, not an error.
    assert len(_shown_ids(client.get("/admin/users?state=sleeping&role=king"))) == 6


def test_pending_expiry_follows_the_last_invitation(app, db_session, make_user, admin):
    contact = make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    sam = factories.pending_citizen(db_session, email="sam@example.org", since=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    placement = factories.placement(db_session, sam, care, factories.PlacementState.INVITED)
    factories.invitation(db_session, placement, sender=contact, sent_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    db_session.commit()
    page = client_for(app, admin).get(f"/admin/users/{sam.id}").get_data(as_text=True)
    # The invitation ends 14 days after it was sent (Mar 24), then 7 days of grace.
    assert "31 Mar 2026" in page


def test_pages_of_fifty_sorted_by_name(app, db_session, admin, reference_data):
    password_hash = hashed_test_password()
    db_session.add_all(User(email=f"person{n:02d}@example.org", password_hash=password_hash, role=Role.PROFESSIONAL,
                            display_name=f"Person {n:02d}") for n in range(55))
    db_session.commit()
    client = client_for(app, admin)
    first = _shown_ids(client.get("/admin/users?role=professional"))
    second = _shown_ids(client.get("/admin/users?role=professional&page=2"))
    assert len(first) == 50 and len(second) == 5
    names = [db_session.get(User, user_id).display_name for user_id in first + second]
    assert names == [f"Person {n:02d}" for n in range(55)]
    assert "Page 1 of 2" in client.get("/admin/users?role=professional").get_data(as_text=True)


def test_each_view_of_the_list_logs_the_residents_shown(app, db_session, make_user, admin):
    residents = [make_user(Role.CITIZEN, name=f"Resident {n}") for n in range(3)]
    make_user(Role.PROFESSIONAL, name="Resident-like professional")
    client = client_for(app, admin)
    client.get("/admin/users?q=resident")
    client.get(f"/admin/users?q={residents[0].display_name}")
    looks = _audits(db_session, "admin.accounts_viewed")
    assert [look.resident_ids for look in looks] == [sorted(r.id for r in residents), [residents[0].id]]
    assert all(look.actor_id == admin.id for look in looks)
    client.get(f"/admin/users/{residents[1].id}")
    assert [look.resident_ids for look in _audits(db_session, "admin.account_viewed")] == [[residents[1].id]]


# --- Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.CITIZEN])
def test_only_administrators_use_the_accounts_pages(app, db_session, make_user, admin, role):
    citizen = make_user(Role.CITIZEN)
    client = client_for(app, make_user(role))
    token = csrf_token(client, "/auth/password")
    for path in ("/admin/users", f"/admin/users/{citizen.id}", f"/admin/users/{citizen.id}/disable"):
        assert client.get(path).status_code == 403
    for action in ("disable", "enable", "role", "municipal", "password-reset", "work-areas", "erase"):
        answer = client.post(f"/admin/users/{citizen.id}/{action}", data={"csrf_token": token, "role": "admin"})
        assert answer.status_code == 403, action
    db_session.expire_all()
    assert citizen.is_enabled and citizen.role == Role.CITIZEN
    assert _audits(db_session, "admin.accounts_viewed") == []


def test_an_unknown_account_is_not_found(app, admin):
    client = client_for(app, admin)
    assert client.get("/admin/users/999999").status_code == 404
    assert _post(client, "/admin/users/999999/enable", "/admin/users").status_code == 404


def test_actions_without_the_csrf_token_are_refused(app, db_session, make_user, admin):
    citizen = make_user(Role.CITIZEN)
    client = client_for(app, admin)
    for action in ("disable", "role", "password-reset"):
        assert client.post(f"/admin/users/{citizen.id}/{action}", data={"role": "admin"}).status_code == 400
    db_session.expire_all()
    assert citizen.is_enabled
    assert _audits(db_session, "account.disabled") == []


# --- Disable and enable ------------------------------------------------------------------------------


def test_disabling_logs_out_everywhere_and_refuses_logins_and_tokens(app, db_session, make_user, admin,
                                                                     smtp_server):
    citizen = make_user(Role.CITIZEN, name="Noor", email="noor@example.org", locale="nl")
    headers = api_headers(db_session, citizen, actor=citizen)
    db_session.commit()
    own_browser = client_for(app, citizen)
    assert own_browser.get("/citizens/account").status_code == 200
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    client = client_for(app, admin)

    confirm = client.get(f"/admin/users/{citizen.id}/disable").get_data(as_text=True)
    assert "Nothing is deleted. You can enable the account again later." in confirm
    # The confirmation names the resident: the look is logged.
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "admin.account_viewed")).all()
    assert [look.resident_ids for look in looks] == [[citizen.id]]
    answer = _post(client, f"/admin/users/{citizen.id}/disable", f"/admin/users/{citizen.id}/disable")
    assert answer.status_code == 302

    db_session.expire_all()
    assert not citizen.is_enabled
    assert db_session.scalar(sa.select(sa.func.count()).where(LoginSession.user_id == citizen.id)) == 0
    old = own_browser.get("/citizens/account")
    assert old.status_code == 302 and "/auth/login" in old.headers["Location"]
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert AuthActions(app.test_client()).login("noor@example.org").status_code == 422  # the form again
    [audit] = _audits(db_session, "account.disabled")
    assert (audit.actor_id, audit.entity_id) == (admin.id, citizen.id)
    assert db_session.scalar(sa.select(MatchingChange.id).where(MatchingChange.citizen_id == citizen.id))

    deliver_outbox()
    [mail] = [m for m in smtp_server.messages if m["To"] == "noor@example.org"]
    assert mail["Subject"] == "Je account bij coprod-match is veranderd"
    assert "kunt niet meer inloggen" in body_text(mail)


def test_a_disabled_resident_drops_out_of_matching_at_once(app, db_session, make_user, admin):
    contact = make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    bram = factories.profile(make_user(Role.CITIZEN, name="Bram de Vries"), availability_slots=factories.TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    db_session.commit()
    professional = client_for(app, contact)
    candidates = f"/matching/initiatives/{care.id}/candidates"
    assert "Bram de Vries" in professional.get(candidates).get_data(as_text=True)
    client = client_for(app, admin)
    page = f"/admin/users/{bram.id}"
    _post(client, f"{page}/disable", f"{page}/disable")
    assert "Bram de Vries" not in professional.get(candidates).get_data(as_text=True)
    _post(client, f"{page}/enable", page)
    assert "Bram de Vries" in professional.get(candidates).get_data(as_text=True)


def test_enabling_lets_the_person_in_again(app, db_session, make_user, admin, smtp_server):
    citizen = make_user(Role.CITIZEN, email="dina@example.org", is_enabled=False)
    client = client_for(app, admin)
    assert _post(client, f"/admin/users/{citizen.id}/enable", f"/admin/users/{citizen.id}").status_code == 302
    db_session.expire_all()
    assert citizen.is_enabled
    assert AuthActions(app.test_client()).login("dina@example.org").status_code == 302
    assert len(_audits(db_session, "account.enabled")) == 1
    deliver_outbox()
    [mail] = [m for m in smtp_server.messages if m["To"] == "dina@example.org"]
    assert "You can log in with your password" in body_text(mail)
    # Twice: nothing changes, the page says so.
    again = _post(client, f"/admin/users/{citizen.id}/enable", f"/admin/users/{citizen.id}")
    assert "This account is already enabled." in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(_audits(db_session, "account.enabled")) == 1


def test_an_administrator_cannot_disable_or_demote_themselves(app, db_session, make_user, admin):
    make_user(Role.ADMIN, name="Second admin")
    client = client_for(app, admin)
    page = f"/admin/users/{admin.id}"
    assert "Disable this account" not in client.get(page).get_data(as_text=True)
    for action, data in (("disable", {}), ("role", {"role": "professional"})):
        answer = _post(client, f"{page}/{action}", page, **data)
        assert answer.status_code == 302
        assert "You cannot do this to your own account." in client.get(page).get_data(as_text=True)
    db_session.expire_all()
    assert admin.is_enabled and admin.role == Role.ADMIN


@pytest.fixture
def in_english(app):
    with force_locale("en"):
        yield


def test_the_last_administrator_stays(app, db_session, make_user, admin, in_english):
    from coprod_match.services import account_admin
    from coprod_match.services.account_admin import AccountChangeRefused

    # The command line acts as nobody: only the rule keeps the last administrator.
    with pytest.raises(AccountChangeRefused, match="last administrator"):
        account_admin.disable_account(db_session, admin, actor=None)
    with pytest.raises(AccountChangeRefused, match="last administrator"):
        account_admin.change_role(db_session, admin, Role.COORDINATOR, actor=None)
    db_session.rollback()
    other = make_user(Role.ADMIN)
    account_admin.disable_account(db_session, other, actor=admin)
    db_session.commit()
    with pytest.raises(AccountChangeRefused, match="last administrator"):
        account_admin.change_role(db_session, admin, Role.PROFESSIONAL, actor=None)


def test_two_administrators_disabled_at_once_never_leave_none(app, db_session, make_user, admin):
    from sqlalchemy import orm

    from coprod_match.extensions import db
    from coprod_match.services import account_admin

    other = make_user(Role.ADMIN)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def disable(user_id: int) -> None:
        with app.app_context(), orm.Session(db.engine) as session:
            target = session.get(User, user_id)
            barrier.wait()
            try:
                account_admin.disable_account(session, target, actor=None)
                session.commit()
                outcomes.append("disabled")
            except account_admin.AccountChangeRefused:
                session.rollback()
                outcomes.append("refused")
            except sa.exc.OperationalError:  # SQLite: the other writer held the database
                session.rollback()
                outcomes.append("busy")

    threads = [threading.Thread(target=disable, args=(user_id,)) for user_id in (admin.id, other.id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2 and outcomes.count("disabled") == 1, outcomes
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN, User.is_enabled)) == 1


# --- Roles, the municipal flag, a reset link ---------------------------------------------------------


def test_role_changes_between_staff_roles_and_admin_asks_first(app, db_session, make_user, admin, smtp_server):
    piet = make_user(Role.PROFESSIONAL, name="Piet", email="piet@example.org")
    client = client_for(app, admin)
    page = f"/admin/users/{piet.id}"
    assert _post(client, f"{page}/role", page, role="coordinator").status_code == 302
    db_session.expire_all()
    assert piet.role == Role.COORDINATOR

    asked = _post(client, f"{page}/role", page, role="admin")
    assert asked.status_code == 200 and "Make Piet an administrator?" in asked.get_data(as_text=True)
    db_session.expire_all()
    assert piet.role == Role.COORDINATOR
    assert _post(client, f"{page}/role", page, role="admin", confirmed="yes").status_code == 302
    db_session.expire_all()
    assert piet.role == Role.ADMIN
    changes = [(a.details["before"], a.details["after"]) for a in _audits(db_session, "account.role_changed")]
    assert changes == [("professional", "coordinator"), ("coordinator", "admin")]
    deliver_outbox()
    mails = [body_text(m) for m in smtp_server.messages if m["To"] == "piet@example.org"]
    assert ["Your role is now: Coordinator." in mails[0], "Your role is now: Administrator." in mails[1]] == [True, True]


def test_a_linking_pin_hands_over_their_initiatives_before_their_role_changes(app, db_session, make_user, admin):
    piet = make_user(Role.PROFESSIONAL, name="Piet")
    colleague = make_user(Role.PROFESSIONAL, name="Sanne")
    held = [factories.initiative(db_session, title=title, contact=piet) for title in ("Buurtkamer", "Taalcafe")]
    factories.initiative(db_session, title="Oud", contact=piet, status=InitiativeStatus.CLOSED)  # nothing to hand over
    db_session.commit()
    client = client_for(app, admin)
    page = f"/admin/users/{piet.id}"
    for role, extra in (("coordinator", {}), ("admin", {}), ("admin", {"confirmed": "yes"})):
        answer = _post(client, f"{page}/role", page, role=role, **extra)
        assert answer.status_code == 302, role  # refused at once: no "make Piet an administrator?" first
        shown = client.get(answer.headers["Location"]).get_data(as_text=True)
        assert ("Piet is still the contact person of 2 initiatives. Hand them over to a colleague first, "
                "then change the role.") in shown
    db_session.expire_all()
    assert piet.role == Role.PROFESSIONAL and _audits(db_session, "account.role_changed") == []

    # Handed over (here by the administrator's reassign): now the role can change.
    from coprod_match.services import initiatives as initiative_service

    for initiative in held:
        initiative_service.reassign(db_session, initiative, colleague, actor=admin)
    db_session.commit()
    assert _post(client, f"{page}/role", page, role="coordinator").status_code == 302
    db_session.expire_all()
    assert piet.role == Role.COORDINATOR


def test_a_residents_account_stays_a_residents(app, db_session, make_user, admin):
    citizen = make_user(Role.CITIZEN)
    client = client_for(app, admin)
    page = f"/admin/users/{citizen.id}"
    assert f'action="{page}/role"' not in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/role", page, role="professional")
    assert "A resident&#39;s account stays a resident&#39;s account" in client.get(page).get_data(as_text=True)
    db_session.expire_all()
    assert citizen.role == Role.CITIZEN
    assert _audits(db_session, "account.role_changed") == []


def test_municipal_flag_for_coordinators_only(app, db_session, make_user, admin):
    coordinator = make_user(Role.COORDINATOR, is_municipal=False)
    professional = make_user(Role.PROFESSIONAL)
    client = client_for(app, admin)
    page = f"/admin/users/{coordinator.id}"
    assert "Let them work for the whole city" in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/municipal", page, municipal="yes")
    db_session.expire_all()
    assert coordinator.is_municipal
    assert "the whole city" in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/municipal", page, municipal="no")
    db_session.expire_all()
    assert not coordinator.is_municipal
    assert [a.details["municipal"] for a in _audits(db_session, "account.municipal_changed")] == [True, False]

    other = f"/admin/users/{professional.id}"
    _post(client, f"{other}/municipal", other, municipal="yes")
    assert "Only coordinators can work for the whole city." in client.get(other).get_data(as_text=True)
    db_session.expire_all()
    assert not professional.is_municipal


def test_leaving_the_coordinator_role_ends_the_municipal_flag(app, db_session, make_user, admin):
    from coprod_match.services import account_admin

    coordinator = make_user(Role.COORDINATOR, is_municipal=True)
    account_admin.change_role(db_session, coordinator, Role.PROFESSIONAL, actor=admin)
    db_session.commit()
    assert not coordinator.is_municipal


def test_work_areas_of_staff(app, db_session, make_user, admin):
    coordinator = make_user(Role.COORDINATOR)
    citizen = make_user(Role.CITIZEN)
    laak, transvaal = factories.neighbourhoods_named(db_session, "Laakkwartier en Spoorwijk", "Transvaal")
    client = client_for(app, admin)
    page = f"/admin/users/{coordinator.id}"
    _post(client, f"{page}/work-areas", page, work_area_ids=[transvaal.id, laak.id])
    db_session.expire_all()
    assert [place.name for place in coordinator.work_areas] == ["Laakkwartier en Spoorwijk", "Transvaal"]
    _post(client, f"{page}/work-areas", page)
    db_session.expire_all()
    assert coordinator.work_areas == []
    changes = [a.details["after"] for a in _audits(db_session, "account.work_areas_changed")]
    assert changes == [sorted([laak.id, transvaal.id]), []]
    # An unknown neighbourhood is not a choice: refused, nothing saved.
    assert _post(client, f"{page}/work-areas", page, work_area_ids=[999999]).status_code == 400
    other = f"/admin/users/{citizen.id}"
    _post(client, f"{other}/work-areas", other, work_area_ids=[laak.id])
    assert "Residents have a neighbourhood in their profile" in client.get(other).get_data(as_text=True)


def test_a_reset_link_is_mailed_and_works(app, db_session, make_user, admin, smtp_server):
    piet = make_user(Role.PROFESSIONAL, email="piet@example.org")
    client = client_for(app, admin)
    page = f"/admin/users/{piet.id}"
    answer = _post(client, f"{page}/password-reset", page)
    assert "A link to choose a new password is on its way to piet@example.org." in client.get(
        answer.headers["Location"]).get_data(as_text=True)
    assert len(_audits(db_session, "account.password_reset_sent")) == 1
    deliver_outbox()
    [mail] = [m for m in smtp_server.messages if m["To"] == "piet@example.org"]
    link = re.search(r"http://localhost\.test(/auth/password/reset/\S+)", body_text(mail)).group(1)
    assert app.test_client().get(link).status_code == 200


def test_no_reset_link_for_a_disabled_account(app, db_session, make_user, admin):
    dina = make_user(Role.CITIZEN, is_enabled=False)
    client = client_for(app, admin)
    page = f"/admin/users/{dina.id}"
    _post(client, f"{page}/password-reset", page)
    assert "This account is disabled. Enable it first" in client.get(page).get_data(as_text=True)
    assert _audits(db_session, "account.password_reset_sent") == []


# --- Erase -------------------------------------------------------------------------------------------


def test_erasing_asks_first_then_wipes_the_account(app, db_session, make_user, admin):
    contact = make_user(Role.PROFESSIONAL)
    care = factories.day_care(db_session, contact=contact)
    noor = make_user(Role.CITIZEN, name="Noor", email="noor@example.org")
    factories.placement(db_session, noor, care, factories.PlacementState.ACTIVE)
    db_session.commit()
    browser = client_for(app, noor)
    client = client_for(app, admin)
    page = f"/admin/users/{noor.id}"

    confirm = client.get(f"{page}/erase").get_data(as_text=True)
    assert "This cannot be undone." in confirm
    assert "They stop at the 1 initiative where they take part or signed up." in confirm
    assert _post(client, f"{page}/erase", f"{page}/erase").status_code == 302

    db_session.expire_all()
    assert noor.is_erased and noor.email != "noor@example.org" and noor.password_hash is None
    [audit] = _audits(db_session, "account.erased")
    assert (audit.actor_id, audit.entity_id, audit.details["reason"]) == (admin.id, noor.id, "admin")
    assert browser.get("/citizens/account").status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Noor" not in shown and "noor@example.org" not in shown
    assert "Erase this account" not in shown and "Disable this account" not in shown
    assert _shown_ids(client.get("/admin/users?state=erased")) == [noor.id]
    # Twice: nothing more happens.
    _post(client, f"{page}/erase", page)
    assert len(_audits(db_session, "account.erased")) == 1


def test_an_administrator_cannot_erase_themselves(app, db_session, make_user, admin):
    make_user(Role.ADMIN)
    client = client_for(app, admin)
    page = f"/admin/users/{admin.id}"
    assert "Erase this account" not in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/erase", page)
    assert "You cannot do this to your own account." in client.get(page).get_data(as_text=True)
    db_session.expire_all()
    assert not admin.is_erased
