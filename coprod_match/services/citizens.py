"""A citizen's own profile: what they tell us so we can suggest initiatives.

Matching reads the profile, so a saved profile asks for a fresh matching
snapshot once it is stored, from the profile page and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..domain_errors import InvalidInput
from ..matching.changes import record_change
from ..models import (
    CitizenLanguage,
    CitizenProfile,
    InterestCategory,
    Language,
    LanguageLevel,
    Neighbourhood,
    User,
)
from ..open_to import birth_years
from ..vocabulary import Gender
from . import consents
from .audit import audit_record
from .codes import records_by_code
from .open_to import local_year


@dataclass(frozen=True)
class ProfileChanges:
    neighbourhood: Neighbourhood | None
    interest_codes: Iterable[str]
    languages: Mapping[str, LanguageLevel]
    wants_to_practise_dutch: bool
    availability_slots: int
    max_hours_per_week: int | None
    max_initiatives: int
    consent_to_contact: bool
    # The language the consent's words were shown in (the page's); the person's own language otherwise.
    shown_locale: str | None = None
    # Optional; used only for initiatives open to one group or an age range (open_to.py).
    gender: Gender | None = None
    birth_year: int | None = None


def birth_year_message(years: range) -> str:
    return str(_l("Fill in a year from %(first)d to %(last)d, or leave it empty.",
                  first=years.start, last=years.stop - 1))


def check_birth_year(birth_year: int | None, *, year: int) -> None:
    """A birth year from the sane range, whichever door it came in by (InvalidInput beside the field)."""
    years = birth_years(year)
    if birth_year is not None and birth_year not in years:
        raise InvalidInput(birth_year_message(years), field="birth_year")


def update_citizen_profile(
    session: orm.Session, citizen: User, changes: ProfileChanges, *, actor: User
) -> CitizenProfile:
    """Replace the profile's answers with `changes` (the form shows all of them at once).

    Codes nobody knows are refused (UnknownCodeError) before anything changes.
    """
    check_birth_year(changes.birth_year, year=local_year())
    interests = records_by_code(session, InterestCategory, changes.interest_codes, field="interests")
    wanted = dict(changes.languages)
    records_by_code(session, Language, wanted, field="languages")
    profile = citizen.citizen_profile
    if profile is None:
        profile = CitizenProfile(user=citizen)
        session.add(profile)
    profile.interests = interests
    profile.languages = [
        language for language in profile.languages if language.language_code in wanted
    ]
    by_code = {language.language_code: language for language in profile.languages}
    for code, level in wanted.items():
        if code in by_code:
            by_code[code].level = level
        else:
            profile.languages.append(CitizenLanguage(language_code=code, level=level))
    profile.neighbourhood = changes.neighbourhood
    profile.wants_to_practise_dutch = changes.wants_to_practise_dutch
    profile.availability_slots = changes.availability_slots
    profile.max_hours_per_week = changes.max_hours_per_week
    profile.max_initiatives = changes.max_initiatives
    profile.gender = changes.gender
    profile.birth_year = changes.birth_year
    withdrawn = profile.consent_to_contact and not changes.consent_to_contact
    session.flush()
    # The consent is a record; services/consents.py keeps the profile's column in step with it.
    consents.answer_invitations(session, citizen, changes.consent_to_contact,
                                shown=consents.wording_shown(changes.shown_locale or citizen.preferred_locale,
                                                             consents.INVITATIONS_WORDING, consents.INVITATIONS_HINT))
    audit_record(session, "citizen.profile_updated", "user", citizen.id, actor=actor)
    record_change(session, citizens=[citizen])
    if withdrawn:
        # No consent, no invitations: those still waiting for an answer lapse now.
        from .invitations import lapse_invitations_of

        lapse_invitations_of(session, citizen, actor=actor)
    return profile


@dataclass(frozen=True)
class ProfileStep:
    key: str
    done: bool


def profile_steps(profile: CitizenProfile | None) -> list[ProfileStep]:
    """What the matching uses, and whether the citizen has told us yet."""
    if profile is None:
        return [ProfileStep(key, False) for key in
                ("neighbourhood", "interests", "languages", "availability", "limits", "consent")]
    return [
        ProfileStep("neighbourhood", profile.neighbourhood_id is not None),
        ProfileStep("interests", bool(profile.interests)),
        ProfileStep("languages", bool(profile.languages)),
        ProfileStep("availability", profile.availability_slots != 0),
        ProfileStep("limits", profile.max_hours_per_week is not None),
        ProfileStep("consent", profile.consent_to_contact),
    ]
