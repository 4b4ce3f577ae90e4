"""The demo's The Hague content, read from the TOML files in coprod_match/data/demo/.

Everything a municipality would rewrite for its own city lives in those
files: the staff, residents' backgrounds and where they live, the article's
initiatives, the showcase citizens and what people write. This module reads
them once, at import, into the typed values the generator draws from.
Codes become the models' enums, so a typo in a state or level fails here,
and a misspelt key fails too (the dataclasses take no unknown fields).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..models import (
    DeclineReason,
    EndReason,
    InitiativeStatus,
    LanguageLevel,
    PlacementState,
    Role,
    TaskKind,
)
from ..schedule import DAYS, slots_to_mask
from ..vocabulary import OpenTo

DATA_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir, "data", "demo"))

Task = tuple[str, TaskKind]


@dataclass(frozen=True)
class StaffMember:
    local_part: str
    role: Role
    name: str
    organisation: str
    areas: tuple[str, ...]  # neighbourhood names or district names
    locale: str = "nl"
    gender: str | None = None
    birth_year: int | None = None
    enabled: bool = True
    # A coordinator for the whole city rather than their own districts.
    municipal: bool = False
    # The languages a professional speaks with residents (user_languages), shown on their initiatives.
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Background:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    # Home languages: each spoken natively with this chance (the first one if none is drawn).
    home: tuple[tuple[str, float], ...]
    # Chance of Dutch at native, fluent, conversational, basic level, or not at all.
    dutch: tuple[float, float, float, float, float]
    # Further languages: code, chance, usual level.
    other: tuple[tuple[str, float, LanguageLevel], ...]
    english_locale: float


class Version(NamedTuple):
    """An article initiative's title, description and tasks in another language, task for task."""

    title: str
    description: str
    tasks: tuple[str, ...]


class Rhythm(NamedTuple):
    """A weekly rhythm: chance of being free per part of a weekday and of a weekend day."""

    weight: int
    weekday: tuple[float, float, float]  # morning, afternoon, evening
    weekend: tuple[float, float, float]


@dataclass(frozen=True)
class ArticleInitiative:
    title: str
    neighbourhood: str
    location: str
    description: str
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    languages: tuple[str, ...]
    tasks: tuple[Task, ...]
    slots: int
    hours: int
    volunteers: tuple[int, int]  # minimum, ideal
    started_days_ago: int
    # (professional number, started days ago, ended days ago or None)
    contacts: tuple[tuple[int, int, int | None], ...]
    # How many placements in each state (the personas count toward these).
    staffing: Mapping[str, int]
    ends_in_days: int | None = None
    status: str = InitiativeStatus.OPEN
    welcomes_dutch_learners: bool = False
    open_to: str = OpenTo.EVERYONE
    written_in: str = "nl"  # the language of title, description and tasks above
    # Other languages (locale: version), from initiative_versions/<locale>.toml.
    versions: Mapping[str, Version] = field(default_factory=dict)


class ExtraKind(NamedTuple):
    """A kind of initiative for large sets, placed in some neighbourhood by the generator."""

    name: str
    subtitle: str
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    tasks: tuple[Task, ...]
    hours: int
    volunteers: tuple[int, int]  # the range minimum and ideal are drawn from


@dataclass(frozen=True)
class Persona:
    name: str
    neighbourhood: str
    languages: tuple[tuple[str, str], ...]
    interests: tuple[str, ...]
    slots: int
    max_hours: int | None
    max_initiatives: int
    practise_dutch: bool = False
    locale: str = "nl"
    gender: str | None = None
    birth_year: int | None = None
    # (article number from 1, state, note); note flags special histories.
    placements: tuple[tuple[int, str, str | None], ...] = ()


def _read(name: str) -> dict[str, Any]:
    with open(os.path.join(DATA_DIR, name), "rb") as handle:
        return tomllib.load(handle)


def _slots(specs: Iterable[str]) -> int:
    """'tue-morning' style keys, or 'weekdays-morning'/'mon+fri-afternoon' shorthands."""
    pairs = []
    for key in specs:
        days, part = key.split("-")
        chosen = DAYS[:5] if days == "weekdays" else tuple(days.split("+"))
        pairs.extend((day, part) for day in chosen)
    return slots_to_mask(pairs)


def _tasks(rows: Iterable[list[str]]) -> tuple[Task, ...]:
    return tuple((title, TaskKind(kind)) for title, kind in rows)


