"""An initiative's title for a mail's reader: the version in the mail's language, else the original.

A mail is worded once, in its recipient's language, and its subject names the
initiative; a Turkish resident reads the Turkish title when a professional or
co-producer wrote one (InitiativeVersion). The answer carries the title's own
language, so the HTML part can mark an original Dutch title with `lang="nl"`
inside a Turkish mail.

A version in the original's own language is never preferred to the original
(pages follow the same rule).
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import orm

from ..models import Initiative, InitiativeVersion


class TitleInLanguage(NamedTuple):
    text: str
    lang: str


def initiative_title_for(session: orm.Session, initiative: Initiative, locale: str) -> TitleInLanguage:
    """The title a reader of `locale` gets for this initiative, and the language it is written in."""
    if locale != initiative.written_in:
        version = session.scalar(sa.select(InitiativeVersion.title).where(
            InitiativeVersion.initiative_id == initiative.id, InitiativeVersion.locale == locale))
        if version:
            return TitleInLanguage(version, locale)
    return TitleInLanguage(initiative.title, initiative.written_in)


def initiative_title_by_id(session: orm.Session, initiative_id: int | None, locale: str,
                           stored_title: str) -> str:
    """The title for a message that stored the initiative's id and title: the version, else the stored title.

    The stored title stays when the initiative is gone (a message outlives it).
    """
    initiative = session.get(Initiative, initiative_id) if initiative_id else None
    if initiative is None:
        return stored_title
    found = initiative_title_for(session, initiative, locale)
    return found.text if found.lang == locale else stored_title
