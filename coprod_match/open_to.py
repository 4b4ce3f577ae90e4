"""Who an initiative is open to (everyone, women, men; an age range): the one rule.

A hard rule, not a preference: sign-up, invitations, the search's "open to
me", suggestions, candidates and the plan all follow `why_not_open` (or its
array form in the matching engine, tested to agree with it). Someone who did
not say what the rule asks is treated as not open: a women-only initiative is
not suggested to a resident whose gender we do not know, an age range not to
one without a birth year. Plain Python, no Flask: the engine imports it.
"""

from __future__ import annotations

import enum

from .vocabulary import Gender, Limits, OpenTo


class Refusal(enum.StrEnum):
    """Why someone may not join; the pages and the API say it in words (services/open_to.py)."""

    WOMEN_ONLY = "women_only"
    MEN_ONLY = "men_only"
    GENDER_NOT_GIVEN = "gender_not_given"
    BIRTH_YEAR_NOT_GIVEN = "birth_year_not_given"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"


# Refusals that end when the resident answers a question on their profile; for the others
# (a man at a women-only initiative, too young) pointing at the profile cannot help.
MISSING_ANSWERS = frozenset({Refusal.GENDER_NOT_GIVEN, Refusal.BIRTH_YEAR_NOT_GIVEN})

# The stated gender each group admits.
ADMITTED_GENDER = {OpenTo.WOMEN: Gender.WOMAN, OpenTo.MEN: Gender.MAN}


def age_in(year: int, birth_year: int) -> int:
    """The age a person reaches in `year`: a birth year is all we ask, never a birth date."""
    return year - birth_year


def birth_years(year: int) -> range:
    """The birth years a person can give in `year`: not in the future, nobody older than AGE_MAX."""
    return range(max(Limits.BIRTH_YEAR_MIN, year - Limits.AGE_MAX), year + 1)


def has_age_range(min_age: int | None, max_age: int | None) -> bool:
    return min_age is not None or max_age is not None


def why_not_open(
    open_to: str, min_age: int | None, max_age: int | None,
    gender: str | None, birth_year: int | None, *, year: int,
) -> Refusal | None:
    """None when the initiative is open to this person in `year`, else the first reason it is not."""
    admitted = ADMITTED_GENDER.get(OpenTo(open_to))
    if admitted is not None and gender != admitted:
        if gender is None:
            return Refusal.GENDER_NOT_GIVEN
        return Refusal.WOMEN_ONLY if admitted == Gender.WOMAN else Refusal.MEN_ONLY
    if has_age_range(min_age, max_age):
        if birth_year is None:
            return Refusal.BIRTH_YEAR_NOT_GIVEN
        age = age_in(year, birth_year)
        if min_age is not None and age < min_age:
            return Refusal.TOO_YOUNG
        if max_age is not None and age > max_age:
            return Refusal.TOO_OLD
    return None


# -- the same rule as small integers, for the matching engine's arrays

# A stated gender an initiative can be open to; 0 for anything else (other, rather not say, not given).
GENDER_CODES = {Gender.WOMAN: 1, Gender.MAN: 2}
# Everyone is 0; a group's code equals the code of the gender it admits.
OPEN_TO_CODES = {OpenTo.EVERYONE: 0, OpenTo.WOMEN: 1, OpenTo.MEN: 2}
NO_BIRTH_YEAR = 0
NO_MIN_AGE = -1
NO_MAX_AGE = 10_000


def gender_code(gender: str | None) -> int:
    return GENDER_CODES.get(gender, 0) if gender else 0


def open_to_code(open_to: str) -> int:
    return OPEN_TO_CODES[OpenTo(open_to)]
