"""The demo's initiatives: the article's first, then generated ones of the extra kinds."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..models import InitiativeStatus, Role
from ..schedule import DAYS, PARTS_OF_DAY, slots_to_mask
from .accounts import professional_email
from .content import ARTICLE_INITIATIVES, BACKGROUNDS, EXTRA_KINDS, MIXES
from .draws import mix_for, moment_days_ago, neighbourhood_weights, weighted_choice
from .seeds import ContactSeed, InitiativeSeed, InitiativeVersionSeed, StaffSeed


def generate_initiatives(
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
                starts_at=moment_days_ago(rng, now, started),
                ends_at=None if ended is None else moment_days_ago(rng, now, ended),
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
                open_to=article.open_to,
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
                written_in=article.written_in,
                versions=tuple(
                    InitiativeVersionSeed(locale, version.title, version.description, version.tasks)
                    for locale, version in sorted(article.versions.items())
                ),
            )
        )

    extra = wanted - len(seeds)
    if extra <= 0:
        return seeds
    names, cum_weights = neighbourhood_weights(neighbourhoods)
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
        status = weighted_choice(
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
                    f"{name}: {subtitle} in {neighbourhood}. Bewoners doen dit samen, met hulp "
                    f"van professionals uit de wijk. Nieuwe vrijwilligers zijn welkom: we beginnen "
                    f"met een kopje koffie en je kijkt eerst rustig rond."
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
    mix = MIXES[mix_for(neighbourhood)]
    keys = sorted(mix)
    codes: list[str] = ["nl"] if rng.random() < 0.8 else []
    for _ in range(rng.randint(1, 3)):
        background = BACKGROUNDS[weighted_choice(rng, keys, [mix[k] for k in keys])]
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
        first = ContactSeed(
            leaver.email, moment_days_ago(rng, now, began), moment_days_ago(rng, now, ended)
        )
        if roll < 0.04:
            return (first,)  # orphaned
        successor = rng.choice(local)
        return first, ContactSeed(
            successor.email, moment_days_ago(rng, now, ended - rng.randint(1, 15)), None
        )
    chosen = rng.sample(list(local), min(len(local), 2 if rng.random() < 0.25 else 1))
    return tuple(
        ContactSeed(person.email, moment_days_ago(rng, now, began), None) for person in chosen
    )
