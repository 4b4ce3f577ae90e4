"""Links to pages by endpoint name, for what is kept or sent beyond the request: inbox messages, mails.

Built from the app's URL map and PUBLIC_BASE_URL, so they are the same in a
request, a scheduled job or a command (`url_for` needs a request there), and
follow the routes when a URL changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")


def page_path(endpoint: str, **values) -> str:
    """The path of a page on this site, such as an inbox message points to."""
    return _adapter().build(endpoint, values)


def page_url(endpoint: str, **values) -> str:
    """The full address of a page, for a mail."""
    return _adapter().build(endpoint, values, force_external=True)
