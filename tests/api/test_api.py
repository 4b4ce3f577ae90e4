"""The API's behaviour beyond access: documents, errors, auth, pagination, and the domain moves."""

from __future__ import annotations

import re

import sqlalchemy as sa
from openapi_spec_validator import validate

from coprod_match.models import (
    AuditEntry,
    Initiative,
    InitiativeStatus,
    Placement,
    PlacementState,
    Role,
)
from coprod_match.queries.search import InitiativeSearch, search_initiatives
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for

PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body


# --- the OpenAPI document and the docs page ------------------------------------------------


def test_openapi_document_is_valid_and_lists_every_endpoint(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in spec["paths"].items()
                  for method in item if method != "parameters"}
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint not in ("api-docs.openapi_json", "api_docs_page.docs")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == documented
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert {"400", "401"} <= operation["responses"].keys(), (path, method)
            assert any(code.startswith("2") for code in operation["responses"]), (path, method)
    problem = spec["components"]["responses"]["NOT_FOUND"]["content"]
    assert list(problem) == [PROBLEM]
    assert {"bearerToken", "sessionCookie"} <= spec["components"]["securitySchemes"].keys()


def test_docs_page_serves_vendored_swagger_ui_under_the_site_csp(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/api-docs.js" in html and "<script>" not in html  # no inline script
    assert "https://" not in html.split("<body>")[1]  # nothing from a CDN
    assert page.headers["Content-Security-Policy"] == client.get("/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css", "api-docs.js"):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
        response.close()


# --- errors ----------------------------------------------------------------------------------


def test_unknown_paths_and_methods_answer_problem_documents(client, reference_data):
    _problem(client.get("/api/v1/no-such-thing"), 404)
    not_allowed = _problem(client.delete("/api/v1/neighbourhoods"), 405)
    assert not_allowed["type"] == "about:blank"


def test_validation_errors_name_each_field(app, world):
    client = app.test_client()
    body = _problem(client.post("/api/v1/initiatives", headers=world.headers(Role.PROFESSIONAL),
                                json={"description": "x", "colour": "red", "volunteers_ideal": "3"}), 422)
    assert body["type"] == "urn:coprod-match:problem:validation"
    pointers = {error["pointer"] for error in body["errors"]}
    assert {"#/title", "#/colour", "#/volunteers_ideal", "#/neighbourhood_id", "#/start_date"} <= pointers

    query = _problem(client.get("/api/v1/initiatives?day=someday&per_page=500"), 422)
    assert {(error["parameter"], error["in"]) for error in query["errors"]} == {("day", "query"),
                                                                                 ("per_page", "query")}


def test_server_set_fields_cannot_be_written(app, world):
    path = f"/api/v1/initiatives/{world.ids['initiative_own']}"
    for field, value in (("id", 99), ("status", "open"), ("active_volunteers", 9), ("created_at", "2020-01-01")):
        body = _problem(app.test_client().patch(path, headers=world.headers(Role.PROFESSIONAL),
                                                json={field: value}), 422)
        assert body["errors"][0]["pointer"] == f"#/{field}"
    me = _problem(app.test_client().patch("/api/v1/me", headers=world.headers(Role.CITIZEN),
                                          json={"role": "admin"}), 422)
    assert me["errors"][0]["pointer"] == "#/role"


def test_text_the_database_cannot_store_is_refused(app, world):
    path = f"/api/v1/initiatives/{world.ids['initiative_own']}"
    body = _problem(app.test_client().patch(path, headers=world.headers(Role.PROFESSIONAL),
                                            json={"title": "Tea\x00time"}), 422)
    assert body["errors"][0]["pointer"] == "#/title"


def test_a_crash_is_a_problem_document_without_a_stack_trace(app, client, reference_data):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    app.view_functions["api_reference.languages"] = broken
    body = _problem(client.get("/api/v1/languages"), 500)
    assert "secret internals" not in str(body)


# --- authentication --------------------------------------------------------------------------


def test_session_writes_need_the_csrf_header_and_tokens_do_not(app, world):
    browser = client_for(app, world.users[Role.CITIZEN])
    assert browser.get("/api/v1/me").status_code == 200
    _problem(browser.patch("/api/v1/me", json={"max_initiatives": 3}), 400)
    token = csrf_token(browser, "/")
    assert browser.patch("/api/v1/me", json={"max_initiatives": 3},
                         headers={"X-CSRFToken": token}).status_code == 200
    machine = app.test_client()
    response = machine.patch("/api/v1/me", json={"max_initiatives": 4}, headers=world.headers(Role.CITIZEN))
    assert response.status_code == 200 and response.get_json()["profile"]["max_initiatives"] == 4
    assert "Set-Cookie" not in response.headers  # a token request starts no session


def test_a_bad_token_is_refused_even_with_a_session(app, world):
    browser = client_for(app, world.users[Role.CITIZEN])
    for header in ("Bearer cpm_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "):
        response = browser.get("/api/v1/me", headers={"Authorization": header})
        _problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_accounts_tokens_stop_working(app, db_session, world):
    world.users[Role.COORDINATOR].is_enabled = False
    db_session.commit()
    _problem(app.test_client().get("/api/v1/me", headers=world.headers(Role.COORDINATOR)), 401)


# --- lists -----------------------------------------------------------------------------------


def test_pages_have_a_pagination_object_and_link_headers(client, reference_data):
    first = client.get("/api/v1/neighbourhoods?per_page=5")
    body = first.get_json()
    assert body["pagination"]["page"] == 1 and body["pagination"]["per_page"] == 5
    assert body["pagination"]["pages"] == -(-body["pagination"]["total"] // 5)
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' not in first.headers["Link"]
    second = client.get("/api/v1/neighbourhoods?per_page=5&page=2").get_json()
    assert not {n["id"] for n in body["items"]} & {n["id"] for n in second["items"]}  # stable order
    beyond = client.get("/api/v1/neighbourhoods?per_page=5&page=999")
    assert beyond.status_code == 200 and beyond.get_json()["items"] == []


def test_initiative_search_means_what_the_page_means(app, db_session, world):
    near = world.users[Role.CITIZEN].citizen_profile.neighbourhood_id
    for args, search in (
        ({"language": "tr"}, InitiativeSearch(language="tr")),
        ({"near": near, "radius": 1}, InitiativeSearch(near=near, radius=1, sort="nearest")),
        ({"q": "homework"}, InitiativeSearch(q="homework")),
        ({"day": "tue", "part": "evening"}, InitiativeSearch(day="tue", part="evening")),
    ):
        query, _distances = search_initiatives(db_session, search)
        expected = [initiative.id for initiative in db_session.scalars(query).unique()]
        response = app.test_client().get("/api/v1/initiatives", query_string={**args, "per_page": 100})
        assert [item["id"] for item in response.get_json()["items"]] == expected, args
    drafts = app.test_client().get("/api/v1/initiatives?per_page=100").get_json()["items"]
    assert world.ids["initiative_other_draft"] not in {item["id"] for item in drafts}


# --- domain moves ----------------------------------------------------------------------------


def test_professional_creates_and_changes_an_initiative(app, world):
    professional = world.headers(Role.PROFESSIONAL)
    client = app.test_client()
    created = client.post("/api/v1/initiatives", headers=professional, json={
        "title": "Games afternoon", "description": "Board games with elderly neighbours.",
        "neighbourhood_id": world.users[Role.CITIZEN].citizen_profile.neighbourhood_id,
        "start_date": "2026-03-01", "complementary_tasks": ["Making coffee"],
        "schedule": ["wed-afternoon"], "volunteers_min": 1, "volunteers_ideal": 2,
    })
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert created.headers["Location"].endswith(f"/api/v1/initiatives/{body['id']}")
    assert body["status"] == "draft" and body["complementary_tasks"] == ["Making coffee"]
    assert [contact["id"] for contact in body["contacts"]] == [world.users[Role.PROFESSIONAL].id]

    path = f"/api/v1/initiatives/{body['id']}"
    changed = client.patch(path, headers=professional, json={"title": "Games and tea"}).get_json()
    assert changed["title"] == "Games and tea" and changed["schedule"] == ["wed-afternoon"]
    _problem(client.patch(path, headers=professional, json={"volunteers_min": 5}), 422)
    bad_code = _problem(client.patch(path, headers=professional, json={"languages": ["xx"]}), 422)
    assert bad_code["errors"][0]["pointer"] == "#/languages"

    opened = client.post(f"{path}/status", headers=professional, json={"status": "open"})
    assert opened.get_json()["status"] == "open"
    refused = _problem(client.post(f"{path}/status", headers=professional, json={"status": "open"}), 409)
    assert refused["type"] == "urn:coprod-match:problem:invalid-status-change"


def test_placement_moves_follow_the_machine_and_who_may_make_them(app, world):
    client = app.test_client()
    citizen, professional = world.headers(Role.CITIZEN), world.headers(Role.PROFESSIONAL)
    own = f"/api/v1/placements/{world.ids['placement_own']}/moves"

    paused = client.post(own, headers=citizen, json={"to": "paused"}).get_json()
    assert paused["state"] == "paused" and "active" in paused["allowed_moves"]
    not_now = _problem(client.post(own, headers=citizen, json={"to": "applied"}), 409)
    assert not_now["type"] == "urn:coprod-match:problem:invalid-move"
    assert client.post(own, headers=professional, json={"to": "active"}).get_json()["state"] == "active"

    # A sign-up is answered by the contact, not by the citizen.
    signed = client.post("/api/v1/me/placements", headers=world.headers(Role.CITIZEN),
                         json={"initiative_id": world.ids["initiative_sign_up"], "message": "Hello!"})
    assert signed.status_code == 201 and signed.get_json()["state"] == "applied"
    again = _problem(client.post("/api/v1/me/placements", headers=citizen,
                                 json={"initiative_id": world.ids["initiative_sign_up"]}), 409)
    assert again["type"] == "urn:coprod-match:problem:already-taking-part"
    move = f"/api/v1/placements/{signed.get_json()['id']}/moves"
    assert _problem(client.post(move, headers=citizen, json={"to": "accepted"}), 403)["type"].endswith(
        "move-not-yours")
    _problem(client.post(move, headers=professional, json={"to": "rejected", "reason": "Full"}), 404)  # not theirs
    _problem(client.post(move, headers=world.headers(Role.ADMIN), json={"to": "rejected"}), 422)  # why?
    ended = client.post(move, headers=citizen, json={"to": "ended", "end_reason": "no_time"}).get_json()
    assert ended["state"] == "ended" and ended["end_reason"] == "no_time"


def test_the_last_place_cannot_be_taken_twice(app, db_session, make_user, world):
    initiative = db_session.get(Initiative, world.ids["initiative_own"])
    initiative.volunteers_min, initiative.volunteers_ideal = 1, 1  # the citizen's active place fills it
    newcomer = make_user(Role.CITIZEN)
    applied = factories.placement(db_session, newcomer, initiative, PlacementState.APPLIED)
    db_session.commit()
    full = _problem(app.test_client().post(f"/api/v1/placements/{applied.id}/moves",
                                           headers=world.headers(Role.PROFESSIONAL), json={"to": "accepted"}), 409)
    assert full["type"] == "urn:coprod-match:problem:initiative-full"


def test_staff_see_less_of_a_citizen_and_every_look_is_logged(app, db_session, world):
    path = f"/api/v1/placements/{world.ids['placement_own']}"
    staff_view = app.test_client().get(path, headers=world.headers(Role.PROFESSIONAL)).get_json()
    assert set(staff_view["citizen"]) == {"id", "display_name", "neighbourhood_id"}
    own_view = app.test_client().get(path, headers=world.headers(Role.CITIZEN)).get_json()
    assert "citizen" not in own_view
    me = app.test_client().get("/api/v1/me", headers=world.headers(Role.CITIZEN)).get_json()
    assert me["email"] and me["profile"]["languages"] == [{"code": "tr", "level": "native"}]
    looks = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "api.placement_viewed")).all()
    assert [(entry.actor_id, entry.resident_ids) for entry in looks] == [
        (world.users[Role.PROFESSIONAL].id, [world.users[Role.CITIZEN].id])]


