"""Links to the app's own pages, made by the URL map from endpoint names, never written by hand.

Services store links in notifications while serving a request, a command or a
job. In a request `url_for` knows the host and the script root; outside one,
the app's PUBLIC_BASE_URL says where the app lives (SERVER_NAME stays unset,
so any host the app is reached by keeps working).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def page_path(endpoint: str, **values) -> str:
    """The path of a page (`/professionals/initiatives/7`), in a request or outside one."""
    if has_request_context():
        return url_for(endpoint, **values)
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values)


class PageLink:
    """A page named by its endpoint and values; its path is made when the link is stored."""

    __slots__ = ("endpoint", "values")

    def __init__(self, endpoint: str, **values):
        self.endpoint = endpoint
        self.values = values

    def path(self) -> str:
        return page_path(self.endpoint, **self.values)

    def __repr__(self) -> str:
        return f"PageLink({self.endpoint!r}, **{self.values!r})"
