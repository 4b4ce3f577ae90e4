"""Reference data loading and a realistic The Hague demo, from the `flask` command line.

The demo is built in two steps so it can be tested and trusted:
`generate_demo` is a pure function of the seed, the sizes, today's date and
the neighbourhood list (same input, same output); `seed_demo` writes what
is missing to the database with bulk inserts, so a second run adds nothing
and 100,000 citizens take minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import orm

from ..extensions import db
from ..models import (
    CheckInKind,
    CitizenLanguage,
    CitizenProfile,
    DeclineReason,
    EndReason,
    Initiative,
    InitiativeContact,
    InitiativeStatus,
    InitiativeTask,
    InterestCategory,
    Invitation,
    InvitationAnswer,
    Language,
    LanguageLevel,
    Neighbourhood,
    Placement,
    PlacementCheckIn,
    PlacementEvent,
    PlacementState,
    Role,
    TargetGroup,
    User,
    citizen_interests,
    initiative_interests,
    initiative_languages,
    initiative_target_groups,
    user_work_areas,
)
from ..models.schedule import DAYS, PARTS_OF_DAY, SLOT_COUNT, slots_to_mask
from ..passwords import hash_password
from ..reference_data import load_reference_data
from .content import (
    APPLY_MESSAGES,
    ARTICLE_INITIATIVES,
    BACKGROUNDS,
    CHECK_IN_NOTES,
    DECLINE_NOTES,
    END_NOTES,
    EXTRA_KINDS,
    EXTRA_ORGANISATIONS,
    INTEREST_WEIGHTS,
    LANGUAGE_NAMES,
    MIN_CITIZENS,
    MIXES,
    NEIGHBOURHOODS,
    PAUSE_NOTES,
    PERSONAS,
    REJECT_NOTES,
    RHYTHMS,
    STAFF,
    Persona,
)

reference_cli = AppGroup("reference", help="Reference data.")
demo_cli = AppGroup("demo", help="Demo data.")

DEMO_DOMAIN = "demo.coprod.nl"
# Published on purpose: every demo account shares it, so never seed a real database.
DEMO_PASSWORD = "Hofstad-demo-2026"  # noqa: S105
DEFAULT_SEED = 2026
DEFAULT_CITIZENS = 300

S = PlacementState
NATIVE, FLUENT, CONVERSATIONAL, BASIC = (
    LanguageLevel.NATIVE,
    LanguageLevel.FLUENT,
    LanguageLevel.CONVERSATIONAL,
    LanguageLevel.BASIC,
)

# States that take up one of an initiative's places and one of a citizen's.
COMMITTED_STATES = (S.ACTIVE, S.PAUSED, S.ACCEPTED)


def _email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def citizen_email(number: int) -> str:
    return _email(f"citizen{number:04d}")


def professional_email(number: int) -> str:
    return _email(f"professional{number:02d}")


ADMIN_EMAIL = _email("admin")


def demo_logins() -> list[tuple[str, str, str]]:
    """One login per role (role, e-mail, password), for trying the demo."""
    return [
        (Role.ADMIN.value, ADMIN_EMAIL, DEMO_PASSWORD),
        (Role.COORDINATOR.value, _email("coordinator1"), DEMO_PASSWORD),
        # Contact for the Schilderswijk day care, so the professional pages have content.
        (Role.PROFESSIONAL.value, professional_email(1), DEMO_PASSWORD),
        # Naima: active at the day care and applied to the heart-health walks.
        (Role.CITIZEN.value, citizen_email(1), DEMO_PASSWORD),
    ]


# --------------------------------------------------------------------------------------------
# What the generator produces: plain values keyed by natural keys, no database ids.


@dataclass(frozen=True, slots=True)
class StaffSeed:
    email: str
    role: str
    display_name: str
    organisation: str
    preferred_locale: str
    is_enabled: bool
    work_areas: tuple[str, ...]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CitizenSeed:
    email: str
    display_name: str
    preferred_locale: str
    neighbourhood: str | None
    languages: tuple[tuple[str, str], ...]
    interests: tuple[str, ...]
    availability_slots: int
    max_hours_per_week: int | None
    max_initiatives: int
    wants_to_practise_dutch: bool
    consent_to_contact: bool
    consent_given_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ContactSeed:
    professional_email: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class InitiativeSeed:
    title: str
    description: str
    neighbourhood: str
    location: str
    status: str
    schedule_slots: int
    hours_per_week: int
    volunteers_min: int
    volunteers_ideal: int
    welcomes_dutch_learners: bool
    start_date: dt.date
    end_date: dt.date | None
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    languages: tuple[str, ...]
    tasks: tuple[tuple[str, str], ...]
    contacts: tuple[ContactSeed, ...]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EventSeed:
    from_state: str | None
    to_state: str
    at: dt.datetime
    actor_email: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class CheckInSeed:
    kind: str
    recorded_by_email: str
    at: dt.datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class InvitationSeed:
    sender_email: str | None
    message: str
    sent_at: dt.datetime
    expires_at: dt.datetime
    opened_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: str | None
    decline_reason: str | None


@dataclass(frozen=True, slots=True)
class PlacementSeed:
    citizen_email: str
    initiative_title: str
    state: str
    created_at: dt.datetime
    state_changed_at: dt.datetime
    starts_on: dt.date | None
    last_activity_at: dt.datetime | None
    end_reason: str | None
    end_note: str | None
    citizen_message: str | None
    events: tuple[EventSeed, ...]
    check_ins: tuple[CheckInSeed, ...]
    invitation: InvitationSeed | None


@dataclass(frozen=True)
class DemoData:
    staff: tuple[StaffSeed, ...]
    citizens: tuple[CitizenSeed, ...]
    initiatives: tuple[InitiativeSeed, ...]
    placements: tuple[PlacementSeed, ...]


# How many days of history each state needs (citizen and initiative must be that old).
_HISTORY_DAYS = {
    S.SUGGESTED: 8, S.INVITED: 11, S.APPLIED: 21, S.ACCEPTED: 16, S.DECLINED: 16,
    S.EXPIRED: 20, S.REJECTED: 12, S.ACTIVE: 24, S.PAUSED: 45, S.ENDED: 60,
}


# --------------------------------------------------------------------------------------------
# Generation: pure, deterministic.


def _weighted(rng: random.Random, options: Sequence, weights: Sequence[float]):
    return rng.choices(options, weights=weights)[0]


def _moment(rng: random.Random, now: dt.datetime, days_ago: int) -> dt.datetime:
    """A plausible time of day `days_ago` days before `now` (midnight), so never in the future."""
    return now - dt.timedelta(days=days_ago) + dt.timedelta(
        hours=rng.randint(8, 20), minutes=rng.randrange(0, 60, 5)
    )


def _first_name(display_name: str) -> str:
    return display_name.split(" ", 1)[0]


def generate_demo(
    *,
    seed: int,
    citizens: int,
    initiatives: int | None,
    today: dt.date,
    neighbourhoods: Mapping[str, str],
) -> DemoData:
    """The whole demo as plain values: same arguments, same data.

    `neighbourhoods` maps each neighbourhood name to its district (from the
    reference data). `initiatives` None means the article's set; fewer takes
    the first ones, more adds generated initiatives for benchmarks.
    """
    if citizens < MIN_CITIZENS:
        raise ValueError(f"the demo needs at least {MIN_CITIZENS} citizens")
    if initiatives is not None and initiatives < 0:
        raise ValueError("initiatives cannot be negative")
    districts = set(neighbourhoods.values())
    needed = (
        {a.neighbourhood for a in ARTICLE_INITIATIVES}
        | {p.neighbourhood for p in PERSONAS}
        | {area for s in STAFF for area in s.areas if area not in districts}
    )
    missing = sorted(needed - set(neighbourhoods))
    if missing:
        raise ValueError(f"the demo needs these neighbourhoods: {', '.join(missing)}")

    master = random.Random(seed)  # noqa: S311 - demo data, not security
    # One stream per part, split off in a fixed order: more citizens do not reshuffle the staff.
    streams = {
        name: random.Random(master.getrandbits(64))  # noqa: S311
        for name in ("staff", "initiatives", "citizens", "placements")
    }
    now = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    wanted = len(ARTICLE_INITIATIVES) if initiatives is None else initiatives
    extra_count = max(0, wanted - len(ARTICLE_INITIATIVES))

    staff = _generate_staff(streams["staff"], now, neighbourhoods, extra_count)
    initiative_seeds = _generate_initiatives(
        streams["initiatives"], now, neighbourhoods, staff, wanted
    )
    people = _generate_citizens(streams["citizens"], now, neighbourhoods, citizens)
    placements = _generate_placements(
        streams["placements"], now, neighbourhoods, initiative_seeds, people
    )
    return DemoData(
        staff=tuple(staff),
        citizens=tuple(people),
        initiatives=tuple(initiative_seeds),
        placements=tuple(placements),
    )


def _expand_areas(areas: Sequence[str], neighbourhoods: Mapping[str, str]) -> tuple[str, ...]:
    """Neighbourhood names for a list of neighbourhoods and whole districts."""
    names: set[str] = set()
    for area in areas:
        if area in neighbourhoods:
            names.add(area)
        names.update(name for name, district in neighbourhoods.items() if district == area)
    return tuple(sorted(names))


def _generate_staff(
    rng: random.Random, now: dt.datetime, neighbourhoods: Mapping[str, str], extra_initiatives: int
) -> list[StaffSeed]:
    staff = [
        StaffSeed(
            email=_email(person.local_part),
            role=person.role.value,
            display_name=person.name,
            organisation=person.organisation,
            preferred_locale=person.locale,
            is_enabled=person.enabled,
            work_areas=_expand_areas(person.areas, neighbourhoods),
            created_at=_moment(rng, now, rng.randint(900, 1500)),
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
        staff.append(
            StaffSeed(
                email=professional_email(number),
                role=Role.PROFESSIONAL.value,
                display_name=f"{first} {rng.choice(background.surnames)}",
                organisation=organisation,
                preferred_locale="en" if rng.random() < 0.15 else "nl",
                # Turnover: some have already left.
                is_enabled=rng.random() > 0.1,
                work_areas=tuple(areas),
                created_at=_moment(rng, now, rng.randint(200, 1500)),
            )
        )
    return staff


def _neighbourhood_weights(neighbourhoods: Mapping[str, str]) -> tuple[list[str], list[float]]:
    names = sorted(neighbourhoods)
    weights = [NEIGHBOURHOODS.get(name, (1.0, ""))[0] for name in names]
    return names, list(itertools.accumulate(weights))


def _mix_for(neighbourhood: str | None) -> str:
    return NEIGHBOURHOODS.get(neighbourhood or "", (1.0, "central_mixed"))[1]


def _generate_initiatives(
    rng: random.Random,
    now: dt.datetime,
    neighbourhoods: Mapping[str, str],
    staff: Sequence[StaffSeed],
    wanted: int,
) -> list[InitiativeSeed]:
    today = now.date()
    seeds: list[InitiativeSeed] = []
    for article in ARTICLE_INITIATIVES[:wanted]:
        contacts = tuple(
            ContactSeed(
                professional_email=professional_email(number),
                starts_at=_moment(rng, now, started),
                ends_at=None if ended is None else _moment(rng, now, ended),
            )
            for number, started, ended in article.contacts
        )
        start_date = today - dt.timedelta(days=article.started_days_ago)
        seeds.append(
            InitiativeSeed(
                title=article.title,
                description=article.description,
                neighbourhood=article.neighbourhood,
                location=article.location,
                status=str(article.status),
                schedule_slots=article.slots,
                hours_per_week=article.hours,
                volunteers_min=article.volunteers[0],
                volunteers_ideal=article.volunteers[1],
                welcomes_dutch_learners=article.welcomes_dutch_learners,
                start_date=start_date,
                end_date=(
                    None if article.ends_in_days is None
                    else today + dt.timedelta(days=article.ends_in_days)
                ),
                target_groups=article.target_groups,
                interests=article.interests,
                languages=article.languages,
                tasks=article.tasks,
                contacts=contacts,
                created_at=min(
                    contact.starts_at for contact in contacts
                ) - dt.timedelta(days=rng.randint(1, 20)),
            )
        )

    extra = wanted - len(seeds)
    if extra <= 0:
        return seeds
    names, cum_weights = _neighbourhood_weights(neighbourhoods)
    professionals = [s for s in staff if s.role == Role.PROFESSIONAL]
    enabled = [s for s in professionals if s.is_enabled]
    leavers = [s for s in professionals if not s.is_enabled]
    by_neighbourhood: dict[str, list[StaffSeed]] = defaultdict(list)
    for person in enabled:
        for area in person.work_areas:
            by_neighbourhood[area].append(person)
    titles = {seed.title for seed in seeds}
    used: Counter[tuple[str, str]] = Counter()
    for _ in range(extra):
        name, subtitle, groups, interests, tasks, hours, (low, high) = rng.choice(EXTRA_KINDS)
        neighbourhood = rng.choices(names, cum_weights=cum_weights)[0]
        used[name, neighbourhood] += 1
        count = used[name, neighbourhood]
        title = f"{name} {neighbourhood}{'' if count == 1 else f' {count}'}: {subtitle}"
        while title in titles:
            count += 1
            title = f"{name} {neighbourhood} {count}: {subtitle}"
        titles.add(title)
        volunteers_min = rng.randint(low, min(high, 3))
        volunteers_ideal = rng.randint(max(volunteers_min, 2), high)
        status = _weighted(
            rng,
            (InitiativeStatus.OPEN, InitiativeStatus.DRAFT, InitiativeStatus.PAUSED,
             InitiativeStatus.CLOSED),
            (90, 4, 3, 3),
        )
        started_days_ago = -rng.randint(7, 60) if status == InitiativeStatus.DRAFT else (
            rng.randint(90, 1500)
        )
        start_date = today - dt.timedelta(days=started_days_ago)
        end_date = None
        if status == InitiativeStatus.CLOSED:
            end_date = today - dt.timedelta(days=rng.randint(10, min(80, started_days_ago - 70)))
        elif rng.random() < 0.2:
            end_date = max(today, start_date) + dt.timedelta(days=rng.randint(5, 400))
        languages = _languages_for(rng, neighbourhood)
        slots = _schedule_for(rng)
        local = by_neighbourhood.get(neighbourhood) or enabled
        contacts = _extra_contacts(rng, now, started_days_ago, local, leavers)
        seeds.append(
            InitiativeSeed(
                title=title,
                description=(
                    f"{name}: {subtitle} in {neighbourhood}, run by residents with the support "
                    f"of local professionals. New volunteers are welcome; we start with a "
                    f"cup of coffee and a look around."
                ),
                neighbourhood=neighbourhood,
                location=f"{rng.choice(('Buurthuis', 'Wijkcentrum', 'Bibliotheek', 'Buurtkamer'))}"
                f" {neighbourhood}",
                status=str(status),
                schedule_slots=slots,
                hours_per_week=hours,
                volunteers_min=volunteers_min,
                volunteers_ideal=volunteers_ideal,
                welcomes_dutch_learners=rng.random() < 0.3,
                start_date=start_date,
                end_date=end_date,
                target_groups=groups,
                interests=interests,
                languages=languages,
                tasks=tasks,
                contacts=contacts,
                created_at=min(c.starts_at for c in contacts) - dt.timedelta(days=rng.randint(1, 20)),
            )
        )
    return seeds


def _languages_for(rng: random.Random, neighbourhood: str) -> tuple[str, ...]:
    """The service users' languages: Dutch mostly, and one to three home languages of the area."""
    mix = MIXES[_mix_for(neighbourhood)]
    keys = sorted(mix)
    codes: list[str] = ["nl"] if rng.random() < 0.8 else []
    for _ in range(rng.randint(1, 3)):
        background = BACKGROUNDS[_weighted(rng, keys, [mix[k] for k in keys])]
        code = background.home[0][0]
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _schedule_for(rng: random.Random) -> int:
    """One to four weekly slots, usually on the same part of the day."""
    part = rng.choice(PARTS_OF_DAY)
    days = rng.sample(DAYS, rng.randint(1, 3))
    pairs = [(day, part) for day in days]
    if rng.random() < 0.3:
        pairs.append((rng.choice(DAYS), rng.choice(PARTS_OF_DAY)))
    return slots_to_mask(pairs)


