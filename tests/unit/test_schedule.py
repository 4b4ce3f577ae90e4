from coprod_match.schedule import (
    SLOT_COUNT,
    SLOT_MASK_ALL,
    mask_to_slots,
    parse_slot_keys,
    slot_bit,
    slots_to_mask,
)


def test_grid_has_21_slots():
    assert SLOT_COUNT == 21
    assert SLOT_MASK_ALL == 2**21 - 1
    assert slot_bit("mon", "morning") == 1
    assert slot_bit("sun", "evening") == 2**20


def test_round_trip_and_overlap():
    citizen = slots_to_mask([("tue", "morning"), ("thu", "evening")])
    initiative = slots_to_mask([("tue", "morning"), ("wed", "afternoon")])
    assert mask_to_slots(citizen) == [("tue", "morning"), ("thu", "evening")]
    assert mask_to_slots(citizen & initiative) == [("tue", "morning")]


def test_form_values_ignore_junk():
    assert parse_slot_keys(["tue-morning", "xyz-evening", "tue-night", "", "fri-evening"]) == (
        slot_bit("tue", "morning") | slot_bit("fri", "evening")
    )
