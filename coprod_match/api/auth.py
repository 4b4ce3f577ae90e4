"""Who is calling the API: a bearer token, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import limits
from ..errors import ApiProblem
from ..extensions import csrf, db
from ..services.api_tokens import user_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _unauthorised(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, problem_type="invalid-token")


def authenticate() -> None:
    """Set the current user from the Authorization header, or leave the session's.

    A request that sends a token is judged by that token alone: a bad one is
    refused (401), never quietly treated as the session's user or anonymous.
    """
    g._api_user_checked = True
    header = request.headers.get("Authorization")
    if header is None:
        # The session cookie alone must not be enough to change data. Without a session
        # user there is no one to act for: role checks answer 401 instead.
        if request.method not in SAFE_METHODS and current_user.is_authenticated:
            csrf.protect()
        return
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorised(_("Send the token as 'Authorization: Bearer <token>'."))
    limits.refuse_if_too_many_token_failures()
    user = user_for_token(db.session, token.strip())
    if user is None:
        limits.count_token_failure()
        raise _unauthorised(_("This token is not valid: it may be revoked or mistyped."))
    # Flask-Login reads the user from here; nothing is written to the session cookie.
    g._login_user = user
