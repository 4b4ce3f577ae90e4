"""The main pages and API lists send as many SQL statements in a big city as in a small one.

Each page is asked once in a city built by the demo generator and once in
a city ten times larger (citizens, initiatives, placements and continuity
alerts); the number of statements, counted on the engine, must be the
same, and at most `MAX_STATEMENTS`. A statement per row shown (a lazy load
in a template, an expired object reloaded after the audit record) or a
count that grows with the data would show up here as a difference.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.continuity.scan import run_scan, thresholds_from_config
from coprod_match.demo.writer import seed_demo
from coprod_match.extensions import db
from coprod_match.models import Initiative, InitiativeContact, InitiativeStatus, Role, User, utcnow
from tests.factories import api_headers, client_for

# A logged look is two: the audit entry, then its residents in one batch. The dashboard reads most:
# since the monthly check-ins, also the contacts that contact-strain alerts name (one batch).
MAX_STATEMENTS = 14
SMALL_CITY = {"citizens": 40, "initiatives": 24}
SCALE = 10
# A search with every kind of filter; kept loose so both cities fill a page.
SEARCH = "interest=sports&language=tr&day=tue&q=a"
# Citizens and initiatives tried when looking for a page that has something to show.
PROBES = 15


class StatementCounter:
    """Counts the statements the engine sends while `count` runs a request."""

    def __init__(self, engine):
        self.statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def count(self, request) -> tuple[int, object]:
        self.statements.clear()
        answer = request()
        return len(self.statements), answer


def _build_city(app, *, citizens: int, initiatives: int) -> None:
    """The demo city with alerts opened by scans over the last three months."""
    seed_demo(db.session, citizens=citizens, initiatives=initiatives)
    thresholds = thresholds_from_config(app.config)
    for weeks_ago in (12, 8, 4, 0):
        run_scan(db.session, now=utcnow() - dt.timedelta(weeks=weeks_ago), thresholds=thresholds)
    db.session.commit()


def _first(clients_and_paths, shows_something):
    for client, path in clients_and_paths:
        answer = client.get(path)
        if answer.status_code == 200 and shows_something(answer):
            return client, path
    pytest.fail("no page in this city shows anything to count")


def _requests(app) -> dict[str, object]:
    """Each page to count, as a function that asks for it (with the same login each time)."""
    citizen_ids = db.session.scalars(
        sa.select(User.id).where(User.role == Role.CITIZEN, User.pending_since.is_(None))
        .order_by(User.id).limit(PROBES)).all()
    contacts = db.session.execute(
        sa.select(InitiativeContact.initiative_id, InitiativeContact.professional_id)
        .join(Initiative, Initiative.id == InitiativeContact.initiative_id)
        .where(Initiative.status == InitiativeStatus.OPEN, InitiativeContact.is_current)
        .order_by(Initiative.id).limit(PROBES)).all()
    open_initiative = db.session.scalar(
        sa.select(Initiative.id).where(Initiative.status == InitiativeStatus.OPEN).order_by(Initiative.id))
    coordinator = db.session.scalar(sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id))

    citizen_client, _path = _first(
        ((client_for(app, db.session.get(User, citizen_id)), "/matching/suggestions")
         for citizen_id in citizen_ids),
        lambda answer: b"/initiatives/" in answer.data.split(b"<main", 1)[-1],
    )
    professional_client, candidates_path = _first(
        ((client_for(app, db.session.get(User, professional_id)),
          f"/matching/initiatives/{initiative_id}/candidates")
         for initiative_id, professional_id in contacts),
        lambda answer: b'id="message-' in answer.data,
    )
    citizen_id = int(citizen_client.get("/api/v1/me").get_json()["id"])
    token = api_headers(db.session, db.session.get(User, citizen_id), actor=None)
    db.session.commit()
    api_client = app.test_client()
    coordinator_client = client_for(app, coordinator)
    anonymous = app.test_client()
    return {
        "initiative search": lambda: anonymous.get(f"/initiatives/?{SEARCH}&near="),
        "initiative search, text only": lambda: anonymous.get("/initiatives/?q=e&near="),
        "initiative page, as a citizen": lambda: citizen_client.get(f"/initiatives/{open_initiative}"),
        "suggestions": lambda: citizen_client.get("/matching/suggestions"),
        "candidates": lambda: professional_client.get(candidates_path),
        "coordinator dashboard": lambda: coordinator_client.get("/coordination/?scope=all"),
        "API initiatives": lambda: api_client.get(f"/api/v1/initiatives?{SEARCH}", headers=token),
        "API suggestions": lambda: api_client.get("/api/v1/me/suggestions", headers=token),
    }


def _counts(app) -> dict[str, int]:
    counter = StatementCounter(db.engine)
    try:
        found = {}
        for name, request in _requests(app).items():
            assert request().status_code == 200, name  # warm: the matching snapshot is built once
            found[name], answer = counter.count(request)
            assert answer.status_code == 200, name
        return found
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter._seen)


def test_pages_send_the_same_few_statements_in_a_ten_times_larger_city(app):
    _build_city(app, **SMALL_CITY)
    small = _counts(app)
    grown = {key: value * SCALE for key, value in SMALL_CITY.items()}
    _build_city(app, **grown)  # the generator adds what is missing: the big city contains the small one
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Initiative)) >= grown["initiatives"]
    large = _counts(app)

    assert large == small
    assert {name: count for name, count in large.items() if count > MAX_STATEMENTS} == {}