def _extra_contacts(
    rng: random.Random,
    now: dt.datetime,
    started_days_ago: int,
    local: Sequence[StaffSeed],
    leavers: Sequence[StaffSeed],
) -> tuple[ContactSeed, ...]:
    """One or two current contacts; sometimes a hand-over, sometimes orphaned by turnover."""
    began = max(started_days_ago, 30) + rng.randint(5, 30)
    roll = rng.random()
    if leavers and roll < 0.1 and began > 200:
        leaver = rng.choice(leavers)
        ended = rng.randint(20, began - 150)
        first = ContactSeed(leaver.email, _moment(rng, now, began), _moment(rng, now, ended))
        if roll < 0.04:
            return (first,)  # orphaned
        successor = rng.choice(local)
        return first, ContactSeed(successor.email, _moment(rng, now, ended - rng.randint(1, 15)),
                                  None)
    chosen = rng.sample(list(local), min(len(local), 2 if rng.random() < 0.25 else 1))
    return tuple(ContactSeed(person.email, _moment(rng, now, began), None) for person in chosen)


def _generate_citizens(
    rng: random.Random, now: dt.datetime, neighbourhoods: Mapping[str, str], count: int
) -> list[CitizenSeed]:
    people = [_persona_seed(rng, now, number, persona)
              for number, persona in enumerate(PERSONAS, start=1)]
    names, cum_weights = _neighbourhood_weights(neighbourhoods)
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
        kind = _mix_for(neighbourhood)
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

        created_at = _moment(rng, now, rng.randint(1, 900))
        consent = rng.random() < 0.85
        locale = "en" if rng.random() < background.english_locale else "nl"
        people.append(
            CitizenSeed(
                email=citizen_email(number),
                display_name=display_name,
                preferred_locale=locale,
                neighbourhood=neighbourhood,
                languages=tuple(sorted(levels.items())),
                interests=tuple(sorted(picked)),
                availability_slots=slots,
                max_hours_per_week=_weighted(
                    rng, (None, 2, 3, 4, 6, 8, 12), (15, 15, 15, 20, 15, 12, 8)
                ),
                max_initiatives=_weighted(rng, (1, 2, 3, 4), (35, 40, 18, 7)),
                wants_to_practise_dutch=practise,
                consent_to_contact=consent,
                consent_given_at=created_at + dt.timedelta(minutes=rng.randint(2, 30))
                if consent else None,
                created_at=created_at,
            )
        )
    return people


