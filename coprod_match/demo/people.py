"""The demo's people: staff (the linking pins, plus more for large sets) and citizens.

The first citizens are the hand-written personas; the others are drawn from
the backgrounds of the neighbourhood they live in.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..models import LanguageLevel, Role
from ..schedule import PARTS_OF_DAY, SLOT_COUNT
from ..vocabulary import UI_LOCALES, Gender
from .accounts import citizen_email, demo_email, professional_email
from .contact import resident_contact, staff_contact
from .content import (
    BACKGROUNDS,
    EXTRA_ORGANISATIONS,
    INTEREST_WEIGHTS,
    MIXES,
    PERSONAS,
    RHYTHMS,
    STAFF,
    Persona,
)
from .draws import mix_for, moment_days_ago, neighbourhood_weights, weighted_choice
from .seeds import CitizenSeed, StaffSeed

NATIVE, FLUENT, CONVERSATIONAL, BASIC = (
    LanguageLevel.NATIVE,
    LanguageLevel.FLUENT,
    LanguageLevel.CONVERSATIONAL,
    LanguageLevel.BASIC,
)


def _expand_areas(areas: Sequence[str], neighbourhoods: Mapping[str, str]) -> tuple[str, ...]:
    """Neighbourhood names for a list of neighbourhoods and whole districts."""
    names: set[str] = set()
    for area in areas:
        if area in neighbourhoods:
            names.add(area)
        names.update(name for name, district in neighbourhoods.items() if district == area)
    return tuple(sorted(names))


def generate_staff(
    rng: random.Random, now: dt.datetime, neighbourhoods: Mapping[str, str], extra_initiatives: int
) -> list[StaffSeed]:
    staff = [
        StaffSeed(
            email=demo_email(person.local_part),
            role=person.role.value,
            display_name=person.name,
            organisation=person.organisation,
            preferred_locale=person.locale,
            is_enabled=person.enabled,
            work_areas=_expand_areas(person.areas, neighbourhoods),
            created_at=moment_days_ago(rng, now, rng.randint(900, 1500)),
            is_municipal=person.municipal,
            languages=person.languages,
            **(staff_contact(demo_email(person.local_part), person.name, person.organisation)
               if person.role == Role.PROFESSIONAL else {}),
        )
        for person in STAFF
    ]
    # Large sets get one more linking pin per dozen extra initiatives, spread over the districts.
    districts = sorted(set(neighbourhoods.values()))
    by_district = defaultdict(list)
    for name, district in sorted(neighbourhoods.items()):
        by_district[district].append(name)
    professionals = sum(1 for person in STAFF if person.role == Role.PROFESSIONAL)
    backgrounds = sorted(BACKGROUNDS)
    for number in range(professionals + 1, professionals + 1 + -(-extra_initiatives // 12)):
        district = districts[number % len(districts)]
        areas = sorted(rng.sample(by_district[district], min(3, len(by_district[district]))))
        background = BACKGROUNDS[rng.choice(backgrounds)]
        first = rng.choice(background.female + background.male)
        organisation = rng.choice(EXTRA_ORGANISATIONS).format(
            district=district, neighbourhood=areas[0]
        )
        display_name = f"{first} {rng.choice(background.surnames)}"
        staff.append(
            StaffSeed(
                email=professional_email(number),
                role=Role.PROFESSIONAL.value,
                display_name=display_name,
                organisation=organisation,
                preferred_locale="en" if rng.random() < 0.15 else "nl",
                # Turnover: some have already left.
                is_enabled=rng.random() > 0.1,
                work_areas=tuple(areas),
                created_at=moment_days_ago(rng, now, rng.randint(200, 1500)),
                # Dutch and the home language of their background (no extra draws: the demo stays as it was).
                languages=tuple(dict.fromkeys(("nl", background.home[0][0]))),
                **staff_contact(professional_email(number), display_name, organisation),
            )
        )
    return staff


def generate_citizens(
    rng: random.Random, now: dt.datetime, neighbourhoods: Mapping[str, str], count: int
) -> list[CitizenSeed]:
    people = [_persona_seed(rng, now, number, persona)
              for number, persona in enumerate(PERSONAS, start=1)]
    names, cum_weights = neighbourhood_weights(neighbourhoods)
    mix_keys = {kind: sorted(mix) for kind, mix in MIXES.items()}
    mix_cum = {
        kind: list(itertools.accumulate(mix[k] for k in mix_keys[kind]))
        for kind, mix in MIXES.items()
    }
    interest_codes = sorted(INTEREST_WEIGHTS)
    interest_cum = list(itertools.accumulate(INTEREST_WEIGHTS[c] for c in interest_codes))
    rhythm_cum = list(itertools.accumulate(weight for weight, _, _ in RHYTHMS))
    dutch_levels = (NATIVE, FLUENT, CONVERSATIONAL, BASIC, None)

    for number in range(len(PERSONAS) + 1, count + 1):
        # A few registered without saying where they live.
        neighbourhood = None if rng.random() < 0.005 else (
            rng.choices(names, cum_weights=cum_weights)[0]
        )
        kind = mix_for(neighbourhood)
        background = BACKGROUNDS[rng.choices(mix_keys[kind], cum_weights=mix_cum[kind])[0]]
        female = rng.random() < 0.58  # women volunteer somewhat more often
        first = rng.choice(background.female if female else background.male)
        display_name = f"{first} {rng.choice(background.surnames)}"

        levels: dict[str, str] = {}
        for code, chance in background.home:
            if rng.random() < chance:
                levels[code] = NATIVE
        if not levels:
            levels[background.home[0][0]] = NATIVE
        if "nl" not in levels:
            dutch = rng.choices(dutch_levels, weights=background.dutch)[0]
            if dutch is not None:
                levels["nl"] = dutch
        for code, chance, level in background.other:
            if code not in levels and rng.random() < chance:
                levels[code] = level if rng.random() < 0.7 else _one_step_down(level)
        practise = levels.get("nl") in (CONVERSATIONAL, BASIC, None) and rng.random() < 0.6

        picked = set(rng.choices(interest_codes, cum_weights=interest_cum, k=rng.randint(1, 4)))
        bilingual = levels.get("nl") in (NATIVE, FLUENT) and any(
            level == NATIVE for code, level in levels.items() if code != "nl"
        )
        if bilingual and rng.random() < 0.25:
            picked.add("interpreting")
        if practise and rng.random() < 0.3:
            picked.add("language-buddy")

        _, weekday, weekend = RHYTHMS[rng.choices(range(len(RHYTHMS)), cum_weights=rhythm_cum)[0]]
        slots = 0
        if rng.random() > 0.03:  # a few have not filled in their week yet
            for bit in range(SLOT_COUNT):
                day, part = divmod(bit, len(PARTS_OF_DAY))
                chance = (weekday if day < 5 else weekend)[part]
                if rng.random() < chance:
                    slots |= 1 << bit

        created_at = moment_days_ago(rng, now, rng.randint(1, 900))
        consent = rng.random() < 0.85
        locale = "en" if rng.random() < background.english_locale else "nl"
        locale = _own_locale(number, levels) or locale
        people.append(
            CitizenSeed(
                email=citizen_email(number),
                display_name=display_name,
                preferred_locale=locale,
                neighbourhood=neighbourhood,
                languages=tuple(sorted(levels.items())),
                interests=tuple(sorted(picked)),
                availability_slots=slots,
                max_hours_per_week=weighted_choice(
                    rng, (None, 2, 3, 4, 6, 8, 12), (15, 15, 15, 20, 15, 12, 8)
                ),
                max_initiatives=weighted_choice(rng, (1, 2, 3, 4), (35, 40, 18, 7)),
                wants_to_practise_dutch=practise,
                consent_to_contact=consent,
                consent_given_at=created_at + dt.timedelta(minutes=rng.randint(2, 30))
                if consent else None,
                created_at=created_at,
                **_about_themselves(number, female, now),
                **resident_contact(citizen_email(number)),
            )
        )
    return people


def _about_themselves(number: int, female: bool, now: dt.datetime) -> dict:
    """Gender and birth year as residents answer them (optional): most do, some do not.

    From a generator of their own, seeded by the resident's number, so the
    main draws (and every other demo figure) stay as they were.
    """
    rng = random.Random(f"about-{number}")  # noqa: S311 - demo data, not secrets
    roll = rng.random()
    gender = None if roll < 0.12 else Gender.RATHER_NOT_SAY if roll < 0.16 else Gender.OTHER if roll < 0.17 else (
        Gender.WOMAN if female else Gender.MAN)
    birth_year = None if rng.random() < 0.2 else now.year - rng.randint(18, 82)
    return {"gender": gender and gender.value, "birth_year": birth_year}


# The site's languages besides Dutch and English, which residents may choose as their own.
_OWN_LOCALES = frozenset(UI_LOCALES) - {"nl", "en"}
# Moroccan Arabic is spoken, not written: its speakers read the site in (standard) Arabic.
_READS_IN = {"ary": "ar"}


def _own_locale(number: int, levels: Mapping[str, str]) -> str | None:
    """The site's language for a resident who reads Dutch with difficulty: often their own, if the site has it.

    From a generator of its own, seeded by the resident's number, so the
    main draws (and every other demo figure) stay as they were.
    """
    own = [
        _READS_IN.get(code, code) for code, level in sorted(levels.items())
        if level == NATIVE and _READS_IN.get(code, code) in _OWN_LOCALES
    ]
    chance = {None: 0.7, BASIC: 0.6, CONVERSATIONAL: 0.25}.get(levels.get("nl"), 0)
    if not own or not chance:
        return None
    rng = random.Random(f"locale-{number}")  # noqa: S311 - demo data, not secrets
    return own[0] if rng.random() < chance else None


def _one_step_down(level: str) -> str:
    order = (NATIVE, FLUENT, CONVERSATIONAL, BASIC)
    return order[min(order.index(LanguageLevel(level)) + 1, len(order) - 1)]


def _persona_seed(rng: random.Random, now: dt.datetime, number: int, persona: Persona):
    created_at = moment_days_ago(rng, now, rng.randint(1200, 1600))
    return CitizenSeed(
        email=citizen_email(number),
        display_name=persona.name,
        preferred_locale=persona.locale,
        neighbourhood=persona.neighbourhood,
        languages=tuple(sorted(persona.languages)),
        interests=tuple(sorted(persona.interests)),
        availability_slots=persona.slots,
        max_hours_per_week=persona.max_hours,
        max_initiatives=persona.max_initiatives,
        wants_to_practise_dutch=persona.practise_dutch,
        consent_to_contact=True,
        consent_given_at=created_at + dt.timedelta(minutes=5),
        created_at=created_at,
        gender=persona.gender,
        birth_year=persona.birth_year,
        **resident_contact(citizen_email(number)),
    )
