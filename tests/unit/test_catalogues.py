"""The translation catalogues are complete, current and safe to format, for every interface language.

Read with Babel, without the app. A catalogue fails when a message is
untranslated (empty) or fuzzy, when a translation's placeholders differ from
its msgid's (a missing `%(name)s` loses a word, a foreign one crashes the
page), when a plural message misses a form or the header's plural rule does
not fit the language, or when its msgids are not the .pot's (run the update
in docs/languages.md). The .pot itself must be what the code and templates
say now: it is extracted again, in this process, and compared.

English is the exception: the msgids ARE English, so an empty msgstr in the
en catalogue is complete by definition (gettext shows the msgid); only fuzzy
flags and placeholders are checked there.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from coprod_match.vocabulary import LANGUAGE_SELF_NAMES, UI_LOCALES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
# The source language: its msgids are the English text.
SOURCE_LOCALE = "en"
# gettext's number of plural forms per language (Babel's CLDR data counts fractions too, gettext does not).
NPLURALS = {"ar": 6, "pl": 3, "uk": 3}
DEFAULT_NPLURALS = 2
UPDATE_HINT = "run the catalogue update in docs/languages.md, then translate"

# `%(name)s`, `%(num)d`, a bare `%s`, and `{name}`; `%%` is a literal per cent sign.
_PERCENT = re.compile(r"%%|%(?:\((?P<name>\w+)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa])")
_BRACES = re.compile(r"\{\w*\}")


@cache
def _pot() -> Catalog:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return read_po(handle)


@cache
def _catalogue(locale: str) -> Catalog:
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        pytest.fail(f"no catalogue for {locale}: {path.relative_to(ROOT)} ({UPDATE_HINT})")
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]  # the header has an empty msgid


def _key(message: Message) -> tuple:
    return message.id, message.context


def _short(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    return text if len(text) < 70 else text[:67] + "..."


def placeholders(text: str, *, python_format: bool) -> Counter:
    """The placeholders a text fills in: named ones, bare ones (counted) and braces."""
    found: Counter = Counter(_BRACES.findall(text))
    if python_format:
        for match in _PERCENT.finditer(text):
            if match.group(0) != "%%":
                name = match.group("name")
                found[f"%({name}){match.group('type')}" if name else f"%{match.group('type')}"] += 1
    return found


def _named(found: Counter) -> set[str]:
    # A named placeholder may be used twice (or, in a plural form, the count left out): compared as a set.
    return {key for key in found if key.startswith("%(") or key.startswith("{")}


def _placeholder_problem(message: Message, translation: str, source: str) -> str | None:
    python_format = "python-format" in message.flags
    wanted = placeholders(source, python_format=python_format)
    got = placeholders(translation, python_format=python_format)
    positional_wanted = Counter({k: v for k, v in wanted.items() if k not in _named(wanted)})
    positional_got = Counter({k: v for k, v in got.items() if k not in _named(got)})
    if _named(wanted) != _named(got) or positional_wanted != positional_got:
        return f"placeholders {sorted(got)} instead of {sorted(wanted)}"
    return None


def _plural_problem(message: Message, translation: str, plural_source: str, *, form: int) -> str | None:
    """A plural form may leave out the count (Arabic's "one" and "two" forms say it in words), nothing else."""
    python_format = "python-format" in message.flags
    wanted = _named(placeholders(plural_source, python_format=python_format))
    got = _named(placeholders(translation, python_format=python_format))
    if not got <= wanted or not wanted - {"%(num)d", "%(num)s"} <= got:
        return f"plural form {form} has placeholders {sorted(got)}, the msgid {sorted(wanted)}"
    return None


def _problems(locale: str) -> list[str]:
    catalog = _catalogue(locale)
    nplurals = catalog.num_plurals
    problems = []
    for message in _messages(catalog):
        where = f"{locale}: {_short(message)!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        if isinstance(message.id, tuple):
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            if len(forms) != nplurals:
                problems.append(f"{where} has {len(forms)} plural forms, not {nplurals}")
            for number, form in enumerate(forms):
                if not form:
                    if locale != SOURCE_LOCALE:
                        problems.append(f"{where} plural form {number} is not translated")
                    continue
                problem = _plural_problem(message, form, message.id[1], form=number)
                if problem:
                    problems.append(f"{where}: {problem}")
        elif not message.string:
            if locale != SOURCE_LOCALE:
                problems.append(f"{where} is not translated")
        else:
            problem = _placeholder_problem(message, message.string, message.id)
            if problem:
                problems.append(f"{where}: {problem}")
    return problems


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_every_message_is_translated_without_fuzzy_entries_and_with_the_same_placeholders(locale):
    problems = _problems(locale)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_the_plural_rule_fits_the_language(locale):
    """nplurals as gettext counts for the language, and a rule that sends each number to the right form.

    Every integer up to 1,000 is sent to a form by the header's rule; each
    form must gather numbers of one CLDR category only (so "2 dagen" never
    shares a form with "1 dag"), and together the forms cover every category.
    """
    catalog = _catalogue(locale)
    expected = NPLURALS.get(locale, DEFAULT_NPLURALS)
    assert catalog.num_plurals == expected, f"{locale}: nplurals={catalog.num_plurals}, expected {expected}"
    rule = gettext.c2py(catalog.plural_expr)
    categories = Locale.parse(locale).plural_form
    by_form: dict[int, set[str]] = {}
    for number in range(1001):
        form = rule(number)
        assert 0 <= form < expected, f"{locale}: the rule sends {number} to form {form}"
        by_form.setdefault(form, set()).add(categories(number))
    mixed = {form: kinds for form, kinds in by_form.items() if len(kinds) > 1}
    assert not mixed, f"{locale}: forms that mix plural categories: {mixed}"
    assert len(by_form) == expected, f"{locale}: the rule uses forms {sorted(by_form)} of {expected}"


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_each_catalogue_has_exactly_the_templates_messages(locale):
    wanted = {_key(message) for message in _messages(_pot())}
    present = {_key(message) for message in _messages(_catalogue(locale))}
    missing, extra = wanted - present, present - wanted
    assert not missing and not extra, (
        f"{locale}: {len(missing)} messages of messages.pot missing, {len(extra)} not in it ({UPDATE_HINT}); "
        f"for example {sorted(map(str, missing))[:3]} / {sorted(map(str, extra))[:3]}")


def test_the_template_is_what_the_code_says_now():
    """Extract again, in this process, with the project's mapping and keywords: the same msgids as messages.pot."""
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords,
            # Only the folders the mapping names: the walk skips tests, static files and the venv.
            directory_filter=_mapped_folders_only):
        extracted.add((message, context))
    in_pot = {_key(message) for message in _messages(_pot())}
    new, gone = extracted - in_pot, in_pot - extracted
    assert not new and not gone, (
        f"messages.pot is not current: {len(new)} new messages, {len(gone)} gone ({UPDATE_HINT}); "
        f"for example {sorted(map(str, new))[:3]} / {sorted(map(str, gone))[:3]}")


