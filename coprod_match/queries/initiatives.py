"""Reads about initiatives: their active volunteers, their current contacts, a professional's list."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from ..initiative_text import InitiativeText, VersionText, text_for_reader
from ..models import (
    Initiative,
    InitiativeContact,
    InitiativeTask,
    InitiativeTaskVersion,
    InitiativeVersion,
    InterestCategory,
    Language,
    Placement,
    PlacementState,
    TargetGroup,
    TaskKind,
    User,
    initiative_interests,
    initiative_languages,
    initiative_target_groups,
    user_languages,
)
from ..vocabulary import LIVE_STATES, PLACE_HOLDING_STATES
from ..volunteer_need import PlacesHeld


def initiatives_by_id(session: orm.Session, ids: list[int]) -> dict[int, Initiative]:
    """Initiatives by id with their neighbourhood (a page of suggestions)."""
    if not ids:
        return {}
    query = sa.select(Initiative).where(Initiative.id.in_(set(ids))).options(orm.joinedload(Initiative.neighbourhood))
    return {initiative.id: initiative for initiative in session.scalars(query).unique()}


@dataclass
class InitiativeCodes:
    """An initiative's lists as codes and task titles, as the API and exports show them."""

    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    core_tasks: list[str] = field(default_factory=list)
    complementary_tasks: list[str] = field(default_factory=list)
    # The tasks' ids in the order of core_tasks followed by complementary_tasks (versions' task titles).
    task_ids: list[int] = field(default_factory=list)


def initiative_codes(session: orm.Session, initiative_ids: list[int]) -> dict[int, InitiativeCodes]:
    """The lists of many initiatives in one query (a UNION of the four tables), codes sorted."""
    found = {initiative_id: InitiativeCodes() for initiative_id in initiative_ids}
    if not initiative_ids:
        return found
    ids = set(initiative_ids)
    no_task = sa.cast(sa.null(), sa.Integer)

    def codes(table, column, list_name: str):
        return sa.select(table.c.initiative_id, sa.literal(list_name), column, sa.literal(0), no_task).where(
            table.c.initiative_id.in_(ids))

    tasks = sa.select(InitiativeTask.initiative_id, InitiativeTask.kind, InitiativeTask.title,
                      InitiativeTask.position, InitiativeTask.id).where(InitiativeTask.initiative_id.in_(ids))
    query = sa.union_all(
        codes(initiative_languages, initiative_languages.c.language_code, "languages"),
        codes(initiative_interests, initiative_interests.c.interest_code, "interests"),
        codes(initiative_target_groups, initiative_target_groups.c.target_group_code, "target_groups"),
        tasks,
    )
    task_lists = {TaskKind.CORE.value: "core_tasks", TaskKind.COMPLEMENTARY.value: "complementary_tasks"}
    rows = sorted(session.execute(query).tuples(), key=lambda row: (row[3], row[2]))
    task_ids: dict[tuple[int, str], list[int]] = {}
    for initiative_id, list_name, value, _position, task_id in rows:
        getattr(found[initiative_id], task_lists.get(list_name, list_name)).append(value)
        if task_id is not None:
            task_ids.setdefault((initiative_id, list_name), []).append(task_id)
    for initiative_id, lists in found.items():
        lists.task_ids = [*task_ids.get((initiative_id, TaskKind.CORE.value), []),
                          *task_ids.get((initiative_id, TaskKind.COMPLEMENTARY.value), [])]
    return found


@dataclass(frozen=True)
class InitiativePage:
    """What an initiative's page shows besides the reader's own part in it."""

    initiative: Initiative
    # Professionals who are its contact now, longest first.
    contacts: list[User]
    # The reading citizen's live placement in it (applied, active, paused...), if any.
    own_placement: Placement | None
    # Who holds its places, and so "needs N more" (coprod_match/volunteer_need.py):
    # "3 active volunteers, 1 paused. Room for 2 more."
    places_held: PlacesHeld
    # Reference records as the page shows them (unattached copies: labels only).
    languages: list[Language]
    target_groups: list[TargetGroup]
    interests: list[InterestCategory]
    # Its words for the reader: the version in the page's language, else the original (initiative_text.py).
    text: InitiativeText
    # The languages its contact persons speak now (issue 15: a resident can ask in their own language).
    contact_languages: list[Language]


