"""Which words a reader gets: the version in their language, else the original, always with its language."""

from __future__ import annotations

from coprod_match.initiative_text import TextInLanguage, VersionText, text_for_reader

TURKISH = VersionText("tr", "Kadinlar icin spor", "Birlikte spor.", {1: "Ders vermek"})


def _read(reader_locale: str, version: VersionText | None = TURKISH):
    return text_for_reader(title="Sporten voor vrouwen", description="Samen sporten.", written_in="nl",
                           reader_locale=reader_locale, version=version)


def test_a_reader_with_a_version_in_their_language_gets_it():
    text = _read("tr")
    assert (text.title, text.description, text.lang, text.is_original) == (
        "Kadinlar icin spor", "Birlikte spor.", "tr", False)
    assert text.title_text == TextInLanguage("Kadinlar icin spor", "tr")


def test_a_task_without_a_translation_keeps_its_original_words_and_language():
    text = _read("tr")
    assert text.task(1, "Lessen geven") == TextInLanguage("Ders vermek", "tr")
    assert text.task(2, "Koffie zetten") == TextInLanguage("Koffie zetten", "nl")


def test_a_reader_without_a_version_gets_the_original_with_its_language():
    text = _read("ar", version=None)
    assert (text.title, text.lang, text.is_original) == ("Sporten voor vrouwen", "nl", True)
    assert text.task(1, "Lessen geven") == TextInLanguage("Lessen geven", "nl")


def test_a_version_in_another_language_than_the_readers_is_not_used():
    assert _read("ar").is_original


def test_a_reader_of_the_original_language_gets_the_original_even_beside_a_version_in_it():
    text = _read("nl", version=VersionText("nl", "Andere titel", ""))
    assert (text.title, text.lang, text.is_original) == ("Sporten voor vrouwen", "nl", True)