def _one_step_down(level: str) -> str:
    order = (NATIVE, FLUENT, CONVERSATIONAL, BASIC)
    return order[min(order.index(LanguageLevel(level)) + 1, len(order) - 1)]


def _persona_seed(rng: random.Random, now: dt.datetime, number: int, persona: Persona):
    created_at = _moment(rng, now, rng.randint(1200, 1600))
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
    )


@dataclass
class _Candidate:
    """What placement generation needs to know about a citizen, and their growing load."""

    seed: CitizenSeed
    district: str | None
    languages: frozenset[str]
    interests: frozenset[str]
    age_days: int
    committed: int = 0
    initiatives: set[str] = field(default_factory=set)


def _generate_placements(
    rng: random.Random,
    now: dt.datetime,
    neighbourhoods: Mapping[str, str],
    initiatives: Sequence[InitiativeSeed],
    people: Sequence[CitizenSeed],
) -> list[PlacementSeed]:
    candidates = [
        _Candidate(
            seed=person,
            district=neighbourhoods.get(person.neighbourhood or ""),
            languages=frozenset(code for code, _ in person.languages),
            interests=frozenset(person.interests),
            age_days=(now - person.created_at).days,
        )
        for person in people
    ]
    # Random picks leave the showcase citizens alone, so their stories stay as written.
    ordinary = range(len(PERSONAS), len(candidates))
    pools_by_neighbourhood: dict[str, list[int]] = defaultdict(list)
    pools_by_district: dict[str, list[int]] = defaultdict(list)
    for index in ordinary:
        candidate = candidates[index]
        if candidate.seed.neighbourhood:
            pools_by_neighbourhood[candidate.seed.neighbourhood].append(index)
            pools_by_district[candidate.district].append(index)
    city = list(ordinary)

    placements: list[PlacementSeed] = []
    by_title = {seed.title: seed for seed in initiatives}
    persona_plans: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for number, persona in enumerate(PERSONAS, start=1):
        for article_number, state, note in persona.placements:
            title = ARTICLE_INITIATIVES[article_number - 1].title
            if title in by_title:
                persona_plans[title].append((number - 1, state, note))

    articles = {a.title: a for a in ARTICLE_INITIATIVES}
    for initiative in initiatives:
        if initiative.status == InitiativeStatus.DRAFT:
            continue
        article = articles.get(initiative.title)
        plan = dict(article.staffing) if article else _random_staffing(rng, initiative)
        initiative_age = (now.date() - initiative.start_date).days
        # Volunteers of a closed initiative were active well before it closed.
        closed_days = (
            (now.date() - initiative.end_date).days + 30
            if initiative.status == InitiativeStatus.CLOSED else 0
        )
        context = _PlacementContext(rng, now, initiative)
        for index, state, note in persona_plans.get(initiative.title, ()):
            plan[state] = plan.get(state, 0) - 1
            candidate = candidates[index]
            placements.append(context.placement(candidate, state, note))
            candidate.initiatives.add(initiative.title)
            candidate.committed += state in COMMITTED_STATES
        # Committed states first, so the places are filled before the invitations go out.
        for state in sorted(plan, key=lambda s: (s not in COMMITTED_STATES, s)):
            for _ in range(max(0, plan[state])):
                index = _pick_citizen(
                    rng, initiative, state, candidates, initiative_age, closed_days,
                    pools_by_neighbourhood.get(initiative.neighbourhood, ()),
                    pools_by_district.get(neighbourhoods.get(initiative.neighbourhood), ()),
                    city,
                )
                if index is None:
                    continue
                candidate = candidates[index]
                placements.append(context.placement(candidate, state, None))
                candidate.initiatives.add(initiative.title)
                candidate.committed += state in COMMITTED_STATES
    return placements