def test_citizen_answers_an_invitation_and_staff_invite(app, world):
    client = app.test_client()
    answer = f"/api/v1/invitations/{world.ids['invitation_own']}/answer"
    accepted = client.post(answer, headers=world.headers(Role.CITIZEN), json={"answer": "accepted"})
    assert accepted.get_json()["state"] == "accepted"
    assert accepted.get_json()["invitation"]["answer"] == "accepted"
    _problem(client.post(answer, headers=world.headers(Role.CITIZEN), json={"answer": "declined"}), 409)

    invited = client.post("/api/v1/invitations", headers=world.headers(Role.PROFESSIONAL),
                          json={"citizen_id": world.ids["citizen_fit_own"],
                                "initiative_id": world.ids["initiative_own"], "message": "Join us on Tuesdays?"})
    assert invited.status_code == 201 and invited.get_json()["state"] == "invited"
    assert invited.get_json()["invitation"]["message"] == "Join us on Tuesdays?"
    twice = _problem(client.post("/api/v1/invitations", headers=world.headers(Role.PROFESSIONAL),
                                 json={"citizen_id": world.ids["citizen_fit_own"],
                                       "initiative_id": world.ids["initiative_own"]}), 409)
    assert twice["type"] == "urn:coprod-match:problem:cannot-invite"
    mine = client.get("/api/v1/invitations", headers=world.headers(Role.PROFESSIONAL)).get_json()["items"]
    assert {item["state"] for item in mine} == {"invited"}


