# ruff: noqa: RUF001, RUF003  (the alphabets of the interface languages are the point here, not look-alikes)
"""Interest, target-group and language names in every interface language."""

from __future__ import annotations

import csv
import os

import pytest
from babel.messages.pofile import read_po

from coprod_match.reference_data import DATA_DIR
from coprod_match.reference_words import (
    INTEREST_LABELS,
    LANGUAGE_NAMES_CLDR_LACKS,
    TARGET_GROUP_LABELS,
    TRANSLATIONS_DIR,
    language_name,
    plain_language_name,
    reading_order,
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


def test_a_language_nobody_names_falls_back_to_the_files_names():
    assert language_name("xx", "Klingon", "Klingons", "tlhIngan", "bg") == "Klingon (tlhIngan)"
    assert language_name("xx", "Klingon", "Klingons", "tlhIngan", "nl") == "Klingons (tlhIngan)"


@pytest.mark.parametrize(("code", "locale", "expected"), [
    ("ary", "ar", "الدارجة المغربية"),
    ("rif", "ar", "الريفية (تاريفيت)"),
    ("prs", "ar", "الدارية"),
    ("ary", "tr", "Fas Arapçası"),
    ("prs", "tr", "Darice"),
    ("hns", "tr", "Sarnami Hintçesi"),
    ("hns", "bg", "Сарнами хиндустани"),
    ("rif", "uk", "Тарифіт (рифська берберська)"),
    ("hns", "nl", "Sarnami"),
    ("rif", "en", "Tarifit (Riffian Berber)"),
])
def test_languages_cldr_lacks_are_named_by_the_catalogues(code, locale, expected):
    assert plain_language_name(code, locale) == expected


@pytest.mark.parametrize("locale", ["nl", "tr", "ar", "pl", "bg", "uk"])
def test_every_language_cldr_lacks_is_translated_in_every_catalogue(locale):
    path = os.path.join(TRANSLATIONS_DIR, locale, "LC_MESSAGES", "messages.po")
    translated = {m.id: m.string for m in _catalogue(path)}
    assert [name for name in LANGUAGE_NAMES_CLDR_LACKS.values() if not translated.get(name)] == []


def test_the_dutch_names_of_languages_cldr_lacks_are_the_files_names():
    dutch = {row["code"]: row["dutch_name"] for row in _rows("languages.csv")}
    for code in LANGUAGE_NAMES_CLDR_LACKS:
        assert plain_language_name(code, "nl") == dutch[code]


def test_turkish_calls_dutch_hollandaca_like_the_rest_of_the_interface():
    assert plain_language_name("nl", "tr") == "Hollandaca"
    assert language_name("nl", "Dutch", "Nederlands", "Nederlands", "tr") == "Hollandaca (Nederlands)"
    assert plain_language_name("nl", "ar") == "الهولندية"


@pytest.mark.parametrize(("locale", "names"), [
    # Code-point order would put "Є" and "І" before "А" (they sit below it in Unicode).
    ("uk", ["Англійська", "Ґуджараті", "Єврейська", "Іспанська", "Їжа", "Українська"]),
    ("bg", ["Английски", "Български", "Ювелир", "Японски"]),
    ("tr", ["Arapça", "Çince", "Hollandaca", "Irak", "İngilizce", "Özbekçe", "Şey", "Ukraynaca", "Zulu"]),
    ("pl", ["Angielski", "Arabski", "Łotewski", "Niemiecki", "Śląski", "Turecki", "Żydowski"]),
    ("ar", ["الألمانية", "الإنجليزية", "البولندية", "التركية", "العربية", "الهولندية", "اليونانية"]),
    ("nl", ["Arabisch", "Ëngels", "Engels (English)", "Engelsman", "Turks"]),
])
def test_language_names_sort_in_the_readers_alphabet(locale, names):
    assert sorted(reversed(names), key=lambda name: reading_order(name, locale)) == names


def test_a_name_that_is_its_own_endonym_is_not_repeated():
    # CLDR writes "polski" small; the label starts big and is not followed by "(Polski)".
    assert language_name("pl", "Polish", "Pools", "Polski", "pl") == "Polski"


def test_a_locale_babel_does_not_know_uses_the_files_names():
    assert language_name("tr", "Turkish", "Turks", "Türkçe", "xx") == "Turkish (Türkçe)"