def _random_staffing(rng: random.Random, initiative: InitiativeSeed) -> dict[str, int]:
    """A spread of healthy, thin and empty initiatives, never above the ideal number."""
    ideal, minimum = initiative.volunteers_ideal, initiative.volunteers_min
    if initiative.status == InitiativeStatus.CLOSED:
        return {S.ENDED: rng.randint(1, ideal)}
    if initiative.status == InitiativeStatus.PAUSED:
        return {S.PAUSED: rng.randint(0, ideal), S.ENDED: rng.randint(0, 2)}
    roll = rng.random()
    if roll < 0.15:
        active = 1
    elif roll < 0.25:
        active = 0
    elif roll < 0.40 and minimum >= 3:
        active = rng.randint(2, minimum - 1)
    else:
        active = rng.randint(max(minimum, 1), ideal)
    room = ideal - active
    paused = rng.randint(0, min(1, room))
    accepted = rng.randint(0, min(1, room - paused))
    return {
        S.ACTIVE: active, S.PAUSED: paused, S.ACCEPTED: accepted,
        S.APPLIED: rng.randint(0, 2), S.INVITED: rng.randint(0, 2),
        S.ENDED: rng.randint(0, 3), S.DECLINED: rng.randint(0, 1),
        S.EXPIRED: rng.randint(0, 1), S.SUGGESTED: rng.randint(0, 1),
    }


