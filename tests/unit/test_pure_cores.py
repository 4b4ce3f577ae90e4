"""The pure cores run where Flask and SQLAlchemy cannot even be imported.

Matching (engine, plan, the snapshot file and its patches), the continuity rules, CSV reading and
validation, which words of an initiative a reader gets and the folding of search text are plain data
in, result out. This runs one small case of each in a fresh interpreter whose import system refuses flask, flask_babel,
werkzeug and sqlalchemy, so an import of the web or database layers
anywhere on their path fails the test.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys

    class RefuseWebAndDatabase:
        BLOCKED = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "werkzeug", "sqlalchemy")

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in self.BLOCKED:
                raise ImportError(f"{name} is not allowed in a pure core")
            return None

    sys.meta_path.insert(0, RefuseWebAndDatabase())
    try:
        import flask  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the import blocker does not work")

    import dataclasses
    import datetime as dt

    from coprod_match.continuity.rules import InitiativeFacts as Initiative
    from coprod_match.continuity.rules import Snapshot as Staffing
    from coprod_match.continuity.rules import Thresholds, evaluate
    from coprod_match.matching import plan
    from coprod_match.matching.engine import Snapshot, suggest_for_citizen
    from coprod_match.matching.facts import CitizenFacts, InitiativeFacts, NeighbourhoodFacts, Weights
    from coprod_match.transfers.reading import read_table
    from coprod_match.transfers.validation import Lookups, validate_initiatives
    from coprod_match.vocabulary import AlertKind

    # Matching: one citizen, one initiative next door at a time she is free.
    tuesday_morning = 1 << 3
    places = [NeighbourhoodFacts(1, "Transvaal", "Centrum", 52.062, 4.293)]
    citizen = CitizenFacts(
        id=7, neighbourhood_id=1, availability_slots=tuesday_morning, languages={"tr": "native"},
        interests=frozenset(), wants_to_practise_dutch=False, max_initiatives=2,
        max_hours_per_week=None, consent_to_contact=True,
    )
    initiative = InitiativeFacts(
        id=3, neighbourhood_id=1, is_open=True, schedule_slots=tuesday_morning, hours_per_week=2,
        languages=frozenset({"tr"}), welcomes_dutch_learners=False, interests=frozenset(),
        volunteers_min=2, volunteers_ideal=3, active=1, places_taken=1,
    )
    snapshot = Snapshot(places, [citizen], [initiative], Weights())
    (match,) = suggest_for_citizen(snapshot, citizen, limit=5)
    assert match.initiative_id == 3, match
    assert "language" in {reason.code for reason in match.reasons}, match.reasons
    district_plan = plan.build_plan(snapshot)
    assert [(row.citizen_id, row.initiative_id) for row in district_plan.rows] == [(7, 3)]
    # The snapshot as a mapped file, and a change written into it: she now has no time.
    import os, tempfile
    from coprod_match.matching.patching import apply_changes
    from coprod_match.matching.store import load_snapshot, write_snapshot
    path = os.path.join(tempfile.mkdtemp(), "snapshot")
    write_snapshot(snapshot, path, {"change_id": 1})
    mapped, meta = load_snapshot(path)
    assert meta == {"change_id": 1} and suggest_for_citizen(mapped, citizen, limit=5) == [match]
    busy = dataclasses.replace(citizen, availability_slots=1 << 5)
    apply_changes(mapped, citizen_ids=[7], citizens=[busy])
    assert plan.build_plan(mapped).rows == []

    # Continuity: one active volunteer is the headline alert.
    now = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
    staffing = Initiative(
        id=1, status="open", volunteers_min=1, volunteers_ideal=5, end_date=None,
        active_volunteers=1, active_contacts=1, last_joined_at=None, last_left_at=None,
    )
    conditions = evaluate(
        Staffing(initiatives=(staffing,), active_placements=(), citizen_limits={}), now,
        Thresholds(ending_soon_days=30, inactive_weeks=8, max_initiatives_cap=4, max_hours_cap=16),
    )
    assert [condition.kind for condition in conditions.values()] == [AlertKind.SINGLE_VOLUNTEER], conditions

    # Retention: a volunteer invited personally who stayed four months is kept at 3, not yet observed at 6.
    from coprod_match.continuity.retention import Kept, PlacementSpan, retention
    stayed = PlacementSpan(1, "invitation", 1, dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), None)
    whole, _places = retention([stayed], dt.date(2026, 5, 5))
    assert whole.counts["invitation"][3] == Kept(1, 1) and whole.counts["invitation"][6] == Kept(0, 0)

    # CSV: a bad number is reported by line and column, in words, and nothing is kept.
    lookups = Lookups(
        neighbourhoods={"transvaal": 1}, interests={}, target_groups={}, languages={"nl": "nl"},
        professionals={}, taken_emails=frozenset(), existing_initiatives=frozenset(),
    )
    table = read_table(b"title,description,neighbourhood,volunteers_ideal,start_date\\nKoken,Samen,Transvaal,many,2026-03-01\\n")
    result = validate_initiatives(table, lookups)
    assert not result.ok and not result.records
    (problem,) = result.problems
    assert (problem.line, problem.column) == (2, "volunteers_ideal"), problem
    assert "is not a whole number" in str(problem.message), problem.message

    # Initiatives in several languages: the reader's version, else the original with its language.
    from coprod_match.initiative_text import VersionText, text_for_reader
    text = text_for_reader(title="Sporten", description="", written_in="nl", reader_locale="ar",
                           version=VersionText("ar", "رياضة", ""))
    assert (text.title, text.lang, text.is_original) == ("رياضة", "ar", False), text

    # Searching: names and words folded to plain letters.
    from coprod_match.folding import fold, search_words
    assert fold("Ayşe \\u0131") == "ayse i" and search_words('"café" OR*') == ["cafe", "or"]

    assert not any(name.split(".")[0] in RefuseWebAndDatabase.BLOCKED for name in sys.modules)
    print("pure cores ran")
    """
)


def test_matching_continuity_and_csv_run_without_flask_or_sqlalchemy():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "pure cores ran" in result.stdout
