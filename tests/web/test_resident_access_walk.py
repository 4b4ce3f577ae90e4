"""The route walk: every staff page and API endpoint that shows residents checks access and logs the look.

Each endpoint of the staff-facing blueprints and of the API is listed here,
either in SHOWS (how to call it, as whom, and which resident it shows) or in
SHOWS_NO_RESIDENTS (why not). A new route that is not listed fails
`test_every_staff_route_is_classified`, so nobody adds a page that shows
residents without deciding who may see them.

For each route in SHOWS:
(a) the staff member whose work needs the resident gets 200, and exactly one
    new audit entry names the resident;
(b) a resident who neither agreed to be invited nor takes part is not shown:
    a single-resident page is refused, a list leaves them out; no audit entry
    names them;
(c) a citizen is refused (403 or 404);
(d) where the route is about an alert or an initiative's alerts: a coordinator
    gets 404 outside their districts, a municipal coordinator 200.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from coprod_match.matching import plan_runs
from coprod_match.models import (
    AlertKind,
    AuditEntry,
    AuditResident,
    Neighbourhood,
    PlacementState,
    PlanRow,
    PlanRun,
    PlanState,
    Role,
    utcnow,
)
from coprod_match.transaction import unit_of_work
from tests import factories
from tests.conftest import csrf_token
from tests.factories import TUESDAY_MORNING, api_headers, client_for

STAFF_BLUEPRINTS = {"coordination", "matching", "invitations", "professionals", "admin", "transfers",
                    "conversations", "recognition", "contact_month"}


@dataclass(frozen=True)
class Shows:
    """A route that shows a resident: how to call it, as whom, whom it shows."""

    path: str
    viewer: str  # a key of the world: contact, coordinator, admin
    resident: str  # the resident it shows
    # The same route for the stranger: a single-resident page must refuse it; a list must leave
    # them out. None: the route cannot name the stranger at all (the alerts' volunteers).
    stranger_path: str | None = None
    single: bool = False
    method: str = "GET"
    body: dict | None = None
    # (d): the same route for an alert or initiative outside the coordinator's districts.
    outside_path: str | None = None
    # A list citizens may ask for too, with their own records only (c: the resident is not in it).
    citizens_own: bool = False

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


CARE = "{care}"
SHOWS: dict[str, Shows] = {
    # Pages.
    "coordination.dashboard": Shows("/coordination/?scope=all", "coordinator", "volunteer"),
    "coordination.alert_detail": Shows("/coordination/alerts/{alert_here}", "coordinator", "volunteer",
                                       single=True, outside_path="/coordination/alerts/{alert_away}"),
    "coordination.initiative_history": Shows(
        f"/coordination/initiatives/{CARE}/history", "coordinator", "volunteer", single=True,
        outside_path="/coordination/initiatives/{away}/history"),
    "matching.candidates": Shows(f"/matching/initiatives/{CARE}/candidates", "contact", "candidate",
                                 stranger_path=f"/matching/initiatives/{CARE}/candidates"),
    "matching.plan": Shows("/matching/plan?district=Centrum", "coordinator", "candidate",
                           stranger_path="/matching/plan?district=Centrum"),
    "invitations.new": Shows(f"/invitations/new/{CARE}/{{candidate}}", "contact", "candidate", single=True,
                             stranger_path=f"/invitations/new/{CARE}/{{stranger}}"),
    "invitations.search": Shows(f"/invitations/search/{CARE}?q=Ayse", "contact", "candidate",
                                stranger_path=f"/invitations/search/{CARE}?q=Sam"),
    "invitations.citizen": Shows("/invitations/citizens/{candidate}", "contact", "candidate", single=True,
                                 stranger_path="/invitations/citizens/{stranger}"),
    "invitations.for_initiative": Shows(f"/invitations/initiatives/{CARE}", "contact", "invited",
                                        stranger_path=f"/invitations/initiatives/{CARE}"),
    "professionals.manage_initiative": Shows(f"/professionals/initiatives/{CARE}", "contact", "volunteer",
                                             stranger_path=f"/professionals/initiatives/{CARE}"),
    "professionals.reject_placement": Shows(
        f"/professionals/initiatives/{CARE}/placements/{{applied}}/reject", "contact", "applicant", single=True,
        stranger_path=f"/professionals/initiatives/{CARE}/placements/{{far_placement}}/reject"),
    "professionals.end_placement": Shows(
        f"/professionals/initiatives/{CARE}/placements/{{active}}/end", "contact", "volunteer", single=True,
        stranger_path=f"/professionals/initiatives/{CARE}/placements/{{far_placement}}/end"),
    "recognition.thanks": Shows(f"/initiatives/{CARE}/volunteers/{{active}}/thanks", "contact", "volunteer",
                                single=True, stranger_path=f"/initiatives/{CARE}/volunteers/{{far_placement}}/thanks"),
    "professionals.attendance_list": Shows(f"/professionals/initiatives/{CARE}/attendance", "contact", "volunteer",
                                           stranger_path=f"/professionals/initiatives/{CARE}/attendance"),
    # API.
    "api_alerts.list_alerts": Shows("/api/v1/alerts?scope=all", "coordinator", "volunteer"),
    "api_alerts.get_alert": Shows("/api/v1/alerts/{alert_here}", "coordinator", "volunteer", single=True,
                                  outside_path="/api/v1/alerts/{alert_away}"),
    "api_alerts.acknowledge": Shows("/api/v1/alerts/{alert_here}/acknowledge", "coordinator", "volunteer",
                                    single=True, method="POST", body={},
                                    outside_path="/api/v1/alerts/{alert_away}/acknowledge"),
    "api_alerts.assign": Shows("/api/v1/alerts/{alert_here}/assign", "coordinator", "volunteer", single=True,
                               method="POST", body={"assignee_id": None},
                               outside_path="/api/v1/alerts/{alert_away}/assign"),
    "api_alerts.resolve": Shows("/api/v1/alerts/{alert_here}/resolve", "coordinator", "volunteer", single=True,
                                method="POST", body={"reason": "Talked to her"},
                                outside_path="/api/v1/alerts/{alert_away}/resolve"),
    "api_matching.candidates": Shows(f"/api/v1/initiatives/{CARE}/candidates", "contact", "candidate",
                                     stranger_path=f"/api/v1/initiatives/{CARE}/candidates"),
    "api_matching.placement_plan": Shows("/api/v1/placement-plans?district=Centrum", "coordinator", "candidate",
                                         stranger_path="/api/v1/placement-plans?district=Centrum"),
    "api_placements.list_placements": Shows("/api/v1/placements", "contact", "volunteer",
                                            stranger_path="/api/v1/placements", citizens_own=True),
    "api_placements.get_placement": Shows("/api/v1/placements/{active}", "contact", "volunteer", single=True,
                                          stranger_path="/api/v1/placements/{far_placement}"),
    "api_placements.move_placement": Shows("/api/v1/placements/{active}/moves", "contact", "volunteer",
                                           single=True, method="POST", body={"to": "paused"},
                                           stranger_path="/api/v1/placements/{far_placement}/moves"),
    "conversations.thread": Shows("/conversations/{active}", "contact", "volunteer", single=True,
                                  stranger_path="/conversations/{far_placement}"),
    "api_conversations.list_messages": Shows("/api/v1/placements/{active}/messages", "contact", "volunteer",
                                             single=True, stranger_path="/api/v1/placements/{far_placement}/messages"),
    "api_invitations.list_invitations": Shows("/api/v1/invitations", "contact", "invited",
                                              stranger_path="/api/v1/invitations", citizens_own=True),
    "api_invitations.invite": Shows("/api/v1/invitations", "contact", "candidate", single=True, method="POST",
                                    body={"initiative_id": "{care}", "citizen_id": "{candidate}"}),
}

# Endpoint -> why it shows no resident to staff (or whose own data it is).
SHOWS_NO_RESIDENTS: dict[str, str] = {
    "coordination.acknowledge": "acts on an alert and goes back to its page (404 outside the districts)",
    # Counts and averages in the viewer's areas (tests/continuity/test_retention.py tries another area).
    "coordination.evidence_page": "retention, answers and response rates: counts only, never a resident",
    # A refused form shows the alert's page again (422), logged as a look like coordination.alert_detail.
    "coordination.assign": "acts on an alert; names only staff",
    "coordination.add_note": "acts on an alert; staff's note",
    "coordination.resolve": "acts on an alert and goes back to its page",
    "api_alerts.add_note": "answers the note, not the alert's volunteer",
    "matching.suggestions": "a citizen's own suggestions",
    "matching.ask_for_plan": "queues a plan; the plan page shows its rows",
    "matching.invite_plan_rows": "sends invitations and goes back to the plan page",
    "api_matching.ask_for_placement_plan": "queues a plan; answers the plan run",
    "invitations.by_email": "a form; what happened to the address is never said",
    "invitations.withdraw": "acts and goes back to the initiative's invitations",
    "invitations.funnel": "counts per place and per professional, no residents",
    "invitations.mine": "a citizen's own invitation",
    "invitations.answer_mine": "a citizen's own answer",
    "invitations.by_link": "the invited person's own link",
    "invitations.accept_by_link": "the invited person's own link",
    "invitations.decline_by_link": "the invited person's own link",
    "invitations.complete_account_link": "the invited person's own link",
    "api_invitations.answer": "a citizen's own answer",
    "professionals.workspace": "the professional's initiatives with counts",
    "contact_month.my_month": "the contact's own answers about their month, no residents",
    "conversations.post_message": "writes and goes back to the conversation, which logs the look",
    "recognition.statement": "a volunteer's own statement; staff are refused (tests/web/test_recognition.py)",
    "api_conversations.post_message": "answers the new message only (tests/api/test_conversations_api.py)",
    "professionals.new_initiative": "a form",
    "professionals.edit_initiative": "a form about the initiative",
    "professionals.change_status": "about the initiative; closing asks to confirm",
    "professionals.add_version": "a form about the initiative",
    "professionals.edit_version": "a form about the initiative",
    "professionals.remove_version": "about the initiative; asks to confirm",
    "professionals.change_contacts": "staff only",
    "professionals.accept_placement": "acts and goes back to the participants page, which logs",
    "professionals.move_placement": "acts and goes back to the participants page, which logs",
    "admin.new_user": "a form",
    "admin.change_role": "acts on a staff account and goes back to its page, which logs",
    "admin.disable": "its confirmation logs the look like the account page; then acts and goes back",
    "admin.enable": "acts and goes back to the account's page, which logs",
    "admin.erase": "its confirmation logs the look like the account page; then erases",
    "admin.municipal": "acts on a coordinator's account",
    "admin.password_reset": "sends the person a link; shows nothing",
    "admin.work_areas": "acts on a staff account",
    "api_my_data.get_my_data": "the caller's own data",
    "admin.neighbourhoods": "reference data",
    "transfers.index": "the import and export page",
    "transfers.example": "an example file",
    "transfers.export_initiatives": "initiatives, no residents",
    "api_me.get_me": "the caller's own data",
    "api_me.update_me": "the caller's own data",
    "api_me.apply": "the caller's own placement",
    "api_me.suggestions": "the caller's own suggestions",
    "api_initiatives.list_initiatives": "initiatives and their counts",
    "api_initiatives.get_initiative": "an initiative",
    "api_initiatives.create_initiative": "an initiative",
    "api_initiatives.update_initiative": "an initiative",
    "api_initiatives.change_status": "an initiative",
    "api_initiatives.put_version": "an initiative",
    "api_initiatives.delete_version": "acts on an initiative; answers nothing",
    "api_jobs.job_runs": "the scheduler's run log",
    "api_reference.interests": "reference data",
    "api_reference.languages": "reference data",
    "api_reference.neighbourhoods": "reference data",
    "api_reference.target_groups": "reference data",
    "api-docs.openapi_json": "the API's description",
    "api_docs_page.docs": "the API's description",
}

# Routes another part of the work checks for itself: listed, so they are not forgotten here.
CHECKED_BY_THEIR_OWN_TESTS: dict[str, str] = {
    "admin.users": "the accounts list logs each page's look naming the residents shown "
                   "(tests/web/test_admin_accounts.py); admins see every account: managing them is their work",
    "admin.account": "one account's page logs the look at a resident (tests/web/test_admin_accounts.py)",
    "admin.edit": "the correction form logs the look like the account page (tests/web/test_admin_accounts.py)",
    "professionals.initiative_check_ins": "contacts see counts and averages only; coordinators over the area and "
                                          "admins see each volunteer's answers, logged naming them; other "
                                          "professionals, citizens and other districts are refused "
                                          "(tests/web/test_check_in_visibility.py)",
}


def _staff_endpoints(app) -> set[str]:
    return {
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS or rule.rule.startswith("/api/")
    }


def test_every_staff_route_is_classified(app):
    listed = set(SHOWS) | set(SHOWS_NO_RESIDENTS) | set(CHECKED_BY_THEIR_OWN_TESTS)
    unlisted = _staff_endpoints(app) - listed
    assert not unlisted, f"say whether these show residents (SHOWS or SHOWS_NO_RESIDENTS): {sorted(unlisted)}"
    assert not (set(SHOWS) & set(SHOWS_NO_RESIDENTS))
    assert listed - _staff_endpoints(app) == set(), "remove endpoints that no longer exist"


@pytest.fixture
def world(db_session, make_user):
    """The day care in Schilderswijk (district Centrum) and walks in Benoordenhout (Haagse Hout).

    volunteer: active in the day care, never agreed to be invited (seen because she takes part);
    candidate: agreed to be invited and fits the day care; invited: has an open invitation to it;
    applicant: signed up for it; stranger: fits, but neither agreed nor takes part anywhere;
    far: volunteers in Benoordenhout, outside the coordinator's districts.
    """
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    care = factories.day_care(db_session, contact=contact, volunteers_ideal=8)
    away = factories.initiative(db_session, title="Walks in Benoordenhout", neighbourhood="Benoordenhout",
                                contact=make_user(Role.PROFESSIONAL))
    fits = {"availability_slots": TUESDAY_MORNING, "native_languages": ["tr"]}
    volunteer = make_user(Role.CITIZEN, name="Vera Volunteer")
    candidate = factories.profile(make_user(Role.CITIZEN, name="Ayse Candidate"), consents=True, **fits)
    invited = factories.profile(make_user(Role.CITIZEN, name="Ilse Invited"), consents=True)
    applicant = make_user(Role.CITIZEN, name="Arie Applicant")
    stranger = factories.profile(make_user(Role.CITIZEN, name="Sam Stranger"), **fits)
    far = make_user(Role.CITIZEN, name="Bo Faraway", neighbourhood="Benoordenhout")
    active = factories.placement(db_session, volunteer, care, PlacementState.ACTIVE)
    applied = factories.placement(db_session, applicant, care, PlacementState.APPLIED)
    factories.invitation(db_session, factories.placement(db_session, invited, care, PlacementState.INVITED),
                         sender=contact)
    far_placement = factories.placement(db_session, far, away, PlacementState.ACTIVE)
    alert_here = factories.alert(db_session, care, AlertKind.VOLUNTEER_INACTIVE, citizen_id=volunteer.id)
    alert_away = factories.alert(db_session, away, AlertKind.VOLUNTEER_INACTIVE, citizen_id=far.id)
    centrum = db_session.scalars(sa.select(Neighbourhood).where(Neighbourhood.district == "Centrum")).all()
    coordinator = make_user(Role.COORDINATOR, name="Carla Centrum", is_municipal=False, work_areas=centrum)
    municipal = make_user(Role.COORDINATOR, name="Mo Municipal", is_municipal=True)
    db_session.commit()
    _stored_plan(db_session, "Centrum", stranger_id=stranger.id, initiative_id=care.id)
    return {
        "contact": contact, "coordinator": coordinator, "municipal": municipal, "admin": make_user(Role.ADMIN),
        "citizen": candidate, "volunteer": volunteer, "candidate": candidate, "invited": invited,
        "applicant": applicant, "stranger": stranger, "far": far,
        "ids": {"care": care.id, "away": away.id, "candidate": candidate.id, "stranger": stranger.id,
                "active": active.id, "applied": applied.id, "far_placement": far_placement.id,
                "alert_here": alert_here.id, "alert_away": alert_away.id},
    }


def _stored_plan(session, district: str, *, stranger_id: int, initiative_id: int) -> None:
    """A plan made the real way, plus a row for the stranger as if she had withdrawn consent since."""
    with unit_of_work(session):
        plan_runs.ask_for_plan(session, district=district, actor=None)
    with unit_of_work(session):
        plan_runs.make_next_plan(session, now=utcnow())
    run = session.scalar(sa.select(PlanRun).where(PlanRun.state == PlanState.DONE))
    assert run is not None and run.row_count >= 1
    session.add(PlanRow(plan_run_id=run.id, position=run.row_count + 1, citizen_id=stranger_id,
                        initiative_id=initiative_id, score=0.5, reasons=[]))
    session.commit()


def _fill(text: str, world) -> str:
    return text.format(**world["ids"])


def _body(spec: Shows, world) -> dict | None:
    if spec.body is None:
        return None
    return {key: int(_fill(value, world)) if isinstance(value, str) and value.startswith("{") else value
            for key, value in spec.body.items()}


def _call(app, db_session, spec: Shows, user, path: str, world):
    """Ask as `user`: the API with a token, pages with a login (and a CSRF token for a post)."""
    if spec.api:
        headers = api_headers(db_session, user, actor=None)
        db_session.commit()
        client = app.test_client()
        if spec.method == "GET":
            return client.get(path, headers=headers)
        return client.post(path, json=_body(spec, world), headers=headers)
    client = client_for(app, user)
    if spec.method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/")})


def _last_entry_id(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.id), 0)))


def _entries_naming(db_session, citizen_id: int, after: int) -> int:
    db_session.expire_all()
    return db_session.scalar(
        sa.select(sa.func.count()).select_from(AuditResident)
        .where(AuditResident.citizen_id == citizen_id, AuditResident.entry_id > after))


@pytest.mark.parametrize("endpoint", sorted(SHOWS))
def test_staff_route_checks_access_and_logs_each_look(app, db_session, world, endpoint):
    spec = SHOWS[endpoint]
    resident, stranger = world[spec.resident], world["stranger"]
    path = _fill(spec.path, world)

    # (c) A citizen is refused, and nobody's data is logged as seen.
    before = _last_entry_id(db_session)
    refused = _call(app, db_session, spec, world["citizen"], path, world)
    if spec.citizens_own:
        assert refused.status_code == 200 and resident.display_name not in refused.get_data(as_text=True)
    else:
        assert refused.status_code in (403, 404), endpoint
    assert _entries_naming(db_session, resident.id, before) == 0

    # (d) Outside the coordinator's districts: not found; a municipal coordinator sees it.
    if spec.outside_path:
        outside = _fill(spec.outside_path, world)
        before = _last_entry_id(db_session)
        assert _call(app, db_session, spec, world["coordinator"], outside, world).status_code == 404, endpoint
        assert _entries_naming(db_session, world["far"].id, before) == 0
        assert _call(app, db_session, spec, world["municipal"], outside, world).status_code in (200, 201)
        assert _entries_naming(db_session, world["far"].id, before) == 1, endpoint

    # (b) The stranger is never shown and never logged.
    if spec.stranger_path:
        before = _last_entry_id(db_session)
        answer = _call(app, db_session, spec, world[spec.viewer], _fill(spec.stranger_path, world), world)
        if spec.single:
            assert answer.status_code in (404, 422), endpoint
        else:
            assert answer.status_code == 200, endpoint
            assert stranger.display_name not in answer.get_data(as_text=True), endpoint
        assert _entries_naming(db_session, stranger.id, before) == 0, endpoint

    # (a) The staff member whose work needs the resident sees them, and the look is logged once.
    before = _last_entry_id(db_session)
    answer = _call(app, db_session, spec, world[spec.viewer], path, world)
    assert answer.status_code in (200, 201), (endpoint, answer.status_code, answer.get_data(as_text=True)[:300])
    assert resident.display_name in answer.get_data(as_text=True), endpoint
    assert _entries_naming(db_session, resident.id, before) == 1, endpoint
    assert _entries_naming(db_session, stranger.id, before) == 0, endpoint


def test_alert_lists_leave_out_other_districts_unless_municipal(app, db_session, world):
    for path in ("/coordination/?scope=all", "/api/v1/alerts?scope=all"):
        for who, sees_far in (("coordinator", False), ("municipal", True)):
            spec = Shows(path, who, "volunteer")
            before = _last_entry_id(db_session)
            text = _call(app, db_session, spec, world[who], path, world).get_data(as_text=True)
            assert ("Bo Faraway" in text) is sees_far, (path, who)
            assert _entries_naming(db_session, world["far"].id, before) == int(sees_far)


def test_the_old_hole_is_closed_a_loop_over_ids_shows_nobody(app, db_session, world, make_user):
    """`/invitations/new/<initiative>/<citizen>` used to show any resident for any id, unlogged."""
    others = [make_user(Role.CITIZEN, name=f"Neighbour {number}") for number in range(5)]
    client = client_for(app, world["contact"])
    before = _last_entry_id(db_session)
    answers = [client.get(f"/invitations/new/{world['ids']['care']}/{person.id}") for person in others]
    assert [answer.status_code for answer in answers] == [404] * 5
    assert all(_entries_naming(db_session, person.id, before) == 0 for person in others)


def test_a_placement_that_ended_still_lets_its_contact_see_the_resident(app, db_session, world):
    """Taking part counts whether the placement is live or ended (history needs the names)."""
    placement = db_session.get(factories.Placement, world["ids"]["active"])
    placement.state, placement.state_changed_at = PlacementState.ENDED, utcnow() - dt.timedelta(days=1)
    db_session.commit()
    path = f"/invitations/new/{world['ids']['care']}/{world['volunteer'].id}"
    assert client_for(app, world["contact"]).get(path).status_code == 200
    assert client_for(app, world["contact"]).get(
        f"/invitations/new/{world['ids']['care']}/{world['far'].id}").status_code == 404