def _pick_citizen(
    rng: random.Random,
    initiative: InitiativeSeed,
    state: str,
    candidates: Sequence[_Candidate],
    initiative_age: int,
    closed_days: int,
    local: Sequence[int],
    district: Sequence[int],
    city: Sequence[int],
) -> int | None:
    """A plausible citizen for this state: near, free at the time, not overloaded.

    The first tries also ask for a shared language or interest, later tries
    settle for less, as a real professional would.
    """
    needed_days = _HISTORY_DAYS[state] + closed_days
    if initiative_age < needed_days or not city:
        return None
    committed = state in COMMITTED_STATES
    contacted = state in (S.INVITED, S.SUGGESTED, S.DECLINED, S.EXPIRED)
    wanted_languages = set(initiative.languages) - {"nl"}
    wanted_interests = set(initiative.interests)
    for attempt in range(80):
        roll = rng.random()
        pool = local if roll < 0.6 and local else district if roll < 0.85 and district else city
        index = pool[rng.randrange(len(pool))]
        candidate = candidates[index]
        if initiative.title in candidate.initiatives or candidate.age_days < needed_days:
            continue
        if committed and candidate.committed >= candidate.seed.max_initiatives:
            continue
        if contacted and not candidate.seed.consent_to_contact:
            continue
        if attempt < 60 and not candidate.seed.availability_slots & initiative.schedule_slots:
            continue
        if attempt < 30 and not (
            candidate.languages & wanted_languages or candidate.interests & wanted_interests
        ):
            continue
        return index
    return None


