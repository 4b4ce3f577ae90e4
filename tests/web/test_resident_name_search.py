# ruff: noqa: RUF001, RUF003  (Turkish dotless ı and dotted İ are the point here, not look-alikes)
"""A professional finds a resident by name as typed on any keyboard: "ayse" finds "Ayşe" (issue 15).

Names are compared folded (coprod_match/folding.py) through `users.search_name`,
which follows every change of the name; on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coprod_match.extensions import db
from coprod_match.models import Role, User
from coprod_match.services.account_details import update_account_details
from coprod_match.services.erasure import erase_account
from tests import factories
from tests.factories import client_for


@pytest.fixture
def world(db_session, make_user):
    contact = make_user(Role.PROFESSIONAL, name="Fatima the nurse")
    care = factories.day_care(db_session, contact=contact)
    ayse = factories.profile(make_user(Role.CITIZEN, name="Ayşe Yılmaz"), consents=True)
    ibrahim = factories.profile(make_user(Role.CITIZEN, name="İbrahim Çelik"), consents=True)
    # Never found: she did not agree to be invited.
    kaya = factories.profile(make_user(Role.CITIZEN, name="Ayşe Kaya"))
    db_session.commit()
    return {"contact": contact, "care": care, "ayse": ayse, "ibrahim": ibrahim, "kaya": kaya}


def found(app, world, words: str, *, as_user: User | None = None) -> set[int]:
    care = world["care"].id
    page = client_for(app, as_user or world["contact"]).get(f"/invitations/search/{care}", query_string={"q": words})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return {person.id for person in (world["ayse"], world["ibrahim"], world["kaya"])
            if f'href="/invitations/new/{care}/{person.id}"' in text}


@pytest.mark.parametrize(("typed", "who"), [
    ("ayse", "ayse"), ("AYSE", "ayse"), ("Ayşe", "ayse"), ("yilmaz", "ayse"), ("YILMAZ", "ayse"),
    ("yılmaz", "ayse"), ("ayse yil", "ayse"), ("ibrahim", "ibrahim"), ("IBRAHIM", "ibrahim"),
    ("İbrahim", "ibrahim"), ("celik", "ibrahim"), ("ÇELİK", "ibrahim"),
])
def test_names_are_found_without_accents_or_case(app, world, typed, who):
    assert found(app, world, typed) == {world[who].id}


def test_the_folded_name_follows_every_change_of_the_name(app, db_session, world):
    ayse = world["ayse"]
    update_account_details(db_session, ayse, display_name="Ayşe Öztürk", phone=None, preferred_locale="nl",
                           actor=ayse)
    db_session.commit()
    assert found(app, world, "ozturk") == {ayse.id}
    assert found(app, world, "yilmaz") == set()

    erase_account(db_session, ayse, actor=None, reason="test")
    db_session.commit()
    assert db_session.scalar(sa.select(User.search_name).where(User.id == ayse.id)) == "erased account"
    assert found(app, world, "ozturk") == set()


def test_rows_without_a_folded_name_are_not_found_by_it(app, db_session, world):
    """A name written around the ORM has no folded copy: the demo's writer must give it (see the report)."""
    db_session.execute(sa.update(User).where(User.id == world["ibrahim"].id).values(search_name=None))
    db_session.commit()
    assert found(app, world, "ibrahim") == set()


def test_only_staff_may_search(app, world, make_user):
    care = world["care"].id
    for user in (make_user(Role.CITIZEN), None):
        answer = client_for(app, user).get(f"/invitations/search/{care}", query_string={"q": "ayse"})
        assert answer.status_code in (302, 403, 404)
        assert "Yılmaz" not in answer.get_data(as_text=True)


def test_the_administrator_finds_accounts_by_folded_name_too(app, world, make_user):
    admin = make_user(Role.ADMIN)
    page = client_for(app, admin).get("/admin/users", query_string={"q": "yilmaz"})
    assert page.status_code == 200
    assert "Ayşe Yılmaz" in page.get_data(as_text=True)
    assert "Ayşe Kaya" not in page.get_data(as_text=True)


def test_postgresql_reads_names_through_the_trigram_index(db_session, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite scans the users table")
    db_session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db_session.scalars(sa.text(
        "EXPLAIN SELECT id FROM users WHERE search_name LIKE '%ayse%'")))
    assert "ix_users_search_name_trgm" in plan, plan
