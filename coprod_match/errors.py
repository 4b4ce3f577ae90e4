"""Error pages in the site's style, or JSON problem documents for API clients.

API errors are RFC 9457 problem documents (application/problem+json):
type, title, status, detail and instance, and for invalid input an `errors`
list with one entry per field (`pointer` into the JSON body, or `parameter`
for the query string). Never HTML, never a stack trace.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Flask, flash, g, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError, TooManyRequests

from .domain_errors import DomainError
from .extensions import db
from .limits import retry_after_seconds

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
        401: (
            _("You need to log in"),
            _("Send a personal API token as 'Authorization: Bearer <token>', or log in."),
        ),
        405: (_("This action is not possible here"), _("Please go back and try again.")),
        406: (_("This answer cannot be given in that format"), _("Ask for application/json.")),
        409: (
            _("This is not possible in the current state"),
            _("Please look at the current status and try again."),
        ),
        415: (_("Send JSON"), _("Send the request body as application/json.")),
        422: (
            _("Some of what you sent is not right"),
            _("See the errors for each field."),
        ),
        413: (_("What you sent is too large"), _("Please send a smaller file or less text.")),
        429: (_("Too many attempts"), _("Please wait a few minutes and try again.")),
        500: (
            _("Something went wrong on our side"),
            _("Nothing you did caused this. Please try again in a few minutes."),
        ),
    }


PROBLEM_MIMETYPE = "application/problem+json"
# Problem types beyond the plain HTTP status ("about:blank" means: just the status).
PROBLEM_TYPE_BASE = "urn:coprod-match:problem:"


def problem_response(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    problem_type: str | None = None,
    errors: list[dict] | None = None,
    headers: Mapping[str, str] | None = None,
):
    """An RFC 9457 problem document."""
    default_title, default_detail = _messages().get(status, (_("Something went wrong"), ""))
    body = {
        "type": PROBLEM_TYPE_BASE + problem_type if problem_type else "about:blank",
        "title": str(title or default_title),
        "status": status,
        "detail": str(detail or default_detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(messages) -> list[dict]:
    """Marshmallow/webargs messages ({location: {field: [text]}}) as one entry per field.

    Body fields get a JSON pointer ("#/title", "#/tasks/2"); query fields a `parameter`.
    """
    found: list[dict] = []

    def walk(node, path: list[str], location: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, [*path, str(key)], location)
        elif isinstance(node, list | tuple) and node and all(isinstance(item, str) for item in node):
            for text in node:
                found.append(_one_field_error(path, location, text))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, path, location)
        else:
            found.append(_one_field_error(path, location, str(node)))

    if isinstance(messages, Mapping):
        for location, per_field in messages.items():
            walk(per_field, [], str(location))
    return found


def _one_field_error(path: list[str], location: str, text: str) -> dict:
    if location == "json":
        pointer = "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
        return {"pointer": pointer, "detail": text}
    return {"parameter": ".".join(path), "in": location, "detail": text}


class ApiProblem(HTTPException):
    """An HTTP answer the API gives before any service runs (a missing or bad token).

    Refusals by the domain's rules are DomainErrors, not this.
    """

    def __init__(self, status: int, detail: str, *, problem_type: str | None = None):
        super().__init__(description=str(detail))
        self.code = status
        self.problem_type = problem_type


def render_error(status: int, detail: str | None = None, headers: Mapping[str, str] | None = None):
    title, default_detail = _messages().get(status, (_("Something went wrong"), ""))
    detail = detail or default_detail
    if wants_json():
        return problem_response(status, title=title, detail=detail, headers=headers)
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def _exception_headers(error: HTTPException) -> dict[str, str]:
    """Headers worth keeping from the exception (Allow on 405, WWW-Authenticate on 401)."""
    keep = {"allow", "www-authenticate", "retry-after"}
    return {name: value for name, value in error.get_headers() if name.lower() in keep}


def _http_problem(error: HTTPException):
    status = error.code or 500
    headers = _exception_headers(error)
    if isinstance(error, SecurityError):
        # A Host header outside TRUSTED_HOSTS: no page can build its links for it, so a short answer.
        return problem_response(400, detail=_("This site does not answer to this host name."))
    if status == 401 and request.path.startswith("/api/"):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="coprod-match"')
    data = getattr(error, "data", None)
    if wants_json() and isinstance(data, Mapping) and "messages" in data:
        # webargs/flask-smorest validation failures: one entry per field.
        return problem_response(status, problem_type="validation", errors=field_errors(data["messages"]),
                                headers=headers)
    if isinstance(error, ApiProblem):
        return problem_response(status, detail=error.description, problem_type=error.problem_type,
                                headers=headers)
    if status == 403 and request.path.startswith("/api/"):
        return problem_response(403, detail=_("Your role cannot use this part of the API."), headers=headers)
    return render_error(status, headers=headers)


@dataclass(frozen=True)
class PageAnswer:
    """How a page answers a DomainError: its form shown again, or a flash and a redirect."""

    render: Callable[[], object] | None = None
    form: object | None = None
    redirect_to: str | None = None
    status: int | None = None


def answer_refusals(*, render: Callable[[], object] | None = None, form=None,
                    redirect_to: str | None = None, status: int | None = None) -> None:
    """Say, before calling a service, how this page answers if the service says no.

    With `render` (and `form`), the page is shown again with the person's input
    and the message beside its field (or above the form); with `redirect_to`,
    the message is flashed there. Without either, the error page says it.
    """
    g.page_answer = PageAnswer(render=render, form=form, redirect_to=redirect_to, status=status)


def _attach_to_form(form, error: DomainError) -> None:
    message = str(error.message)
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, message]
    else:
        form.form_errors.append(message)


def _domain_error(error: DomainError):
    db.session.rollback()
    message = str(error.message)
    if wants_json():
        errors = None
        if error.field:
            errors = [{"pointer": f"#/{error.field}", "detail": message}]
        elif error.parameter:
            errors = [{"parameter": error.parameter, "in": "query", "detail": message}]
        return problem_response(error.status, detail=message, problem_type=error.problem_type,
                                errors=errors)
    answer: PageAnswer | None = g.get("page_answer")
    if answer is not None and answer.render is not None:
        if answer.form is not None:
            _attach_to_form(answer.form, error)
        else:
            flash(message, error.flash_category)
        return answer.render(), answer.status or error.status
    if answer is not None and answer.redirect_to is not None:
        flash(message, error.flash_category)
        return redirect(answer.redirect_to)
    return render_error(error.status, message)


def _too_many_tries(error: TooManyRequests):
    """A throttled door (limits.py): how long to wait, in words and in Retry-After."""
    seconds = retry_after_seconds(error)
    minutes = max(1, math.ceil(seconds / 60))
    title = _("Too many tries")
    detail = ngettext("Too many tries. Wait %(num)d minute and try again.",
                      "Too many tries. Wait %(num)d minutes and try again.", minutes)
    headers = {"Retry-After": str(seconds)}
    if wants_json():
        return problem_response(429, title=title, detail=detail, problem_type="too-many-requests",
                                headers=headers)
    page = render_template("errors/error.html", status=429, title=title, detail=detail)
    return page, 429, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(TooManyRequests, _too_many_tries)

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
        return _http_problem(error)

    @app.errorhandler(Exception)
    def _internal_error(error: Exception):
        # Keep the failed transaction from leaking into the next request on this connection.
        db.session.rollback()
        original = getattr(error, "original_exception", None) or error
        log.error("unhandled error", exc_info=original)
        return render_error(500)
