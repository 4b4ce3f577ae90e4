# ruff: noqa: RUF001, RUF003  (the alphabets of the interface languages are the point here, not look-alikes)
"""Interest categories, target groups and language names in every interface language.

The data files hold labels in English and Dutch only; the other interface
languages get them from the gettext catalogues (the English label is the
msgid, listed below so `pybabel extract` finds it) and language names from
Babel's CLDR data, except the few CLDR does not name in every interface language,
which the catalogues translate. Plain Python without Flask: models, the matching texts
and mails ask with an explicit locale (a mail speaks the recipient's).
"""

from __future__ import annotations

import functools
import os
import unicodedata

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


# Languages of The Hague that CLDR leaves unnamed in some interface languages (ary and rif in
# ar, bg, uk; prs and hns everywhere): their names come from the catalogues first.
LANGUAGE_NAMES_CLDR_LACKS = {
    "ary": N_("Moroccan Arabic"),
    "rif": N_("Tarifit (Riffian Berber)"),
    "prs": N_("Dari"),
    "hns": N_("Sarnami Hindustani"),
}

# Where the interface's own word differs from CLDR's (translations/GLOSSARY.md): Turkish says
# "Hollandaca" on every page, CLDR "Felemenkçe"; a reader should meet one word for Dutch.
LANGUAGE_NAMES_OF_THE_GLOSSARY = {("tr", "nl"): "Hollandaca"}


def _capitalised(name: str) -> str:
    # CLDR writes language names small where the language does ("polski", "українська"); a label starts big.
    return name[:1].upper() + name[1:]


@functools.cache
def _cldr_language_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).languages)
    except (UnknownLocaleError, ValueError, TypeError):  # not a locale Babel knows: the file's names will do
        return {}


def plain_language_name(code: str, locale: str, english_name: str = "", dutch_name: str = "") -> str:
    """A language's name in `locale` ("Hollandaca", "Dari"): the glossary, the catalogue, CLDR, the file."""
    if (locale, code) in LANGUAGE_NAMES_OF_THE_GLOSSARY:
        return LANGUAGE_NAMES_OF_THE_GLOSSARY[(locale, code)]
    if code in LANGUAGE_NAMES_CLDR_LACKS:
        message = LANGUAGE_NAMES_CLDR_LACKS[code]
        translated = _catalogue(locale).gettext(message)
        if translated != message or locale == "en":
            return translated
    found = _cldr_language_names(locale).get(code)
    if found:
        return _capitalised(found)
    return (dutch_name if locale == "nl" else english_name) or english_name or LANGUAGE_NAMES_CLDR_LACKS.get(code, code)


def language_name(code: str, english_name: str, dutch_name: str, endonym: str, locale: str) -> str:
    """A language's name in `locale`, with its own name in brackets when that differs: "Turks (Türkçe)"."""
    name = plain_language_name(code, locale, english_name, dutch_name)
    return name if name.casefold() == endonym.casefold() else f"{name} ({endonym})"


# Each interface language's alphabet, letters that sort alike grouped between spaces. Code-point
# order puts Turkish "ç", Polish "ł" and Ukrainian "є", "і" after the last letter, and Arabic
# "أ" apart from "ا"; letters outside the alphabet sort by their base letter, then by code point.
ALPHABETS = {
    "tr": "a b c ç d e f g ğ h ı i j k l m n o ö p q r s ş t u ü v w x y z",
    "pl": "a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w x y z ź ż",
    "uk": "а б в г ґ д е є ж з и і ї й к л м н о п р с т у ф х ц ч ш щ ь ю я",
    "bg": "а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ь ю я",
    "ar": "اأإآءٱ ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق كکگ ل م ن هة وؤ يىئی",
}


@functools.cache
def _letter_ranks(locale: str) -> dict[str, int]:
    groups = ALPHABETS.get(locale, "a b c d e f g h i j k l m n o p q r s t u v w x y z").split()
    return {letter: rank for rank, group in enumerate(groups) for letter in group}


def _lowered(text: str, locale: str) -> str:
    if locale == "tr":  # Turkish has a dotted and a dotless i, in both cases
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def reading_order(text: str, locale: str) -> tuple:
    """A sort key that puts names in the order of the reader's alphabet, case and accents aside."""
    ranks = _letter_ranks(locale)
    letters, accents = [], []
    for letter in _lowered(text, locale):
        if not letter.isalnum():  # a space or bracket comes before any letter: "Dari" < "Dari (…)" < "Daria"
            letters.append((0, -1))
        elif letter in ranks:
            letters.append((0, ranks[letter]))
        else:
            base = unicodedata.normalize("NFD", letter)[:1]
            # An accented letter counts as its base letter ("é" as "e"); the accent only breaks a tie.
            letters.append((0, ranks[base]) if base in ranks else (1, ord(letter)))
        accents.append(letter not in ranks)
    return tuple(letters), tuple(accents)
