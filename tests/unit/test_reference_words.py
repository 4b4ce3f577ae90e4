"""Interest, target-group and language names in every interface language."""

from __future__ import annotations

import csv
import os

import pytest
from babel.messages.pofile import read_po

from coprod_match.reference_data import DATA_DIR
from coprod_match.reference_words import (
    INTEREST_LABELS,
    TARGET_GROUP_LABELS,
    TRANSLATIONS_DIR,
    language_name,
    taxonomy_label,
)


def _rows(name: str) -> list[dict[str, str]]:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _catalogue(path: str):
    with open(path, "rb") as handle:
        return read_po(handle)


TAXONOMIES = [("interests.csv", INTEREST_LABELS), ("target_groups.csv", TARGET_GROUP_LABELS)]


@pytest.mark.parametrize(("file_name", "listed"), TAXONOMIES)
def test_every_label_in_the_file_is_listed_for_translation(file_name, listed):
    assert sorted(row["label"].strip() for row in _rows(file_name)) == sorted(listed)


@pytest.mark.parametrize(("file_name", "listed"), TAXONOMIES)
def test_every_label_in_the_file_is_in_the_template_catalogue(file_name, listed):
    extracted = {message.id for message in _catalogue(os.path.join(TRANSLATIONS_DIR, "messages.pot"))}
    missing = [row["label"] for row in _rows(file_name) if row["label"].strip() not in extracted]
    assert missing == [], "run the extract step of `make update-catalogues`"


@pytest.mark.parametrize(("file_name", "listed"), TAXONOMIES)
def test_the_dutch_catalogue_says_what_the_file_says(file_name, listed):
    dutch = {m.id: m.string for m in _catalogue(os.path.join(TRANSLATIONS_DIR, "nl", "LC_MESSAGES", "messages.po"))}
    for row in _rows(file_name):
        assert dutch[row["label"].strip()] == row["label_nl"].strip()
        assert taxonomy_label(row["label"], row["label_nl"], "nl") == row["label_nl"].strip()


def test_a_label_without_a_translation_reads_in_english_or_the_files_dutch():
    assert taxonomy_label("Knitting together", "Samen breien", "nl") == "Samen breien"
    assert taxonomy_label("Knitting together", "Samen breien", "en") == "Knitting together"
    assert taxonomy_label("Knitting together", "Samen breien", "tr") == "Knitting together"


@pytest.mark.parametrize(("locale", "expected"), [
    ("nl", "Turks (Türkçe)"),
    ("en", "Turkish (Türkçe)"),
    ("tr", "Türkçe"),
    ("pl", "Turecki (Türkçe)"),
    ("ar", "التركية (Türkçe)"),
    ("uk", "Турецька (Türkçe)"),
])
def test_language_names_come_from_cldr_in_the_pages_language(locale, expected):
    assert language_name("tr", "Turkish", "Turks", "Türkçe", locale) == expected


def test_a_language_cldr_does_not_know_falls_back_to_the_files_names():
    assert language_name("hns", "Sarnami Hindustani", "Sarnami", "Sarnámi", "bg") == "Sarnami Hindustani (Sarnámi)"
    assert language_name("hns", "Sarnami Hindustani", "Sarnami", "Sarnámi", "nl") == "Sarnami (Sarnámi)"


def test_a_name_that_is_its_own_endonym_is_not_repeated():
    # CLDR writes "polski" small; the label starts big and is not followed by "(Polski)".
    assert language_name("pl", "Polish", "Pools", "Polski", "pl") == "Polski"


def test_a_locale_babel_does_not_know_uses_the_files_names():
    assert language_name("tr", "Turkish", "Turks", "Türkçe", "xx") == "Turkish (Türkçe)"