# Separators that never occur in a name: ASCII unit and record separators.
_FIELD, _RECORD = "\x1f", "\x1e"


def _names(association: sa.Table, key: sa.Column, reference, *columns: sa.Column) -> sa.ScalarSelect:
    """One initiative's reference records as one string, so they add no rows to the page's query."""
    record = columns[0]
    for column in columns[1:]:
        record = record + _FIELD + column
    return (
        sa.select(sa.func.aggregate_strings(record, _RECORD))
        .select_from(association).join(reference, reference.code == key)
        .where(association.c.initiative_id == Initiative.id)
        .scalar_subquery()
    )


def _contact_languages() -> sa.ScalarSelect:
    """The languages the initiative's current contact persons speak, each once, as one string."""
    spoken = sa.exists().where(
        user_languages.c.language_code == Language.code,
        InitiativeContact.professional_id == user_languages.c.user_id,
        InitiativeContact.initiative_id == Initiative.id, InitiativeContact.is_current,
    ).correlate(Language, Initiative)  # the page's initiative, two levels up
    record = Language.code + _FIELD + Language.english_name + _FIELD + Language.dutch_name + _FIELD + Language.endonym
    return (sa.select(sa.func.aggregate_strings(record, _RECORD)).where(spoken)
            .correlate_except(Language, user_languages, InitiativeContact).scalar_subquery())


def _records(model, text: str | None, *fields: str) -> list:
    if not text:
        return []
    found = [model(**dict(zip(fields, record.split(_FIELD), strict=True))) for record in text.split(_RECORD)]
    return sorted(found, key=lambda record: record.code)


def _reader_version(locale: str) -> tuple[sa.ScalarSelect, sa.ScalarSelect, sa.ScalarSelect]:
    """The version in `locale` of the enclosing query's initiative: title, description, and its tasks'
    titles as one string, so reading it adds no statement to the page."""
    def version_column(column) -> sa.ScalarSelect:
        return (sa.select(column).where(InitiativeVersion.initiative_id == Initiative.id,
                                        InitiativeVersion.locale == locale).scalar_subquery())
    task_record = sa.cast(InitiativeTaskVersion.task_id, sa.String) + _FIELD + InitiativeTaskVersion.title
    task_titles = (
        sa.select(sa.func.aggregate_strings(task_record, _RECORD))
        .select_from(InitiativeTaskVersion).join(InitiativeTask, InitiativeTask.id == InitiativeTaskVersion.task_id)
        .where(InitiativeTask.initiative_id == Initiative.id, InitiativeTaskVersion.locale == locale)
        .scalar_subquery()
    )
    return version_column(InitiativeVersion.title), version_column(InitiativeVersion.description), task_titles


def _text(initiative: Initiative, locale: str, title: str | None, description: str | None,
          task_text: str | None) -> InitiativeText:
    task_titles = dict(record.split(_FIELD, 1) for record in task_text.split(_RECORD)) if task_text else {}
    version = (VersionText(locale, title, description or "", {int(key): value for key, value in task_titles.items()})
               if title is not None else None)
    return text_for_reader(title=initiative.title, description=initiative.description,
                           written_in=initiative.written_in, reader_locale=locale, version=version)


