"""Every API endpoint x verb x role x (own record, someone else's record) gives the expected status.

Someone else's record answers 404, exactly like one that does not exist, so
ids leak nothing; a role that may never use an endpoint gets 403; no
credentials get 401. Each role starts from a world no call has changed yet,
and asks for the other record first (which must change nothing) and then for
its own. Building a world is most of the time here, so the roles share one
until a call changes it (an answer below 400 to anything but GET): the next
role then gets a fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from coprod_match.models import Role

C, P, CO, A = Role.CITIZEN, Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN
ANON = None
EVERYONE = (ANON, C, P, CO, A)


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    # role -> (status for the own record, status for someone else's); roles not listed get 403
    # (anonymous callers 401). Paths and bodies name records as {key}, filled in per ownership.
    allowed: dict
    body: dict | None = None
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)


def same(status: int, *roles) -> dict:
    return {role: (status, status) for role in roles}


NEW_INITIATIVE = {"title": "Games afternoon", "description": "Board games with elderly neighbours.",
                  "neighbourhood_id": "{neighbourhood}", "start_date": "2026-01-01"}
INITIATIVE = {"initiative": "initiative_own"}, {"initiative": "initiative_other"}
VISIBLE_INITIATIVE = {"initiative": "initiative_own"}, {"initiative": "initiative_other_draft"}
PLACEMENT = {"placement": "placement_own"}, {"placement": "placement_other"}
INVITATION = {"invitation": "invitation_own"}, {"invitation": "invitation_other"}
ALERT = {"alert": "alert_own"}, {"alert": "alert_other"}
SIGN_UP = {"initiative": "initiative_sign_up"}, {"initiative": "initiative_other_draft"}
INVITE = ({"initiative": "initiative_own", "citizen": "citizen_fit_own"},
          {"initiative": "initiative_other", "citizen": "citizen_fit_other"})

CASES: dict[str, Case] = {
    "api-docs.openapi_json": Case("GET", "/api/v1/openapi.json", same(200, *EVERYONE)),
    "api_docs_page.docs": Case("GET", "/api/v1/docs", same(200, *EVERYONE)),
    "api_reference.neighbourhoods": Case("GET", "/api/v1/neighbourhoods", same(200, *EVERYONE)),
    "api_reference.languages": Case("GET", "/api/v1/languages", same(200, *EVERYONE)),
    "api_reference.interests": Case("GET", "/api/v1/interests", same(200, *EVERYONE)),
    "api_reference.target_groups": Case("GET", "/api/v1/target-groups", same(200, *EVERYONE)),
    "api_initiatives.list_initiatives": Case("GET", "/api/v1/initiatives", same(200, *EVERYONE)),
    "api_initiatives.create_initiative": Case("POST", "/api/v1/initiatives", same(201, P, A), NEW_INITIATIVE),
    "api_initiatives.get_initiative": Case(
        "GET", "/api/v1/initiatives/{initiative}",
        {ANON: (200, 404), C: (200, 404), P: (200, 404), CO: (200, 200), A: (200, 200)}, None,
        *VISIBLE_INITIATIVE),
    "api_initiatives.update_initiative": Case(
        "PATCH", "/api/v1/initiatives/{initiative}", {P: (200, 404), A: (200, 200)},
        {"title": "A new name"}, *INITIATIVE),
    "api_initiatives.change_status": Case(
        "POST", "/api/v1/initiatives/{initiative}/status", {P: (200, 404), A: (200, 200)},
        {"status": "closed"}, *INITIATIVE),
    "api_initiatives.put_version": Case(
        "PUT", "/api/v1/initiatives/{initiative}/versions/ar", {P: (200, 404), A: (200, 200)},
        {"title": "A title in Arabic"}, *INITIATIVE),
    "api_initiatives.delete_version": Case(
        "DELETE", "/api/v1/initiatives/{initiative}/versions/tr", {P: (204, 404), A: (204, 204)}, None, *INITIATIVE),
    "api_matching.candidates": Case(
        "GET", "/api/v1/initiatives/{initiative}/candidates", {P: (200, 404), CO: (200, 200), A: (200, 200)},
        None, *INITIATIVE),
    "api_matching.placement_plan": Case("GET", "/api/v1/placement-plans", same(200, CO, A)),
    "api_matching.ask_for_placement_plan": Case("POST", "/api/v1/placement-plans", same(202, CO, A), {}),
    "api_me.get_me": Case("GET", "/api/v1/me", same(200, C, P, CO, A)),
    "api_me.update_me": Case("PATCH", "/api/v1/me", same(200, C), {"max_initiatives": 3}),
    "api_me.suggestions": Case("GET", "/api/v1/me/suggestions", same(200, C)),
    "api_my_data.get_my_data": Case("GET", "/api/v1/me/data", same(200, C)),
    "api_me.apply": Case("POST", "/api/v1/me/placements", {C: (201, 404)},
                           {"initiative_id": "{initiative}"}, *SIGN_UP),
    "api_placements.list_placements": Case("GET", "/api/v1/placements", same(200, C, P, A)),
    "api_placements.get_placement": Case(
        "GET", "/api/v1/placements/{placement}", {C: (200, 404), P: (200, 404), A: (200, 200)},
        None, *PLACEMENT),
    "api_placements.move_placement": Case(
        "POST", "/api/v1/placements/{placement}/moves", {C: (200, 404), P: (200, 404), A: (200, 200)},
        {"to": "paused"}, *PLACEMENT),
    # Municipal coordinators (the test's) and admins read every conversation; only its sides write.
    "api_conversations.list_messages": Case(
        "GET", "/api/v1/placements/{placement}/messages",
        {C: (200, 404), P: (200, 404), CO: (200, 200), A: (200, 200)}, None, *PLACEMENT),
    "api_conversations.post_message": Case(
        "POST", "/api/v1/placements/{placement}/messages", {C: (201, 404), P: (201, 404)},
        {"text": "See you on Tuesday."}, *PLACEMENT),
    "api_invitations.list_invitations": Case("GET", "/api/v1/invitations", same(200, C, P, CO, A)),
    "api_invitations.invite": Case(
        "POST", "/api/v1/invitations", {P: (201, 404), CO: (201, 201), A: (201, 201)},
        {"citizen_id": "{citizen}", "initiative_id": "{initiative}"}, *INVITE),
    "api_invitations.answer": Case(
        "POST", "/api/v1/invitations/{invitation}/answer", {C: (200, 404)}, {"answer": "declined"},
        *INVITATION),
    "api_alerts.list_alerts": Case("GET", "/api/v1/alerts", same(200, CO, A)),
    "api_alerts.get_alert": Case("GET", "/api/v1/alerts/{alert}", same(200, CO, A), None, *ALERT),
    "api_alerts.acknowledge": Case("POST", "/api/v1/alerts/{alert}/acknowledge", same(200, CO, A), None,
                                   *ALERT),
    "api_alerts.assign": Case("POST", "/api/v1/alerts/{alert}/assign", same(200, CO, A),
                              {"assignee_id": None}, *ALERT),
    "api_alerts.add_note": Case("POST", "/api/v1/alerts/{alert}/notes", same(201, CO, A),
                                {"body": "Called the contact person."}, *ALERT),
    "api_alerts.resolve": Case("POST", "/api/v1/alerts/{alert}/resolve", same(200, CO, A),
                               {"reason": "Two new volunteers started."}, *ALERT),
    "api_jobs.job_runs": Case("GET", "/api/v1/job-runs", same(200, CO, A)),
}


def test_every_api_endpoint_and_verb_is_in_the_matrix(app):
    found = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    declared = {(endpoint, case.method) for endpoint, case in CASES.items()}
    assert found == declared, "declare new API endpoints in CASES with who may use them"


def _fill(value, names: dict, world):
    if isinstance(value, dict):
        return {key: _fill(item, names, world) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        key = value[1:-1]
        return world.ids[names.get(key, key)]
    return value


def _call(app, world, role, case: Case, names: dict):
    ids = {key: world.ids[name] for key, name in names.items()}
    path = case.path.format(**ids)
    body = _fill(case.body, names, world) if case.body is not None else None
    return app.test_client().open(path, method=case.method, json=body, headers=world.headers(role))


def _expected(case: Case, role) -> tuple[int, int]:
    if role in case.allowed:
        return case.allowed[role]
    return (401, 401) if role is ANON else (403, 403)


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_matrix(app, new_world, endpoint):
    case = CASES[endpoint]
    world = None
    for role in EVERYONE:
        if world is None:
            world = new_world()
            world.ids["neighbourhood"] = world.users[Role.CITIZEN].citizen_profile.neighbourhood_id
        own_expected, other_expected = _expected(case, role)
        checks = [("other", case.other, other_expected)] if case.other else []
        checks.append(("own", case.own, own_expected))
        changed = False
        for label, names, expected in checks:
            response = _call(app, world, role, case, names)
            changed = changed or (case.method != "GET" and response.status_code < 400)
            assert response.status_code == expected, (
                f"{case.method} {case.path} as {role} ({label}): {response.status_code} "
                f"{response.get_data(as_text=True)[:300]}")
            if response.status_code >= 400:
                assert response.mimetype == "application/problem+json"
                problem = response.get_json()
                assert problem["status"] == expected and problem["title"] and "type" in problem
        if changed:
            world = None  # this role's call changed its records: the next role starts from a fresh world
