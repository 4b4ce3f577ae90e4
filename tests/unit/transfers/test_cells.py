"""One cell to one value, and a plain message for each kind of bad value."""

from __future__ import annotations

import datetime as dt

import pytest

from coprod_match.schedule import slot_bit
from coprod_match.transfers import cells
from coprod_match.transfers.validation import LEVEL_NAMES

LANGUAGES = {"tr": "tr", "turkish": "tr", "turks": "tr", "nl": "nl", "dutch": "nl"}


def _message(parse, value) -> str:
    with pytest.raises(cells.CellError) as caught:
        parse(value)
    return str(caught.value.message)


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("Ja", True), ("TRUE", True), ("1", True),
    ("no", False), ("nee", False), ("false", False), ("0", False),
])
def test_boolean(value, expected):
    assert cells.boolean(value) is expected


def test_boolean_bad():
    assert "not yes or no" in _message(cells.boolean, "maybe")


@pytest.mark.parametrize("value", ["2026-03-01", "01-03-2026", "1-3-2026", "01/03/2026", "01.03.2026"])
def test_dates_iso_and_dutch(value):
    assert cells.date(value) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("value", ["2026-02-30", "next week", "03/2026", "32-01-2026", "2026-1"])
def test_bad_dates(value):
    assert "is not a date" in _message(cells.date, value)


def test_integer_range_and_junk():
    parse = cells.integer(1, 40)
    assert parse("12") == 12
    assert "from 1 to 40" in _message(parse, "0")
    assert "from 1 to 40" in _message(parse, "41")
    assert "not a whole number" in _message(parse, "2.5")
    assert "not a whole number" in _message(parse, "two")


def test_text_length():
    assert cells.text(5)("short") == "short"
    assert "too long" in _message(cells.text(5), "longer")


def test_email_normalised_and_checked():
    assert cells.email(" Fatma@Example.NL ") == "fatma@example.nl"
    for bad in ("fatma", "fatma@", "@example.nl", "fatma@example", "a b@example.nl"):
        assert "not a valid e-mail" in _message(cells.email, bad)


def test_codes_accept_labels_and_report_every_unknown():
    parse = cells.codes({"meals": "meals", "cooking and shared meals": "meals", "sports": "sports"},
                        "interest")
    assert parse("meals|Cooking and shared meals| sports ") == ("meals", "sports")
    message = _message(parse, "meals|knitting|chess")
    assert '"knitting"' in message and '"chess"' in message


def test_language_levels():
    parse = cells.language_levels(LANGUAGES, LEVEL_NAMES)
    assert parse("tr:native|nl:basic") == (("tr", "native"), ("nl", "basic"))
    assert parse("Turks:moedertaal") == (("tr", "native"),)
    assert "has no level" in _message(parse, "tr")
    assert "Unknown language" in _message(parse, "xx:native")
    assert "Unknown level" in _message(parse, "tr:superb")
    assert "twice" in _message(parse, "tr:native|turkish:basic")


def test_slots_english_and_dutch():
    assert cells.slots("mon-morning|tue-evening") == slot_bit("mon", "morning") | slot_bit("tue", "evening")
    assert cells.slots("ma-ochtend") == slot_bit("mon", "morning")
    assert "not a day and part of the day" in _message(cells.slots, "monday-morning")
    assert "not a day and part of the day" in _message(cells.slots, "mon")


def test_choice_id_ignores_case_and_extra_spaces():
    parse = cells.choice_id({"laakkwartier en spoorwijk": 5}, "neighbourhood")
    assert parse("Laakkwartier  en Spoorwijk") == 5
    assert "no neighbourhood called" in _message(parse, "Laak")


def test_task_titles():
    assert cells.titles(10)("Coffee | Games|") == ("Coffee", "Games")
    assert "too long" in _message(cells.titles(10), "Coffee|A very long task title")
