"""The score and the hard filters, vectorised over numpy arrays.

A `Snapshot` holds citizens and initiatives as columns (bitsets for the 21
weekly slots, languages and interests), so one citizen is scored against
every initiative, or one initiative against every citizen, in a few array
operations. `evaluate` is the single definition of the score and of the
hard filters: suggestions, candidates, the plan and the reasons all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .facts import LEVELS, CitizenFacts, InitiativeFacts, Match, NeighbourhoodFacts, Weights
from .reasons import reasons

DUTCH = "nl"
MAX_BITS = 62  # bitsets are int64; keep clear of the sign bit


def _bit_index(codes: Iterable[str]) -> dict[str, int]:
    index = {code: bit for bit, code in enumerate(sorted(set(codes)))}
    if len(index) > MAX_BITS:
        raise ValueError(f"matching supports at most {MAX_BITS} codes per taxonomy")
    return index


def _mask(codes: Iterable[str], index: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        bit = index.get(code)
        if bit is not None:
            mask |= 1 << bit
    return mask


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances in km between every pair of points."""
    p = np.radians(lat)[:, None], np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin((p[1] - p[0]) / 2) ** 2 + np.cos(p[0]) * np.cos(p[1]) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass
class Columns:
    """A set of rows as numpy columns; `take` selects rows (or broadcasts with [:, None])."""

    def take(self, index) -> Columns:
        return type(self)(**{name: value[index] for name, value in vars(self).items()})

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class CitizenColumns(Columns):
    id: np.ndarray
    place: np.ndarray  # neighbourhood position; the last position means "unknown"
    slots: np.ndarray
    native: np.ndarray  # language bitsets per level
    fluent: np.ndarray
    conversational: np.ndarray
    basic: np.ndarray
    interests: np.ndarray
    practise_dutch: np.ndarray
    consent: np.ndarray
    load_count: np.ndarray
    max_initiatives: np.ndarray
    load_hours: np.ndarray
    max_hours: np.ndarray  # a large number when the citizen set no limit
    load_share: np.ndarray  # how close to their own limits, 0..1


@dataclass
class InitiativeColumns(Columns):
    id: np.ndarray
    place: np.ndarray
    is_open: np.ndarray
    slots: np.ndarray
    slot_count: np.ndarray
    hours: np.ndarray
    bridge_languages: np.ndarray  # service users' languages that count as a bridge
    speaks_dutch: np.ndarray
    welcomes_learners: np.ndarray
    interests: np.ndarray
    interest_count: np.ndarray
    volunteers_min: np.ndarray
    volunteers_ideal: np.ndarray
    active: np.ndarray
    places_taken: np.ndarray
    pending: np.ndarray
    welcomes_dutch_speakers: np.ndarray  # speaks Dutch and welcomes learners
    slot_share: np.ndarray  # 1 / number of weekly slots
    interest_share: np.ndarray  # 1 / number of interest categories
    need: np.ndarray  # the need part of the score: open places, continuity risk

    @property
    def open_places(self) -> np.ndarray:
        return np.maximum(0, self.volunteers_ideal - self.places_taken)

    @property
    def at_risk(self) -> np.ndarray:
        return (self.active <= 1) | (self.active < self.volunteers_min)


NO_HOURS_LIMIT = 10_000