def test_alert_lifecycle(app, world):
    client = app.test_client()
    coordinator = world.headers(Role.COORDINATOR)
    path = f"/api/v1/alerts/{world.ids['alert_own']}"
    listed = client.get("/api/v1/alerts?scope=all&kind=below_minimum", headers=coordinator).get_json()
    assert {item["id"] for item in listed["items"]} == {world.ids["alert_own"], world.ids["alert_other"]}
    assert client.post(f"{path}/acknowledge", headers=coordinator).get_json()["status"] == "acknowledged"
    assigned = client.post(f"{path}/assign", headers=coordinator,
                           json={"assignee_id": world.users[Role.PROFESSIONAL].id}).get_json()
    assert assigned["assignee_id"] == world.users[Role.PROFESSIONAL].id
    not_staff = _problem(client.post(f"{path}/assign", headers=coordinator,
                                     json={"assignee_id": world.users[Role.CITIZEN].id}), 422)
    assert not_staff["errors"][0]["pointer"] == "#/assignee_id"
    note = client.post(f"{path}/notes", headers=coordinator, json={"body": "Called the contact."})
    assert note.status_code == 201
    assert client.post(f"{path}/resolve", headers=coordinator,
                       json={"reason": "Two new volunteers."}).get_json()["status"] == "resolved"
    _problem(client.post(f"{path}/resolve", headers=coordinator, json={"reason": "Again"}), 409)


