"""Initiatives in several languages: a professional writes a version, each reader gets theirs or the original."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.models import (
    AuditEntry,
    Initiative,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    Role,
    TaskKind,
)
from tests import factories
from tests.conftest import csrf_token
from tests.factories import client_for
from tests.web.test_statement_counts import StatementCounter

DUTCH_TITLE = "Sporten voor vrouwen in Transvaal"
TURKISH_TITLE = "Transvaal'da kad\u0131nlar i\u00e7in spor"  # escaped: a dotless i looks like an i


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Nadia")
    initiative = factories.initiative(db_session, title=DUTCH_TITLE, description="Samen sporten in de gymzaal.",
                                      contact=contact, written_in="nl")
    initiative.tasks.extend([
        InitiativeTask(title="Lessen geven", kind=TaskKind.CORE, position=0),
        InitiativeTask(title="Koffie zetten", kind=TaskKind.COMPLEMENTARY, position=1),
    ])
    db_session.commit()
    return {"contact": contact, "initiative": initiative,
            "stranger": make_user(Role.PROFESSIONAL, name="Pieter"),
            "citizen": make_user(Role.CITIZEN), "coordinator": make_user(Role.COORDINATOR),
            "admin": make_user(Role.ADMIN)}


def _versions_path(initiative: Initiative) -> str:
    return f"/professionals/initiatives/{initiative.id}/versions"


def _add_turkish(app, world, **overrides):
    initiative = world["initiative"]
    client = client_for(app, world["contact"])
    token = csrf_token(client, f"{_versions_path(initiative)}/new")
    first, second = initiative.tasks
    data = {"csrf_token": token, "locale": "tr", "title": TURKISH_TITLE,
            "description": "Spor salonunda birlikte spor.",
            f"task_{first.id}": "Ders vermek", f"task_{second.id}": ""}
    data.update(overrides)
    return client, client.post(f"{_versions_path(initiative)}/new", data=data)


def _main(answer) -> str:
    return answer.get_data(as_text=True).split("<main", 1)[-1]


def test_a_professional_adds_a_turkish_version_on_the_page(app, db_session, world):
    initiative = world["initiative"]
    client = client_for(app, world["contact"])
    form = _main(client.get(f"{_versions_path(initiative)}/new"))
    # Only languages still missing are offered: not Dutch (the original); each named in itself, with its lang.
    select = re.search(r'<select id="locale".*?</select>', form, re.S).group(0)
    assert '<option lang="tr" value="tr">Türkçe</option>' in select
    assert 'value="nl"' not in select
    assert "Lessen geven" in form

    _client, answer = _add_turkish(app, world)
    assert answer.status_code == 302
    db_session.expire_all()
    version = db_session.scalar(sa.select(InitiativeVersion).where(InitiativeVersion.initiative_id == initiative.id))
    assert (version.locale, version.title) == ("tr", TURKISH_TITLE)
    first, second = initiative.tasks
    assert [(tv.locale, tv.title) for tv in first.versions] == [("tr", "Ders vermek")]
    assert second.versions == []  # left empty: shown as written
    assert db_session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "initiative.version_added"))

    manage = client.get(f"/professionals/initiatives/{initiative.id}").get_data(as_text=True)
    assert f'<span lang="tr" dir="ltr">{TURKISH_TITLE}</span>'.replace("'", "&#39;") in manage
    # Tr is taken now: the form offers it no more.
    form = _main(client.get(f"{_versions_path(initiative)}/new"))
    assert 'value="tr"' not in re.search(r'<select id="locale".*?</select>', form, re.S).group(0)


def test_a_turkish_reader_sees_the_turkish_version_on_the_list_and_the_page(app, world):
    _add_turkish(app, world)
    initiative = world["initiative"]
    reader = app.test_client()
    headers = {"Accept-Language": "tr"}
    listed = _main(reader.get("/initiatives/?near=", headers=headers))
    assert TURKISH_TITLE.replace("'", "&#39;") in listed
    assert DUTCH_TITLE not in listed
    detail = _main(reader.get(f"/initiatives/{initiative.id}", headers=headers))
    assert TURKISH_TITLE.replace("'", "&#39;") in detail and "Ders vermek" in detail
    # The page is Turkish and so is the text: no lang of its own, no "Written in".
    assert 'lang="tr"' not in detail
    assert 'class="written-in' not in detail
    # The task without a Turkish title is shown as written, marked as Dutch.
    assert '<span lang="nl" dir="ltr">Koffie zetten</span>' in detail


def test_an_arabic_reader_sees_the_dutch_original_marked_as_dutch(app, world):
    _add_turkish(app, world)
    initiative = world["initiative"]
    reader = app.test_client()
    headers = {"Accept-Language": "ar"}
    for path in ("/initiatives/?near=", f"/initiatives/{initiative.id}"):
        page = _main(reader.get(path, headers=headers))
        # The card's span, or the page's heading: the lang and its direction on the element itself.
        assert (f'<span lang="nl" dir="ltr">{DUTCH_TITLE}</span>' in page
                or f'lang="nl" dir="ltr">{DUTCH_TITLE}</h1>' in page)
        assert TURKISH_TITLE.replace("'", "&#39;") not in page
        # "Written in Dutch", the language named in the page's language (Arabic).
        assert 'class="written-in' in page and "الهولندية" in page


def test_an_english_reader_is_told_in_english(app, world):
    reader = app.test_client()
    page = _main(reader.get(f"/initiatives/{world['initiative'].id}", headers={"Accept-Language": "en"}))
    assert "Written in Dutch" in page
    assert ('<p class="lead" id="initiative-description" lang="nl" dir="ltr">Samen sporten in de gymzaal.'
            '</p>') in page


def test_a_dutch_reader_gets_the_original_without_marks(app, world):
    _add_turkish(app, world)
    page = _main(app.test_client().get("/initiatives/?near=", headers={"Accept-Language": "nl"}))
    assert DUTCH_TITLE in page and 'lang="nl"' not in page and 'class="written-in' not in page


def test_bad_input_is_shown_again_with_the_message_beside_the_field(app, db_session, world):
    _client, answer = _add_turkish(app, world, title="")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert re.search(r'id="title-error">\s*Fill in a name|id="title-error">\s*Vul een naam in', page)
    assert "Spor salonunda birlikte spor." in page  # the input is kept
    too_long = "x" * 201
    _client, answer = _add_turkish(app, world, **{f"task_{world['initiative'].tasks[0].id}": too_long})
    assert answer.status_code == 422
    assert f'id="task_{world["initiative"].tasks[0].id}-error"' in answer.get_data(as_text=True)
    _client, answer = _add_turkish(app, world, locale="")  # no language chosen: none is chosen for them
    assert answer.status_code == 422 and 'id="locale-error"' in answer.get_data(as_text=True)
    _client, answer = _add_turkish(app, world, locale="nl")  # the original's language is not offered
    assert answer.status_code == 422
    assert 'id="locale-error"' in answer.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(InitiativeVersion)) == 0


def test_editing_and_removing_a_version(app, db_session, world):
    client, _answer = _add_turkish(app, world)
    initiative = world["initiative"]
    edit_path = f"{_versions_path(initiative)}/tr"
    form = client.get(edit_path).get_data(as_text=True)
    assert "Ders vermek" in form
    token = csrf_token(client, edit_path)
    first, second = initiative.tasks
    changed = client.post(edit_path, data={"csrf_token": token, "title": "Spor günü", "description": "",
                                           f"task_{first.id}": "", f"task_{second.id}": "Kahve yapmak"})
    assert changed.status_code == 302
    db_session.expire_all()
    assert [v.title for v in initiative.versions] == ["Spor günü"]
    assert first.versions == [] and [tv.title for tv in second.versions] == ["Kahve yapmak"]

    confirm = client.get(f"{edit_path}/remove")
    assert confirm.status_code == 200 and "csrf_token" in confirm.get_data(as_text=True)
    removed = client.post(f"{edit_path}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    db_session.expire_all()
    assert initiative.versions == [] and second.versions == []
    assert client.get(edit_path).status_code == 404


@pytest.mark.parametrize("who, status", [("stranger", 404), ("citizen", 403), ("coordinator", 403)])
def test_only_those_who_edit_the_initiative_write_its_versions(app, db_session, world, who, status):
    _add_turkish(app, world)
    initiative = world["initiative"]
    client = client_for(app, world[who])
    token = csrf_token(client, "/")
    base = _versions_path(initiative)
    assert client.get(f"{base}/new").status_code == status
    assert client.post(f"{base}/new", data={"csrf_token": token, "locale": "ar", "title": "x"}).status_code == status
    assert client.post(f"{base}/tr", data={"csrf_token": token, "title": "x"}).status_code == status
    assert client.post(f"{base}/tr/remove", data={"csrf_token": token}).status_code == status
    db_session.expire_all()
    assert [(v.locale, v.title) for v in initiative.versions] == [("tr", TURKISH_TITLE)]


def test_an_admin_may_write_versions(app, db_session, world):
    client = client_for(app, world["admin"])
    token = csrf_token(client, f"{_versions_path(world['initiative'])}/new")
    answer = client.post(f"{_versions_path(world['initiative'])}/new",
                         data={"csrf_token": token, "locale": "ar", "title": "رياضة للنساء"})
    assert answer.status_code == 302
    db_session.expire_all()
    assert [v.locale for v in world["initiative"].versions] == ["ar"]


def test_the_initiative_form_asks_the_language_it_is_written_in(app, db_session, world):
    english_writer = world["stranger"]
    english_writer.preferred_locale = "en"
    db_session.commit()
    client = client_for(app, english_writer)
    form = _main(client.get("/professionals/initiatives/new"))
    # The writer's own interface language is chosen first; each language named in itself, with its lang.
    select = re.search(r"<select[^>]*id=\"written_in\".*?</select>", form, re.S).group(0)
    assert '<option lang="en" selected value="en">English</option>' in select
    assert '<option lang="ar" value="ar">العربية</option>' in select


def test_the_original_cannot_take_a_language_it_has_a_version_in(app, db_session, world):
    _add_turkish(app, world)
    initiative = world["initiative"]
    client = client_for(app, world["contact"])
    edit = f"/professionals/initiatives/{initiative.id}/edit"
    token = csrf_token(client, edit)
    form = {
        "csrf_token": token, "written_in": "tr", "title": DUTCH_TITLE, "description": "Samen sporten.",
        "neighbourhood_id": str(initiative.neighbourhood_id), "hours_per_week": "2", "volunteers_min": "1",
        "volunteers_ideal": "4", "start_date": "2026-01-01", "core_tasks": "Lessen geven",
        "complementary_tasks": "Koffie zetten",
    }
    answer = client.post(edit, data=form)
    assert answer.status_code == 422 and 'id="written_in-error"' in answer.get_data(as_text=True)
    answer = client.post(edit, data={**form, "written_in": "en"})
    assert answer.status_code == 302
    db_session.expire_all()
    assert initiative.written_in == "en"


def test_the_list_sends_as_many_statements_with_versions_as_without(app, db_session, world):
    """One query reads the versions of a whole page: none, or one per language for each, cost the same."""
    initiatives = [world["initiative"], *(
        factories.initiative(db_session, title=f"Buurtkamer {number}", contact=world["contact"])
        for number in range(5))]
    db_session.commit()
    reader = app.test_client()
    counter = StatementCounter(db.engine)
    try:
        counts = {}
        for situation in ("no versions", "versions in every language"):
            if situation != "no versions":
                for initiative in initiatives:
                    for locale in ("en", "tr", "ar", "pl", "bg", "uk"):
                        initiative.versions.append(InitiativeVersion(locale=locale, title=f"{locale} {initiative.id}"))
                    for task in initiative.tasks:
                        task.versions.append(InitiativeTaskVersion(locale="tr", title="Görev"))
                db_session.commit()
            for language in ("nl", "tr"):
                path = "/initiatives/?near="
                assert reader.get(path, headers={"Accept-Language": language}).status_code == 200  # warm
                counts[situation, language], answer = counter.count(
                    lambda language=language, path=path: reader.get(path, headers={"Accept-Language": language}))
                assert answer.status_code == 200
                if situation != "no versions" and language == "tr":
                    assert f"tr {initiatives[-1].id}" in answer.get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter._seen)
    assert len(set(counts.values())) == 1, counts