class Snapshot:
    """Citizens, initiatives and neighbourhoods as arrays, plus the lookups to explain results."""

    def __init__(
        self,
        neighbourhoods: Sequence[NeighbourhoodFacts],
        citizens: Sequence[CitizenFacts],
        initiatives: Sequence[InitiativeFacts],
        weights: Weights,
    ):
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

        self.language_bit = _bit_index(
            [code for c in citizens for code in c.languages]
            + [code for i in initiatives for code in i.languages]
        )
        self.language_codes = sorted(self.language_bit, key=self.language_bit.get)
        self.interest_bit = _bit_index(
            [code for c in citizens for code in c.interests]
            + [code for i in initiatives for code in i.interests]
        )
        self.interest_codes = sorted(self.interest_bit, key=self.interest_bit.get)
        # 32-bit bitsets when the taxonomy fits: half the memory traffic of 64-bit ones.
        self.language_dtype = np.int32 if len(self.language_bit) <= 31 else np.int64
        self.interest_dtype = np.int32 if len(self.interest_bit) <= 31 else np.int64

        self.citizens = self.citizen_columns(citizens)
        self.initiatives = self.initiative_columns(initiatives)
        self.citizen_index = {int(cid): row for row, cid in enumerate(self.citizens.id)}
        self.initiative_index = {int(iid): row for row, iid in enumerate(self.initiatives.id)}
        # Blocked pairs as sorted keys citizen_row * n_initiatives + initiative_row.
        keys = [
            self.citizen_index[c.id] * len(initiatives) + self.initiative_index[i]
            for c in citizens
            for i in c.blocked_initiatives
            if i in self.initiative_index
        ]
        keys += [
            self.citizen_index[c] * len(initiatives) + self.initiative_index[i.id]
            for i in initiatives
            for c in i.blocked_citizens
            if c in self.citizen_index
        ]
        self.blocked_keys = np.unique(np.array(keys, dtype=np.int64))
        # Who could be invited at all (consent, room, a free slot): candidates look only here.
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
                [_mask([code for code, lv in c.languages.items() if lv == level], self.language_bit) for c in citizens],
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
            interests=np.array([_mask(c.interests, self.interest_bit) for c in citizens], dtype=interest_type),
            practise_dutch=np.array([c.wants_to_practise_dutch for c in citizens], dtype=bool),
            consent=np.array([c.consent_to_contact for c in citizens], dtype=bool),
            load_count=load_count,
            max_initiatives=max_initiatives,
            load_hours=load_hours,
            max_hours=max_hours,
            load_share=load_share,
        )

    def initiative_columns(self, initiatives: Sequence[InitiativeFacts]) -> InitiativeColumns:
        w = self.weights
        bridge = w.not_bridge_languages
        slots = np.array([i.schedule_slots for i in initiatives], dtype=np.int32)
        interests = np.array(
            [_mask(i.interests, self.interest_bit) for i in initiatives], dtype=self.interest_dtype
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
                [_mask(i.languages - bridge, self.language_bit) for i in initiatives], dtype=self.language_dtype
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


def hard_filters(
    snapshot: Snapshot, citizens: CitizenColumns, initiatives: InitiativeColumns, *, require_consent: bool
) -> np.ndarray:
    """Which pairs may be matched at all (shapes broadcast).

    At least one shared weekly slot; the citizen has room under their own
    limits (initiatives and hours); the initiative is open and not full;
    consent to be contacted when the result leads to an invitation; within
    the maximum distance. Blocked pairs (live, or declined or left
    recently) are removed by the callers, who know the row numbers.
    """
    feasible = (
        ((citizens.slots & initiatives.slots) != 0)
        & (citizens.load_count < citizens.max_initiatives)
        & (citizens.load_hours + initiatives.hours <= citizens.max_hours)
        & initiatives.is_open
        & (initiatives.places_taken < initiatives.volunteers_ideal)
        & snapshot.place_reachable[citizens.place, initiatives.place]
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


# -- the two ranked questions


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` highest scores, best first (ties by position, for stable pages)."""
    if limit <= 0 or not len(scores):
        return np.empty(0, dtype=np.int64)
    if len(scores) > limit:
        part = np.argpartition(-scores, limit - 1)[:limit]
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


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
    best = _top(result.score, limit)
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
    blocked = [snapshot.initiative_index[i] for i in citizen.blocked_initiatives if i in snapshot.initiative_index]
    if citizen.id in snapshot.citizen_index and len(snapshot.blocked_keys):
        n_initiatives = len(snapshot.initiatives)
        keys = snapshot.blocked_keys
        row = snapshot.citizen_index[citizen.id]
        blocked += list(keys[keys // n_initiatives == row] % n_initiatives)
    return _rank(snapshot, snapshot.citizen_columns([citizen]), snapshot.initiatives,
                 require_consent=False, limit=limit, blocked=blocked, one_citizen=True)


def candidates_for_initiative(
    snapshot: Snapshot, initiative: InitiativeFacts, *, limit: int = 20
) -> list[Match]:
    """The citizens who could join this initiative, best first, ready for inviting.

    Only citizens who agreed to be contacted and have room are looked at.
    """
    rows = snapshot.invitable_rows
    position = np.full(len(snapshot.citizens), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    blocked_rows = [snapshot.citizen_index[c] for c in initiative.blocked_citizens if c in snapshot.citizen_index]
    if initiative.id in snapshot.initiative_index and len(snapshot.blocked_keys):
        n_initiatives = len(snapshot.initiatives)
        keys = snapshot.blocked_keys
        blocked_rows += list(keys[keys % n_initiatives == snapshot.initiative_index[initiative.id]] // n_initiatives)
    blocked = [int(position[row]) for row in blocked_rows if position[row] >= 0]
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
