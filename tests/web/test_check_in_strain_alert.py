"""From the mailed link to the coordinator's alert, on SQLite and PostgreSQL.

A volunteer answers "It is too much for me" high in two months through the
signed link, without logging in; the continuity scan opens one alert of the
new kind; a third, relaxed answer resolves it at the next scan; and rescans
change nothing. The months are asked at their own dates (two months ago, last
month, now) with links that last long enough to answer them today.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from coprod_match.continuity.scan import run_scan, thresholds_from_config
from coprod_match.models import AlertKind, AlertStatus, ContinuityAlert, OutboxMail, Role, utcnow
from coprod_match.services.check_ins import ask_volunteers
from tests import factories
from tests.conftest import csrf_token

NOW = utcnow()


def _ask_and_take_the_link(session, volunteer_email: str, asked_at: dt.datetime) -> str:
    """Ask this month's check-in as the job does, and read the link from the queued mail."""
    assert ask_volunteers(session, now=asked_at, link_days=120) == 1
    session.commit()
    queued = session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient == volunteer_email)
                             .order_by(OutboxMail.id.desc())).first()
    text = email.message_from_bytes(queued.message, policy=email.policy.default) \
        .get_body(preferencelist=("plain",)).get_content()
    return urlsplit(re.search(r"https?://\S+/check-in/\S+", text).group(0)).path


def _answer_without_login(app, path: str, *, too_much: int) -> None:
    visitor = factories.client_for(app)  # nobody logged in
    answered = visitor.post(path, data={
        "csrf_token": csrf_token(visitor, path), "still_helping": "yes",
        "appreciated": "4", "supported": "4", "too_much": str(too_much), "comment": ""})
    assert answered.status_code == 200, answered.get_data(as_text=True)


def _strain_alerts(session) -> list[tuple]:
    session.expire_all()
    return session.execute(
        sa.select(ContinuityAlert.id, ContinuityAlert.status, ContinuityAlert.condition_key,
                  ContinuityAlert.last_seen_at, ContinuityAlert.resolved_at)
        .where(ContinuityAlert.kind == AlertKind.VOLUNTEER_STRAIN).order_by(ContinuityAlert.id)).all()


def test_too_much_twice_through_the_link_opens_one_alert_and_a_relaxed_answer_resolves_it(
        app, db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima")
    kitchen = factories.initiative(db_session, title="Samen koken", contact=contact)
    volunteer = make_user(Role.CITIZEN, name="Mina", email="mina@example.org")
    placement = factories.placement(db_session, volunteer, kitchen, since=NOW - dt.timedelta(days=150))
    db_session.commit()
    thresholds = thresholds_from_config(app.config)

    def scan(at: dt.datetime):
        summary = run_scan(db_session, now=at, thresholds=thresholds)
        db_session.commit()
        return summary.by_kind.get(AlertKind.VOLUNTEER_STRAIN.value, {})

    # Two months ago and last month: "It is too much for me" 5, then 4.
    _answer_without_login(app, _ask_and_take_the_link(db_session, volunteer.email, NOW - dt.timedelta(days=62)),
                          too_much=5)
    assert scan(NOW - dt.timedelta(seconds=30)) == {}  # one high answer is not yet a pattern
    _answer_without_login(app, _ask_and_take_the_link(db_session, volunteer.email, NOW - dt.timedelta(days=31)),
                          too_much=4)

    assert scan(NOW - dt.timedelta(seconds=20))["opened"] == 1
    [(alert_id, status, key, _seen, _resolved)] = _strain_alerts(db_session)
    assert status == AlertStatus.OPEN and key == f"volunteer_strain:p{placement.id}"
    details = db_session.get(ContinuityAlert, alert_id).details
    assert details["reasons"] == ["too_much"]
    assert [answer["too_much"] for answer in details["answers"]] == [4, 5]  # latest first

    before = _strain_alerts(db_session)
    assert scan(NOW - dt.timedelta(seconds=10)) == {"opened": 0, "kept": 1, "resolved": 0}
    assert [row[:3] for row in _strain_alerts(db_session)] == [row[:3] for row in before]  # still the one alert

    # This month a relaxed answer: the next scan resolves the alert.
    _answer_without_login(app, _ask_and_take_the_link(db_session, volunteer.email, NOW), too_much=2)
    assert scan(NOW + dt.timedelta(seconds=10))["resolved"] == 1
    resolved = _strain_alerts(db_session)
    assert [(row[0], row[1]) for row in resolved] == [(alert_id, AlertStatus.RESOLVED)]

    # Rescans change nothing: no alert opened, resolved or touched.
    assert scan(NOW + dt.timedelta(seconds=20)) == {}
    assert scan(NOW + dt.timedelta(seconds=30)) == {}
    assert _strain_alerts(db_session) == resolved
