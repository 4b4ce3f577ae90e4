"""Plain data the engine works on: what we know of citizens, initiatives and places."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..vocabulary import LanguageLevel
from ..volunteer_need import volunteers_needed

# Best first: the order in which a shared language is named in a reason.
LEVELS = tuple(LanguageLevel)


@dataclass(frozen=True, slots=True)
class NeighbourhoodFacts:
    id: int
    name: str
    district: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CitizenFacts:
    """One citizen as matching sees them, including what they already do."""

    id: int
    neighbourhood_id: int | None
    availability_slots: int
    languages: Mapping[str, str]  # language code -> level (native, fluent, conversational, basic)
    interests: frozenset[str]
    wants_to_practise_dutch: bool
    max_initiatives: int
    max_hours_per_week: int | None
    consent_to_contact: bool
    # Live placements that claim the citizen's time (invited, applied, accepted, active, paused).
    load_count: int = 0
    load_hours: int = 0
    # Initiatives where they have a live placement, or declined or left recently.
    blocked_initiatives: frozenset[int] = frozenset()
    # What they chose to say, for initiatives open to one group (open_to.py); None: not said.
    gender: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True, slots=True)
class InitiativeFacts:
    """One initiative as matching sees it, with how many people it has."""

    id: int
    neighbourhood_id: int
    is_open: bool
    schedule_slots: int
    hours_per_week: int
    languages: frozenset[str]  # the languages its service users speak
    welcomes_dutch_learners: bool
    interests: frozenset[str]
    volunteers_min: int
    volunteers_ideal: int
    active: int = 0
    # Places held (accepted, active, paused): never more than volunteers_ideal.
    places_taken: int = 0
    # Invitations and sign-ups still waiting for an answer.
    pending: int = 0
    blocked_citizens: frozenset[int] = frozenset()
    # Who it is open to (vocabulary.OpenTo) and its age range, either end optional.
    open_to: str = "everyone"
    min_age: int | None = None
    max_age: int | None = None

    @property
    def open_places(self) -> int:
        return volunteers_needed(self.volunteers_ideal, self.places_taken)

    @property
    def at_risk(self) -> bool:
        """Runs on one volunteer or none, or on fewer than its minimum."""
        return self.active <= 1 or self.active < self.volunteers_min


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each part of the score counts, and the hard limits (see config MATCHING_*)."""

    language: float = 3.0
    language_levels: Mapping[str, float] = field(
        default_factory=lambda: {"native": 1.0, "fluent": 0.8, "conversational": 0.5, "basic": 0.2}
    )
    # Languages that do not count as a bridge (nearly everyone speaks Dutch).
    not_bridge_languages: frozenset[str] = frozenset({"nl"})
    dutch_practice: float = 1.0
    distance: float = 2.0
    distance_decay_km: float = 1.5
    max_distance_km: float = 6.0
    interests: float = 2.0
    time: float = 1.5
    need: float = 1.0
    at_risk: float = 3.0
    load: float = 0.5
    # Spreading attention (exposure.py): an initiative in few residents' top five in the last
    # snapshot ranks up to this much higher in suggestions, so it only passes near-ties; 0 is off.
    # The score itself, and so the fit shown and the reasons, never include it.
    exposure_boost: float = 1.0
    # In this many residents' top five or more: no boost; fewer: a share of it, all of it at none.
    exposure_enough: int = 5

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Weights:
        """From config keys MATCHING_WEIGHT_<NAME> and the limits beside them."""
        defaults = cls()
        return cls(
            language=float(values.get("MATCHING_WEIGHT_LANGUAGE", defaults.language)),
            language_levels=dict(values.get("MATCHING_LANGUAGE_LEVELS", defaults.language_levels)),
            not_bridge_languages=frozenset(
                values.get("MATCHING_NOT_BRIDGE_LANGUAGES", defaults.not_bridge_languages)
            ),
            dutch_practice=float(values.get("MATCHING_WEIGHT_DUTCH_PRACTICE", defaults.dutch_practice)),
            distance=float(values.get("MATCHING_WEIGHT_DISTANCE", defaults.distance)),
            distance_decay_km=float(values.get("MATCHING_DISTANCE_DECAY_KM", defaults.distance_decay_km)),
            max_distance_km=float(values.get("MATCHING_MAX_DISTANCE_KM", defaults.max_distance_km)),
            interests=float(values.get("MATCHING_WEIGHT_INTERESTS", defaults.interests)),
            time=float(values.get("MATCHING_WEIGHT_TIME", defaults.time)),
            need=float(values.get("MATCHING_WEIGHT_NEED", defaults.need)),
            at_risk=float(values.get("MATCHING_WEIGHT_AT_RISK", defaults.at_risk)),
            load=float(values.get("MATCHING_WEIGHT_LOAD", defaults.load)),
            exposure_boost=float(values.get("MATCHING_EXPOSURE_BOOST", defaults.exposure_boost)),
            exposure_enough=int(values.get("MATCHING_EXPOSURE_ENOUGH", defaults.exposure_enough)),
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a match fits, as a code and parameters; words are chosen when shown."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Match:
    citizen_id: int
    initiative_id: int
    score: float
    reasons: tuple[Reason, ...]
