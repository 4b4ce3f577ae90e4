"""The API returns every version of an initiative and writes them with the same rules as the pages."""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.models import Initiative, InitiativeTask, InitiativeVersion, Role, TaskKind

PROBLEM = "application/problem+json"


def _own(world, db_session):
    initiative = db_session.get(Initiative, world.ids["initiative_own"])
    if not initiative.tasks:
        initiative.tasks.extend([InitiativeTask(title="Coach the group", kind=TaskKind.CORE, position=0),
                                 InitiativeTask(title="Make tea", kind=TaskKind.COMPLEMENTARY, position=1)])
        db_session.commit()
    return initiative


def _put(app, world, role, initiative_id, locale, body):
    return app.test_client().put(f"/api/v1/initiatives/{initiative_id}/versions/{locale}", json=body,
                                 headers=world.headers(role))


def test_a_contact_writes_a_version_and_everyone_reads_all_of_them(app, db_session, world):
    initiative = _own(world, db_session)
    answer = _put(app, world, Role.PROFESSIONAL, initiative.id, "ar",
                  {"title": "رياضة للنساء", "description": "نلعب الرياضة معا.", "tasks": [None, "تحضير الشاي"]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["written_in"] == "nl"
    assert [version["locale"] for version in body["versions"]] == ["ar", "tr"]
    arabic = body["versions"][0]
    assert arabic == {"locale": "ar", "title": "رياضة للنساء", "description": "نلعب الرياضة معا.",
                      "tasks": [None, "تحضير الشاي"]}

    for headers in ({}, world.headers(Role.CITIZEN)):
        one = app.test_client().get(f"/api/v1/initiatives/{initiative.id}", headers=headers).get_json()
        assert one["versions"] == body["versions"]
        listed = app.test_client().get("/api/v1/initiatives?per_page=100", headers=headers).get_json()
        mine = next(item for item in listed["items"] if item["id"] == initiative.id)
        assert mine["versions"] == body["versions"] and mine["written_in"] == "nl"

    # PUT again replaces what the version says.
    again = _put(app, world, Role.PROFESSIONAL, initiative.id, "ar", {"title": "رياضة"})
    assert again.get_json()["versions"][0] == {"locale": "ar", "title": "رياضة", "description": "",
                                               "tasks": [None, None]}


def test_removing_a_version(app, db_session, world):
    initiative = _own(world, db_session)
    path = f"/api/v1/initiatives/{initiative.id}/versions/tr"
    assert app.test_client().delete(path, headers=world.headers(Role.PROFESSIONAL)).status_code == 204
    assert app.test_client().delete(path, headers=world.headers(Role.PROFESSIONAL)).status_code == 404
    assert db_session.scalar(sa.select(sa.func.count()).select_from(InitiativeVersion).where(
        InitiativeVersion.initiative_id == initiative.id)) == 0


def test_a_strangers_put_is_refused_and_changes_nothing(app, db_session, world):
    other = world.ids["initiative_other"]
    answer = _put(app, world, Role.PROFESSIONAL, other, "tr", {"title": "Başka"})
    assert answer.status_code == 404 and answer.mimetype == PROBLEM
    answer = _put(app, world, Role.CITIZEN, other, "tr", {"title": "Başka"})
    assert answer.status_code == 403 and answer.mimetype == PROBLEM
    assert _put(app, world, None, other, "tr", {"title": "Başka"}).status_code == 401
    titles = db_session.scalars(sa.select(InitiativeVersion.title).where(InitiativeVersion.initiative_id == other))
    assert list(titles) == ["Homework club (tr)"]


def _pointer(answer, status: int) -> str:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == PROBLEM
    return answer.get_json()["errors"][0]["pointer"]


def test_bad_versions_answer_problem_documents(app, db_session, world):
    initiative = _own(world, db_session)
    pro = Role.PROFESSIONAL
    assert _pointer(_put(app, world, pro, initiative.id, "fr", {"title": "Sport"}), 422) == "#/locale"
    # The original's own language is not a version.
    assert _pointer(_put(app, world, pro, initiative.id, "nl", {"title": "Sport"}), 422) == "#/locale"
    assert _pointer(_put(app, world, pro, initiative.id, "en", {"title": ""}), 422) == "#/title"
    assert _pointer(_put(app, world, pro, initiative.id, "en", {"title": "   "}), 422) == "#/title"
    assert _pointer(_put(app, world, pro, initiative.id, "en", {"description": "x"}), 422) == "#/title"
    assert _pointer(_put(app, world, pro, initiative.id, "en", {"title": "A\nB"}), 422) == "#/title"
    too_many = {"title": "Sport", "tasks": ["a", "b", "c"]}
    assert _pointer(_put(app, world, pro, initiative.id, "en", too_many), 422) == "#/tasks"
    assert [v.locale for v in initiative.versions] == ["tr"]


def test_the_original_language_is_written_and_checked(app, db_session, world):
    initiative = _own(world, db_session)
    path = f"/api/v1/initiatives/{initiative.id}"
    headers = world.headers(Role.PROFESSIONAL)
    answer = app.test_client().patch(path, json={"written_in": "en"}, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["written_in"] == "en"
    answer = app.test_client().patch(path, json={"written_in": "tr"}, headers=headers)  # it has a Turkish version
    assert _pointer(answer, 422) == "#/written_in"
    answer = app.test_client().patch(path, json={"written_in": "xx"}, headers=headers)
    assert _pointer(answer, 422) == "#/written_in"
