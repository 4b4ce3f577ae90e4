"""The score and the hard filters, vectorised over numpy arrays.

A `Snapshot` holds citizens and initiatives as columns (bitsets for the 21
weekly slots, languages and interests), so one citizen is scored against
every initiative, or one initiative against every citizen, in a few array
operations. `evaluate` is the single definition of the score and of the
hard filters: suggestions, candidates, the plan and the reasons all use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..open_to import NO_BIRTH_YEAR, NO_MAX_AGE, NO_MIN_AGE, gender_code, open_to_code
from .columns import (
    CitizenColumns,
    IdIndex,
    InitiativeColumns,
    bit_index,
    bit_mask,
    haversine_matrix,
)
from .facts import LEVELS, CitizenFacts, InitiativeFacts, Match, NeighbourhoodFacts, Weights
from .reasons import reasons

DUTCH = "nl"


NO_HOURS_LIMIT = 10_000


class Snapshot:
    """Citizens, initiatives and neighbourhoods as arrays, plus the lookups to explain results.

    `language_codes` and `interest_codes` name every code a bitset may hold
    (the reference lists); without them, the codes found in the data.
    A snapshot can be saved to a file and mapped back (`store.py`) and
    brought up to date row by row (`patching.py`).
    """

    def __init__(
        self,
        neighbourhoods: Sequence[NeighbourhoodFacts],
        citizens: Sequence[CitizenFacts],
        initiatives: Sequence[InitiativeFacts],
        weights: Weights,
        *,
        language_codes: Iterable[str] | None = None,
        interest_codes: Iterable[str] | None = None,
        year: int | None = None,
    ):
        if language_codes is None:
            language_codes = [code for c in citizens for code in c.languages]
            language_codes += [code for i in initiatives for code in i.languages]
        if interest_codes is None:
            interest_codes = [code for c in citizens for code in c.interests]
            interest_codes += [code for i in initiatives for code in i.interests]
        self.set_frame(neighbourhoods, weights, language_codes, interest_codes)
        # Ages are counted in this year (initiatives open to an age range); the snapshot is rebuilt daily.
        self.year = dt.date.today().year if year is None else year
        self.citizens = self.citizen_columns(citizens)
        self.initiatives = self.initiative_columns(initiatives)
        pairs = [(c.id, i) for c in citizens for i in c.blocked_initiatives]
        pairs += [(c, i.id) for i in initiatives for c in i.blocked_citizens]
        self.citizen_index = IdIndex(self.citizens.id)
        self.initiative_index = IdIndex(self.initiatives.id)
        self.blocked_keys = self.keys_of_pairs(np.array(pairs, dtype=np.int64).reshape(-1, 2))
        self.set_invitable()
        # Per initiative row: in how many residents' top five it was when last measured
        # (exposure.measure_exposure); None until measured, and then suggestions get no bonus.
        self.exposure: np.ndarray | None = None

    def set_frame(self, neighbourhoods: Sequence[NeighbourhoodFacts], weights: Weights,
                  language_codes: Iterable[str], interest_codes: Iterable[str]) -> None:
        """What does not depend on the people: places, distances, weights and code bits."""
        self.weights = weights
        self.neighbourhoods = list(neighbourhoods)
        self.place_of = {n.id: position for position, n in enumerate(self.neighbourhoods)}
        self.unknown_place = len(self.neighbourhoods)
        lat = np.array([n.latitude for n in self.neighbourhoods] + [0.0])
        lon = np.array([n.longitude for n in self.neighbourhoods] + [0.0])
        km = haversine_matrix(lat, lon)
        km[-1, :] = np.nan
        km[:, -1] = np.nan
        self.km = km
        same = np.eye(len(lat), dtype=bool)
        same[-1, -1] = False
        # Distance part of the score and the distance filter, per pair of neighbourhoods.
        self.place_score = np.where(
            same, 1.0, np.where(np.isnan(km), 0.0, np.exp(-np.nan_to_num(km) / weights.distance_decay_km))
        ).astype(np.float32)
        self.place_reachable = np.isnan(km) | (km <= weights.max_distance_km)
        self.language_bit = bit_index(language_codes)
        self.language_codes = sorted(self.language_bit, key=self.language_bit.get)
        self.interest_bit = bit_index(interest_codes)
        self.interest_codes = sorted(self.interest_bit, key=self.interest_bit.get)
        # 32-bit bitsets when the taxonomy fits: half the memory traffic of 64-bit ones.
        self.language_dtype = np.int32 if len(self.language_bit) <= 31 else np.int64
        self.interest_dtype = np.int32 if len(self.interest_bit) <= 31 else np.int64

    def keys_of_pairs(self, pairs: np.ndarray) -> np.ndarray:
        """Blocked (citizen id, initiative id) pairs as sorted keys citizen_row * n_initiatives + initiative_row.

        Pairs with a side not in the snapshot are left out.
        """
        c_rows = self.citizen_index.rows(pairs[:, 0])
        i_rows = self.initiative_index.rows(pairs[:, 1])
        known = (c_rows >= 0) & (i_rows >= 0)
        return np.unique(c_rows[known] * len(self.initiatives) + i_rows[known])

    def blocked_initiative_rows(self, citizen_row: int) -> np.ndarray:
        """Initiatives (rows) this citizen (row) is blocked from in the snapshot."""
        n = len(self.initiatives)
        lo, hi = np.searchsorted(self.blocked_keys, [citizen_row * n, (citizen_row + 1) * n])
        return self.blocked_keys[lo:hi] % n

    def blocked_citizen_rows(self, initiative_row: int) -> np.ndarray:
        """Citizens (rows) blocked for this initiative (row) in the snapshot."""
        n = len(self.initiatives)
        if getattr(self, "_blocked_by_initiative", None) is None:
            # The same keys sorted by initiative first; made on first use, dropped by a patch.
            self._blocked_by_initiative = np.sort((self.blocked_keys % n) * len(self.citizens)
                                                  + self.blocked_keys // n)
        keys, m = self._blocked_by_initiative, len(self.citizens)
        lo, hi = np.searchsorted(keys, [initiative_row * m, (initiative_row + 1) * m])
        return keys[lo:hi] % m

    def set_invitable(self) -> None:
        """Who could be invited at all (consent, room, a free slot): candidates look only here."""
        people = self.citizens
        self.invitable_rows = np.flatnonzero(
            people.consent & (people.load_count < people.max_initiatives) & (people.slots != 0)
        )
        self.invitable = people.take(self.invitable_rows)

    # -- building columns from facts (also used for one fresh row at request time)

    def citizen_columns(self, citizens: Sequence[CitizenFacts]) -> CitizenColumns:
        language_type, interest_type = self.language_dtype, self.interest_dtype
        levels = {
            level: np.array(
                [bit_mask([code for code, lv in c.languages.items() if lv == level], self.language_bit) for c in citizens],
                dtype=language_type,
            )
            for level in LEVELS
        }
        load_count = np.array([c.load_count for c in citizens], dtype=np.int32)
        max_initiatives = np.array([c.max_initiatives for c in citizens], dtype=np.int32)
        load_hours = np.array([c.load_hours for c in citizens], dtype=np.int32)
        max_hours = np.array(
            [NO_HOURS_LIMIT if c.max_hours_per_week is None else c.max_hours_per_week for c in citizens],
            dtype=np.int32,
        )
        load_share = np.clip(
            np.maximum(load_count / np.maximum(1, max_initiatives), load_hours / np.maximum(1, max_hours)), 0, 1
        ).astype(np.float32)
        return CitizenColumns(
            id=np.array([c.id for c in citizens], dtype=np.int64),
            place=np.array(
                [self.place_of.get(c.neighbourhood_id, self.unknown_place) for c in citizens], dtype=np.intp
            ),
            slots=np.array([c.availability_slots for c in citizens], dtype=np.int32),
            **levels,
            interests=np.array([bit_mask(c.interests, self.interest_bit) for c in citizens], dtype=interest_type),
            practise_dutch=np.array([c.wants_to_practise_dutch for c in citizens], dtype=bool),
            consent=np.array([c.consent_to_contact for c in citizens], dtype=bool),
            load_count=load_count,
            max_initiatives=max_initiatives,
            load_hours=load_hours,
            max_hours=max_hours,
            load_share=load_share,
            gender=np.array([gender_code(c.gender) for c in citizens], dtype=np.int8),
            birth_year=np.array(
                [NO_BIRTH_YEAR if c.birth_year is None else c.birth_year for c in citizens], dtype=np.int16
            ),
        )

    def initiative_columns(self, initiatives: Sequence[InitiativeFacts]) -> InitiativeColumns:
        w = self.weights
        bridge = w.not_bridge_languages
        slots = np.array([i.schedule_slots for i in initiatives], dtype=np.int32)
        interests = np.array(
            [bit_mask(i.interests, self.interest_bit) for i in initiatives], dtype=self.interest_dtype
        )
        ideal = np.array([i.volunteers_ideal for i in initiatives], dtype=np.int32)
        minimum = np.array([i.volunteers_min for i in initiatives], dtype=np.int32)
        active = np.array([i.active for i in initiatives], dtype=np.int32)
        taken = np.array([i.places_taken for i in initiatives], dtype=np.int32)
        speaks_dutch = np.array([DUTCH in i.languages for i in initiatives], dtype=bool)
        welcomes = np.array([i.welcomes_dutch_learners for i in initiatives], dtype=bool)
        at_risk = (active <= 1) | (active < minimum)
        open_share = np.clip((ideal - taken) / np.maximum(1, ideal), 0.0, 1.0)
        return InitiativeColumns(
            id=np.array([i.id for i in initiatives], dtype=np.int64),
            place=np.array(
                [self.place_of.get(i.neighbourhood_id, self.unknown_place) for i in initiatives], dtype=np.intp
            ),
            is_open=np.array([i.is_open for i in initiatives], dtype=bool),
            slots=slots,
            slot_count=np.bitwise_count(slots).astype(np.int32),
            hours=np.array([i.hours_per_week for i in initiatives], dtype=np.int32),
            bridge_languages=np.array(
                [bit_mask(i.languages - bridge, self.language_bit) for i in initiatives], dtype=self.language_dtype
            ),
            speaks_dutch=speaks_dutch,
            welcomes_learners=welcomes,
            interests=interests,
            interest_count=np.bitwise_count(interests).astype(np.int32),
            volunteers_min=minimum,
            volunteers_ideal=ideal,
            active=active,
            places_taken=taken,
            pending=np.array([i.pending for i in initiatives], dtype=np.int32),
            welcomes_dutch_speakers=speaks_dutch & welcomes,
            slot_share=(1.0 / np.maximum(1, np.bitwise_count(slots))).astype(np.float32),
            interest_share=(1.0 / np.maximum(1, np.bitwise_count(interests))).astype(np.float32),
            need=(w.need * open_share + w.at_risk * at_risk).astype(np.float32),
            open_to=np.array([open_to_code(i.open_to) for i in initiatives], dtype=np.int8),
            min_age=np.array([NO_MIN_AGE if i.min_age is None else i.min_age for i in initiatives], dtype=np.int16),
            max_age=np.array([NO_MAX_AGE if i.max_age is None else i.max_age for i in initiatives], dtype=np.int16),
        )

    def blocked(self, citizen_rows: np.ndarray, initiative_rows: np.ndarray) -> np.ndarray:
        """Which (citizen, initiative) row pairs are blocked (live or recently declined/left)."""
        if not len(self.blocked_keys):
            return np.zeros(np.broadcast(citizen_rows, initiative_rows).shape, dtype=bool)
        keys = citizen_rows * len(self.initiatives) + initiative_rows
        return np.isin(keys, self.blocked_keys)


@dataclass
class Evaluation:
    feasible: np.ndarray
    score: np.ndarray
    language: np.ndarray  # level factor of the best shared bridge language
    dutch_practice: np.ndarray
    place: np.ndarray
    interests: np.ndarray
    time: np.ndarray
    need: np.ndarray
    load: np.ndarray


F32 = np.float32


def open_to_them(snapshot: Snapshot, citizens: CitizenColumns, initiatives: InitiativeColumns) -> np.ndarray:
    """open_to.why_not_open is None, for arrays (shapes broadcast); tests hold the two together."""
    group = (initiatives.open_to == 0) | (citizens.gender == initiatives.open_to)
    ranged = (initiatives.min_age != NO_MIN_AGE) | (initiatives.max_age != NO_MAX_AGE)
    age = snapshot.year - citizens.birth_year.astype(np.int32)
    in_range = (citizens.birth_year != NO_BIRTH_YEAR) & (age >= initiatives.min_age) & (age <= initiatives.max_age)
    return group & (~ranged | in_range)


def hard_filters(
    snapshot: Snapshot, citizens: CitizenColumns, initiatives: InitiativeColumns, *, require_consent: bool
) -> np.ndarray:
    """Which pairs may be matched at all (shapes broadcast).

    At least one shared weekly slot; the citizen has room under their own
    limits (initiatives and hours); the initiative is open and not full;
    consent to be contacted when the result leads to an invitation; within
    the maximum distance; the initiative is open to them (open_to.py: a
    group and an age range, unknown gender or birth year never pass a
    restriction). Blocked pairs (live, or declined or left
    recently) are removed by the callers, who know the row numbers.
    """
    feasible = (
        ((citizens.slots & initiatives.slots) != 0)
        & (citizens.load_count < citizens.max_initiatives)
        & (citizens.load_hours + initiatives.hours <= citizens.max_hours)
        & initiatives.is_open
        & (initiatives.places_taken < initiatives.volunteers_ideal)
        & snapshot.place_reachable[citizens.place, initiatives.place]
        & open_to_them(snapshot, citizens, initiatives)
    )
    if require_consent:
        feasible &= citizens.consent
    return feasible


def evaluate(
    snapshot: Snapshot,
    citizens: CitizenColumns,
    initiatives: InitiativeColumns,
    *,
    require_consent: bool,
    feasible: np.ndarray | None = None,
) -> Evaluation:
    """Score and hard filters for citizens x initiatives (shapes broadcast): the one definition."""
    w = snapshot.weights
    if feasible is None:
        feasible = hard_filters(snapshot, citizens, initiatives, require_consent=require_consent)
    levels = w.language_levels
    bridge = initiatives.bridge_languages
    language = np.maximum(
        np.maximum(
            F32(levels["native"]) * ((citizens.native & bridge) != 0),
            F32(levels["fluent"]) * ((citizens.fluent & bridge) != 0),
        ),
        np.maximum(
            F32(levels["conversational"]) * ((citizens.conversational & bridge) != 0),
            F32(levels["basic"]) * ((citizens.basic & bridge) != 0),
        ),
    )
    dutch_practice = citizens.practise_dutch & initiatives.welcomes_dutch_speakers
    place = snapshot.place_score[citizens.place, initiatives.place]
    interests = np.minimum(
        F32(1.0), np.bitwise_count(citizens.interests & initiatives.interests) * initiatives.interest_share
    )
    time = np.bitwise_count(citizens.slots & initiatives.slots) * initiatives.slot_share
    need = initiatives.need
    # Work is spread: the closer to their own limits, the lower the score (never below zero).
    load = citizens.load_share
    score = (
        F32(w.language) * language
        + F32(w.dutch_practice) * dutch_practice
        + F32(w.distance) * place
        + F32(w.interests) * interests
        + F32(w.time) * time
        + need
    ) * (F32(1.0) - F32(w.load) * load)
    return Evaluation(feasible, score, language, dutch_practice, place, interests, time, need, load)


def highest_score(weights: Weights) -> float:
    """The score of a perfect pair under `evaluate`: every part at its top, the initiative at risk, no load.

    Pages show scores out of 100 against it, so a coordinator reads "84 of 100", not "11.3".
    """
    return (
        weights.language * max(weights.language_levels.values(), default=1.0)
        + weights.dutch_practice + weights.distance + weights.interests + weights.time
        + weights.need + weights.at_risk
    )


def fit_out_of_100(score: float, weights: Weights) -> int:
    """A score as a whole number from 0 to 100 (100 is the perfect pair)."""
    top = highest_score(weights)
    return max(0, min(100, round(100 * score / top))) if top > 0 else 0


# -- the two ranked questions


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` highest scores, best first; ties by position, at the edge too (stable pages,
    and the lists exposure.suggestion_lists counts)."""
    if limit <= 0 or not len(scores):
        return np.empty(0, dtype=np.int64)
    if len(scores) > limit:
        edge = np.partition(-scores, limit - 1)[limit - 1]
        better = np.flatnonzero(-scores < edge)
        part = np.concatenate([better, np.flatnonzero(-scores == edge)[: limit - len(better)]])
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


