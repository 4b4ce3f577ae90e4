# ruff: noqa: RUF001, RUF003  (Turkish dotless ı and dotted İ are the point here, not look-alikes)
"""Finding initiatives by any of their versions, without accents and by Dutch word forms (issue 15).

Every test runs on SQLite (FTS5) and PostgreSQL (the coprod_dutch text search
configuration); the search document is rebuilt by the session hook in
services/search_text.py, so these tests write through the ORM as the pages do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.models import (
    Initiative,
    InitiativeSearchText,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    Neighbourhood,
    Role,
)
from coprod_match.queries.search import InitiativeSearch, search_query
from coprod_match.services.search_text import refresh_search_text
from tests import factories
from tests.web.test_search import titles


@pytest.fixture
def written(db_session, reference_data):
    """Initiatives written in Dutch, one with a Turkish version and translated tasks."""
    sports = factories.initiative(
        db_session, title="Samen sporten voor vrouwen in Transvaal", neighbourhood="Transvaal",
        description="Elke dinsdag sporten we samen in het buurthuis.")
    day_care = factories.initiative(
        db_session, title="Dagbesteding Schilderswijk", neighbourhood="Schilderswijk",
        description="Dagbesteding voor mensen met dementie en hun mantelzorgers.")
    repair = factories.initiative(db_session, title="Repair Café Moerwijk", neighbourhood="Moerwijk",
                                  description="Wij maken kapotte spullen samen weer heel.")
    sports.versions.append(InitiativeVersion(locale="tr", title="Transvaal'da kadınlar için spor",
                                             description="Her salı birlikte spor yapıyoruz."))
    task = InitiativeTask(title="Thee zetten", position=0)
    task.versions.append(InitiativeTaskVersion(locale="ar", title="تحضير الشاي"))
    day_care.tasks.append(task)
    db_session.commit()
    return {"sports": sports, "day_care": day_care, "repair": repair}


def found(client, words: str) -> list[str]:
    return sorted(titles(client.get("/initiatives/", query_string={"q": words, "near": ""})))


def api_found(client, words: str) -> list[str]:
    answer = client.get("/api/v1/initiatives", query_string={"q": words})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return sorted(item["title"] for item in answer.get_json()["items"])


SPORTS = "Samen sporten voor vrouwen in Transvaal"
DAY_CARE = "Dagbesteding Schilderswijk"
REPAIR = "Repair Café Moerwijk"


def test_dutch_words_find_dutch_initiatives(client, written):
    assert found(client, "vrouwen") == [SPORTS]
    assert found(client, "dementie") == [DAY_CARE]  # in the description
    assert found(client, "Vrouw") == [SPORTS]  # a word form, and any letter case
    assert found(client, "DEMENTIE mantelzorg") == [DAY_CARE]  # every word must be there
    assert found(client, "dementie vrouwen") == []
    assert found(client, "sporten") == [SPORTS]
    assert api_found(client, "vrouw") == [SPORTS]


def test_accents_do_not_matter_either_way(client, written):
    assert found(client, "cafe") == [REPAIR]
    assert found(client, "CAFÉ") == [REPAIR]
    assert found(client, "kadinlar") == [SPORTS]  # the Turkish version says "kadınlar"
    assert found(client, "kadınlar için") == [SPORTS]


def test_every_version_and_task_finds_the_initiative(client, written):
    assert found(client, "salı") == [SPORTS]  # the Turkish description
    assert found(client, "thee") == [DAY_CARE]  # a task
    assert found(client, "الشاي") == [DAY_CARE]  # the Arabic version of that task
    assert api_found(client, "kadinlar") == [SPORTS]


def test_dutch_word_forms_both_ways_on_postgresql(app, client, db_session, written):
    """Only PostgreSQL has a Dutch stemmer; SQLite finds by the start of the word (see words_condition)."""
    factories.initiative(db_session, title="Koffie voor elke vrouw", neighbourhood="Transvaal")
    db_session.commit()
    single = found(client, "vrouwen")
    if db.engine.dialect.name == "postgresql":
        assert single == ["Koffie voor elke vrouw", SPORTS]
    else:
        assert single == [SPORTS]
    assert found(client, "vrouw") == ["Koffie voor elke vrouw", SPORTS]


def test_the_document_follows_every_change(client, db_session, written):
    sports = written["sports"]
    version = sports.versions[0]
    version.title = "Spor kulübü"
    db_session.commit()
    assert found(client, "kulubu") == [SPORTS]
    assert found(client, "kadinlar") == []

    db_session.delete(version)
    db_session.commit()
    assert found(client, "kulubu") == []

    task_version = written["day_care"].tasks[0].versions[0]
    task_version.title = "قهوة"
    db_session.commit()
    assert found(client, "قهوة") == [DAY_CARE]
    db_session.delete(written["day_care"].tasks[0])
    db_session.commit()
    assert found(client, "thee") == [] and found(client, "قهوة") == []

    written["repair"].title = "Reparatiecafé Moerwijk"
    db_session.commit()
    assert found(client, "reparatiecafe") == ["Reparatiecafé Moerwijk"]

    db_session.delete(written["repair"])
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(InitiativeSearchText)) == 2


def test_a_change_elsewhere_does_not_rebuild_the_document(db_session, written):
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    written["sports"].hours_per_week = 3
    db_session.commit()
    assert not any("initiative_search_texts" in statement for statement in statements)


def test_rows_written_around_the_orm_are_found_after_a_refresh(db_session, written):
    """What the demo's COPY writer must do: write the rows, then refresh their documents."""
    place = db_session.scalar(sa.select(Neighbourhood.id).where(Neighbourhood.name == "Transvaal"))
    db_session.execute(sa.insert(Initiative).values(
        title="Taalcafé voor moeders", description="", neighbourhood_id=place, status="open",
        start_date=dt.date(2026, 1, 1), schedule_slots=0, hours_per_week=2, volunteers_min=1,
        volunteers_ideal=3, welcomes_dutch_learners=True, open_to="everyone", written_in="nl",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    new_id = db_session.scalar(sa.select(Initiative.id).where(Initiative.title == "Taalcafé voor moeders"))

    def search(words):
        return db_session.scalars(search_query(db_session, InitiativeSearch(q=words)).select).all()

    assert search("moeders") == []
    refresh_search_text(db_session, [new_id])
    assert [i.title for i in search("moeders")] == ["Taalcafé voor moeders"]


ODD_INPUT = ['"', "'", "''", "*", "vrouw*", "-vrouwen", "OR", "vrouwen OR dementie", "AND", "NOT", "NEAR(a b)",
             ":", "a:b", "vrouw:*", "&", "a & b", "!", "!!", "|", "(", ")", "\\", "%", "_", "a_b", "^", "{", "'; DROP",
             "\u0000", "\ufeff", "🙂", "  ", "a" * 300, "voor", "de het een", "ı", "İ"]


@pytest.mark.parametrize("typed", ODD_INPUT)
def test_no_input_breaks_the_search(client, written, typed):
    page = client.get("/initiatives/", query_string={"q": typed})
    assert page.status_code in (200, 400), typed  # a NUL byte is refused before the search (400)
    answer = client.get("/api/v1/initiatives", query_string={"q": typed})
    assert answer.status_code in (200, 400, 422), typed
    assert answer.status_code == 200 or answer.is_json


def test_operators_are_words_not_operators(client, written):
    assert found(client, "vrouwen OR dementie") == []  # "or" is a word to find, not an either-or
    assert found(client, "-vrouwen") == [SPORTS]  # not a "without"
    assert found(client, '"dementie"') == [DAY_CARE]
    assert found(client, "*") == sorted([SPORTS, DAY_CARE, REPAIR])  # nothing to search for


def test_postgresql_reads_the_search_through_its_index(db_session, written):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads the FTS5 table, its own index")
    query = search_query(db_session, InitiativeSearch(q="vrouwen")).select
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    # Three rows would be read whole; the settings make the planner show the path a big table takes.
    db_session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    db_session.execute(sa.text("SET LOCAL enable_nestloop = off"))
    # A GIN index is read by a bitmap scan; without this the planner may walk the primary key backwards
    # and filter (tables emptied by DELETE between tests keep statistics that make that look cheap).
    db_session.execute(sa.text("SET LOCAL enable_indexscan = off"))
    plan = "\n".join(db_session.scalars(sa.text(f"EXPLAIN {compiled}")))
    assert "ix_initiative_search_texts_words" in plan, plan


def test_the_initiative_service_keeps_the_document(client, db_session, make_user, written):
    """The form's and the API's one door (services/initiatives.py) needs no call of its own."""
    from coprod_match.services import initiatives as initiative_service

    professional = make_user(Role.PROFESSIONAL)
    details = initiative_service.InitiativeDetails(
        title="Naaiatelier", description="Samen kleding maken", neighbourhood=written["sports"].neighbourhood,
        location=None, target_group_codes=[], interest_codes=[], language_codes=[],
        core_tasks=["Naaimachines klaarzetten"], complementary_tasks=[], schedule_slots=0, hours_per_week=2,
        volunteers_min=1, volunteers_ideal=3, welcomes_dutch_learners=False, start_date=dt.date(2026, 1, 1),
        end_date=None)
    initiative = initiative_service.create_initiative(db_session, details, actor=professional)
    initiative.status = "open"
    db_session.commit()
    assert found(client, "naaimachine") == ["Naaiatelier"]

    changed = dataclasses.replace(details, description="Samen kleren herstellen", core_tasks=["Stof kopen"])
    initiative_service.update_initiative(db_session, initiative, changed, actor=professional)
    db_session.commit()
    assert found(client, "naaimachine") == [] and found(client, "kleding") == []
    assert found(client, "kleren stof") == ["Naaiatelier"]