def _mapped_folders_only(dirpath: str) -> bool:
    relative = Path(dirpath).resolve().relative_to(ROOT).parts
    return bool(relative) and relative[0] in ("coprod_match", "templates") and not any(
        part.startswith((".", "_")) for part in relative)


def test_the_glossary_has_a_column_for_every_interface_language():
    """translations/GLOSSARY.md: one word per idea in each language (issue 15).

    BEFORE THE MERGE this fails: the lead assembles GLOSSARY.md from the
    translations/GLOSSARY-xx.md files. A column is found by the language's
    code, its English name or its own name (e.g. "tr", "Turkish", "Türkçe").
    """
    path = TRANSLATIONS / "GLOSSARY.md"
    assert path.exists(), "translations/GLOSSARY.md is missing (assembled from translations/GLOSSARY-xx.md)"
    header = next((line for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("|") and not set(line) <= set("|-: ")), "")
    columns = [cell.strip().lower() for cell in header.strip("|").split("|")]
    missing = [code for code in UI_LOCALES if not any(_names_language(column, code) for column in columns)]
    assert not missing, f"GLOSSARY.md has no column for {missing}; its columns: {columns}"


def _names_language(column: str, code: str) -> bool:
    locale = Locale.parse(code)
    names = {code, locale.english_name.lower(), LANGUAGE_SELF_NAMES[code].lower(),
             (locale.get_display_name("nl") or "").lower()}
    words = set(re.findall(r"\w+", column))
    return bool(names & words) or column in names


def _translation(locale: str, msgid: str) -> str:
    return _catalogue(locale)[msgid].string


def test_turkish_puts_the_case_ending_on_girisim_not_on_an_initiatives_title():
    # The title bare before the verb read as if the title itself wanted something (GLOSSARY.md, tr).
    assert _translation("tr", "Reminder: %(initiative)s would like you to join").startswith(
        'Hatırlatma: "%(initiative)s" girişimi')  # noqa: RUF001 (Turkish dotless i)
    for message in _messages(_catalogue("tr")):
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            assert not re.search(r"%\((?:initiative|title)\)s['\u2019\w]", text or ""), text


def test_arabic_says_no_with_a_verbal_noun_and_names_nobodys_gender():
    assert _translation("ar", "Say no") == "رفض"
    assert all("قول لا" not in _translation("ar", msgid) for msgid in ("Say no to %(name)s", "Say no to %(name)s?"))
    # We do not know if %(name)s is a man or a woman: no masculine verb before the name (GLOSSARY.md, ar).
    for msgid in ('%(name)s said yes to "%(initiative)s". Please confirm the start.',
                  '%(name)s said no to "%(initiative)s".', '%(name)s stopped at "%(initiative)s".',
                  '%(name)s paused their help at "%(initiative)s".'):
        assert not re.match(r"(قال|توقف|أخذ|يساعد) %\(name\)s", _translation("ar", msgid)), msgid


@pytest.mark.parametrize("locale", ["tr", "ar", "pl", "bg", "uk"])
def test_asking_why_not_asks_for_the_reason(locale):
    # "Why not?" read as "sure, why not" in several languages; the question asks the reason of a no.
    assert not re.match(r"(Neden olmas|لماذا لا|Dlaczego nie|Защо не|Чому ні)",
                        _translation(locale, "Why not? (you do not have to say)"))