def _levels(rows: Iterable[list[str]]) -> tuple[tuple[str, LanguageLevel], ...]:
    return tuple((code, LanguageLevel(level)) for code, level in rows)


def _staff_member(row: dict[str, Any]) -> StaffMember:
    return StaffMember(**{
        **row,
        "role": Role(row["role"]),
        "areas": tuple(row["areas"]),
        "languages": tuple(row.get("languages", ())),
    })


def _background(row: dict[str, Any]) -> Background:
    return Background(**{
        **row,
        "female": tuple(row["female"]),
        "male": tuple(row["male"]),
        "surnames": tuple(row["surnames"]),
        "home": tuple((code, chance) for code, chance in row["home"]),
        "dutch": tuple(row["dutch"]),
        "other": tuple(
            (code, chance, LanguageLevel(level)) for code, chance, level in row["other"]
        ),
    })


def _article(row: dict[str, Any], versions: Mapping[str, Version]) -> ArticleInitiative:
    return ArticleInitiative(**{
        **row,
        "versions": versions,
        "target_groups": tuple(row["target_groups"]),
        "interests": tuple(row["interests"]),
        "languages": tuple(row["languages"]),
        "tasks": _tasks(row["tasks"]),
        "slots": _slots(row["slots"]),
        "volunteers": tuple(row["volunteers"]),
        "contacts": tuple(
            (c["professional"], c["started_days_ago"], c.get("ended_days_ago"))
            for c in row["contacts"]
        ),
        "staffing": {PlacementState(state): count for state, count in row["staffing"].items()},
        "status": InitiativeStatus(row.get("status", InitiativeStatus.OPEN)),
    })


def _extra_kind(row: dict[str, Any]) -> ExtraKind:
    return ExtraKind(**{
        **row,
        "target_groups": tuple(row["target_groups"]),
        "interests": tuple(row["interests"]),
        "tasks": _tasks(row["tasks"]),
        "volunteers": tuple(row["volunteers"]),
    })


def _persona(row: dict[str, Any]) -> Persona:
    return Persona(**{
        **row,
        "languages": _levels(row["languages"]),
        "interests": tuple(row["interests"]),
        "slots": _slots(row["slots"]),
        "max_hours": row.get("max_hours"),
        "placements": tuple(
            (p["article"], PlacementState(p["state"]), p.get("note")) for p in row["placements"]
        ),
    })


def _blank_is_none(texts: Iterable[str]) -> tuple[str | None, ...]:
    """TOML has no null: an empty string in a list stands for 'nothing written'."""
    return tuple(text or None for text in texts)


_staff = _read("staff.toml")
STAFF: tuple[StaffMember, ...] = tuple(_staff_member(row) for row in _staff["staff"])
# Organisations for the extra professionals generated for large benchmark sets.
EXTRA_ORGANISATIONS: tuple[str, ...] = tuple(_staff["extra_organisations"])

BACKGROUNDS: dict[str, Background] = {
    name: _background(row) for name, row in _read("backgrounds.toml")["backgrounds"].items()
}

_residents = _read("residents.toml")
# Background mix by kind of neighbourhood.
MIXES: dict[str, dict[str, float]] = {
    kind: dict(mix) for kind, mix in _residents["mixes"].items()
}
# Neighbourhood: (share of the demo's residents, kind). Unlisted neighbourhoods get 1 share.
NEIGHBOURHOODS: dict[str, tuple[float, str]] = {
    name: (row["share"], row["mix"]) for name, row in _residents["neighbourhoods"].items()
}
INTEREST_WEIGHTS: dict[str, int] = dict(_residents["interest_weights"])
RHYTHMS: tuple[Rhythm, ...] = tuple(
    Rhythm(row["weight"], tuple(row["weekday"]), tuple(row["weekend"]))
    for row in _residents["rhythms"]
)

def _versions(articles: list[dict[str, Any]]) -> list[dict[str, Version]]:
    """Each article's versions by locale, one file a language; a missing or misaligned one fails here.

    A version must have as many tasks as the original, in the same order:
    the writer pairs them by position.
    """
    by_article: list[dict[str, Version]] = [{} for _ in articles]
    folder = os.path.join(DATA_DIR, "initiative_versions")
    for name in sorted(os.listdir(folder)):
        locale = name.removesuffix(".toml")
        rows = _read(os.path.join("initiative_versions", name))["version"]
        numbers = [row["article"] for row in rows]
        if sorted(numbers) != list(range(1, len(articles) + 1)):
            raise ValueError(f"{name} needs one version for each article initiative, 1 to {len(articles)}")
        for row in rows:
            article = articles[row["article"] - 1]
            if len(row["tasks"]) != len(article["tasks"]):
                raise ValueError(f"{name}, article {row['article']}: the tasks do not match the original's")
            if locale == article.get("written_in", "nl"):
                raise ValueError(f"{name}, article {row['article']}: a version in the original's language")
            by_article[row["article"] - 1][locale] = Version(
                row["title"], row["description"], tuple(row["tasks"])
            )
    return by_article


