# ruff: noqa: RUF001, RUF003  (Turkish dotless ı and dotted İ are the point here, not look-alikes)
"""Folding text for searching (coprod_match/folding.py): what a Dutch keyboard types meets every script's letters."""

from __future__ import annotations

import pytest

from coprod_match.folding import MAX_SEARCH_WORDS, fold, search_words


@pytest.mark.parametrize(("written", "folded"), [
    ("Ayşe", "ayse"),
    ("AYŞE", "ayse"),
    ("Yılmaz", "yilmaz"),  # dotless ı has no accent to take off: it is mapped on its own
    ("İbrahim Çelik", "ibrahim celik"),  # capital dotted İ lower-cases to i + a dot, which goes
    ("Ğüzel Öztürk", "guzel ozturk"),
    ("Café Crème", "cafe creme"),
    ("Łukasz Wójcik", "lukasz wojcik"),
    ("Straße", "strasse"),
    ("Зоя Петрова", "зоя петрова"),  # other scripts keep their letters, in lower case
    ("مُحَمَّد", "محمد"),  # Arabic vowel marks, written only sometimes, go
])
def test_fold_takes_off_case_and_accents(written, folded):
    assert fold(written) == folded


def test_folding_twice_changes_nothing():
    for text in ("Ayşe Yılmaz", "İSTANBUL", "Dagbesteding voor mensen met dementie", "Łódź"):
        assert fold(fold(text)) == fold(text)


def test_search_words_keep_only_letters_and_digits():
    typed = 'vrouwen "OR" dementie* -café: a&b! \'quote\' 100%'
    assert search_words(typed) == ["vrouwen", "or", "dementie", "cafe", "a", "b", "quote", "100"]
    assert search_words('"*-:&!()_') == []
    assert search_words("snake_case") == ["snake", "case"]
    assert len(search_words("woord " * 50)) == MAX_SEARCH_WORDS