def attention_bonus(weights: Weights, exposure: np.ndarray) -> np.ndarray:
    """Ranking bonus per initiative: all of `exposure_boost` when in no resident's top five, none from
    `exposure_enough` residents. It only passes matches that fit less than that much better; it orders
    suggestions and is no part of the score, so no fit shown and no reason changes with it."""
    enough = max(1, weights.exposure_enough)
    share_missing = np.clip(1.0 - exposure / enough, 0.0, 1.0)
    return (F32(weights.exposure_boost) * share_missing).astype(np.float32)


def _rank(snapshot: Snapshot, citizens: CitizenColumns, initiatives: InitiativeColumns, *,
          require_consent: bool, limit: int, blocked: list[int], one_citizen: bool) -> list[Match]:
    """Filter first, score only what passes, return the best `limit` with reasons."""
    feasible = hard_filters(snapshot, citizens, initiatives, require_consent=require_consent)
    if blocked:
        feasible[blocked] = False
    positions = np.flatnonzero(feasible)
    if one_citizen:
        initiatives = initiatives.take(positions)
    else:
        citizens = citizens.take(positions)
    result = evaluate(snapshot, citizens, initiatives, require_consent=require_consent,
                      feasible=np.ones(len(positions), dtype=bool))
    order_by = result.score
    if one_citizen and snapshot.exposure is not None and snapshot.weights.exposure_boost > 0:
        # Spreading attention: initiatives few residents see rank a little higher (exposure.py).
        order_by = result.score + attention_bonus(snapshot.weights, snapshot.exposure[positions])
    best = _top(order_by, limit)
    matches = []
    for at in best:
        c_row = citizens if one_citizen else citizens.take([at])
        i_row = initiatives.take([at]) if one_citizen else initiatives
        matches.append(Match(int(c_row.id[0]), int(i_row.id[0]), float(result.score[at]),
                             reasons(snapshot, result, at, c_row, i_row)))
    return matches


