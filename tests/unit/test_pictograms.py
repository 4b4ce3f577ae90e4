"""Every interest category and part of the day has its own pictogram, drawn as a plain line icon."""

from __future__ import annotations

import csv
import os
import re
import xml.etree.ElementTree as ET  # our own files, not untrusted input

import pytest

from coprod_match.reference_data import DATA_DIR
from coprod_match.schedule import PARTS_OF_DAY
from coprod_match.web.pictograms import PICTOGRAM_DIR, pictogram

SVG = "{http://www.w3.org/2000/svg}"


def _interest_codes() -> list[str]:
    with open(os.path.join(DATA_DIR, "interests.csv"), encoding="utf-8", newline="") as handle:
        return [row["code"].strip() for row in csv.DictReader(handle)]


NAMES = [*_interest_codes(), *PARTS_OF_DAY]


@pytest.mark.parametrize("name", NAMES)
def test_each_category_and_part_of_day_has_a_pictogram_file(name):
    path = os.path.join(PICTOGRAM_DIR, f"{name}.svg")
    assert os.path.isfile(path), f"draw static/pictograms/{name}.svg"
    root = ET.parse(path).getroot()  # noqa: S314 (our own drawings)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 24 24"
    # It takes the colour of the words beside it, is hidden from screen readers and has no words of its own.
    assert root.get("stroke") == "currentColor" and root.get("fill") == "none"
    assert root.get("aria-hidden") == "true"
    assert not [e for e in root.iter() if e.tag in (f"{SVG}text", f"{SVG}image", f"{SVG}script", f"{SVG}style")]


def test_no_two_pictograms_are_the_same_drawing():
    drawings = [pictogram(name) for name in NAMES]
    assert len(set(drawings)) == len(NAMES)


def test_the_inline_pictogram_carries_its_class_and_an_unknown_one_is_nothing():
    drawn = str(pictogram("sports"))
    assert re.match(r'<svg class="pictogram" xmlns="http://www.w3.org/2000/svg"', drawn)
    assert str(pictogram("knitting")) == ""
    assert str(pictogram("../site")) == ""  # a name is never a path
