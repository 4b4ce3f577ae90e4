"""`flask search refresh` rebuilds what the search reads after a bulk load (the demo writes with COPY)."""

from __future__ import annotations

import sqlalchemy as sa

from coprod_match.demo import seed_demo
from coprod_match.folding import search_words
from coprod_match.models import Initiative, InitiativeSearchText, InitiativeStatus, User
from coprod_match.queries.search import InitiativeSearch, search_query


def test_refresh_after_the_demo_makes_its_initiatives_and_people_findable(runner, db_session):
    seed_demo(db_session, seed=3, citizens=12, initiatives=6)
    # As after a bulk load that went around the ORM: no documents, no folded names.
    db_session.execute(sa.delete(InitiativeSearchText))
    db_session.execute(sa.update(User).values(search_name=None))
    db_session.commit()

    result = runner.invoke(args=["search", "refresh"])
    assert result.exit_code == 0, result.output
    initiatives = db_session.scalar(sa.select(sa.func.count()).select_from(Initiative))
    people = db_session.scalar(sa.select(sa.func.count()).select_from(User))
    assert f"{initiatives} initiatives, {people} people" in result.output

    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(InitiativeSearchText)) == initiatives
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User).where(User.search_name.is_(None))) == 0
    some = db_session.scalars(sa.select(Initiative).where(Initiative.status == InitiativeStatus.OPEN)).first()
    words = " ".join(search_words(some.title)[:3])
    found = db_session.scalars(search_query(db_session, InitiativeSearch(q=words)).select).all()
    assert some in found