class _PlacementContext:
    """Builds placements for one initiative: history, check-ins and invitation."""

    def __init__(self, rng: random.Random, now: dt.datetime, initiative: InitiativeSeed):
        self.rng = rng
        self.now = now
        self.initiative = initiative
        self.age_days = (now.date() - initiative.start_date).days
        self.short_title = initiative.title.split(":", 1)[0]

    def professional_at(self, at: dt.datetime) -> str | None:
        """The contact professional at that moment, or None in a gap left by turnover.

        Before the first recorded period, the first contact stands in (the
        initiative is older than its records).
        """
        contacts = sorted(self.initiative.contacts, key=lambda contact: contact.starts_at)
        if at < contacts[0].starts_at:
            return contacts[0].professional_email
        for contact in contacts:
            if contact.starts_at <= at and (contact.ends_at is None or at < contact.ends_at):
                return contact.professional_email
        return None

    def placement(self, candidate: _Candidate, state: str, note: str | None) -> PlacementSeed:
        rng, now = self.rng, self.now
        email = candidate.seed.email
        span = max(_HISTORY_DAYS[state], min(candidate.age_days, self.age_days) - 1)
        events: list[tuple[str | None, str, int, str | None, str | None]] = []
        # (from, to, days ago, actor: "citizen" / "professional" / None, reason)
        end_reason = end_note = citizen_message = None
        starts_on = None
        closed = self.initiative.status == InitiativeStatus.CLOSED

        def opening(days_ago: int, via_invitation: bool) -> None:
            if via_invitation:
                events.append((None, S.INVITED, days_ago, "professional", None))
            else:
                events.append((None, S.APPLIED, days_ago, "citizen", None))

        via_invitation = rng.random() < 0.55 or state in (S.INVITED, S.DECLINED, S.EXPIRED)
        if state in (S.ACTIVE, S.PAUSED, S.ENDED):
            long = note in ("long", "inactive")
            lowest = {S.ACTIVE: 14, S.PAUSED: 30, S.ENDED: 40}[state]
            if note == "inactive":
                lowest = 120
            if closed:
                lowest = (now.date() - self.initiative.end_date).days + 25
            top = max(lowest, span - 10)
            activated = rng.randint(max(lowest, top - 200), top) if long else rng.randint(
                lowest, top
            )
            first = activated + rng.randint(4, 9)
            accepted = activated + rng.randint(1, 3)
            opening(first, via_invitation)
            if not via_invitation:
                citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((events[-1][1], S.ACCEPTED, accepted,
                           "citizen" if via_invitation else "professional", None))
            events.append((S.ACCEPTED, S.ACTIVE, activated, "professional", None))
            starts_on = (now - dt.timedelta(days=activated)).date()
            if state == S.ACTIVE and activated > 120 and rng.random() < 0.2:
                paused_at = rng.randint(40, activated - 40)
                back_at = paused_at - rng.randint(7, 21)
                events.append((S.ACTIVE, S.PAUSED, paused_at, "citizen", rng.choice(PAUSE_NOTES)))
                events.append((S.PAUSED, S.ACTIVE, back_at, "professional", None))
            if state == S.PAUSED:
                if self.initiative.status == InitiativeStatus.PAUSED:
                    reason, who = "The initiative is paused for now.", "professional"
                else:
                    reason, who = rng.choice(PAUSE_NOTES), "citizen"
                events.append((S.ACTIVE, S.PAUSED, rng.randint(3, min(60, activated - 7)), who,
                               reason))
            if state == S.ENDED:
                if closed:
                    end_reason = EndReason.INITIATIVE_CLOSED
                    ended = (now.date() - self.initiative.end_date).days
                else:
                    end_reason = EndReason(note) if note else _weighted(
                        rng,
                        (EndReason.NO_TIME, EndReason.HEALTH, EndReason.MOVED,
                         EndReason.NOT_A_FIT, EndReason.OTHER),
                        (35, 15, 15, 15, 10),
                    )
                    ended = rng.randint(5, activated - 20)
                end_note = rng.choice(END_NOTES[end_reason])
                who = "professional" if end_reason in (
                    EndReason.NOT_A_FIT, EndReason.INITIATIVE_CLOSED
                ) else "citizen"
                events.append((S.ACTIVE, S.ENDED, max(ended, 1), who, end_note))
        elif state == S.ACCEPTED:
            first = rng.randint(5, 14)
            opening(first, via_invitation)
            if not via_invitation:
                citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((events[-1][1], S.ACCEPTED, first - rng.randint(1, 3),
                           "citizen" if via_invitation else "professional", None))
            starts_on = now.date() + dt.timedelta(days=rng.randint(3, 14))
        elif state == S.INVITED:
            opening(rng.randint(1, 10), True)
        elif state == S.APPLIED:
            opening(rng.randint(1, 20), False)
            citizen_message = rng.choice(APPLY_MESSAGES)
        elif state == S.SUGGESTED:
            events.append((None, S.SUGGESTED, rng.randint(1, 7), None, None))
        elif state == S.DECLINED:
            first = rng.randint(8, min(span, 120))
            opening(first, True)
            decline = _weighted(rng, list(DeclineReason), (40, 20, 15, 15, 10))
            events.append((S.INVITED, S.DECLINED, first - rng.randint(1, 6), "citizen",
                           DECLINE_NOTES[decline]))
        elif state == S.EXPIRED:
            first = rng.randint(16, min(span, 150))
            opening(first, True)
            events.append((S.INVITED, S.EXPIRED, first - 14, None, None))
        elif state == S.REJECTED:
            first = rng.randint(6, min(span, 90))
            opening(first, False)
            citizen_message = rng.choice(APPLY_MESSAGES)
            events.append((S.APPLIED, S.REJECTED, first - rng.randint(1, 4), "professional",
                           rng.choice(REJECT_NOTES)))
        else:  # pragma: no cover - every state is handled above
            raise ValueError(state)

        seeds = []
        for from_state, to_state, days_ago, who, reason in events:
            at = _moment(rng, now, days_ago)
            if seeds and at <= seeds[-1].at:
                at = seeds[-1].at + dt.timedelta(minutes=rng.randint(5, 90))
            actor = email if who == "citizen" else (
                self.professional_at(at) if who == "professional" else None
            )
            seeds.append(EventSeed(
                from_state=None if from_state is None else str(from_state),
                to_state=str(to_state), at=at, actor_email=actor, reason=reason,
            ))

        check_ins, last_activity = self._activity(candidate, state, note, seeds)
        invitation = self._invitation(candidate, seeds) if seeds[0].to_state == S.INVITED else None
        return PlacementSeed(
            citizen_email=email,
            initiative_title=self.initiative.title,
            state=str(state),
            created_at=seeds[0].at,
            state_changed_at=seeds[-1].at,
            starts_on=starts_on,
            last_activity_at=last_activity,
            end_reason=None if end_reason is None else str(end_reason),
            end_note=end_note,
            citizen_message=citizen_message,
            events=tuple(seeds),
            check_ins=check_ins,
            invitation=invitation,
        )

    def _activity(self, candidate, state, note, events):
        """Check-ins while active; the last one is the placement's last activity."""
        if state not in (S.ACTIVE, S.PAUSED, S.ENDED):
            return (), None
        rng, now = self.rng, self.now
        activated = next(e.at for e in events if e.to_state == S.ACTIVE)
        stopped = events[-1].at if state != S.ACTIVE else now
        days_active = (stopped - activated).days
        if days_active < 2:
            return (), activated
        if note == "inactive" or (state == S.ACTIVE and days_active > 90 and rng.random() < 0.05):
            # Nobody has recorded anything for two to three months.
            quiet_days = rng.randint(63, 90)
            if days_active > quiet_days + 5:
                when = [stopped - dt.timedelta(days=quiet_days + rng.randint(0, 5))]
            else:
                when = []
        else:
            recent = min(days_active - 1, 21 if state == S.ACTIVE else 60)
            when = [stopped - dt.timedelta(days=rng.randint(1, recent))]
            when += [
                stopped - dt.timedelta(days=rng.randint(1, days_active - 1))
                for _ in range(rng.randint(0, 3))
            ]
        check_ins = []
        for moment in sorted(when):
            moment = moment.replace(hour=rng.randint(9, 18), minute=rng.randrange(0, 60, 5))
            moment = min(moment, stopped - dt.timedelta(hours=1))
            professional = self.professional_at(moment)
            if professional is not None and rng.random() < 0.7:
                check_ins.append(CheckInSeed(
                    CheckInKind.ACTIVITY.value, professional, moment, rng.choice(CHECK_IN_NOTES),
                ))
            else:
                check_ins.append(CheckInSeed(
                    CheckInKind.CITIZEN_CONFIRMED.value, candidate.seed.email, moment, None
                ))
        last = max([activated, *(c.at for c in check_ins)])
        return tuple(check_ins), last

    def _invitation(self, candidate: _Candidate, events: Sequence[EventSeed]) -> InvitationSeed:
        """The personal message behind an invited placement, and how it was answered."""
        rng = self.rng
        sent = events[0]
        sender = sent.actor_email
        name = _first_name(candidate.seed.display_name)
        locale = candidate.seed.preferred_locale
        shared = sorted(
            code for code in candidate.languages & set(self.initiative.languages)
            if code in LANGUAGE_NAMES[locale]
        )
        language = LANGUAGE_NAMES[locale][shared[0]] if shared else None
        if locale == "en":
            reason = f"You speak {language}, like many of the people there. " if shared else ""
            message = (f"Hello {name}, would you like to help at {self.short_title}? {reason}"
                       f"Come and have a look first, no strings attached.")
        else:
            reason = f"Je spreekt {language}, net als veel deelnemers. " if shared else ""
            message = (f"Hoi {name}, zou je willen meehelpen bij {self.short_title}? {reason}"
                       f"Kom gerust eerst een keer kijken.")
        answer = answered_at = decline_reason = None
        following = events[1] if len(events) > 1 else None
        if following is not None and following.to_state in (S.ACCEPTED, S.DECLINED):
            answered_at = following.at
            answer = (InvitationAnswer.ACCEPTED if following.to_state == S.ACCEPTED
                      else InvitationAnswer.DECLINED).value
            if answer == InvitationAnswer.DECLINED:
                decline_reason = next(
                    (code.value for code, text in DECLINE_NOTES.items()
                     if text == following.reason),
                    DeclineReason.OTHER.value,
                )
        opened = None
        if answered_at is not None:
            opened = answered_at - dt.timedelta(minutes=rng.randint(1, 600))
            opened = max(opened, sent.at + dt.timedelta(minutes=1))
        elif rng.random() < 0.5:
            opened = sent.at + dt.timedelta(hours=rng.randint(1, 20))
        return InvitationSeed(
            sender_email=sender,
            message=message,
            sent_at=sent.at,
            expires_at=sent.at + dt.timedelta(days=14),
            opened_at=opened,
            answered_at=answered_at,
            answer=answer,
            decline_reason=decline_reason,
        )


# --------------------------------------------------------------------------------------------
# Writing: insert what is missing, in bulk.

_REFERENCE_MODELS = (Neighbourhood, Language, InterestCategory, TargetGroup)


