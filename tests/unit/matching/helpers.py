"""Small hand-built worlds for the engine tests."""

from __future__ import annotations

from coprod_match.matching.engine import Snapshot
from coprod_match.matching.facts import CitizenFacts, InitiativeFacts, NeighbourhoodFacts, Weights
from coprod_match.schedule import slots_to_mask

SCHILDERSWIJK, TRANSVAAL, BENOORDENHOUT = 1, 2, 3
NEIGHBOURHOODS = [
    NeighbourhoodFacts(SCHILDERSWIJK, "Schilderswijk", "Centrum", 52.0700, 4.3000),
    NeighbourhoodFacts(TRANSVAAL, "Transvaal", "Centrum", 52.0620, 4.2930),
    NeighbourhoodFacts(BENOORDENHOUT, "Benoordenhout", "Haagse Hout", 52.0960, 4.3300),
]
TUE_MORNING = slots_to_mask([("tue", "morning")])
WEEKDAYS = slots_to_mask([(d, p) for d in ("mon", "tue", "wed", "thu", "fri") for p in ("morning", "afternoon")])


def citizen(id: int, **fields) -> CitizenFacts:
    values = dict(
        neighbourhood_id=SCHILDERSWIJK, availability_slots=WEEKDAYS, languages={"nl": "fluent"},
        interests=frozenset(), wants_to_practise_dutch=False, max_initiatives=2,
        max_hours_per_week=None, consent_to_contact=True,
    )
    values.update(fields)
    return CitizenFacts(id=id, **values)


def initiative(id: int, **fields) -> InitiativeFacts:
    values = dict(
        neighbourhood_id=SCHILDERSWIJK, is_open=True, schedule_slots=TUE_MORNING, hours_per_week=2,
        languages=frozenset({"nl"}), welcomes_dutch_learners=False, interests=frozenset(),
        volunteers_min=1, volunteers_ideal=3, active=2, places_taken=2,
    )
    values.update(fields)
    return InitiativeFacts(id=id, **values)


def snapshot(citizens, initiatives, weights: Weights | None = None) -> Snapshot:
    return Snapshot(NEIGHBOURHOODS, citizens, initiatives, weights or Weights())
