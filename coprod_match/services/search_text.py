"""The search document of each initiative (InitiativeSearchText), kept up to date with its texts.

An initiative is found by its title, description and tasks and by every
version of them in another language, so the document is rebuilt whenever any
of those rows is written. Rather than trusting every write path (the
initiative form, the versions pages, imports, the API) to remember a call, a
session hook notices the changed rows at each flush and rebuilds the documents
of their initiatives in the same transaction.

Writes that go around the ORM (the demo's COPY writer, SQL in a migration)
call `refresh_search_text` themselves with the initiatives they wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from ..folding import fold
from ..models import (
    Initiative,
    InitiativeSearchText,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    User,
)

# Ids per statement: far below SQLite's limit of bound parameters.
_CHUNK = 500


def refresh_search_text(session: orm.Session, initiative_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these initiatives from their texts and versions; flushes nothing."""
    ids = sorted({i for i in initiative_ids if i is not None})
    connection = session.connection()
    for start in range(0, len(ids), _CHUNK):
        _refresh(connection, ids[start:start + _CHUNK])


def refresh_everything(session: orm.Session) -> tuple[int, int]:
    """Rebuild every initiative's search document and every person's folded name, for rows written
    around the ORM (a bulk load) or after the folding changed; returns (initiatives, people)."""
    initiative_ids = session.scalars(sa.select(Initiative.id)).all()
    refresh_search_text(session, initiative_ids)
    people = session.execute(sa.select(User.id, User.display_name)).all()
    users = User.__table__
    for start in range(0, len(people), _CHUNK):
        session.connection().execute(
            users.update().where(users.c.id == sa.bindparam("user_id")).values(search_name=sa.bindparam("folded")),
            [{"user_id": user_id, "folded": fold(name)[:120]} for user_id, name in people[start:start + _CHUNK]])
    return len(initiative_ids), len(people)


def _refresh(connection: sa.Connection, ids: list[int]) -> None:
    texts: dict[int, list[str]] = {}
    queries = (
        sa.select(Initiative.id, Initiative.title, Initiative.description).where(Initiative.id.in_(ids)),
        sa.select(InitiativeVersion.initiative_id, InitiativeVersion.title, InitiativeVersion.description)
        .where(InitiativeVersion.initiative_id.in_(ids)),
        sa.select(InitiativeTask.initiative_id, InitiativeTask.title).where(InitiativeTask.initiative_id.in_(ids)),
        sa.select(InitiativeTask.initiative_id, InitiativeTaskVersion.title)
        .join(InitiativeTask, InitiativeTask.id == InitiativeTaskVersion.task_id)
        .where(InitiativeTask.initiative_id.in_(ids)),
    )
    for query in queries:
        for initiative_id, *parts in connection.execute(query):
            texts.setdefault(initiative_id, []).extend(part for part in parts if part)
    table = InitiativeSearchText.__table__
    connection.execute(table.delete().where(table.c.initiative_id.in_(ids)))
    # Initiatives deleted meanwhile have no texts and get no document.
    rows = [{"initiative_id": initiative_id, "body": fold("\n".join(parts))}
            for initiative_id, parts in texts.items()]
    if rows:
        connection.execute(table.insert(), rows)


_TEXT_COLUMNS = {
    Initiative: ("title", "description"),
    InitiativeVersion: ("title", "description", "initiative_id"),
    InitiativeTask: ("title", "initiative_id"),
    InitiativeTaskVersion: ("title", "task_id"),
}


def _text_changed(instance) -> bool:
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in _TEXT_COLUMNS[type(instance)])


@sa.event.listens_for(orm.Session, "after_flush")
def _refresh_what_was_written(session: orm.Session, _flush_context) -> None:
    # new, dirty and deleted still hold what this flush wrote (SQLAlchemy keeps them until after_flush_postexec).
    initiatives: set[int] = set()
    tasks: set[int] = set()
    for instance in (*session.new, *session.deleted,
                     *(i for i in session.dirty if type(i) in _TEXT_COLUMNS and _text_changed(i))):
        if isinstance(instance, Initiative):
            initiatives.add(instance.id)
        elif isinstance(instance, InitiativeVersion | InitiativeTask):
            initiatives.add(instance.initiative_id)
        elif isinstance(instance, InitiativeTaskVersion):
            tasks.add(instance.task_id)
    if tasks:
        initiatives.update(session.connection().scalars(
            sa.select(InitiativeTask.initiative_id).where(InitiativeTask.id.in_(sorted(tasks)))))
    if initiatives:
        refresh_search_text(session, initiatives)
