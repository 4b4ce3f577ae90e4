"""What every API blueprint shares: strict fields, problem documents, pagination."""

from __future__ import annotations

import datetime as dt
import json
from http import HTTPStatus
from urllib.parse import urlencode

from flask import Response, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields, missing, validate
from webargs.core import parse_json
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.flaskparser import abort as webargs_abort

from ..errors import ApiProblem
from ..extensions import db
from ..schedule import DAYS, PARTS_OF_DAY, slot_key
from ..vocabulary import Limits

MAX_ID = Limits.ID_MAX
# No schema nests deeper than a few levels ({"languages": [{"code": ...}]} is 3).
JSON_MAX_DEPTH = 10
# The most entries any list field or object in a request body may have (the longest list
# field takes CODES_PER_LIST codes; no schema has as many fields).
JSON_MAX_ITEMS = Limits.CODES_PER_LIST
MAX_PAGE = Limits.PAGE_MAX
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
PROBLEM = "application/problem+json"


class BoundedJsonParser(FlaskParser):
    """Reads JSON bodies within sane bounds before any schema sees them.

    The body's size is bounded by MAX_CONTENT_LENGTH (413 before it is read);
    nesting deeper than JSON_MAX_DEPTH answers 400, and a list or object with
    more entries than any field or schema takes answers 422, before
    marshmallow would spend seconds on each of a million items.
    """

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        try:
            value = parse_json(req.get_data(cache=True))
        except RecursionError:  # the decoder's own guard, thousands of levels down
            raise _too_deep() from None
        check_json_bounds(value)
        return value


def _too_deep() -> ApiProblem:
    return ApiProblem(400, _("The JSON body is nested too deeply: at most %(depth)d levels.", depth=JSON_MAX_DEPTH))


def check_json_bounds(value) -> None:
    """Refuse a parsed JSON body nested too deeply (400) or with too many entries somewhere (422)."""
    pending = [(value, (), 1)]
    while pending:
        node, path, depth = pending.pop()
        if isinstance(node, dict):
            entries = node.items()
        elif isinstance(node, list):
            entries = enumerate(node)
        else:
            continue
        if depth > JSON_MAX_DEPTH:
            raise _too_deep()
        if len(node) > JSON_MAX_ITEMS:
            message = _("At most %(count)d items.", count=JSON_MAX_ITEMS)
            messages: dict | list = [message]
            for key in reversed(path):
                messages = {str(key): messages}
            webargs_abort(422, messages={"json": messages if path else {"": [message]}})
        pending.extend((child, (*path, key), depth + 1) for key, child in entries
                       if isinstance(child, dict | list))


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose operations are grouped under a readable title in the docs."""

    ARGUMENTS_PARSER = BoundedJsonParser()

    def __init__(self, name: str, import_name: str, *, title: str, **kwargs):
        super().__init__(name, import_name, **kwargs)
        self.title = title

    def route(self, rule, *, parameters=None, tags=None, **options):
        return super().route(rule, parameters=parameters, tags=tags or [self.title], **options)


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped (and never mass-assigned)."""

    class Meta:
        unknown = RAISE
        ordered = True


class Text(fields.String):
    """A string that the database can store: no NUL characters, no lone surrogates."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError(_("Text may not contain NUL characters."))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(_("Text must be valid Unicode.")) from None
        return text


class StrictBoolean(fields.Boolean):
    """true or false only: not "yes", 1 or "on" (a JSON API says what it means).

    Checked by type: 1 == True in Python, so a set of truthy values would let 1 and 0 in.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        raise self.make_error("invalid", input=value)


def Id(**kwargs) -> fields.Integer:
    """A record id: a positive 32-bit integer."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def Count(minimum: int, maximum: int, **kwargs) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=minimum, max=maximum), **kwargs)


SLOT_KEYS = [slot_key(day, part) for day in DAYS for part in PARTS_OF_DAY]
# Keyword arguments for a reference-data code (an interest, a target group) in a list.
CODE = {"validate": validate.Length(min=1, max=Limits.CODE)}


def Slot() -> fields.String:
    """A weekly slot, e.g. tue-morning: a citizen's availability or an initiative's schedule."""
    return fields.String(validate=validate.OneOf(SLOT_KEYS))


class ProblemErrorSchema(Schema):
    pointer = fields.String(metadata={"description": "JSON pointer into the request body"})
    parameter = fields.String(metadata={"description": "Query or path parameter"})
    location = fields.String(data_key="in", metadata={"description": "Where the parameter is: query or path"})
    detail = fields.String(required=True)


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String(required=True, metadata={"description": "about:blank, or a urn:coprod-match:problem: URI"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemErrorSchema), metadata={"description": "One entry per invalid field"})


# --- pagination -----------------------------------------------------------------------------


class PageArgsSchema(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "Page number, from 1"})
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": f"Items a page, at most {MAX_PER_PAGE}"})


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


LINK_HEADER = {
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last page",
        "schema": {"type": "string"},
    }
}


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A schema for one page of `item_schema`: {items: [...], pagination: {...}}."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "pagination": fields.Nested(PaginationSchema, required=True),
    })


def _page_url(number: int, per_page: int) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in ("page", "per_page")]
    args += [("page", str(number)), ("per_page", str(per_page))]
    return f"{request.path}?{urlencode(args)}"


def paginate(query, args: dict) -> tuple[dict, dict[str, str]]:
    """One page of a select(), as the body and its Link header. The query must order stably."""
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False,
                       max_per_page=MAX_PER_PAGE)
    return page_body(list(page.items), page.page, page.per_page, page.total or 0)


def page_body(items: list, number: int, per_page: int, total: int) -> tuple[dict, dict[str, str]]:
    pages = max(1, -(-total // per_page))
    links = [f'<{_page_url(1, per_page)}>; rel="first"', f'<{_page_url(pages, per_page)}>; rel="last"']
    if number > 1:
        links.append(f'<{_page_url(min(number - 1, pages), per_page)}>; rel="prev"')
    if number < pages:
        links.append(f'<{_page_url(number + 1, per_page)}>; rel="next"')
    body = {"items": items, "pagination": {"page": number, "per_page": per_page, "total": total, "pages": pages}}
    return body, {"Link": ", ".join(links)}


def _json_value(value):
    """Dates and times as ISO 8601, as the schemas' Date and DateTime fields write them;
    texts translated when shown (lazy strings) as text."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, LazyString):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_answer(body: dict, headers: dict[str, str] | None = None, status: int = 200) -> Response:
    """A body already built in its documented shape, written once.

    The operation's response schema still documents it; returning a Response
    keeps flask-smorest from dumping the same dicts through marshmallow again.
    """
    text = json.dumps(body, default=_json_value, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, headers=headers, mimetype="application/json")


def slice_page(items: list, args: dict) -> tuple[dict, dict[str, str]]:
    """Pagination over a list already in memory (matching results)."""
    start = (args["page"] - 1) * args["per_page"]
    return page_body(items[start:start + args["per_page"]], args["page"], args["per_page"], len(items))


def errors(blp, *codes: int):
    """Document the problem responses an operation can give (400 and 401 always can:
    NUL bytes or a bad CSRF token, and a bad token)."""

    def decorator(func):
        for code in sorted({400, 401, *codes}):
            func = blp.alt_response(code, response=HTTPStatus(code).name)(func)
        return func

    return decorator
