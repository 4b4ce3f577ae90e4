"""Who takes part where in the demo: each initiative's staffing, filled with likely citizens.

The article's initiatives have their staffing written down and the personas
play their written parts; generated initiatives get a random spread of
healthy, thin and empty ones. Each placement's history comes from .histories.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..models import InitiativeStatus, PlacementState
from ..open_to import why_not_open
from .content import ARTICLE_INITIATIVES, PERSONAS
from .histories import HISTORY_DAYS, Candidate, PlacementContext
from .seeds import CitizenSeed, InitiativeSeed, PlacementSeed

S = PlacementState

# States that take up one of an initiative's places and one of a citizen's.
COMMITTED_STATES = (S.ACTIVE, S.PAUSED, S.ACCEPTED)


def generate_placements(
    rng: random.Random,
    now: dt.datetime,
    neighbourhoods: Mapping[str, str],
    initiatives: Sequence[InitiativeSeed],
    people: Sequence[CitizenSeed],
) -> list[PlacementSeed]:
    candidates = [
        Candidate(
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
        context = PlacementContext(rng, now, initiative)
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
    candidates: Sequence[Candidate],
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
    needed_days = HISTORY_DAYS[state] + closed_days
    now_year = dt.date.today().year
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
        if why_not_open(initiative.open_to, None, None, candidate.seed.gender, candidate.seed.birth_year,
                        year=now_year) is not None:
            continue  # a women-only class has no men in its history
        if attempt < 60 and not candidate.seed.availability_slots & initiative.schedule_slots:
            continue
        if attempt < 30 and not (
            candidate.languages & wanted_languages or candidate.interests & wanted_interests
        ):
            continue
        return index
    return None