def initiative_page(session: orm.Session, initiative_id: int, *, locale: str,
                    citizen_id: int | None = None) -> InitiativePage | None:
    """One initiative with everything its page shows, and `citizen_id`'s live placement, in one query.

    Tasks and contact periods are joined (a few rows each); languages, target
    groups and themes come as one string each, since joining them too would
    multiply the rows (3 x 4 x 2 x 5 x 2 = 240 for one demo initiative). A
    citizen has at most one live placement per initiative (a unique index),
    so joining it adds no rows.
    """
    def holding(state: PlacementState) -> sa.ScalarSelect:
        return (sa.select(sa.func.count()).select_from(Placement)
                .where(Placement.initiative_id == Initiative.id, Placement.state == state).scalar_subquery())
    languages = _names(initiative_languages, initiative_languages.c.language_code, Language,
                       Language.code, Language.english_name, Language.dutch_name, Language.endonym)
    groups = _names(initiative_target_groups, initiative_target_groups.c.target_group_code, TargetGroup,
                    TargetGroup.code, TargetGroup.label_en, TargetGroup.label_nl)
    interests = _names(initiative_interests, initiative_interests.c.interest_code, InterestCategory,
                       InterestCategory.code, InterestCategory.label_en, InterestCategory.label_nl)
    own = orm.aliased(Placement)
    own_is_live = sa.and_(own.initiative_id == Initiative.id, own.citizen_id == citizen_id,
                          own.state.in_(LIVE_STATES))
    row = session.execute(
        sa.select(Initiative, holding(PlacementState.ACTIVE), holding(PlacementState.PAUSED),
                  holding(PlacementState.ACCEPTED), own, languages, groups, interests, *_reader_version(locale),
                  _contact_languages())
        .outerjoin(own, own_is_live if citizen_id is not None else sa.false())
        .where(Initiative.id == initiative_id).options(
            orm.joinedload(Initiative.neighbourhood),
            orm.joinedload(Initiative.tasks),
            orm.joinedload(Initiative.contacts).joinedload(InitiativeContact.professional),
        )
    ).unique().first()
    if row is None:
        return None
    (initiative, active, paused, starting, own_placement, language_text, group_text, interest_text,
     version_title, version_description, task_text, spoken_text) = row
    contacts = [period.professional for period in initiative.contacts if period.is_current]
    held = PlacesHeld(initiative.volunteers_ideal, int(active), int(paused), int(starting))
    return InitiativePage(
        initiative, contacts, own_placement, held,
        languages=_records(Language, language_text, "code", "english_name", "dutch_name", "endonym"),
        target_groups=_records(TargetGroup, group_text, "code", "label_en", "label_nl"),
        interests=_records(InterestCategory, interest_text, "code", "label_en", "label_nl"),
        text=_text(initiative, locale, version_title, version_description, task_text),
        contact_languages=_records(Language, spoken_text, "code", "english_name", "dutch_name", "endonym"),
    )


def places_taken_sql() -> sa.ScalarSelect:
    """The places held in the initiative of the enclosing query (see coprod_match/volunteer_need.py)."""
    return (
        sa.select(sa.func.count()).select_from(Placement)
        .where(Placement.initiative_id == Initiative.id, Placement.state.in_(sorted(PLACE_HOLDING_STATES)))
        .correlate(Initiative)
        .scalar_subquery()
    )


def volunteers_needed_sql() -> sa.ColumnElement[int]:
    """"Needs N more" in SQL: the twin of `volunteer_need.volunteers_needed` (ideal minus places held, at least 0)."""
    needed = Initiative.volunteers_ideal - places_taken_sql()
    return sa.case((needed > 0, needed), else_=0)


def volunteers_needed_by_id(session: orm.Session, initiative_ids: list[int]) -> dict[int, int]:
    """"Needs N more" for each of these initiatives, in one query."""
    if not initiative_ids:
        return {}
    rows = session.execute(
        sa.select(Initiative.id, volunteers_needed_sql()).where(Initiative.id.in_(set(initiative_ids)))
    ).tuples()
    return {initiative_id: int(needed) for initiative_id, needed in rows}


def active_volunteer_counts(session: orm.Session, initiative_ids: list[int]) -> dict[int, int]:
    """Active volunteers per initiative, in one grouped query."""
    if not initiative_ids:
        return {}
    rows = session.execute(
        sa.select(Placement.initiative_id, sa.func.count())
        .where(Placement.initiative_id.in_(initiative_ids), Placement.state == PlacementState.ACTIVE)
        .group_by(Placement.initiative_id)
    ).all()
    return {initiative_id: count for initiative_id, count in rows}


