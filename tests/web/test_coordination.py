"""The coordinator's dashboard and alert pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.continuity.rules import Thresholds
from coprod_match.continuity.scan import run_scan
from coprod_match.models import AlertKind, AlertStatus, ContinuityAlert, Neighbourhood, Role, utcnow
from tests import factories
from tests.conftest import csrf_token, login_as


@pytest.fixture
def world(db_session, make_user):
    """A coordinator for Centrum, a one-volunteer initiative in Transvaal, an empty one elsewhere."""
    coordinator = make_user(Role.COORDINATOR, name="Samira")
    coordinator.work_areas = db_session.scalars(
        sa.select(Neighbourhood).where(Neighbourhood.district == "Centrum")).all()
    professional = make_user(Role.PROFESSIONAL, name="Fatima")
    lonely = factories.initiative(db_session, title="Sportief Samen", neighbourhood="Transvaal",
                                  contact=professional)
    factories.placement(db_session, make_user(), lonely, since=utcnow())
    factories.initiative(db_session, title="Far away", neighbourhood="Benoordenhout", contact=professional)
    db_session.commit()
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    db_session.commit()
    single = db_session.scalar(sa.select(ContinuityAlert)
                               .where(ContinuityAlert.kind == AlertKind.SINGLE_VOLUNTEER))
    return {"coordinator": coordinator, "professional": professional, "initiative": lonely,
            "alert": single}


@pytest.fixture
def coordinator_client(client, world):
    login_as(client, world["coordinator"])
    return client


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_dashboard_shows_the_single_volunteer_alert_in_plain_words(coordinator_client, world):
    html = page(coordinator_client, "/coordination/")
    assert "Sportief Samen" in html
    assert "Only one volunteer has been active here since" in html
    assert "Centrum · Transvaal" in html  # grouped by district and neighbourhood
    assert "Far away" not in html  # Haagse Hout is not the coordinator's area
    everything = page(coordinator_client, "/coordination/?scope=all")
    assert "Far away" in everything and "No volunteer is active here." in everything


def test_filters_by_kind_severity_status_and_assignee(coordinator_client, world, db_session):
    only_contact = page(coordinator_client, "/coordination/?scope=all&kind=no_volunteers")
    assert "Far away" in only_contact and "Sportief Samen" not in only_contact
    most_urgent = page(coordinator_client, "/coordination/?scope=all&severity=4")
    assert "Sportief Samen" in most_urgent and "Far away" not in most_urgent
    world["alert"].assignee_id = world["coordinator"].id
    db_session.commit()
    mine = page(coordinator_client, "/coordination/?scope=all&assignee=me")
    assert "Sportief Samen" in mine and "Far away" not in mine
    assert "Sportief Samen" not in page(coordinator_client, "/coordination/?status=resolved")
    assert "Sportief Samen" in page(coordinator_client, "/coordination/?status=all")


def test_charts_are_svg_with_a_text_alternative_and_a_table(coordinator_client, world):
    html = page(coordinator_client, "/coordination/")
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4  # volunteers, alerts over time, coverage; and who still helps, by channel
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert html.count("<details>") >= 3 and "Show the numbers as a table" in html
    assert "<script" not in html
    assert "Of 1 open initiatives, 0 have no active volunteer and 1 have only one." in html


def test_chart_colours_come_from_the_stylesheet(app, coordinator_client, world):
    html = page(coordinator_client, "/coordination/?scope=all")
    svgs = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert not re.search(r'(fill|stroke)="|#[0-9a-fA-F]{3,6}\b|style=', svgs)
    with open(f"{app.static_folder}/site.css", encoding="utf-8") as handle:
        stylesheet = handle.read()
    classes = {name for value in re.findall(r'<(?:rect|line)[^>]*class="([^"]+)"', svgs) for name in value.split()}
    assert {"kind-single-volunteer", "volunteers-one", "coverage-enough", "chart-grid"} <= classes
    for name in classes:
        assert f".chart .{name}" in stylesheet, name


def test_find_people_link_only_when_matching_exists(app, coordinator_client, world, monkeypatch):
    link = f"/matching/initiatives/{world['initiative'].id}/candidates"
    if "matching.candidates" in app.view_functions:
        assert "Find people who could join" in page(coordinator_client, "/coordination/")
    monkeypatch.delitem(app.view_functions, "matching.candidates", raising=False)
    html = page(coordinator_client, "/coordination/")
    assert "Find people who could join" not in html and link not in html


def test_acknowledge_assign_note_and_resolve_with_history(coordinator_client, world, db_session):
    alert_id = world["alert"].id
    path = f"/coordination/alerts/{alert_id}"
    token = csrf_token(coordinator_client, path)

    def post(action, **data):
        response = coordinator_client.post(f"{path}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 302
        return response

    post("acknowledge")
    post("assign", assignee=str(world["professional"].id))
    post("notes", body="Asked Naima's neighbour to join on Tuesdays.")
    empty = coordinator_client.post(f"{path}/resolve", data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 422  # shown again with the error; the look is still logged
    assert re.search(r'id="reason-error">\s*Please say why the problem is solved.', empty.get_data(as_text=True))
    db_session.expire_all()
    alert = db_session.get(ContinuityAlert, alert_id)
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.assignee_id == world["professional"].id
    post("resolve", reason="A second volunteer starts next week.")

    html = page(coordinator_client, path)
    assert "Solved by hand" in html
    for line in ("The automatic check found this problem.", "Samira started handling it.",
                 "Samira gave it to Fatima.", "Asked Naima&#39;s neighbour to join on Tuesdays.",
                 "A second volunteer starts next week."):
        assert line in html
    db_session.expire_all()
    alert = db_session.get(ContinuityAlert, alert_id)
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at is not None
    # Acting on a solved alert is refused with a message, a note is still welcome.
    post("acknowledge")
    assert "already solved" in page(coordinator_client, path)
    post("notes", body="Checked again a week later.")
    assert "Checked again a week later." in page(coordinator_client, path)


def test_the_buttons_follow_what_the_alert_state_offers(coordinator_client, world, db_session):
    path = f"/coordination/alerts/{world['alert'].id}"
    open_alert = page(coordinator_client, path)
    assert "I am handling this" in open_alert and "Mark as solved" in open_alert
    world["alert"].status = AlertStatus.ACKNOWLEDGED
    db_session.commit()
    handled = page(coordinator_client, path)
    assert "I am handling this" not in handled and "Mark as solved" in handled
    world["alert"].status, world["alert"].resolved_at = AlertStatus.RESOLVED, utcnow()
    db_session.commit()
    solved = page(coordinator_client, path)
    assert "Mark as solved" not in solved and "Give it to someone" not in solved
    assert "Save the note" in solved


def test_an_auto_resolved_alert_says_so(coordinator_client, world, db_session, make_user):
    factories.placement(db_session, make_user(), world["initiative"], since=utcnow())
    db_session.commit()
    run_scan(db_session, now=utcnow(), thresholds=Thresholds())
    db_session.commit()
    html = page(coordinator_client, f"/coordination/alerts/{world['alert'].id}")
    assert "Solved by itself" in html
    assert "The alert closed by itself." in html
    history = page(coordinator_client,
                   f"/coordination/initiatives/{world['initiative'].id}/history")
    assert "Runs on one volunteer" in history and "Solved by itself" in history


def test_unknown_alert_is_404(coordinator_client):
    assert coordinator_client.get("/coordination/alerts/999999").status_code == 404
    assert coordinator_client.get("/coordination/initiatives/999999/history").status_code == 404


def test_assigning_to_a_citizen_is_refused(coordinator_client, world, make_user):
    citizen = make_user(Role.CITIZEN)
    path = f"/coordination/alerts/{world['alert'].id}"
    token = csrf_token(coordinator_client, path)
    response = coordinator_client.post(f"{path}/assign",
                                       data={"csrf_token": token, "assignee": str(citizen.id)})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_every_job_has_a_name_in_words_on_the_dashboard(coordinator_client, db_session):
    from coprod_match.jobs.registry import JOBS
    from coprod_match.models import JobRun
    from coprod_match.web.template_helpers import JOB_LABELS, job_label

    assert {spec.name for spec in JOBS} <= JOB_LABELS.keys()  # a new job needs its words here
    assert job_label("some_new_job") == "Some new job"
    db_session.add(JobRun(job_name="invitation_reminders", holder="test", outcome="succeeded",
                          finished_at=utcnow(), counts={}))
    db_session.commit()
    html = page(coordinator_client, "/coordination/")
    assert "Reminders about open invitations" in html and "invitation_reminders" not in html


def test_charts_are_full_width_with_their_tables(coordinator_client, world):
    html = page(coordinator_client, "/coordination/")
    charts_part = html[html.index('class="chart-list"'):html.index('id="runs-heading"')]
    assert charts_part.count('<figure class="card chart-card">') == 3
    assert charts_part.count("<table>") == 3 and "viewBox" not in charts_part
    assert min(int(size) for size in re.findall(r'font-size="(\d+)"', charts_part)) >= 12
