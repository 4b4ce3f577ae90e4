"""Interest categories, target groups and language names in every interface language.

The data files hold labels in English and Dutch only; the other interface
languages get them from the gettext catalogues (the English label is the
msgid, listed below so `pybabel extract` finds it) and language names from
Babel's CLDR data. Plain Python without Flask: models, the matching texts
and mails ask with an explicit locale (a mail speaks the recipient's).
"""

from __future__ import annotations

import functools
import os

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")


def N_(text: str) -> str:
    """Marks a label for extraction; translated later, in the reader's language."""
    return text


# The English labels of coprod_match/data/interests.csv and target_groups.csv
# (tests/unit/test_reference_words.py fails when a file and this list differ).
INTEREST_LABELS = (
    N_("Sports and exercise"),
    N_("Company and visits (against loneliness)"),
    N_("Cooking and shared meals"),
    N_("Day-care activities for elderly people"),
    N_("Helping out at a care home (coffee, games, walks)"),
    N_("Support for informal carers"),
    N_("Children and families"),
    N_("Homework and school help"),
    N_("Language buddy (practising Dutch together)"),
    N_("Interpreting and translating for neighbours"),
    N_("Paperwork, money and debt help"),
    N_("Digital help (phone, computer, forms)"),
    N_("Accompanying to appointments (GP, hospital)"),
    N_("Clean-up, gardening and greenery"),
    N_("Neighbourhood council and livability"),
    N_("Peer support (mental health, chronic illness)"),
    N_("Arts, crafts and culture"),
    N_("Help through a faith community"),
)

TARGET_GROUP_LABELS = (
    N_("Vulnerable elderly people"),
    N_("Elderly people with a migrant background"),
    N_("People living with dementia"),
    N_("People with severe psychiatric disorders"),
    N_("People with a chronic or cardiovascular disease"),
    N_("Women with a migrant background"),
    N_("Informal carers"),
    N_("Young families and single parents"),
    N_("Children and young people"),
    N_("Residents in poverty or debt"),
    N_("Newcomers and status holders"),
    N_("The whole neighbourhood"),
)


@functools.cache
def _catalogue(locale: str) -> NullTranslations:
    return Translations.load(TRANSLATIONS_DIR, [locale])


def taxonomy_label(label_en: str, label_nl: str, locale: str) -> str:
    """An interest's or target group's label in `locale`; a label not (yet) translated stays English."""
    translated = _catalogue(locale).gettext(label_en)
    if translated == label_en and locale == "nl":
        return label_nl  # a label added to the file before the catalogue: the file's Dutch still reads right
    return translated


def _capitalised(name: str) -> str:
    # CLDR writes language names small where the language does ("polski", "українська"); a label starts big.
    return name[:1].upper() + name[1:]


@functools.cache
def _cldr_language_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).languages)
    except (UnknownLocaleError, ValueError, TypeError):  # not a locale Babel knows: the file's names will do
        return {}


def language_name(code: str, english_name: str, dutch_name: str, endonym: str, locale: str) -> str:
    """A language's name in `locale`, with its own name in brackets when that differs: "Turks (Türkçe)"."""
    found = _cldr_language_names(locale).get(code)
    name = _capitalised(found) if found else (dutch_name if locale == "nl" else english_name)
    return name if name.casefold() == endonym.casefold() else f"{name} ({endonym})"
