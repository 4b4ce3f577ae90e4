"""Ids and page numbers from URLs: numbers the database cannot hold never reach it.

Every route, page or API, takes record ids as `<id:name>`; query arguments
that carry an id or a page number are read with `id_arg` and `page_arg`.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from .vocabulary import Limits


def as_id(value) -> int | None:
    """The record id in `value`, or None when no record can have it."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= Limits.ID_MAX else None


class IdConverter(BaseConverter):
    """A record id in a path, `<id:initiative_id>`: a number no id can be is not found.

    (A number too large for the database must not reach it, and must answer 404
    like any other id that names nothing.)
    """

    regex = r"\d+"

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise NotFound()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def id_arg(args: Mapping[str, str], name: str) -> int | None:
    """An optional id in the query string; one that names no possible record counts as absent."""
    return as_id(args.get(name))


def page_arg(args: Mapping[str, str], name: str = "page") -> int:
    """The page asked for: 1 when absent, not a number or below 1; past the last possible page, 404."""
    text = (args.get(name) or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > 6 or int(text) > Limits.PAGE_MAX:
        raise NotFound()
    return max(int(text), 1)


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
