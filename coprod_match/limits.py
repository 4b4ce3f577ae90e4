"""Throttling: how often one address or one account may knock on the doors attackers try.

Flask-Limiter counts tries per client address and per account (the e-mail
address typed, kept only as a keyed hash) on login, registration, password
reset and invitation by e-mail, and counts bad API tokens per address. Where
only failures matter (a login, a token) only failures count, so a busy
community centre behind one address is not slowed down by its own successes.
A breach answers 429 with `Retry-After` (errors.py words it).

Each app gets its own Limiter (in `app.extensions`), so two apps in one
process keep their own storage: in production that storage is Redis
(`RATELIMIT_STORAGE_URI`), shared by every worker on every machine. When
Redis cannot be reached the limiter fails open to a per-process memory count
and logs it: a Redis outage must not lock every resident out, and the
account lockout (services/lockout.py) lives in the database and still holds.

Views opt in with `@throttled("login")`; what that means is the table below.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from limits import parse
from werkzeug.exceptions import TooManyRequests

from .services.accounts import normalise_email

log = logging.getLogger("coprod_match.limits")

EXTENSION_KEY = "coprod_match.limiter"
FALLBACK_RETRY_SECONDS = 60


def client_address() -> str:
    """The client's address; behind a proxy, ProxyFix (TRUSTED_PROXY_COUNT) has already set it."""
    return request.remote_addr or "unknown"


def typed_account() -> str:
    """The account a form is about: the e-mail address typed, normalised, as a keyed hash.

    Hashed so that no e-mail address reaches Redis or the limiter's log lines;
    keyed so the hashes cannot be looked up in a list of known addresses.
    """
    email = normalise_email(request.form.get("email", ""))[:254]
    if not email:
        return ""  # nothing typed: only the address limit applies
    secret = current_app.config["SECRET_KEY"].encode()
    return "account:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]


NOT_A_FAILURE = frozenset({301, 302, 303, 307, 308, 429})


def failed_answer(response: Response) -> bool:
    """The try did not go through: the form came back (422) instead of a redirect onwards.

    A 429 is not counted again, so someone who waits is let in once the window has passed.
    """
    return response.status_code not in NOT_A_FAILURE


@dataclass(frozen=True)
class Throttle:
    """One limit on a door: the config value holding it, whom it counts, and which answers count."""

    setting: str
    scope: str
    key: Callable[[], str]
    counts: Callable[[Response], bool] | None = None  # None: every POST counts, before the view runs


# Login counts only failures. Registration, reset requests and e-mail invitations count every
# try: each one may send a mail, so the limit per account keeps anyone's inbox from being flooded.
THROTTLES: dict[str, tuple[Throttle, ...]] = {
    "login": (
        Throttle("RATELIMIT_LOGIN_PER_ADDRESS", "address", client_address, failed_answer),
        Throttle("RATELIMIT_LOGIN_PER_ACCOUNT", "account", typed_account, failed_answer),
    ),
    "registration": (
        Throttle("RATELIMIT_REGISTRATION_PER_ADDRESS", "address", client_address),
        Throttle("RATELIMIT_REGISTRATION_PER_ACCOUNT", "account", typed_account),
    ),
    "password-reset": (
        Throttle("RATELIMIT_PASSWORD_RESET_PER_ADDRESS", "address", client_address),
        Throttle("RATELIMIT_PASSWORD_RESET_PER_ACCOUNT", "account", typed_account),
    ),
    "invitation-by-email": (
        Throttle("RATELIMIT_INVITATION_BY_EMAIL_PER_ADDRESS", "address", client_address),
        Throttle("RATELIMIT_INVITATION_BY_EMAIL_PER_ACCOUNT", "account", typed_account),
    ),
}
TOKEN_FAILURES_SETTING = "RATELIMIT_API_TOKEN_FAILURES_PER_ADDRESS"  # noqa: S105 (a config name)


def throttled(door: str) -> Callable:
    """Mark a view as one of the doors in THROTTLES; init_app puts the limits on it."""
    if door not in THROTTLES:
        raise KeyError(f"no throttle named {door!r}")

    def mark(view: Callable) -> Callable:
        view.throttled_door = door
        return view

    return mark


