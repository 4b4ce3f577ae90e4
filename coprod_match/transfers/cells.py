"""One spreadsheet cell to one value, or a CellError saying in plain words what is wrong.

Lists inside a cell are separated by `|`. Each parser takes the cell's text,
already trimmed and not empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from ..lazy_text import lazy_text as _l
from ..schedule import DAYS, PARTS_OF_DAY, slot_bit
from ..single_line import MESSAGE as ONE_LINE_MESSAGE
from ..single_line import has_control_characters
from ..vocabulary import Limits

LIST_SEPARATOR = "|"

TRUE_WORDS = frozenset({"yes", "ja", "true", "waar", "1", "y", "j"})
FALSE_WORDS = frozenset({"no", "nee", "false", "onwaar", "0", "n"})

# Dutch day and part-of-day names, so `ma-ochtend` means `mon-morning`.
DAY_NAMES = {day: day for day in DAYS} | {
    "ma": "mon", "di": "tue", "wo": "wed", "do": "thu", "vr": "fri", "za": "sat", "zo": "sun",
}
PART_NAMES = {part: part for part in PARTS_OF_DAY} | {
    "ochtend": "morning", "middag": "afternoon", "avond": "evening",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
EMAIL_MAX = Limits.EMAIL


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def split_list(text: str) -> list[str]:
    """The items of a `|`-separated cell, trimmed, without empty ones."""
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(_l("This text is too long: use at most %(max)d characters.",
                               max=max_length))
        return value

    return parse


def line(max_length: int) -> Callable[[str], str]:
    """Text that may reach a mail header (a title, a name): one line, no control characters."""
    parse_text = text(max_length)

    def parse(value: str) -> str:
        if has_control_characters(value):
            raise CellError(ONE_LINE_MESSAGE)
        return parse_text(value)

    return parse


def integer(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.replace(" ", ""))
        except ValueError:
            raise CellError(_l("\"%(value)s\" is not a whole number.", value=value)) from None
        if not minimum <= number <= maximum:
            raise CellError(_l("Use a number from %(min)d to %(max)d.", min=minimum, max=maximum))
        return number

    return parse


def boolean(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_l("\"%(value)s\" is not yes or no. Use yes, no, ja, nee, true, false, 1 or 0.",
                       value=value))


def date(value: str) -> dt.date:
    """ISO dates (2026-03-01) and Dutch ones (01-03-2026 or 1-3-2026)."""
    parts = re.split(r"[-/.]", value)
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3 and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise CellError(_l("\"%(value)s\" is not a date. Write it as 2026-03-01 or 01-03-2026.",
                       value=value))


def email(value: str) -> str:
    address = value.strip().lower()
    if len(address) > EMAIL_MAX or not _EMAIL.match(address):
        raise CellError(_l("\"%(value)s\" is not a valid e-mail address.", value=value))
    return address


def choice(options: Mapping[str, str], what) -> Callable[[str], str]:
    """One value from `options` (lower-cased spelling -> stored value)."""

    def parse(value: str) -> str:
        try:
            return options[value.lower()]
        except KeyError:
            raise CellError(_l("\"%(value)s\" is not a valid %(what)s. Use one of: %(options)s.",
                               value=value, what=what,
                               options=", ".join(sorted(set(options.values()))))) from None

    return parse


def codes(options: Mapping[str, str], what) -> Callable[[str], tuple[str, ...]]:
    """A `|`-separated list of codes (or labels), each known in `options`."""

    def parse(value: str) -> tuple[str, ...]:
        found: list[str] = []
        unknown: list[str] = []
        for item in split_list(value):
            code = options.get(item.lower())
            if code is None:
                unknown.append(item)
            elif code not in found:
                found.append(code)
        if unknown:
            raise CellError(_l("Unknown %(what)s: %(values)s. Use the codes in the list of columns.",
                               what=what, values=", ".join(f'"{u}"' for u in unknown)))
        return tuple(found)

    return parse


def language_levels(
    languages: Mapping[str, str], levels: Mapping[str, str]
) -> Callable[[str], tuple[tuple[str, str], ...]]:
    """Languages with a level each, like `tr:native|nl:basic`."""

    def parse(value: str) -> tuple[tuple[str, str], ...]:
        found: dict[str, str] = {}
        for item in split_list(value):
            name, separator, level_text = item.partition(":")
            code = languages.get(name.strip().lower())
            level = levels.get(level_text.strip().lower())
            if not separator or not level_text.strip():
                raise CellError(_l("\"%(item)s\" has no level. Write a language with its level, "
                                   "like tr:native|nl:basic.", item=item))
            if code is None:
                raise CellError(_l("Unknown language: \"%(value)s\".", value=name.strip()))
            if level is None:
                raise CellError(_l("Unknown level \"%(value)s\". Use native, fluent, "
                                   "conversational or basic.", value=level_text.strip()))
            if code in found:
                raise CellError(_l("The language \"%(value)s\" is in this cell twice.", value=code))
            found[code] = level
        return tuple(found.items())

    return parse


def slots(value: str) -> int:
    """A weekly schedule like `mon-morning|tue-evening` as the 21-bit mask."""
    mask = 0
    for item in split_list(value):
        day, _, part = item.lower().replace(" ", "").partition("-")
        if day not in DAY_NAMES or part not in PART_NAMES:
            raise CellError(_l("\"%(item)s\" is not a day and part of the day. Write it like "
                               "mon-morning|tue-evening.", item=item))
        mask |= slot_bit(DAY_NAMES[day], PART_NAMES[part])
    return mask


def titles(max_length: int) -> Callable[[str], tuple[str, ...]]:
    """A `|`-separated list of short texts (tasks)."""

    def parse(value: str) -> tuple[str, ...]:
        items = split_list(value)
        for item in items:
            if len(item) > max_length:
                raise CellError(_l("\"%(item)s…\" is too long: use at most %(max)d characters "
                                   "for each item.", item=item[:30], max=max_length))
        return tuple(items)

    return parse


def choice_id(options: Mapping[str, int], what) -> Callable[[str], int]:
    """The id of a named thing (a neighbourhood), matched without regard to case."""

    def parse(value: str) -> int:
        try:
            return options[" ".join(value.lower().split())]
        except KeyError:
            raise CellError(_l("There is no %(what)s called \"%(value)s\". Check the spelling.",
                               what=what, value=value)) from None

    return parse


def emails(value: str) -> tuple[str, ...]:
    """A `|`-separated list of e-mail addresses."""
    return tuple(dict.fromkeys(email(item) for item in split_list(value)))
