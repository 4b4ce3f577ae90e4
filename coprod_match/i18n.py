"""Language choice: the user's preference, then the browser, then Dutch."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, refresh
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


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _inject_locale():
        locale = current_locale()
        return {"current_locale": locale, "text_direction": text_direction(locale),
                "ui_languages": app.config["LANGUAGES"], "language_self_names": LANGUAGE_SELF_NAMES}
