"""The browser's side of a login: what the session cookie carries, and who it stands for.

Flask-Login keeps `current_user`; its "alternative token" is the random key
of a `LoginSession` row (services/sessions.py), so the cookie holds that key
where Flask-Login would keep the user id, and the user loader finds the user
through the row. Ending the row ends the login, wherever the cookie went.
Every login goes through `log_in` and every logout through `log_out`.
"""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_login import login_user, logout_user

from ..extensions import db
from ..models import LoginSession, User
from ..services import sessions

# Set by POST /language when a visitor (not logged in) chooses a language; the login that follows
# stores that choice on the account, which would otherwise win and undo it (i18n.select_locale).
# A language set from a mailed link is no choice and is not stored.
LOCALE_CHOSEN = "locale_chosen_before_login"

# What survives logging in and out: the visitor's language choice, nothing else.
_KEPT_KEYS = ("locale", LOCALE_CHOSEN)


def lifetimes() -> sessions.SessionLifetimes:
    return sessions.SessionLifetimes.from_config(current_app.config)


def _fresh_cookie_session() -> None:
    """Empty the cookie's session: a new CSRF secret, so a token from before the change stops working."""
    kept = {key: session[key] for key in _KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


def log_in(user: User, *, remember: bool = False) -> LoginSession:
    """Start a login for `user` in this browser; "stay logged in" only where the role allows it."""
    from ..devices import describe_device

    record, key = sessions.start_login_session(
        db.session, user, device=describe_device(request.headers.get("User-Agent")),
        remember=remember, lifetimes=lifetimes(),
    )
    _keep_the_chosen_language(user)
    _fresh_cookie_session()
    login_user(user)
    session["_user_id"] = key  # the alternative token: the key, never the user id
    # A remembered login keeps its cookie after the browser closes (PERMANENT_SESSION_LIFETIME).
    session.permanent = record.remembered
    g.login_session = record
    return record


def _keep_the_chosen_language(user: User) -> None:
    """A language chosen before logging in becomes the account's: the person just said they read it."""
    chosen = session.pop(LOCALE_CHOSEN, None) and session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        user.preferred_locale = chosen


def log_out() -> None:
    """End this browser's login: its row goes, and the cookie's session starts again empty."""
    record = current_login_session()
    if record is not None:
        sessions.end_login_session(db.session, record)
    _fresh_cookie_session()
    logout_user()  # after emptying: it may ask to delete an old remember-me cookie


def forget_ended_login() -> None:
    """This browser's login was already ended by a service (its row is gone): forget it here too."""
    g.pop("login_session", None)
    _fresh_cookie_session()
    logout_user()


def current_login_session() -> LoginSession | None:
    """The row of this browser's login (None for API tokens and visitors)."""
    from flask_login import current_user

    current_user._get_current_object()  # loads the user, and with it the row
    return g.get("login_session")


def load_user(key: str) -> User | None:
    """Flask-Login's user loader: the cookie's key to a live login's user."""
    record = sessions.login_session_for_key(db.session, key, lifetimes=lifetimes())
    if record is None:
        return None
    g.login_session = record
    return record.user