def _count(session: orm.Session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _insert(session: orm.Session, target, rows: list[dict]) -> int:
    """One bulk INSERT (executemany) for a model or an association table."""
    if rows:
        session.execute(sa.insert(target), rows)
    return len(rows)


def seed_demo(
    session: orm.Session,
    *,
    seed: int = DEFAULT_SEED,
    citizens: int = DEFAULT_CITIZENS,
    initiatives: int | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Load reference data and add the demo's missing rows; returns rows added per table.

    Idempotent by natural keys (e-mail, initiative title, citizen and
    initiative): existing records are left as they are, including their
    children, so a record someone edited in the demo is not "repaired". An
    initiative that already has placements gets no new ones, which keeps
    "never more active volunteers than ideal" true whatever the sizes.
    Does not commit.
    """
    added: dict[str, int] = {}
    before = {model.__tablename__: _count(session, model) for model in _REFERENCE_MODELS}
    load_reference_data(session)
    for model in _REFERENCE_MODELS:
        added[model.__tablename__] = _count(session, model) - before[model.__tablename__]

    neighbourhood_ids: dict[str, int] = {}
    districts: dict[str, str] = {}
    query = sa.select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.district)
    for row in session.execute(query):
        neighbourhood_ids[row.name] = row.id
        districts[row.name] = row.district
    data = generate_demo(
        seed=seed,
        citizens=citizens,
        initiatives=initiatives,
        today=today or dt.datetime.now(dt.UTC).date(),
        neighbourhoods=districts,
    )
    _check_taxonomies(session, data)
    user_ids = _write_users(session, data, neighbourhood_ids, added)
    initiative_ids = _write_initiatives(session, data, neighbourhood_ids, user_ids, added)
    _write_placements(session, data, user_ids, initiative_ids, added)
    return added


def _check_taxonomies(session: orm.Session, data: DemoData) -> None:
    """Fail clearly when a municipality's own lists lack a code the demo uses."""
    needed = {
        Language: {code for c in data.citizens for code, _ in c.languages}
        | {code for i in data.initiatives for code in i.languages},
        InterestCategory: {code for c in data.citizens for code in c.interests}
        | {code for i in data.initiatives for code in i.interests},
        TargetGroup: {code for i in data.initiatives for code in i.target_groups},
    }
    for model, codes in needed.items():
        missing = codes - set(session.scalars(sa.select(model.code)))
        if missing:
            raise ValueError(
                f"the demo needs {model.__tablename__} codes missing from the reference data: "
                + ", ".join(sorted(missing))
            )


def _write_users(
    session: orm.Session, data: DemoData, neighbourhood_ids: Mapping[str, int], added: dict
) -> dict[str, int]:
    existing = set(session.scalars(sa.select(User.email)))
    new_staff = [s for s in data.staff if s.email not in existing]
    new_citizens = [c for c in data.citizens if c.email not in existing]
    # scrypt is slow on purpose: hash the shared password once, not once per account.
    password_hash = hash_password(DEMO_PASSWORD) if new_staff or new_citizens else None
    user_rows = [
        {"email": s.email, "password_hash": password_hash, "role": s.role,
         "display_name": s.display_name, "preferred_locale": s.preferred_locale,
         "organisation": s.organisation, "is_enabled": s.is_enabled, "created_at": s.created_at}
        for s in new_staff
    ] + [
        {"email": c.email, "password_hash": password_hash, "role": Role.CITIZEN.value,
         "display_name": c.display_name, "preferred_locale": c.preferred_locale,
         "organisation": None, "is_enabled": True, "created_at": c.created_at}
        for c in new_citizens
    ]
    added[User.__tablename__] = _insert(session, User, user_rows)
    user_ids = {email: user_id for email, user_id in session.execute(
        sa.select(User.email, User.id)
    )}

    added[user_work_areas.name] = _insert(session, user_work_areas, [
        {"user_id": user_ids[s.email], "neighbourhood_id": neighbourhood_ids[name]}
        for s in new_staff for name in s.work_areas
    ])
    added[CitizenProfile.__tablename__] = _insert(session, CitizenProfile, [
        {"user_id": user_ids[c.email],
         "neighbourhood_id": neighbourhood_ids[c.neighbourhood] if c.neighbourhood else None,
         "wants_to_practise_dutch": c.wants_to_practise_dutch,
         "availability_slots": c.availability_slots,
         "max_hours_per_week": c.max_hours_per_week,
         "max_initiatives": c.max_initiatives,
         "consent_to_contact": c.consent_to_contact,
         "consent_given_at": c.consent_given_at,
         "updated_at": c.consent_given_at or c.created_at}
        for c in new_citizens
    ])
    added[CitizenLanguage.__tablename__] = _insert(session, CitizenLanguage, [
        {"citizen_id": user_ids[c.email], "language_code": code, "level": str(level)}
        for c in new_citizens for code, level in c.languages
    ])
    added[citizen_interests.name] = _insert(session, citizen_interests, [
        {"citizen_id": user_ids[c.email], "interest_code": code}
        for c in new_citizens for code in c.interests
    ])
    return user_ids


def _write_initiatives(
    session: orm.Session,
    data: DemoData,
    neighbourhood_ids: Mapping[str, int],
    user_ids: Mapping[str, int],
    added: dict,
) -> dict[str, int]:
    existing = set(session.scalars(sa.select(Initiative.title)))
    new = [i for i in data.initiatives if i.title not in existing]
    added[Initiative.__tablename__] = _insert(session, Initiative, [
        {"title": i.title, "description": i.description,
         "neighbourhood_id": neighbourhood_ids[i.neighbourhood], "location": i.location,
         "status": i.status, "schedule_slots": i.schedule_slots,
         "hours_per_week": i.hours_per_week, "volunteers_min": i.volunteers_min,
         "volunteers_ideal": i.volunteers_ideal,
         "welcomes_dutch_learners": i.welcomes_dutch_learners,
         "start_date": i.start_date, "end_date": i.end_date,
         "created_by_id": user_ids[i.contacts[0].professional_email],
         "created_at": i.created_at, "updated_at": i.created_at}
        for i in new
    ])
    # Titles are not unique in the schema: the oldest initiative with a title is the demo's.
    initiative_ids: dict[str, int] = {}
    for title, initiative_id in session.execute(
        sa.select(Initiative.title, Initiative.id).order_by(Initiative.id)
    ).tuples():
        initiative_ids.setdefault(title, initiative_id)

    def rows(attribute: str, column: str) -> list[dict]:
        return [{"initiative_id": initiative_ids[i.title], column: code}
                for i in new for code in getattr(i, attribute)]

    added[initiative_interests.name] = _insert(
        session, initiative_interests, rows("interests", "interest_code"))
    added[initiative_target_groups.name] = _insert(
        session, initiative_target_groups, rows("target_groups", "target_group_code"))
    added[initiative_languages.name] = _insert(
        session, initiative_languages, rows("languages", "language_code"))
    added[InitiativeTask.__tablename__] = _insert(session, InitiativeTask, [
        {"initiative_id": initiative_ids[i.title], "position": position, "title": title,
         "kind": str(kind)}
        for i in new for position, (title, kind) in enumerate(i.tasks)
    ])
    added[InitiativeContact.__tablename__] = _insert(session, InitiativeContact, [
        {"initiative_id": initiative_ids[i.title],
         "professional_id": user_ids[c.professional_email],
         "starts_at": c.starts_at, "ends_at": c.ends_at}
        for i in new for c in i.contacts
    ])
    return initiative_ids


def _write_placements(
    session: orm.Session,
    data: DemoData,
    user_ids: Mapping[str, int],
    initiative_ids: Mapping[str, int],
    added: dict,
) -> None:
    existing_pairs = set(
        session.execute(sa.select(Placement.citizen_id, Placement.initiative_id)).tuples()
    )
    staffed = {initiative_id for _, initiative_id in existing_pairs}
    new = []
    for p in data.placements:
        key = (user_ids[p.citizen_email], initiative_ids[p.initiative_title])
        if key[1] not in staffed and key not in existing_pairs:
            new.append((key, p))
    added[Placement.__tablename__] = _insert(session, Placement, [
        {"citizen_id": citizen_id, "initiative_id": initiative_id, "state": p.state,
         "created_at": p.created_at, "state_changed_at": p.state_changed_at,
         "starts_on": p.starts_on, "last_activity_at": p.last_activity_at,
         "end_reason": p.end_reason, "end_note": p.end_note,
         "citizen_message": p.citizen_message}
        for (citizen_id, initiative_id), p in new
    ])
    if not new:
        for table in (PlacementEvent, PlacementCheckIn, Invitation):
            added[table.__tablename__] = 0
        return
    new_initiatives = {initiative_id for (_, initiative_id), _ in new}
    # The pairs were new, so each maps to exactly one placement id.
    placement_ids = {
        (citizen_id, initiative_id): placement_id
        for placement_id, citizen_id, initiative_id in session.execute(
            sa.select(Placement.id, Placement.citizen_id, Placement.initiative_id)
        ).tuples()
        if initiative_id in new_initiatives
    }

    def actor(email: str | None) -> int | None:
        return None if email is None else user_ids[email]

    added[PlacementEvent.__tablename__] = _insert(session, PlacementEvent, [
        {"placement_id": placement_ids[key], "from_state": e.from_state, "to_state": e.to_state,
         "actor_id": actor(e.actor_email), "at": e.at, "reason": e.reason}
        for key, p in new for e in p.events
    ])
    added[PlacementCheckIn.__tablename__] = _insert(session, PlacementCheckIn, [
        {"placement_id": placement_ids[key], "kind": c.kind,
         "recorded_by_id": actor(c.recorded_by_email), "at": c.at, "note": c.note}
        for key, p in new for c in p.check_ins
    ])
    # Only the hash of an invitation token is stored; demo links are never sent, so the
    # tokens behind these hashes are random and thrown away.
    added[Invitation.__tablename__] = _insert(session, Invitation, [
        {"placement_id": placement_ids[key], "sender_id": actor(p.invitation.sender_email),
         "message": p.invitation.message,
         "token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
         "sent_at": p.invitation.sent_at, "expires_at": p.invitation.expires_at,
         "opened_at": p.invitation.opened_at, "reminded_at": None,
         "answered_at": p.invitation.answered_at, "answer": p.invitation.answer,
         "decline_reason": p.invitation.decline_reason, "revoked_at": None}
        for key, p in new if p.invitation is not None
    ])


# --------------------------------------------------------------------------------------------
# Commands: thin wrappers that commit.


@reference_cli.command("load")
def load_reference_command() -> None:
    """Load neighbourhoods, languages, interests and target groups from coprod_match/data/."""
    counts = load_reference_data(db.session)
    db.session.commit()
    click.echo(f"Reference data: {counts.added} added, {counts.updated} updated.")


def _echo_logins() -> None:
    rows = [("Role", "E-mail", "Password"), *demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        line = "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        click.echo(line.rstrip())


@demo_cli.command("seed")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--citizens", default=DEFAULT_CITIZENS, show_default=True,
    type=click.IntRange(min=MIN_CITIZENS), help="Number of citizens.",
)
@click.option(
    "--initiatives", default=None, type=click.IntRange(min=0),
    help=f"Number of initiatives (default: the article's {len(ARTICLE_INITIATIVES)}; "
    "more are generated).",
)
@click.option(
    "--allow-production", is_flag=True,
    help="Seed even with APP_ENV=production (all demo accounts share a published password).",
)
def seed_command(seed: int, citizens: int, initiatives: int | None, allow_production: bool):
    """Fill the database with a The Hague demo; running it again adds nothing."""
    if current_app.config.get("APP_ENV") == "production" and not allow_production:
        raise click.ClickException(
            "Refusing to seed demo accounts with a shared password in production "
            "(use --allow-production for a demo server)."
        )
    added = seed_demo(db.session, seed=seed, citizens=citizens, initiatives=initiatives)
    db.session.commit()
    click.echo("Rows added:")
    width = max(len(name) for name in added)
    for name, count in added.items():
        click.echo(f"  {name.ljust(width)}  {count:>7}")
    click.echo(f"  {'total'.ljust(width)}  {sum(added.values()):>7}")
    click.echo("")
    _echo_logins()


@demo_cli.command("logins")
def logins_command() -> None:
    """Show one demo login per role."""
    if db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL)) is None:
        click.echo("The demo has not been seeded yet: run `flask demo seed`.")
    _echo_logins()
