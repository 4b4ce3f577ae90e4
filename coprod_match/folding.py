# ruff: noqa: RUF001, RUF002, RUF003  (Turkish dotless ı and dotted İ are the point here, not look-alikes)
"""Text folded for searching: what a person types without accents finds the words written with them.

Residents' names and initiatives are written in Dutch, Turkish, Arabic, Polish,
Bulgarian and Ukrainian; a professional on a Dutch keyboard types "ayse" for
"Ayşe" and "yilmaz" for "Yılmaz". Both sides of a search go through `fold`, so
the stored text and the words typed meet in plain lower-case letters.

Pure: no Flask, no database (the search's SQL lives in queries/ and services/).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that are not a base letter plus a combining accent, so Unicode's decomposition
# leaves them alone: Turkish dotless ı, Polish ł, Nordic ø and the ligatures.
_OWN_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
})
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "_" joins nothing in either query language
# More words than this in one search are typing, not searching: the rest are ignored.
MAX_SEARCH_WORDS = 10


def fold(text: str) -> str:
    """`text` in lower case without accents ("Yılmaz Ayşe" -> "yilmaz ayse"); other scripts keep their letters.

    Marks on Arabic letters (harakat) go too, as they are written only sometimes.
    """
    # İ (capital dotted I) lower-cases to "i" + a combining dot, which the next step drops.
    decomposed = unicodedata.normalize("NFKD", text.translate(_OWN_LETTERS).lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.translate(_OWN_LETTERS)


def search_words(text: str) -> list[str]:
    """The folded words of what someone typed, without punctuation or operators (`"`, `*`, `-`, `:`, `&`)."""
    return _WORD.findall(fold(text))[:MAX_SEARCH_WORDS]