def places_held(session: orm.Session, initiatives: list[Initiative]) -> dict[int, PlacesHeld]:
    """Who holds the places of each initiative (active, paused, starting), in one grouped query."""
    if not initiatives:
        return {}
    rows = session.execute(
        sa.select(Placement.initiative_id, Placement.state, sa.func.count())
        .where(Placement.initiative_id.in_({i.id for i in initiatives}),
               Placement.state.in_(sorted(PLACE_HOLDING_STATES)))
        .group_by(Placement.initiative_id, Placement.state)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for initiative_id, state, count in rows:
        counts.setdefault(initiative_id, {})[state] = count
    field_of = {PlacementState.ACTIVE: "active", PlacementState.PAUSED: "paused", PlacementState.ACCEPTED: "starting"}
    return {
        i.id: PlacesHeld(i.volunteers_ideal, **{field_of[PlacementState(state)]: count
                                                for state, count in counts.get(i.id, {}).items()})
        for i in initiatives
    }


def current_contacts(session: orm.Session, initiative_ids: list[int]) -> dict[int, list[User]]:
    """Professionals who are a contact now, per initiative, in one query."""
    if not initiative_ids:
        return {}
    rows = session.execute(
        sa.select(InitiativeContact.initiative_id, User)
        .join(User, User.id == InitiativeContact.professional_id)
        .where(InitiativeContact.initiative_id.in_(initiative_ids), InitiativeContact.is_current)
        .order_by(InitiativeContact.starts_at)
    ).all()
    contacts: dict[int, list[User]] = {}
    for initiative_id, user in rows:
        contacts.setdefault(initiative_id, []).append(user)
    return contacts


def spoken_languages(session: orm.Session, user_ids: list[int]) -> dict[int, list[str]]:
    """The language codes each of these people speaks with residents (staff, account details), in one query."""
    if not user_ids:
        return {}
    spoken: dict[int, list[str]] = {}
    for user_id, code in session.execute(
        sa.select(user_languages.c.user_id, user_languages.c.language_code)
        .where(user_languages.c.user_id.in_(sorted(set(user_ids))))
        .order_by(user_languages.c.user_id, user_languages.c.language_code)
    ):
        spoken.setdefault(user_id, []).append(code)
    return spoken


def current_contact_periods(session: orm.Session, initiative_id: int) -> list[InitiativeContact]:
    """The open contact periods of one initiative (who is its contact now, since when)."""
    return list(session.scalars(
        sa.select(InitiativeContact).where(InitiativeContact.initiative_id == initiative_id,
                                           InitiativeContact.is_current)
    ))


def current_contact_ids(session: orm.Session, initiative_id: int) -> list[int]:
    """Ids of the professionals who are a contact of one initiative now (to tell them something)."""
    return [period.professional_id for period in current_contact_periods(session, initiative_id)]


def initiatives_of_contact(professional: User) -> sa.Select:
    """Initiatives this professional is a current contact for."""
    return (
        sa.select(Initiative)
        .join(InitiativeContact, InitiativeContact.initiative_id == Initiative.id)
        .where(InitiativeContact.professional_id == professional.id, InitiativeContact.is_current)
        .options(orm.joinedload(Initiative.neighbourhood))
        .order_by(Initiative.title, Initiative.id)
    )


def interest_codes_by_id(session: orm.Session, initiative_ids: list[int]) -> dict[int, list[str]]:
    """The themes of each initiative on a page of the list, in one query: a card shows them as pictograms."""
    found: dict[int, list[str]] = {}
    if not initiative_ids:
        return found
    rows = session.execute(
        sa.select(initiative_interests.c.initiative_id, initiative_interests.c.interest_code)
        .where(initiative_interests.c.initiative_id.in_(initiative_ids))
        .order_by(initiative_interests.c.interest_code)
    )
    for initiative_id, code in rows:
        found.setdefault(initiative_id, []).append(code)
    return found
