"""Links to the app's own pages, made by the URL map from endpoint names, never written by hand.

Services store links in notifications and put them in mails while serving a
request, a command or a job. In a request `url_for` knows the script root;
outside one, the app's PUBLIC_BASE_URL says where the app lives (SERVER_NAME
stays unset, so any host the app is reached by keeps working). Addresses in
mails come from PUBLIC_BASE_URL, never from the request's Host header, with one
exception for development: when PUBLIC_BASE_URL was not set, the config asks
for PUBLIC_BASE_URL_FROM_REQUEST, and a link made in a request uses the address
that request came to (`make run PORT=8000` gives :8000 links). Production
never does this (create_app refuses it there).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import MapAdapter


def _public_adapter() -> MapAdapter:
    if current_app.config.get("PUBLIC_BASE_URL_FROM_REQUEST") and has_request_context():
        # Development only: the host, port and script root this request came to.
        return current_app.url_map.bind_to_environ(request.environ)
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                    url_scheme=base.scheme or "https")


def page_path(endpoint: str, **values) -> str:
    """The path of a page (`/professionals/initiatives/7`), in a request or outside one."""
    if has_request_context():
        return url_for(endpoint, **values)
    return _public_adapter().build(endpoint, values)


def page_url(endpoint: str, **values) -> str:
    """The full address of a page, for a mail."""
    return _public_adapter().build(endpoint, values, force_external=True)


class PageLink:
    """A page named by its endpoint and values; its path is made when the link is stored."""

    __slots__ = ("endpoint", "values")

    def __init__(self, endpoint: str, **values):
        self.endpoint = endpoint
        self.values = values

    def path(self) -> str:
        return page_path(self.endpoint, **self.values)

    def url(self) -> str:
        """The full address, for a mail."""
        return page_url(self.endpoint, **self.values)

    def __repr__(self) -> str:
        return f"PageLink({self.endpoint!r}, **{self.values!r})"


def password_reset_url(token: str) -> str:
    """The address in a password-reset mail: from PUBLIC_BASE_URL, never from the request's Host."""
    return page_url("auth.reset_password", token=token)


def safe_next(target: str | None) -> str | None:
    """A redirect target taken from a request, if it stays on this site; otherwise None.

    Only a path on this site passes: it starts with one "/", has no scheme or
    host, and holds no backslash or control character, because browsers read
    `/\\evil.example` and `/<TAB>/evil.example` as `//evil.example`.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
