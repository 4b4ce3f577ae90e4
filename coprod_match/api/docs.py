"""The API's documentation page: Swagger UI served from our own static files (no CDN).

It runs under the site's own Content-Security-Policy: the bundle and its
starter script are files from 'self', and Swagger UI sets styles through the
DOM, which style-src 'self' allows (tests/e2e/test_api_docs.py checks this).
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")


@bp.get("/docs")
def docs():
    """Browse and try the API (try-it-out uses the browser's session and its CSRF token)."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