_articles = _read("initiatives.toml")["article"]
ARTICLE_INITIATIVES: tuple[ArticleInitiative, ...] = tuple(
    _article(row, versions) for row, versions in zip(_articles, _versions(_articles), strict=True)
)
EXTRA_KINDS: tuple[ExtraKind, ...] = tuple(
    _extra_kind(row) for row in _read("extra_kinds.toml")["extra_kind"]
)

PERSONAS: tuple[Persona, ...] = tuple(_persona(row) for row in _read("personas.toml")["persona"])
MIN_CITIZENS = len(PERSONAS)

_messages = _read("messages.toml")
END_NOTES: dict[EndReason, tuple[str, ...]] = {
    EndReason(reason): tuple(notes) for reason, notes in _messages["end_notes"].items()
}
PAUSE_NOTES: tuple[str, ...] = tuple(_messages["pause_notes"])
APPLY_MESSAGES: tuple[str | None, ...] = _blank_is_none(_messages["apply_messages"])
REJECT_NOTES: tuple[str, ...] = tuple(_messages["reject_notes"])
INITIATIVE_PAUSED_NOTE: str = _messages["initiative_paused_note"]
DECLINE_NOTES: dict[DeclineReason, str] = {
    DeclineReason(reason): note for reason, note in _messages["decline_notes"].items()
}
CHECK_IN_NOTES: tuple[str | None, ...] = _blank_is_none(_messages["check_in_notes"])
# Language names for the invitation messages, in the language the message is written in.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    locale: dict(names) for locale, names in _messages["language_names"].items()
}
# A professional's personal invitation, in the resident's language: (greeting, shared-language line).
INVITATION_MESSAGES: dict[str, tuple[str, str]] = {
    locale: (row["message"], row["shared_language"])
    for locale, row in _messages["invitation_messages"].items()
}


class StrainedAnswer(NamedTuple):
    appreciated: int
    supported: int
    too_much: int
    comment: str


@dataclass(frozen=True)
class CheckInShowcase:
    """The cases that make each new check-in alert show in the demo at first start."""

    # An informal carer whose last two answers say it is too much (persona number, article number).
    strained_persona: int
    strained_article: int
    strained_answers: tuple[StrainedAnswer, StrainedAnswer]
    # A contact professional who reports a heavier burden twice and then asks for help.
    overloaded_professional: int
    overloaded_article: int
    overloaded_hours: tuple[int, int]
    overloaded_comment: str
    # An initiative whose volunteers mostly did not answer the last two months.
    unanswered_article: int
    # A showcase resident thanked on her statement.
    thanked_persona: int
    thanked_article: int
    thanked_sentence: str


_check_ins = _read("check_ins.toml")
VOLUNTEER_COMMENTS: tuple[str, ...] = tuple(_check_ins["volunteer_comments"])
CONTACT_COMMENTS: tuple[str, ...] = tuple(_check_ins["contact_comments"])
THANKS_SENTENCES: tuple[str, ...] = tuple(_check_ins["thanks"])
CHECK_IN_SHOWCASE = CheckInShowcase(
    strained_persona=_check_ins["strained_volunteer"]["persona"],
    strained_article=_check_ins["strained_volunteer"]["article"],
    strained_answers=tuple(StrainedAnswer(*row) for row in _check_ins["strained_volunteer"]["answers"]),
    overloaded_professional=_check_ins["overloaded_contact"]["professional"],
    overloaded_article=_check_ins["overloaded_contact"]["article"],
    overloaded_hours=tuple(_check_ins["overloaded_contact"]["hours"]),
    overloaded_comment=_check_ins["overloaded_contact"]["comment"],
    unanswered_article=_check_ins["unanswered"]["article"],
    thanked_persona=_check_ins["thanked"]["persona"],
    thanked_article=_check_ins["thanked"]["article"],
    thanked_sentence=_check_ins["thanked"]["sentence"],
)
