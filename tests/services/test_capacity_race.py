"""Two (or many) people accept the last place at the same moment: exactly one gets it.

Real threads, each with its own database connection and transaction, against
PostgreSQL (and SQLite, whose single writer serialises them).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from coprod_match.models import (
    Placement,
    PlacementState,
    Role,
)
from coprod_match.services import placements as machine
from tests import factories

RACERS = 12


@pytest.fixture
def crowded_initiative(db_session, make_user, reference_data):
    """One place left, and RACERS applications waiting."""
    initiative = factories.initiative(db_session, title="Sport voor vrouwen", start_date=dt.date(2026, 1, 1),
                                      volunteers_ideal=3)
    for _ in range(2):
        factories.placement(db_session, make_user(Role.CITIZEN), initiative, PlacementState.ACTIVE)
    applicants = [factories.placement(db_session, make_user(Role.CITIZEN), initiative, PlacementState.APPLIED)
                  for _ in range(RACERS)]
    db_session.commit()
    return initiative, [p.id for p in applicants]


def test_exactly_one_accept_wins_the_last_place(app, db_session, crowded_initiative):
    from coprod_match.extensions import db

    initiative, placement_ids = crowded_initiative
    engine = db.engine
    barrier = threading.Barrier(len(placement_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(placement_id: int) -> None:
        with orm.Session(engine) as session:
            placement = session.get(Placement, placement_id)
            barrier.wait()
            try:
                machine.move_placement(session, placement, PlacementState.ACCEPTED, actor=None)
                machine.move_placement(session, placement, PlacementState.ACTIVE, actor=None)
                session.commit()
                result = "won"
            except machine.InitiativeFullError:
                session.rollback()
                result = "full"
            except sa.exc.OperationalError:  # SQLite: the database was locked for too long
                session.rollback()
                result = "busy"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(pid,)) for pid in placement_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == RACERS
    assert outcomes.count("won") == 1
    db_session.expire_all()
    active = db_session.scalar(
        sa.select(sa.func.count()).select_from(Placement)
        .where(Placement.initiative_id == initiative.id, Placement.state == PlacementState.ACTIVE)
    )
    assert active == initiative.volunteers_ideal == 3
