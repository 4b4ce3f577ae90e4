"""A change stored by one process reaches matching in another process within a second, without a rebuild.

A second Python process plays a gunicorn worker on another machine: it
opens the same database, takes the published snapshot (or builds one when
none is published), then asks for the day care's candidates every 50 ms and
prints what it sees and what it did to stay current. This process makes
the changes through the services, as the pages do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from coprod_match.jobs.runner import run_job
from coprod_match.models import PlacementState, Role
from coprod_match.services import citizens as citizen_service
from coprod_match.services import placements as machine
from tests import factories
from tests.factories import TUESDAY_MORNING

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WORKER = """
import json, sys, time
from tests.conftest import make_test_app
from coprod_match.extensions import db
from coprod_match.matching import service
from coprod_match.matching.freshness import live_snapshot

url, initiative_id, citizen_id, directory = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
app = make_test_app(url, MATCHING_SNAPSHOT_DIR=directory)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    with app.app_context():
        ids = [m.citizen_id for m in service.candidates_for_initiative(db.session, initiative_id, limit=50)]
        suggested = [m.initiative_id for m in service.suggestions_for_citizen(db.session, citizen_id)]
        db.session.remove()
    counts = vars(live_snapshot(app).counts)
    print(json.dumps({"at": time.time(), "ids": ids, "suggested": suggested, **counts}), flush=True)
    time.sleep(0.05)
"""


class OtherWorker:
    def __init__(self, database_url: str, initiative_id: int, citizen_id: int, directory: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, database_url, str(initiative_id), str(citizen_id), directory],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": ROOT},
        )

    def next_report(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the other worker stopped: " + self.process.stderr.read())
        return json.loads(line)

    def wait_for(self, condition, *, within: float) -> tuple[float, dict]:
        """Seconds until a report satisfies `condition` (reports from before now are skipped)."""
        started = time.time()
        while True:
            report = self.next_report()
            if report["at"] >= started and condition(report):
                return report["at"] - started, report
            if time.time() - started > within + 5:
                raise AssertionError(f"not seen within {within} s: {report}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def world(db_session, make_user):
    """The day care (Tuesday mornings); Bram is free then and takes one initiative at most, Ayse is not free."""
    contact = make_user(Role.PROFESSIONAL, name="Contact Pro")
    day_care = factories.day_care(db_session, contact=contact, volunteers_min=1, volunteers_ideal=3)
    elsewhere = factories.initiative(db_session, title="Walking group", contact=contact, volunteers_ideal=1,
                                     schedule_slots=TUESDAY_MORNING)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayse Yilmaz"), availability_slots=0,
                             native_languages=["tr"], consents=True)
    bram = factories.profile(make_user(Role.CITIZEN, name="Bram de Vries"), availability_slots=TUESDAY_MORNING,
                             native_languages=["tr"], consents=True)
    bram.citizen_profile.max_initiatives = 1
    db_session.commit()
    return {"contact": contact, "day_care": day_care, "elsewhere": elsewhere, "ayse": ayse, "bram": bram}


@pytest.mark.parametrize("published", [True, False], ids=["from-published", "built-there"])
def test_a_stored_change_reaches_another_process_within_a_second(app, db_session, world, tmp_path, published):
    if published:
        assert run_job(app, "matching_snapshot", "test").outcome == "succeeded"
    other = OtherWorker(app.config["SQLALCHEMY_DATABASE_URI"], world["day_care"].id, world["ayse"].id,
                        str(tmp_path))
    try:
        first = other.next_report()
        assert first["ids"] == [world["bram"].id]
        assert (first["loads"], first["builds"]) == ((1, 0) if published else (0, 1))

        # Ayse says she is free on Tuesday mornings: she becomes a candidate over there.
        profile = world["ayse"].citizen_profile
        citizen_service.update_citizen_profile(db_session, world["ayse"], citizen_service.ProfileChanges(
            neighbourhood=profile.neighbourhood, interest_codes=[], languages={"tr": "native"},
            wants_to_practise_dutch=False, availability_slots=TUESDAY_MORNING, max_hours_per_week=None,
            max_initiatives=2, consent_to_contact=True), actor=world["ayse"])
        db_session.commit()
        seconds, _ = other.wait_for(lambda r: world["ayse"].id in r["ids"], within=1.0)
        assert seconds < 1.0

        # Bram signs up for the walking group: his one initiative is taken, so he is no candidate any more.
        placement = machine.create_placement(db_session, world["bram"], world["elsewhere"],
                                             PlacementState.APPLIED, actor=world["bram"])
        db_session.commit()
        seconds, last = other.wait_for(lambda r: world["bram"].id not in r["ids"], within=1.0)
        assert seconds < 1.0 and last["ids"] == [world["ayse"].id]
        assert world["elsewhere"].id in last["suggested"]

        # He is accepted: the walking group's one place is taken, so it is not suggested to Ayse any more.
        machine.move_placement(db_session, placement, PlacementState.ACCEPTED, actor=world["contact"])
        db_session.commit()
        seconds, last = other.wait_for(lambda r: world["elsewhere"].id not in r["suggested"], within=1.0)
        assert seconds < 1.0 and last["suggested"] == [world["day_care"].id]
        # Kept current by writing the changed rows in, never by building the whole snapshot again.
        assert last["builds"] == first["builds"] and last["loads"] == first["loads"]
        assert last["patches"] >= 3
    finally:
        other.stop()
