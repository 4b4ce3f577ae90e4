"""Which words of an initiative a reader gets: the version in their language, else the original.

A professional writes an initiative in one language (`Initiative.written_in`)
and may add versions in other interface languages, each with its own title,
description and task titles. A reader is shown the version in their language
when there is one, otherwise the original; either way the answer says which
language the words are in, so a page marks text in another language than its
own with `lang` (a screen reader then reads Turkish as Turkish) and says
"Written in Dutch".

A version may leave a task untranslated: that task keeps its original title,
and its own language, so each task carries its language too.

Pure (plain values in, a frozen dataclass out): pages, the API and mails use
it alike, and it is tested without Flask or a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextInLanguage:
    """A piece of user-written text and the language it is written in."""

    text: str
    lang: str


@dataclass(frozen=True)
class VersionText:
    """An initiative's words in one language other than the original."""

    locale: str
    title: str
    description: str
    # Task id -> the task's title in `locale`; tasks left out keep their original title.
    task_titles: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InitiativeText:
    """The words a reader gets for one initiative, and their language."""

    title: str
    description: str
    lang: str
    is_original: bool
    # The original's language: untranslated tasks are in it.
    original_lang: str
    task_titles: Mapping[int, str] = field(default_factory=dict)

    def task(self, task_id: int, original_title: str) -> TextInLanguage:
        """A task's title for this reader: translated when the version has it, else the original's."""
        translated = self.task_titles.get(task_id)
        if translated:
            return TextInLanguage(translated, self.lang)
        return TextInLanguage(original_title, self.original_lang)

    @property
    def title_text(self) -> TextInLanguage:
        return TextInLanguage(self.title, self.lang)

    @property
    def description_text(self) -> TextInLanguage:
        return TextInLanguage(self.description, self.lang)


def original_text(*, title: str, description: str, written_in: str) -> InitiativeText:
    """The initiative's own words, as written."""
    return InitiativeText(title=title, description=description, lang=written_in, is_original=True,
                          original_lang=written_in)


def text_for_reader(*, title: str, description: str, written_in: str, reader_locale: str,
                    version: VersionText | None) -> InitiativeText:
    """The version in the reader's language if there is one, else the original.

    `version` is the initiative's version in `reader_locale` (or None). A
    version in the original's own language is never preferred to the original.
    """
    if version is None or reader_locale == written_in or version.locale != reader_locale:
        return original_text(title=title, description=description, written_in=written_in)
    return InitiativeText(title=version.title, description=version.description, lang=version.locale,
                          is_original=False, original_lang=written_in, task_titles=dict(version.task_titles))
