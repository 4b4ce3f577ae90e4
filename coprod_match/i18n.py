"""Language choice: the user's preference, then the browser, then Dutch."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale, dates
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone, refresh, to_user_timezone
from flask_login import current_user

from .extensions import babel
from .vocabulary import LANGUAGE_SELF_NAMES


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: callers use force_locale() when they know better
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.preferred_locale in languages:
        return current_user.preferred_locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def speak_the_mails_language(locale: str | None) -> None:
    """A page opened from a mailed link (invitation, welcome, password reset...) speaks the mail's language.

    The mail went out in the recipient's stored language (or the one the
    sender chose for someone without an account); their browser may say
    otherwise. A visitor who chose a language on this site keeps it, and a
    logged-in user keeps their own preference (select_locale). The choice is
    kept in the session, so the form the page posts answers in it too.
    """
    if (current_user.is_authenticated or "locale" in session
            or locale not in current_app.config["LANGUAGES"] or locale == current_locale()):
        return
    session["locale"] = locale
    refresh()


def local_today() -> dt.date:
    """Today's date where the users live (the server's clock is UTC)."""
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction(locale: str) -> str:
    """"rtl" for a language written right to left (Arabic), else "ltr": for `<html dir>`, from Babel's data."""
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


# How a page writes dates and times, where Babel's default for its language is not what readers here
# expect: Babel's "en" is American (Dec 1, 2026; 12/1/26, 1:05 PM), while English pages here are read
# in The Hague, so they write dates day first, the British way (1 Dec 2026; 01/12/2026, 13:05).
DATE_LOCALES = {"en": "en_GB"}


def date_locale() -> str:
    """The Babel locale whose date and time patterns the current page (or mail) uses."""
    locale = current_locale()
    return DATE_LOCALES.get(locale, locale)


def format_date(value=None, format: str = "medium") -> str:
    """A date (or a moment's local date) written as the reader's language does: Flask-Babel's, day first in English."""
    if isinstance(value, dt.datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, format, locale=date_locale())


def format_datetime(value=None, format: str = "medium") -> str:
    """A moment in The Hague's time, written as the reader's language does (see DATE_LOCALES)."""
    return dates.format_datetime(value, format, tzinfo=get_timezone(), locale=date_locale())


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _inject_locale():
        locale = current_locale()
        return {"current_locale": locale, "text_direction": text_direction(locale),
                "ui_languages": app.config["LANGUAGES"], "language_self_names": LANGUAGE_SELF_NAMES}