def test_closing_an_initiative_through_the_api_ends_its_places(app, db_session, world):
    response = app.test_client().post(f"/api/v1/initiatives/{world.ids['initiative_own']}/status",
                                      headers=world.headers(Role.ADMIN), json={"status": "closed"})
    assert response.get_json()["status"] == InitiativeStatus.CLOSED
    db_session.expire_all()
    assert db_session.get(Placement, world.ids["placement_own"]).state == PlacementState.ENDED


def test_answering_through_a_move_answers_the_invitation_too(app, db_session, world):
    from coprod_match.models import Invitation

    placement_id = world.ids["invitation_own"]
    declined = app.test_client().post(f"/api/v1/placements/{placement_id}/moves",
                                      headers=world.headers(Role.CITIZEN), json={"to": "declined"})
    assert declined.get_json()["state"] == "declined"
    invitation = db_session.scalar(sa.select(Invitation).where(Invitation.placement_id == placement_id))
    db_session.refresh(invitation)
    assert invitation.answer == "declined" and invitation.answered_at is not None
    reason = app.test_client().post(f"/api/v1/invitations/{world.ids['invitation_other']}/answer",
                                    headers=world.headers(Role.CITIZEN),
                                    json={"answer": "declined", "decline_reason": "too_far"})
    _problem(reason, 404)  # someone else's invitation


def test_a_citizen_without_a_neighbourhood_yet_gets_a_valid_profile(app, make_user):
    citizen = make_user(Role.CITIZEN, neighbourhood="(not chosen yet)")
    client = client_for(app, citizen)
    profile = client.get("/api/v1/me").get_json()["profile"]
    assert profile["neighbourhood_id"] is None and profile["max_hours_per_week"] is None
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["CitizenProfile"]
    assert spec["properties"]["neighbourhood_id"]["nullable"] is True


def test_placement_lists_read_in_a_constant_number_of_queries(app, db_session, make_user, world):
    from coprod_match.extensions import db

    initiative = db_session.get(Initiative, world.ids["initiative_own"])
    for _ in range(12):
        factories.placement(db_session, make_user(Role.CITIZEN), initiative, PlacementState.APPLIED)
    db_session.commit()

    def queries(per_page: int) -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = app.test_client().get(f"/api/v1/placements?per_page={per_page}",
                                             headers=world.headers(Role.PROFESSIONAL))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert len(response.get_json()["items"]) == min(per_page, 14)
        return len(statements)

    queries(1)  # the token's first use of the hour notes last_used_at: not part of the list's cost
    assert queries(2) == queries(14)
