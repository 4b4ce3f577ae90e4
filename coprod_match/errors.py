"""Error pages in the site's style, or JSON problem documents for API clients."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

log = logging.getLogger("coprod_match.errors")


def wants_json() -> bool:
    """API paths always get JSON; elsewhere, only clients that prefer it."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in the request was not right"), _("Please go back and try again.")),
        403: (
            _("You cannot open this page"),
            _("Your account does not have access to this page. Log in with another account, or ask the administrator."),
        ),
        404: (_("Page not found"), _("This page does not exist, or it has been removed.")),
        405: (_("This action is not possible here"), _("Please go back and try again.")),
        413: (_("What you sent is too large"), _("Please send a smaller file or less text.")),
        429: (_("Too many attempts"), _("Please wait a few minutes and try again.")),
        500: (
            _("Something went wrong on our side"),
            _("Nothing you did caused this. Please try again in a few minutes."),
        ),
    }


def render_error(status: int, detail: str | None = None):
    title, default_detail = _messages().get(status, (_("Something went wrong"), ""))
    detail = detail or default_detail
    if wants_json():
        response = jsonify(
            {"type": "about:blank", "title": title, "status": status, "detail": detail}
        )
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(
            400,
            _("This form has expired or was sent from another page. Please fill it in again and send it."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if isinstance(error, InternalServerError):
            return _internal_error(error)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _internal_error(error: Exception):
        # Keep the failed transaction from leaking into the next request on this connection.
        db.session.rollback()
        original = getattr(error, "original_exception", None) or error
        log.error("unhandled error", exc_info=original)
        return render_error(500)