def init_app(app: Flask) -> None:
    """Build this app's limiter and put the limits on every marked view (after the blueprints)."""
    storage_uri = app.config.get("RATELIMIT_STORAGE_URI")
    if not storage_uri and app.config["APP_ENV"] == "production":
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI is not set: production runs several processes, so the limits "
            "need a shared store (redis://host:6379/0), or memory:// for a single process."
        )
    if storage_uri and storage_uri.startswith("memory") and app.config["APP_ENV"] == "production":
        log.warning("RATELIMIT_STORAGE_URI is memory://: every process counts on its own")
    if storage_uri and storage_uri.startswith(("redis", "rediss")):
        # A slow or missing Redis must cost a login little time before the limiter fails open.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5})
    limiter = Limiter(
        client_address,
        storage_uri=storage_uri or "memory://",
        strategy="moving-window",  # "the 11th try within any minute", not within a clock minute
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        key_prefix=_key_prefix(app),
    )
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    if not limiter.enabled:
        return
    for endpoint, view in list(app.view_functions.items()):
        door = getattr(view, "throttled_door", None)
        if door is not None:
            app.view_functions[endpoint] = _limited(limiter, app, door, view)


def _limited(limiter: Limiter, app: Flask, door: str, view: Callable) -> Callable:
    for throttle in THROTTLES[door]:
        view = limiter.limit(
            _setting_reader(app, throttle.setting),
            key_func=throttle.key,
            scope=throttle.scope,
            methods=["POST"],
            deduct_when=throttle.counts,
        )(view)
    return view


def _key_prefix(app: Flask) -> str:
    # Keeps this app's keys apart from anything else in the same Redis (and one test from another).
    return app.config.get("RATELIMIT_KEY_PREFIX") or "coprod-match"


def _setting_reader(app: Flask, setting: str) -> Callable[[], str]:
    return lambda: app.config[setting]


def _limiter() -> Limiter | None:
    limiter = current_app.extensions.get(EXTENSION_KEY)
    return limiter if limiter is not None and limiter.enabled else None


# --- Bad API tokens -------------------------------------------------------------------------------
# The token is checked before any view runs (api/auth.py), so this count is kept by hand with the
# limiter's own strategy and storage (and its memory fallback).


def refuse_if_too_many_token_failures() -> None:
    """Raise 429 when this address sent too many bad tokens lately; good tokens too must wait."""
    limiter = _limiter()
    if limiter is None:
        return
    item = parse(current_app.config[TOKEN_FAILURES_SETTING])
    keys = (_key_prefix(current_app), client_address(), "api-token-failures")
    try:
        if limiter.limiter.test(item, *keys):
            return
        reset_at, _remaining = limiter.limiter.get_window_stats(item, *keys)
    except Exception:
        log.exception("rate limit storage failed: bad tokens are not counted now")
        return
    raise TooManyRequests(retry_after=max(1, math.ceil(reset_at - time.time())))


def count_token_failure() -> None:
    """Count one bad token from this address."""
    limiter = _limiter()
    if limiter is None:
        return
    item = parse(current_app.config[TOKEN_FAILURES_SETTING])
    try:
        limiter.limiter.hit(item, _key_prefix(current_app), client_address(), "api-token-failures")
    except Exception:
        log.exception("rate limit storage failed: a bad token was not counted")


def retry_after_seconds(error: TooManyRequests) -> int:
    """Whole seconds until the breached limit lets this client try again."""
    if error.retry_after is not None:
        retry_after = error.retry_after
        if not isinstance(retry_after, int):
            retry_after = math.ceil(retry_after.timestamp() - time.time())
        return max(1, retry_after)
    limiter = _limiter()
    breached = limiter.current_limit if limiter is not None else None
    if breached is None:
        return FALLBACK_RETRY_SECONDS
    try:
        return max(1, math.ceil(breached.window[0] - time.time()))
    except Exception:
        log.exception("rate limit storage failed while reading the window")
        return FALLBACK_RETRY_SECONDS
