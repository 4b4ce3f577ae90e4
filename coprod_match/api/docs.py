"""The API's documentation page: Swagger UI served from our own static files (no CDN)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")

# Swagger UI sets style attributes in the markup it renders; only this page allows inline styles.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


@bp.get("/docs")
def docs():
    """Browse and try the API (try-it-out uses the browser's session and its CSRF token)."""
    response = render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
    return response, 200, {"Content-Security-Policy": DOCS_CSP}
