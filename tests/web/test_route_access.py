"""Every route x {right role, wrong role, anonymous}.

ROUTES declares who may open each endpoint. A new route that is not listed
here fails `test_every_route_is_declared`, so access is decided on purpose.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.models import (
    AlertKind,
    InitiativeStatus,
    InitiativeVersion,
    PlacementState,
    Role,
    VolunteerCheckIn,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for

PUBLIC = "public"
LOGGED_IN = "logged_in"
# Professionals manage the initiatives they are a contact for; admins manage all.
MANAGERS = {Role.PROFESSIONAL, Role.ADMIN}
STAFF = {Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN}

# endpoint -> (method, path, who may use it)
ROUTES: dict[str, tuple[str, str, object]] = {
    "main.home": ("GET", "/", PUBLIC),
    "main.set_language": ("POST", "/language", PUBLIC),
    "main.healthz": ("GET", "/healthz", PUBLIC),
    "main.readyz": ("GET", "/readyz", PUBLIC),
    "auth.register": ("GET", "/auth/register", PUBLIC),
    "auth.check_your_mail": ("GET", "/auth/register/check-your-mail", PUBLIC),
    "auth.finish_registration": ("GET", "/auth/register/finish/not-a-token", PUBLIC),
    "auth.login": ("GET", "/auth/login", PUBLIC),
    "auth.logout": ("POST", "/auth/logout", PUBLIC),
    "auth.forgot_password": ("GET", "/auth/password/forgot", PUBLIC),
    "auth.reset_password": ("GET", "/auth/password/reset/not-a-token", PUBLIC),
    "auth.change_password": ("GET", "/auth/password", LOGGED_IN),
    "account_tokens.tokens": ("GET", "/account/tokens", LOGGED_IN),
    # Someone else's token is a 404 (tests/web/test_account_tokens.py); here the access check only.
    "account_tokens.revoke": ("GET", "/account/tokens/999999/revoke", "owner"),
    "account_sessions.index": ("GET", "/account/sessions", LOGGED_IN),
    # Staff get the page too: it says an administrator erases their account.
    "account_erasure.confirm": ("GET", "/account/erase", LOGGED_IN),
    "account_erasure.goodbye": ("GET", "/account/erase/done", PUBLIC),
    "account_sessions.end_others": ("GET", "/account/sessions/others/end", LOGGED_IN),
    # Someone else's login is a 404 (tests/web/test_sessions.py); here the access check only.
    "account_sessions.end_one": ("GET", "/account/sessions/999999/end", "owner"),
    # Two-factor: the page for everyone logged in; its forms act on one's own account and the
    # second login step needs the password first (tests/web/test_two_factor.py tries both).
    "two_factor.setup": ("GET", "/account/two-factor", LOGGED_IN),
    "two_factor.renew_codes": ("POST", "/account/two-factor/recovery-codes", "owner"),
    "two_factor.turn_off": ("POST", "/account/two-factor/off", "owner"),
    "two_factor.login_step": ("GET", "/auth/two-factor", "password first"),
    # The privacy statement is for everyone; accepting it for everyone logged in; the welcome page
    # of an imported resident works from the mailed link alone (tests/web/test_import_welcome.py).
    "privacy.statement": ("GET", "/privacy", PUBLIC),
    "privacy.accept": ("GET", "/privacy/accept", LOGGED_IN),
    "welcome.confirm": ("GET", "/welcome/not-a-token", PUBLIC),
    "welcome.remove": ("POST", "/welcome/not-a-token/remove", PUBLIC),
    "initiatives.list_initiatives": ("GET", "/initiatives/", PUBLIC),
    "initiatives.detail": ("GET", "/initiatives/{initiative_id}", PUBLIC),
    "citizens.account": ("GET", "/citizens/account", {Role.CITIZEN}),
    # My data: the pages take no id, so each shows the logged-in resident's own data only.
    "my_data.index": ("GET", "/account/my-data", {Role.CITIZEN}),
    "my_data.printable": ("GET", "/account/my-data/print", {Role.CITIZEN}),
    "my_data.download": ("GET", "/account/my-data.json", {Role.CITIZEN}),
    "my_data.details": ("GET", "/account/details", LOGGED_IN),
    # Acts on one's own account only (tests/web/test_account_details.py).
    "my_data.change_email": ("POST", "/account/email", "owner"),
    # The e-mail's link: the token is the key (a bad one gets a clear 400 page).
    "my_data.confirm_email": ("GET", "/account/email/confirm/not-a-token", PUBLIC),
    "professionals.workspace": ("GET", "/professionals/", {Role.PROFESSIONAL}),
    "coordination.dashboard": ("GET", "/coordination/", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.evidence_page": ("GET", "/coordination/evidence", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.alert_detail": ("GET", "/coordination/alerts/{alert_id}", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.acknowledge": ("POST", "/coordination/alerts/{alert_id}/acknowledge", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.assign": ("POST", "/coordination/alerts/{alert_id}/assign", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.add_note": ("POST", "/coordination/alerts/{alert_id}/notes", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.resolve": ("POST", "/coordination/alerts/{alert_id}/resolve", {Role.COORDINATOR, Role.ADMIN}),
    "coordination.initiative_history": (
        "GET", "/coordination/initiatives/{initiative_id}/history", {Role.COORDINATOR, Role.ADMIN}),
    "admin.users": ("GET", "/admin/users", {Role.ADMIN}),
    "admin.new_user": ("GET", "/admin/users/new", {Role.ADMIN}),
    "admin.neighbourhoods": ("GET", "/admin/neighbourhoods", {Role.ADMIN}),
    "admin.account": ("GET", "/admin/users/{citizen_id}", {Role.ADMIN}),
    "admin.edit": ("GET", "/admin/users/{citizen_id}/edit", {Role.ADMIN}),
    "admin.disable": ("GET", "/admin/users/{citizen_id}/disable", {Role.ADMIN}),
    "admin.erase": ("GET", "/admin/users/{citizen_id}/erase", {Role.ADMIN}),
    "admin.enable": ("POST", "/admin/users/{citizen_id}/enable", {Role.ADMIN}),
    "admin.password_reset": ("POST", "/admin/users/{citizen_id}/password-reset", {Role.ADMIN}),
    "admin.work_areas": ("POST", "/admin/users/{citizen_id}/work-areas", {Role.ADMIN}),
    # Their forms need more than the CSRF token: tests/web/test_admin_accounts.py tries every role.
    "admin.change_role": ("POST", "/admin/users/{citizen_id}/role", "admin form"),
    "admin.municipal": ("POST", "/admin/users/{citizen_id}/municipal", "admin form"),
    "citizens.profile": ("GET", "/citizens/profile", {Role.CITIZEN}),
    "citizens.my_initiatives": ("GET", "/citizens/initiatives", {Role.CITIZEN}),
    "citizens.move_my_placement": ("POST", "/citizens/initiatives/{placement_id}/pause", {Role.CITIZEN}),
    "citizens.stop_my_placement": ("GET", "/citizens/initiatives/{placement_id}/stop", {Role.CITIZEN}),
    "initiatives.apply": ("POST", "/initiatives/{initiative_id}/apply", {Role.CITIZEN}),
    "professionals.new_initiative": ("GET", "/professionals/initiatives/new", MANAGERS),
    "professionals.manage_initiative": ("GET", "/professionals/initiatives/{initiative_id}", MANAGERS),
    "professionals.edit_initiative": ("GET", "/professionals/initiatives/{initiative_id}/edit", MANAGERS),
    "professionals.change_status": ("GET", "/professionals/initiatives/{initiative_id}/status/closed", MANAGERS),
    "professionals.accept_placement": (
        "POST", "/professionals/initiatives/{initiative_id}/placements/{placement_id}/accept", MANAGERS),
    "professionals.reject_placement": (
        "GET", "/professionals/initiatives/{initiative_id}/placements/{placement_id}/reject", MANAGERS),
    "professionals.move_placement": (
        "POST", "/professionals/initiatives/{initiative_id}/placements/{placement_id}/pause", MANAGERS),
    "professionals.end_placement": (
        "GET", "/professionals/initiatives/{initiative_id}/placements/{placement_id}/end", MANAGERS),
    # Versions in other languages: the same people as editing (tests/web/test_initiative_versions.py).
    "professionals.add_version": ("GET", "/professionals/initiatives/{initiative_id}/versions/new", MANAGERS),
    "professionals.edit_version": ("GET", "/professionals/initiatives/{initiative_id}/versions/tr", MANAGERS),
    "professionals.remove_version": ("GET", "/professionals/initiatives/{initiative_id}/versions/tr/remove", MANAGERS),
    # The initiative's current contacts only: another professional gets a 404 (tests/web/test_contact_work.py).
    "contact_month.my_month": ("GET", "/initiatives/{initiative_id}/my-month", {Role.PROFESSIONAL}),
    "professionals.attendance_list": ("GET", "/professionals/initiatives/{initiative_id}/attendance",
                                      {Role.PROFESSIONAL}),
    # One's own active placement only (someone else's is a 404).
    "citizens.helped_today": ("POST", "/citizens/initiatives/{placement_id}/helped", {Role.CITIZEN}),
    "professionals.change_contacts": (
        "POST", "/professionals/initiatives/{initiative_id}/contacts/add", MANAGERS),
    # How the volunteers feel: the contacts (averages), coordinators over the area and admins (each answer);
    # another professional's initiative is a 404 (tests/web/test_check_in_visibility.py).
    "professionals.initiative_check_ins": (
        "GET", "/professionals/initiatives/{initiative_id}/check-ins", STAFF),
    "matching.suggestions": ("GET", "/matching/suggestions", {Role.CITIZEN}),
    # Contacts of the initiative, coordinators and admins; another professional's initiative is a 404.
    "matching.candidates": (
        "GET", "/matching/initiatives/{initiative_id}/candidates", {Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN}),
    "matching.plan": ("GET", "/matching/plan", {Role.COORDINATOR, Role.ADMIN}),
    "matching.ask_for_plan": ("POST", "/matching/plan", {Role.COORDINATOR, Role.ADMIN}),
    "matching.invite_plan_rows": ("POST", "/matching/plan/invite", {Role.COORDINATOR, Role.ADMIN}),
    # Invitations: sent by the initiative's contacts, coordinators and admins (another
    # professional's initiative is a 404); answered by the citizen, or from the e-mail's link.
    "invitations.new": ("GET", "/invitations/new/{initiative_id}/{citizen_id}", STAFF),
    "invitations.by_email": ("GET", "/invitations/by-email/{initiative_id}", STAFF),
    "invitations.search": ("GET", "/invitations/search/{initiative_id}?q=Citizen", STAFF),
    "invitations.citizen": ("GET", "/invitations/citizens/{citizen_id}", STAFF),
    "invitations.for_initiative": ("GET", "/invitations/initiatives/{initiative_id}", STAFF),
    "invitations.withdraw": ("POST", "/invitations/{invitation_id}/withdraw", STAFF),
    "invitations.funnel": ("GET", "/invitations/funnel", STAFF),
    "invitations.mine": ("GET", "/invitations/{invitation_id}", {Role.CITIZEN}),
    "invitations.answer_mine": ("POST", "/invitations/{invitation_id}/decline", {Role.CITIZEN}),
    # The e-mail's link: the token is the key (a bad one gets a clear 400 page).
    "invitations.by_link": ("GET", "/invitations/link/not-a-token", PUBLIC),
    # The monthly check-in: from the mailed link alone, or the volunteer's own in the app
    # (someone else's is a 404: tests/web/test_check_in_pages.py).
    "check_ins.by_link": ("GET", "/check-in/not-a-token", PUBLIC),
    "check_ins.mine": ("GET", "/my/check-ins/{check_in_id}", {Role.CITIZEN}),
    "invitations.accept_by_link": ("POST", "/invitations/link/not-a-token/accept", PUBLIC),
    "invitations.decline_by_link": ("POST", "/invitations/link/not-a-token/decline", PUBLIC),
    "invitations.complete_account_link": ("GET", "/invitations/link/not-a-token/account", PUBLIC),
    # A placement's conversation: its resident, the initiative's contacts, and coordinators over its area
    # and admins (reading only); anyone else gets a 404 (tests/web/test_conversations.py tries each).
    "conversations.thread": ("GET", "/conversations/{placement_id}", "owner"),
    "conversations.post_message": ("POST", "/conversations/{placement_id}/messages", "owner"),
    # Recognition: a volunteer's own statement; thanks only from a current contact of the initiative
    # (another professional 403, another initiative's placement 404: tests/web/test_recognition.py).
    "recognition.statement": ("GET", "/my/statement", {Role.CITIZEN}),
    "recognition.thanks": ("GET", "/initiatives/{initiative_id}/volunteers/{placement_id}/thanks", {Role.PROFESSIONAL}),
    "inbox.index": ("GET", "/inbox/", LOGGED_IN),
    "inbox.open_message": ("POST", "/inbox/1/open", set(Role)),
    "inbox.mark_all_read": ("POST", "/inbox/read", set(Role)),
    "transfers.index": ("GET", "/transfers/", {Role.COORDINATOR, Role.ADMIN}),
    "transfers.export_initiatives": ("GET", "/transfers/initiatives.csv", {Role.COORDINATOR, Role.ADMIN}),
    "transfers.example": ("GET", "/transfers/examples/initiatives.csv", {Role.COORDINATOR, Role.ADMIN}),
}

ROLE_PROTECTED = {name: spec for name, spec in ROUTES.items() if isinstance(spec[2], set)}


def test_every_route_is_declared(app):
    # API endpoints are covered by tests/api/test_authorization_matrix.py.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint != "static" and not rule.rule.startswith("/api/")}
    assert endpoints == set(ROUTES), "declare new routes in ROUTES with who may use them"


@pytest.fixture
def users(make_user):
    return {role: make_user(role) for role in Role}


@pytest.fixture
def initiative(db_session, reference_data, users):
    """An open initiative whose contact is the professional, with the citizen active in it."""
    initiative = factories.initiative(db_session, title="Sports for women in Transvaal",
                                      start_date=dt.date(2026, 1, 1), contact=users[Role.PROFESSIONAL])
    initiative.versions.append(InitiativeVersion(locale="tr", title="Transvaal'da spor"))
    placement = factories.placement(db_session, users[Role.CITIZEN], initiative, PlacementState.ACTIVE)
    alert = factories.alert(db_session, initiative, AlertKind.SINGLE_VOLUNTEER)
    factories.profile(users[Role.CITIZEN], consents=True)  # agreed to be invited: staff may see her page
    invitation = factories.invitation(db_session, placement, sender=users[Role.PROFESSIONAL],
                                      sent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    check_in = VolunteerCheckIn(placement_id=placement.id, month=dt.date(2026, 1, 1), token_hash="0" * 64,
                                expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    db_session.add(check_in)
    db_session.commit()
    initiative.test_placement_id = placement.id
    initiative.test_check_in_id = check_in.id
    initiative.test_alert_id = alert.id
    initiative.test_citizen_id = users[Role.CITIZEN].id
    initiative.test_invitation_id = invitation.id
    return initiative


def _path(path: str, initiative) -> str:
    return path.format(initiative_id=initiative.id, placement_id=initiative.test_placement_id,
                       alert_id=initiative.test_alert_id, citizen_id=initiative.test_citizen_id,
                       invitation_id=initiative.test_invitation_id, check_in_id=initiative.test_check_in_id)


def _open(client, method: str, path: str):
    """GET, or POST with a valid CSRF token so the access check itself is what answers."""
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/")})


@pytest.mark.parametrize("endpoint", sorted(ROLE_PROTECTED))
def test_role_routes(app, users, initiative, endpoint):
    method, path, allowed = ROUTES[endpoint]
    path = _path(path, initiative)

    anonymous = _open(app.test_client(), method, path)
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]

    for role, user in users.items():
        client = client_for(app, user)
        response = _open(client, method, path)
        if role not in allowed:
            assert response.status_code == 403, f"{endpoint} as {role}"
        elif method == "GET":
            assert response.status_code == 200, f"{endpoint} as {role}"
        else:  # allowed: the action runs and redirects back, or shows its refused form again;
            # never 403 or a login redirect
            assert response.status_code in (200, 302, 303, 422), f"{endpoint} as {role}"
            assert "/auth/login" not in response.headers.get("Location", "")


def test_logged_in_routes(app, users, initiative):
    for _endpoint, (method, path, who) in ROUTES.items():
        if who != LOGGED_IN:
            continue
        anonymous = app.test_client().open(_path(path, initiative), method=method)
        assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
        for role, user in users.items():
            client = client_for(app, user)
            assert client.open(_path(path, initiative), method=method).status_code == 200, role


def test_public_routes_answer_everyone(app, users, initiative):
    public_gets = [
        (name, _path(path, initiative))
        for name, (method, path, who) in ROUTES.items()
        if who == PUBLIC and method == "GET"
    ]
    visitors = [None, *users.values()]
    for visitor in visitors:
        client = client_for(app, visitor)
        for name, path in public_gets:
            response = client.get(path)
            if name in ("auth.reset_password", "auth.finish_registration", "invitations.by_link", "check_ins.by_link",
                        "invitations.complete_account_link", "welcome.confirm", "my_data.confirm_email"):
                assert response.status_code == 400  # a bad token gets a clear page, not a 500
            elif name in ("auth.register", "auth.login") and visitor is not None:
                assert response.status_code == 302  # already logged in: sent to their home page
            else:
                assert response.status_code == 200, (name, visitor and visitor.role)


def test_public_posts_need_csrf(app):
    client = app.test_client()
    for path in ("/language", "/auth/logout", "/invitations/link/not-a-token/accept",
                 "/invitations/link/not-a-token/decline", "/welcome/not-a-token/remove", "/check-in/not-a-token"):
        assert client.post(path, data={}).status_code == 400


def test_wrong_role_gets_a_page_in_the_site_style(app, users):
    client = client_for(app, users[Role.CITIZEN])
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You cannot open this page" in response.get_data(as_text=True)


def test_draft_initiative_is_hidden_from_the_public(app, users, initiative, db_session):
    initiative.status = InitiativeStatus.DRAFT
    db_session.commit()
    assert app.test_client().get(f"/initiatives/{initiative.id}").status_code == 404
    citizen = client_for(app, users[Role.CITIZEN])
    assert citizen.get(f"/initiatives/{initiative.id}").status_code == 404
    professional = client_for(app, users[Role.PROFESSIONAL])
    assert professional.get(f"/initiatives/{initiative.id}").status_code == 200
