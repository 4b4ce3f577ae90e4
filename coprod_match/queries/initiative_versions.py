"""Reads of initiatives' versions in other languages, batched: one statement for a whole page.

A list of twenty initiatives reads the versions of all twenty, with their
tasks' titles, in one UNION query, so a page sends as many statements with
one initiative as with a hundred, and as many with no versions as with seven.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from ..initiative_text import InitiativeText, VersionText, text_for_reader
from ..models import Initiative, InitiativeTask, InitiativeTaskVersion, InitiativeVersion


def versions_of(session: orm.Session, initiative_ids: Iterable[int], *,
                locale: str | None = None) -> dict[int, dict[str, VersionText]]:
    """initiative id -> locale -> its version (with task titles); only `locale` when given."""
    ids = set(initiative_ids)
    if not ids:
        return {}
    versions = sa.select(
        InitiativeVersion.initiative_id, sa.cast(sa.null(), sa.Integer).label("task_id"),
        InitiativeVersion.locale, InitiativeVersion.title, InitiativeVersion.description,
    ).where(InitiativeVersion.initiative_id.in_(ids))
    tasks = sa.select(
        InitiativeTask.initiative_id, InitiativeTaskVersion.task_id, InitiativeTaskVersion.locale,
        InitiativeTaskVersion.title, sa.literal("").label("description"),
    ).join(InitiativeTask, InitiativeTask.id == InitiativeTaskVersion.task_id).where(
        InitiativeTask.initiative_id.in_(ids))
    if locale is not None:
        versions = versions.where(InitiativeVersion.locale == locale)
        tasks = tasks.where(InitiativeTaskVersion.locale == locale)
    heads: dict[tuple[int, str], tuple[str, str]] = {}
    task_titles: dict[tuple[int, str], dict[int, str]] = {}
    for initiative_id, task_id, version_locale, title, description in session.execute(
            sa.union_all(versions, tasks)).tuples():
        if task_id is None:
            heads[initiative_id, version_locale] = (title, description)
        else:
            task_titles.setdefault((initiative_id, version_locale), {})[task_id] = title
    found: dict[int, dict[str, VersionText]] = {}
    # A task title without its version (never written so by the service) is not a version.
    for (initiative_id, version_locale), (title, description) in sorted(heads.items()):
        found.setdefault(initiative_id, {})[version_locale] = VersionText(
            version_locale, title, description, task_titles.get((initiative_id, version_locale), {}))
    return found


def texts_for_reader(session: orm.Session, initiatives: Iterable[Initiative],
                     locale: str) -> dict[int, InitiativeText]:
    """initiative id -> the words a reader of `locale` gets (text_for_reader), in one query."""
    listed = [initiative for initiative in initiatives if initiative is not None]
    versions = versions_of(session, (initiative.id for initiative in listed), locale=locale)
    return {
        initiative.id: text_for_reader(
            title=initiative.title, description=initiative.description, written_in=initiative.written_in,
            reader_locale=locale, version=versions.get(initiative.id, {}).get(locale))
        for initiative in listed
    }


def title_for(initiative: Initiative, locale: str) -> str:
    """The initiative's title for a reader of `locale`, from its versions relationship (loaded once per
    initiative, however many readers: a candidates page writes a default invitation for each)."""
    version = next((v for v in initiative.versions if v.locale == locale), None)
    return text_for_reader(
        title=initiative.title, description=initiative.description, written_in=initiative.written_in,
        reader_locale=locale,
        version=VersionText(version.locale, version.title, version.description) if version else None).title


def text_for(session: orm.Session, initiative: Initiative, locale: str) -> InitiativeText:
    """The words one reader of `locale` gets for one initiative (a mail, a single page)."""
    return texts_for_reader(session, [initiative], locale)[initiative.id]


def title_by_id(session: orm.Session, initiative_id: int | None, locale: str, stored_title: str) -> str:
    """The title for a message that stored the initiative's id and title (a mail): the version in
    `locale`, else the title stored with the message, which also stays when the initiative is gone."""
    initiative = session.get(Initiative, initiative_id) if initiative_id else None
    if initiative is None:
        return stored_title
    text = text_for(session, initiative, locale)
    return text.title if not text.is_original else stored_title