def suggest_for_citizen(
    snapshot: Snapshot, citizen: CitizenFacts, *, limit: int = 10
) -> list[Match]:
    """The initiatives that fit this citizen best, each with its reasons.

    `citizen` is read fresh at request time; the initiatives come from the snapshot.
    """
    rows = snapshot.initiative_index.rows(sorted(citizen.blocked_initiatives))
    row = snapshot.citizen_index.get(citizen.id)
    if row is not None:
        rows = np.concatenate([rows, snapshot.blocked_initiative_rows(row)])
    blocked = np.unique(rows[rows >= 0]).tolist()
    return _rank(snapshot, snapshot.citizen_columns([citizen]), snapshot.initiatives,
                 require_consent=False, limit=limit, blocked=blocked, one_citizen=True)


def candidates_for_initiative(
    snapshot: Snapshot, initiative: InitiativeFacts, *, limit: int = 20
) -> list[Match]:
    """The citizens who could join this initiative, best first, ready for inviting.

    Only citizens who agreed to be contacted and have room are looked at.
    """
    rows = snapshot.invitable_rows
    blocked_rows = snapshot.citizen_index.rows(sorted(initiative.blocked_citizens))
    row = snapshot.initiative_index.get(initiative.id)
    if row is not None:
        blocked_rows = np.concatenate([blocked_rows, snapshot.blocked_citizen_rows(row)])
    # invitable_rows is sorted: where each blocked citizen sits in it, if there.
    at = np.minimum(np.searchsorted(rows, blocked_rows), max(len(rows) - 1, 0))
    blocked = at[(blocked_rows >= 0) & (rows[at] == blocked_rows)].tolist() if len(rows) else []
    return _rank(snapshot, snapshot.invitable, snapshot.initiative_columns([initiative]),
                 require_consent=True, limit=limit, blocked=blocked, one_citizen=False)


def explain(
    snapshot: Snapshot, citizen: CitizenFacts, initiative: InitiativeFacts, *, require_consent: bool = False
) -> Match | None:
    """Score and reasons for one pair, or None when a hard filter rules it out."""
    if initiative.id in citizen.blocked_initiatives or citizen.id in initiative.blocked_citizens:
        return None
    c_row = snapshot.citizen_columns([citizen])
    i_row = snapshot.initiative_columns([initiative])
    result = evaluate(snapshot, c_row, i_row, require_consent=require_consent)
    if not result.feasible[0]:
        return None
    return Match(citizen.id, initiative.id, float(result.score[0]), reasons(snapshot, result, 0, c_row, i_row))
