"""The privacy statement as shown in one language, and its version (the SHA-256 of that text).

Rendered once per language and process from templates/privacy/_statement_text.html;
pages (web/privacy.py), registration (web/auth.py) and the welcome page record
the version a person saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..i18n import format_date
from ..links import page_path
from ..services import consents

# The date the statement's words last changed: part of the text, so part of the version.
STATEMENT_CHANGED_ON = dt.date(2026, 12, 1)
_CACHE_KEY = "coprod_match.privacy_statements"


def optional_url(endpoint: str) -> str | None:
    """A link to a page another part of the app may add (My data, erasure), if it is there."""
    return page_path(endpoint) if endpoint in current_app.view_functions else None


@dataclass(frozen=True)
class Statement:
    html: Markup
    version: str
    locale: str

    @property
    def short_version(self) -> str:
        return self.version[:12]

    @property
    def shown(self) -> consents.TextShown:
        return consents.TextShown(self.version, self.locale)


def statement_in(locale: str) -> Statement:
    """The statement as shown in `locale`, with its version (rendered once per language and process)."""
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    if locale in cache and not current_app.debug:
        return cache[locale]
    with force_locale(locale):
        html = render_template("privacy/_statement_text.html", my_data_url=optional_url("my_data.index"),
                               changed_on=format_date(STATEMENT_CHANGED_ON, "long"))
    statement = Statement(Markup(html), consents.text_version(html), locale)  # noqa: S704 (our own template)
    cache[locale] = statement
    return statement
