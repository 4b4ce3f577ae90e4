"""Writing and removing an initiative's versions in other languages (title, description, each task).

The people who may edit an initiative (security.can_manage_initiative) may
write its versions; a co-producer who speaks the language often writes one
with them. A version is in one of the interface languages, never in the
language the initiative is written in (that is the original), and has a
title. Each task's title is kept per task (InitiativeTaskVersion), so a
version survives editing the task list: a new task simply has no translation
yet and is shown in the original's language.

The page and the API both call `save_version` and `remove_version`; they
flush, the request commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from .. import single_line
from ..domain_errors import InvalidInput, NotFound
from ..models import Initiative, InitiativeTaskVersion, InitiativeVersion, User
from ..security import can_manage_initiative
from ..vocabulary import UI_LOCALES, Limits
from .audit import audit_record

UNKNOWN_LANGUAGE = _l("Choose one of the languages of the site.")
SAME_AS_ORIGINAL = _l("The initiative is written in this language. Choose another language.")
TITLE_NEEDED = _l("Fill in a name.")


@dataclass(frozen=True)
class VersionDetails:
    """What a writer gives for one language: the title, the description and (some) tasks' titles."""

    locale: str
    title: str
    description: str = ""
    # Task id -> its title in `locale`; an empty or missing title leaves the task in the original language.
    task_titles: Mapping[int, str] = field(default_factory=dict)


def check_version(initiative: Initiative, details: VersionDetails) -> None:
    """Refuse a version the readers could not use, whichever door it came in by."""
    if details.locale not in UI_LOCALES:
        raise InvalidInput(UNKNOWN_LANGUAGE, field="locale")
    if details.locale == initiative.written_in:
        raise InvalidInput(SAME_AS_ORIGINAL, field="locale")
    if not details.title.strip():
        raise InvalidInput(TITLE_NEEDED, field="title")
    if len(details.title) > Limits.INITIATIVE_TITLE:
        raise InvalidInput(_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_TITLE), field="title")
    if single_line.has_control_characters(details.title):  # titles go into mail subjects
        raise InvalidInput(single_line.MESSAGE, field="title")
    if len(details.description) > Limits.INITIATIVE_DESCRIPTION:
        raise InvalidInput(_l("Use at most %(max)d characters.", max=Limits.INITIATIVE_DESCRIPTION),
                           field="description")
    task_ids = {task.id for task in initiative.tasks}
    for task_id, title in details.task_titles.items():
        if task_id not in task_ids:
            raise InvalidInput(_l("This task is not part of the initiative any more."), field="tasks")
        if len(title) > Limits.TASK_TITLE:
            raise InvalidInput(_l("Use at most %(max)d characters.", max=Limits.TASK_TITLE), field="tasks")


def _check_manager(session: orm.Session, initiative: Initiative, actor: User) -> None:
    # The views check first; this keeps every door (page, API, a future CLI) under the same rule.
    if not can_manage_initiative(session, actor, initiative.id):
        raise NotFound()


def version_in(initiative: Initiative, locale: str) -> InitiativeVersion | None:
    return next((version for version in initiative.versions if version.locale == locale), None)


def save_version(session: orm.Session, initiative: Initiative, details: VersionDetails, *,
                 actor: User) -> InitiativeVersion:
    """Add the version in `details.locale`, or replace what it says when there is one."""
    _check_manager(session, initiative, actor)
    check_version(initiative, details)
    version = version_in(initiative, details.locale)
    created = version is None
    if version is None:
        version = InitiativeVersion(locale=details.locale)
        initiative.versions.append(version)
    version.title = details.title.strip()
    version.description = details.description.strip()
    for task in initiative.tasks:
        title = details.task_titles.get(task.id, "").strip()
        existing = next((tv for tv in task.versions if tv.locale == details.locale), None)
        if not title:
            if existing is not None:
                task.versions.remove(existing)
        elif existing is None:
            task.versions.append(InitiativeTaskVersion(locale=details.locale, title=title))
        else:
            existing.title = title
    session.flush()
    audit_record(session, "initiative.version_added" if created else "initiative.version_changed",
                 "initiative", initiative.id, actor=actor, locale=details.locale)
    return version


def remove_version(session: orm.Session, initiative: Initiative, locale: str, *, actor: User) -> None:
    """Remove the version in `locale` with its tasks' titles; readers get the original again."""
    _check_manager(session, initiative, actor)
    version = version_in(initiative, locale)
    if version is None:
        raise NotFound()
    initiative.versions.remove(version)
    for task in initiative.tasks:
        for task_version in [tv for tv in task.versions if tv.locale == locale]:
            task.versions.remove(task_version)
    session.flush()
    audit_record(session, "initiative.version_removed", "initiative", initiative.id, actor=actor, locale=locale)


def check_written_in(initiative: Initiative | None, written_in: str) -> None:
    """The original's language: an interface language, and not one the initiative already has a version in."""
    if written_in not in UI_LOCALES:
        raise InvalidInput(UNKNOWN_LANGUAGE, field="written_in")
    if initiative is not None and initiative.id is not None and version_in(initiative, written_in) is not None:
        raise InvalidInput(_l("There is already a version in this language. Remove it first."), field="written_in")
