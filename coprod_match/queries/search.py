"""Searching initiatives: the filters people can combine, as one SQL query.

The filters come from the URL, so a search can be bookmarked and shared.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from ..folding import search_words
from ..models import (
    CitizenProfile,
    Initiative,
    InitiativeContact,
    InitiativeSearchText,
    InitiativeStatus,
    Neighbourhood,
    initiative_interests,
    initiative_languages,
    initiative_target_groups,
    user_languages,
)
from ..models.initiative import SEARCH_CONFIGURATION
from ..open_to import ADMITTED_GENDER, age_in
from ..schedule import DAYS, PARTS_OF_DAY, slot_bit
from ..vocabulary import OpenTo
from .initiatives import volunteers_needed_sql

RADIUS_CHOICES_KM = (0, 1, 2, 3, 5)
DEFAULT_RADIUS_KM = 2
SORTS = ("nearest", "newest", "needed")


@dataclass(frozen=True)
class InitiativeSearch:
    near: int | None = None
    radius: int = DEFAULT_RADIUS_KM
    interest: str | None = None
    group: str | None = None
    language: str | None = None
    # A language one of its contact persons speaks now (user_languages), to ask questions in.
    speaks: str | None = None
    day: str | None = None
    part: str | None = None
    q: str | None = None
    sort: str = "newest"
    # Only initiatives the logged-in resident may join (open_to.py); ignored for anyone else.
    open_to_me: bool = False

    def filters_on(self) -> int:
        """How many filters narrow the list, besides the search words (the distance belongs to "near")."""
        return sum(1 for value in (self.near, self.interest, self.group, self.language, self.speaks,
                                        self.day, self.part, self.open_to_me) if value)

    def url_args(self) -> dict:
        """Only the filters that are set, for links that keep the search."""
        defaults = InitiativeSearch()
        return {k: v for k, v in asdict(self).items() if v not in (None, "") and v != getattr(defaults, k)}


def parse_search(args) -> InitiativeSearch:
    """Read filters from request args; values that make no sense are ignored, never an error."""

    def text(name: str, limit: int = 40) -> str | None:
        value = (args.get(name) or "").strip()
        return value[:limit] or None

    radius = args.get("radius", type=int)
    sort = args.get("sort")
    near = args.get("near", type=int)
    return InitiativeSearch(
        near=near,
        radius=radius if radius in RADIUS_CHOICES_KM else DEFAULT_RADIUS_KM,
        interest=text("interest"),
        group=text("group"),
        language=text("language", 8),
        speaks=text("speaks", 8),
        day=args.get("day") if args.get("day") in DAYS else None,
        part=args.get("part") if args.get("part") in PARTS_OF_DAY else None,
        q=text("q", 100),
        sort=sort if sort in SORTS else ("nearest" if near else "newest"),
        open_to_me=args.get("open_to_me") == "1",
    )


def neighbourhood_distances(session: orm.Session, centre_id: int) -> dict[int, float]:
    """Km from one neighbourhood's centre to every neighbourhood's centre (a few dozen rows)."""
    places = session.scalars(sa.select(Neighbourhood)).all()
    centre = next((place for place in places if place.id == centre_id), None)
    if centre is None:
        return {}
    return {place.id: centre.distance_km(place) for place in places}


def _schedule_mask(day: str | None, part: str | None) -> int:
    days = [day] if day else list(DAYS)
    parts = [part] if part else list(PARTS_OF_DAY)
    mask = 0
    for d in days:
        for p in parts:
            mask |= slot_bit(d, p)
    return mask


@dataclass(frozen=True)
class Resident:
    """What the "open to me" filter knows of the resident searching (from their profile)."""

    gender: str | None
    birth_year: int | None
    year: int


def open_to_condition(resident: Resident) -> sa.ColumnElement[bool]:
    """open_to.why_not_open is None, in SQL (tests hold the two together)."""
    groups = [OpenTo.EVERYONE.value] + [
        group.value for group, gender in ADMITTED_GENDER.items() if gender == resident.gender
    ]
    in_group = Initiative.open_to.in_(groups)
    if resident.birth_year is None:
        return in_group & Initiative.min_age.is_(None) & Initiative.max_age.is_(None)
    age = age_in(resident.year, resident.birth_year)
    return (
        in_group
        & (Initiative.min_age.is_(None) | (Initiative.min_age <= age))
        & (Initiative.max_age.is_(None) | (Initiative.max_age >= age))
    )


def residents_open_to(open_to: str, min_age: int | None, max_age: int | None, *,
                      year: int) -> sa.ColumnElement[bool]:
    """The other way round: the residents (profiles) an initiative is open to, in SQL."""
    admitted = ADMITTED_GENDER.get(OpenTo(open_to))
    condition = sa.true() if admitted is None else CitizenProfile.gender == admitted.value
    if min_age is not None or max_age is not None:
        condition &= CitizenProfile.birth_year.is_not(None)
    if min_age is not None:
        condition &= CitizenProfile.birth_year <= year - min_age
    if max_age is not None:
        condition &= CitizenProfile.birth_year >= year - max_age
    return condition


# SQLite's full-text index over initiative_search_texts (migration 0018).
SQLITE_SEARCH_TABLE = "initiative_search_fts"


def words_condition(typed: str, dialect: str) -> sa.ColumnElement[bool]:
    """Initiatives whose search document (services/search_text.py) holds every word typed.

    The words are folded like the document (no accents, lower case) and are taken as the start of
    a word, so "vrouw" finds "vrouwen" and "cafe" finds "Café". PostgreSQL also matches Dutch word
    forms through the `coprod_dutch` configuration (its Snowball stemmer: "vrouwen" finds "vrouw").
    SQLite has no Dutch stemmer, and stemming in Python would add a dependency for the development
    database only: there the prefix does the work, which covers the usual plural and verb endings.
    Only letters and digits reach the query language, so no input can be read as an operator.
    """
    words = search_words(typed)
    if not words:
        return sa.true()  # only punctuation: nothing to search for, as if nothing was typed
    if dialect == "postgresql":
        configuration = sa.literal_column(f"'{SEARCH_CONFIGURATION}'::regconfig")
        # The same expression as the GIN index (models/initiative.py), so the index serves it.
        vector = sa.func.to_tsvector(configuration, InitiativeSearchText.body)
        query = sa.func.to_tsquery(configuration, " & ".join(f"'{word}':*" for word in words))
        found = sa.select(InitiativeSearchText.initiative_id).where(vector.op("@@")(query))
    else:
        index = sa.table(SQLITE_SEARCH_TABLE, sa.column("rowid"))
        found = sa.select(index.c.rowid).where(
            sa.literal_column(SQLITE_SEARCH_TABLE).op("MATCH")(" ".join(f'"{word}"*' for word in words)))
    return Initiative.id.in_(found)


def _conditions(search: InitiativeSearch, distances: dict[int, float],
                resident: Resident | None, dialect: str) -> list[sa.ColumnElement]:
    """The WHERE clause of a search: each filter that is set, on indexed columns."""
    conditions: list[sa.ColumnElement] = [Initiative.status == InitiativeStatus.OPEN]
    if search.open_to_me and resident is not None:
        conditions.append(open_to_condition(resident))
    if search.near is not None and distances:
        # Half a km of slack: centres are approximate, and 0 km means "this neighbourhood".
        within = [pid for pid, km in distances.items() if km <= search.radius or pid == search.near]
        conditions.append(Initiative.neighbourhood_id.in_(within))
    for code, table, column in (
        (search.interest, initiative_interests, initiative_interests.c.interest_code),
        (search.group, initiative_target_groups, initiative_target_groups.c.target_group_code),
        (search.language, initiative_languages, initiative_languages.c.language_code),
    ):
        if code:
            conditions.append(sa.exists().where(table.c.initiative_id == Initiative.id, column == code))
    if search.speaks:
        conditions.append(sa.exists().where(
            InitiativeContact.initiative_id == Initiative.id, InitiativeContact.is_current,
            user_languages.c.user_id == InitiativeContact.professional_id,
            user_languages.c.language_code == search.speaks,
        ))
    if search.day or search.part:
        conditions.append(Initiative.schedule_slots.op("&")(_schedule_mask(search.day, search.part)) != 0)
    if search.q:
        conditions.append(words_condition(search.q, dialect))
    return conditions


@dataclass(frozen=True)
class SearchQuery:
    """A search as SQL: the ordered initiatives, their count, and distances (km) when near is set."""

    select: sa.Select
    count: sa.Select
    distances: dict[int, float]


def search_query(session: orm.Session, search: InitiativeSearch, *, resident: Resident | None = None) -> SearchQuery:
    """The open initiatives matching `search`, ordered as asked, and a narrow count of them.

    `resident` is the resident searching, for the "open to me" filter.
    """
    distances = neighbourhood_distances(session, search.near) if search.near is not None else {}
    conditions = _conditions(search, distances, resident, session.get_bind().dialect.name)
    query = sa.select(Initiative).where(*conditions)
    if search.sort == "nearest" and distances:
        ranked = sorted(distances, key=distances.get)
        order = sa.case({pid: rank for rank, pid in enumerate(ranked)}, value=Initiative.neighbourhood_id, else_=len(ranked))
        query = query.order_by(order, Initiative.title, Initiative.id)
    elif search.sort == "needed":
        query = query.order_by(volunteers_needed_sql().desc(), Initiative.id)
    else:
        query = query.order_by(Initiative.created_at.desc(), Initiative.id.desc())
    query = query.options(orm.joinedload(Initiative.neighbourhood))
    count = sa.select(sa.func.count()).select_from(Initiative).where(*conditions)
    return SearchQuery(query, count, distances)


def search_initiatives(session: orm.Session, search: InitiativeSearch) -> tuple[sa.Select, dict[int, float]]:
    """The query for open initiatives matching `search`, and distances (km) when near is set."""
    found = search_query(session, search)
    return found.select, found.distances
