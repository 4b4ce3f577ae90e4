"""The JSON API at /api/v1: blueprints, the OpenAPI document, token and session authentication.

Bearer tokens (`Authorization: Bearer <token>`) authenticate machines and
need no CSRF token; browsers use their session cookie and send the CSRF
token in the X-CSRFToken header for anything that changes data. Access is
decided by the same functions in security.py as the web pages.
"""

from __future__ import annotations

import http

from flask import Flask, g, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from ..routing import IdConverter
from .common import MAX_ID, PROBLEM, ProblemSchema

API_PREFIX = "/api/v1"


class ProblemApi(Api):
    """flask-smorest, answering and documenting errors as RFC 9457 problem documents.

    The site's own error handlers (errors.py) serve every error, pages and API
    alike, so flask-smorest's handler is not installed; each operation lists
    its own error responses instead of a catch-all default.
    """

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def register_blueprint(self, blp, *, parameters=None, **options):
        """As flask-smorest's, but the docs' group is the blueprint's title, not its name."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
        self.spec.tag({"name": getattr(blp, "title", name), "description": blp.description})

    def _register_responses(self):
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)


def _id_parameter_schema(_converter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _configure(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "coprod-match API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {
            "description": (
                "Initiatives, citizens' own profiles, placements and their state moves, matching "
                "suggestions, invitations, continuity alerts, reference data and the job-run log. "
                "Authenticate with a personal API token (`Authorization: Bearer <token>`, made on "
                "the account page or with `flask users token`), or with the browser session plus "
                "an `X-CSRFToken` header. Errors are RFC 9457 problem documents. Someone else's "
                "record answers 404, like a record that does not exist."
            ),
        },
        "servers": [{"url": "/", "description": "This server"}],
        "components": {
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "A personal API token"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"],
                                  "description": "The browser session; send X-CSRFToken on writes"},
            }
        },
        "security": [{"bearerToken": []}, {"sessionCookie": []}, {}],
    })


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import (
        alerts,
        conversations,
        docs,
        initiatives,
        invitations,
        jobs,
        matching,
        me,
        my_data,
        placements,
        reference,
    )
    from .auth import authenticate

    _configure(app)
    api = ProblemApi(app)
    api.register_converter(IdConverter, _id_parameter_schema)
    blueprints = [reference.blp, initiatives.blp, me.blp, placements.blp, invitations.blp,
                  matching.blp, alerts.blp, jobs.blp, my_data.blp, conversations.blp]
    names = {"api-docs", docs.bp.name}
    for blueprint in blueprints:
        csrf.exempt(blueprint)  # authenticate() checks CSRF itself, for session users only
        api.register_blueprint(blueprint, url_prefix=API_PREFIX)
        names.add(blueprint.name)
    app.register_blueprint(docs.bp)

    @app.before_request
    def _authenticate_api():
        if request.blueprint in names and request.blueprint != docs.bp.name:
            authenticate()

    @app.after_request
    def _no_store(response):
        # Personal data must not linger in shared caches or the browser's history.
        if request.path.startswith(API_PREFIX) and "_api_user_checked" in g:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
