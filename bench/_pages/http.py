"""An HTTP client as a browser or a script would be: session cookie, CSRF token, bearer token.

Plain `http.client`, one connection per client, kept alive when the server
allows it (gunicorn's sync workers close it after each answer; http.client
then opens the next one itself, a local connect costing ~0.1 ms).
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What a request may fail with on the way (a refused or cut connection, a timeout, a broken answer).
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Answer:
    status: int
    seconds: float
    body: bytes
    headers: dict[str, str]


class FormFields(HTMLParser):
    """The fields a browser would send for the first form posting to `action` (as filled in now)."""

    def __init__(self, action: str | None = None):
        super().__init__()
        self.action = action
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.done = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            # A form without an action posts to the page it is on, which is the one asked for.
            target = (attrs.get("action") or "").split("?")[0]
            self.inside = self.action is None or not target or target.endswith(self.action)
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("y" if attrs.get("type") == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: bytes, action: str | None = None) -> list[tuple[str, str]]:
    parser = FormFields(action)
    parser.feed(html.decode("utf-8", "replace"))
    return parser.fields


@dataclass
class Client:
    """One user agent: one keep-alive connection, its cookies, optionally a bearer token."""

    host: str
    port: int
    token: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0

    def __post_init__(self):
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        sent = {"Accept-Language": "en", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            # No retry: a worker killed mid-request (WORKER TIMEOUT) must count as an error.
            self.connection.close()
            raise
        seconds = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, seconds, data, {k.lower(): v for k, v in response.getheaders()})

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def submit(self, path: str, changes: dict[str, list[str]] | None = None) -> Answer:
        """GET the form page, keep what it shows filled in, apply `changes`, POST it back."""
        page = self.get(path)
        if page.status != 200:
            return page
        fields = [(k, v) for k, v in form_fields(page.body, path.split("?")[0]) if k not in (changes or {})]
        for name, values in (changes or {}).items():
            fields.extend((name, value) for value in values)
        return self.post_form(path, fields)

    def log_in(self, email: str, password: str) -> None:
        page = self.get("/auth/login")
        fields = dict(form_fields(page.body, "/auth/login"))
        answer = self.post_form("/auth/login", [("csrf_token", fields.get("csrf_token", "")),
                                                ("email", email), ("password", password)])
        if answer.status != 302:
            raise RuntimeError(f"login as {email} answered {answer.status}")

    def close(self) -> None:
        self.connection.close()
